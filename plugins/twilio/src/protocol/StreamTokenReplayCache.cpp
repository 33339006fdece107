// StreamTokenReplayCache.cpp: expiry-ordered bookkeeping of used stream tokens, with bounded size.
#include "protocol/StreamTokenReplayCache.h"

#include <algorithm>

namespace patchbay::twilio {

StreamTokenReplayCache::StreamTokenReplayCache(std::size_t capacity) : _capacity(std::max<std::size_t>(capacity, 1)) {}

bool StreamTokenReplayCache::consume(std::string_view callSid, std::int64_t expiresAtUnixSec, std::int64_t nowUnixSec)
{
    std::lock_guard<std::mutex> lock(_mutex);
    purgeExpired(nowUnixSec);
    const std::string key(callSid);
    if (_byCall.count(key))
        return false;
    if (_byCall.size() >= _capacity)
    {
        // Still full of live entries: give up the one whose protection would end soonest anyway.
        const auto oldest = _byExpiry.begin();
        _byCall.erase(oldest->second);
        _byExpiry.erase(oldest);
        ++_evictions;
    }
    // An already-expired token never reaches here (verify refuses it); keep it for a second anyway
    // so the bookkeeping never holds an entry that purgeExpired() would skip.
    const std::int64_t until = std::max(expiresAtUnixSec, nowUnixSec + 1);
    _byCall.emplace(key, _byExpiry.emplace(until, key));
    return true;
}

bool StreamTokenReplayCache::wasUsed(std::string_view callSid, std::int64_t nowUnixSec) const
{
    std::lock_guard<std::mutex> lock(_mutex);
    const auto it = _byCall.find(std::string(callSid));
    return it != _byCall.end() && it->second->first > nowUnixSec;
}

std::size_t StreamTokenReplayCache::size() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _byCall.size();
}

std::uint64_t StreamTokenReplayCache::evictions() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _evictions;
}

void StreamTokenReplayCache::purgeExpired(std::int64_t nowUnixSec)
{
    // A token is valid while now < expiresAt (StreamToken::verify), so at expiresAt it can no
    // longer be replayed and its entry is no longer needed.
    while (!_byExpiry.empty() && _byExpiry.begin()->first <= nowUnixSec)
    {
        _byCall.erase(_byExpiry.begin()->second);
        _byExpiry.erase(_byExpiry.begin());
    }
}

} // namespace patchbay::twilio
