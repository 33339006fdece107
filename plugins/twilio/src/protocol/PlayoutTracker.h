// PlayoutTracker.h: what the caller has actually heard, from the marks sent after each outbound chunk and their echoes.
#ifndef PATCHBAY_TWILIO_PROTOCOL_PLAYOUT_TRACKER_H
#define PATCHBAY_TWILIO_PROTOCOL_PLAYOUT_TRACKER_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace patchbay::twilio {

/// Twilio plays outbound audio from a buffer and echoes each `mark` once, in the order sent:
/// when the audio before it has played, or at once when a `clear` flushed it (twilio.md §6.3,
/// §6.4). The gateway sends its own mark (named kMarkPrefix + a sequence number) after every
/// outbound chunk, and forwards the core's marks; this class keeps the marks still outstanding
/// and, per echo, says whether the audio in front of it was played or flushed.
///
/// "Flushed" is decided on our side: every mark outstanding when a clear went out is flushed,
/// even if Twilio had in fact played it a moment before the clear arrived — the count of
/// played audio errs on the low side, never the high side.
///
/// One per stream, on its loop (not thread-safe). Bounded: at most kMaxOutstanding marks are
/// tracked; beyond that chunks go out without a mark of their own and their audio is counted
/// with the next mark that fits (hasRoom()). No allocation per chunk once warm.
class PlayoutTracker
{
public:
    static constexpr std::size_t kMaxOutstanding = 16384; // > 5 minutes of 20 ms chunks ahead of playout
    static constexpr std::string_view kMarkPrefix = "pb-";

    enum class Outcome
    {
        Played,  ///< the audio before the mark reached the caller
        Flushed, ///< a clear discarded it before it played
        Unknown  ///< not a mark we are waiting for (never sent, or already answered)
    };

    struct Echo
    {
        Outcome outcome = Outcome::Unknown;
        bool core = false;       ///< the mark was the core's, not one of the per-chunk marks
        std::uint64_t bytes = 0; ///< audio bytes between the previous mark and this one
        std::size_t skipped = 0; ///< older outstanding marks that never came back (dropped now)
    };

    /// True while another mark can be tracked.
    bool hasRoom() const noexcept
    {
        return _count < kMaxOutstanding;
    }

    /// The name the next per-chunk mark must carry; valid until the next call on this object.
    std::string_view nextMarkName();

    /// A chunk of `bytes` audio bytes went out, followed by a mark named nextMarkName().
    void chunkMarked(std::uint64_t bytes);

    /// A chunk went out with no mark after it (no room, or the mark could not be queued); its
    /// audio is attributed to the next mark.
    void chunkUnmarked(std::uint64_t bytes);

    /// The core's mark went out after the audio sent so far. @return false when not tracked
    /// (no room); its echo is then Unknown and still belongs to the core.
    bool coreMarkSent(std::string_view name);

    /// A clear went out: every outstanding mark will come back flushed.
    void cleared();

    /// A mark echoed by Twilio.
    Echo echoed(std::string_view name);

    /// True for names of the per-chunk marks (so an Unknown echo of one is not the core's).
    static bool isGatewayMarkName(std::string_view name) noexcept;

    std::size_t outstanding() const noexcept
    {
        return _count;
    }
    std::uint64_t sentBytes() const noexcept
    {
        return _sentBytes;
    }
    std::uint64_t playedBytes() const noexcept
    {
        return _playedBytes;
    }
    std::uint64_t flushedBytes() const noexcept
    {
        return _flushedBytes;
    }
    std::uint64_t clears() const noexcept
    {
        return _clears;
    }

private:
    struct Entry
    {
        std::uint64_t seq = 0;  ///< per-chunk marks: the number in the name
        std::string coreName;   ///< core marks: the name (empty for per-chunk marks)
        std::uint64_t bytes = 0;
        bool core = false;
        bool flushed = false;
    };

    Entry& push();
    Entry& at(std::size_t i) noexcept
    {
        return _ring[(_head + i) & (_ring.size() - 1)];
    }
    void popFront() noexcept;

    std::vector<Entry> _ring; // power-of-two capacity, grown on demand up to kMaxOutstanding
    std::size_t _head = 0;
    std::size_t _count = 0;
    std::uint64_t _nextSeq = 1;
    std::uint64_t _unmarkedBytes = 0;
    std::uint64_t _sentBytes = 0;
    std::uint64_t _playedBytes = 0;
    std::uint64_t _flushedBytes = 0;
    std::uint64_t _clears = 0;
    char _name[32] = {};
};

} // namespace patchbay::twilio

#endif // PATCHBAY_TWILIO_PROTOCOL_PLAYOUT_TRACKER_H
