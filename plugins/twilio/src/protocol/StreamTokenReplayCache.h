// StreamTokenReplayCache.h: per-node memory of stream tokens already used by a `start`, so each is accepted once.
#ifndef PATCHBAY_TWILIO_PROTOCOL_STREAM_TOKEN_REPLAY_CACHE_H
#define PATCHBAY_TWILIO_PROTOCOL_STREAM_TOKEN_REPLAY_CACHE_H

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace patchbay::twilio {

/// StreamToken is stateless, so by itself it could be replayed until it expires. This cache
/// remembers the call each accepted token was issued for until that token's expiry; a later
/// connection with a token for the same call is refused. Keyed by CallSid rather than by token
/// text: one call has one stream, so a second token issued for it (a retried webhook) must not
/// open a second stream either.
///
/// Scope: one gateway node. A replay sent to another node is not seen here; there it is bounded
/// by the token's TTL (streamTokenTtlSeconds) and by the core, which attaches a call only on the
/// node that admitted it. Strict cluster-wide single use needs sticky routing of /twilio/media
/// (or a shared store, which the SDK does not offer).
///
/// Bounded: at most `capacity` live entries. Expired entries are purged as new ones arrive; when
/// the cache is still full, the entry closest to expiry is evicted (its replay protection ends a
/// little early) and evictions() counts it — admitting new calls matters more than that.
/// THREAD: Any (one mutex, held for O(log n); called once per stream, never per frame).
class StreamTokenReplayCache
{
public:
    static constexpr std::size_t kDefaultCapacity = 100000;

    explicit StreamTokenReplayCache(std::size_t capacity = kDefaultCapacity);

    /// Records the first use of the token for `callSid`, valid until `expiresAtUnixSec`.
    /// @return false when a token for this call was already used and has not expired yet.
    bool consume(std::string_view callSid, std::int64_t expiresAtUnixSec, std::int64_t nowUnixSec);

    /// True when a token for `callSid` was used and has not expired (a replay), without recording.
    bool wasUsed(std::string_view callSid, std::int64_t nowUnixSec) const;

    std::size_t size() const;
    std::size_t capacity() const noexcept
    {
        return _capacity;
    }
    /// Live entries dropped because the cache was full.
    std::uint64_t evictions() const;

private:
    using ExpiryIndex = std::multimap<std::int64_t, std::string>;

    void purgeExpired(std::int64_t nowUnixSec);

    const std::size_t _capacity;
    mutable std::mutex _mutex;
    std::unordered_map<std::string, ExpiryIndex::iterator> _byCall;
    ExpiryIndex _byExpiry;
    std::uint64_t _evictions = 0;
};

} // namespace patchbay::twilio

#endif // PATCHBAY_TWILIO_PROTOCOL_STREAM_TOKEN_REPLAY_CACHE_H
