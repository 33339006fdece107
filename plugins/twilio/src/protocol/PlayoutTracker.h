// PlayoutTracker.h: what the caller has actually heard, from the marks sent behind outbound audio and their echoes.
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
/// §6.4). The gateway sends a mark of its own (named kMarkPrefix + a sequence number) behind the
/// chunk that brings the audio sent since the last mark, of any kind, to kMarkIntervalBytes
/// (markDue()); the chunks in between go out unmarked and their audio is attributed to the next
/// mark. The core's marks are forwarded as they come, always right behind the audio sent before
/// them, and restart the interval: their echoes account for that audio. This class keeps the
/// marks still outstanding and, per echo, says whether the audio in front of it was played or
/// flushed.
///
/// "Flushed" is decided on our side: every mark outstanding when a clear went out is flushed,
/// even if Twilio had in fact played it a moment before the clear arrived — the count of
/// played audio errs on the low side, never the high side. Audio not yet followed by a mark is
/// flushed by the clear too, and counted so at once, since no echo will ever report it.
/// Whatever is neither played nor flushed is unconfirmed (unconfirmedBytes()): the audio after
/// the last mark, behind marks not echoed yet, and behind marks Twilio never answered.
///
/// One per stream, on its loop (not thread-safe). Bounded: at most kMaxOutstanding marks are
/// tracked; beyond that a chunk due a mark goes out without one and its audio is counted with
/// the next mark that fits (hasRoom()). No allocation per chunk once warm.
class PlayoutTracker
{
public:
    /// > 50 minutes of audio ahead of playout at one mark of ours per kMarkIntervalBytes (the
    /// core's marks come on top, as often as the core places them).
    static constexpr std::size_t kMaxOutstanding = 16384;
    static constexpr std::string_view kMarkPrefix = "pb-";

    /// Audio, in decoded μ-law bytes, that our own marks are spaced by: 200 ms at 8 kHz. It is the
    /// resolution of "what the caller heard" traded against message count: a mark behind every
    /// 20 ms chunk doubled the messages written to Twilio and added one inbound echo per chunk,
    /// for a precision no consumer of these figures (the close summary, the played/flushed
    /// metrics) needs. Ten times fewer marks still tell within 200 ms what was heard.
    static constexpr std::uint64_t kMarkIntervalBytes = 1600;

    enum class Outcome
    {
        Played,  ///< the audio before the mark reached the caller
        Flushed, ///< a clear discarded it before it played
        Unknown  ///< not a mark we are waiting for (never sent, or already answered)
    };

    struct Echo
    {
        Outcome outcome = Outcome::Unknown;
        bool core = false;       ///< the mark was the core's, not one of ours
        std::uint64_t bytes = 0; ///< audio bytes between the previous mark and this one
        std::size_t skipped = 0; ///< older outstanding marks that never came back (dropped now)
    };

    /// True while another mark can be tracked.
    bool hasRoom() const noexcept
    {
        return _count < kMaxOutstanding;
    }

    /// True when a chunk of `bytes` audio bytes brings the audio sent since the last mark (ours
    /// or the core's) or clear to kMarkIntervalBytes: it should be followed by a mark of ours.
    /// Stays true for the chunks after it until a mark goes out (no room, or a lost send).
    bool markDue(std::uint64_t bytes) const noexcept
    {
        return _unmarkedBytes + bytes >= kMarkIntervalBytes;
    }

    /// The name the next mark of ours must carry; valid until the next call on this object.
    std::string_view nextMarkName();

    /// A chunk of `bytes` audio bytes went out, followed by a mark named nextMarkName(); the
    /// mark also carries the unmarked audio before the chunk.
    void chunkMarked(std::uint64_t bytes);

    /// A chunk went out with no mark after it (none due, no room, or the mark could not be
    /// queued); its audio is attributed to the next mark.
    void chunkUnmarked(std::uint64_t bytes);

    /// The core's mark went out after the audio sent so far. @return false when not tracked
    /// (no room); its echo is then Unknown and still belongs to the core.
    bool coreMarkSent(std::string_view name);

    /// A clear went out: every outstanding mark will come back flushed, and the audio sent since
    /// the last mark is flushed now. @return those unmarked bytes (no echo will report them).
    std::uint64_t cleared();

    /// A mark echoed by Twilio.
    Echo echoed(std::string_view name);

    /// True for names of our own marks (so an Unknown echo of one is not the core's).
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
    /// Audio sent since the last mark or clear, not yet behind any mark.
    std::uint64_t unmarkedBytes() const noexcept
    {
        return _unmarkedBytes;
    }
    /// Audio sent but neither played nor flushed as far as we know: unmarked, behind marks not
    /// echoed yet, or behind marks Twilio skipped.
    std::uint64_t unconfirmedBytes() const noexcept
    {
        return _sentBytes - _playedBytes - _flushedBytes;
    }

private:
    struct Entry
    {
        std::uint64_t seq = 0;  ///< our marks: the number in the name
        std::string coreName;   ///< core marks: the name (empty for ours)
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
