// Media.h: audio formats, the borrowed audio frame, and MediaSink — the one interface media travels through.
#ifndef PATCHBAY_SDK_MEDIA_H
#define PATCHBAY_SDK_MEDIA_H

#include <cstdint>
#include <string>
#include <string_view>

namespace patchbay::sdk {

enum class AudioCodec : std::uint8_t
{
    Mulaw, ///< G.711 μ-law, 8 bits per sample
    Pcm16, ///< signed 16-bit little-endian linear PCM
};

/// An audio format. Value type; THREAD: Any.
struct MediaFormat
{
    AudioCodec codec = AudioCodec::Mulaw;
    std::uint32_t sampleRate = 8000;
    std::uint8_t channels = 1;

    bool operator==(const MediaFormat& o) const noexcept
    {
        return codec == o.codec && sampleRate == o.sampleRate && channels == o.channels;
    }
    bool operator!=(const MediaFormat& o) const noexcept { return !(*this == o); }

    static MediaFormat ulaw8000() noexcept { return {AudioCodec::Mulaw, 8000, 1}; }
    static MediaFormat pcm16(std::uint32_t rate) noexcept { return {AudioCodec::Pcm16, rate, 1}; }
};

/// Parses vendor names such as "ulaw_8000", "pcm_16000"; returns false for anything else.
inline bool parseMediaFormat(std::string_view name, MediaFormat& out) noexcept
{
    if (name == "ulaw_8000") { out = MediaFormat::ulaw8000(); return true; }
    if (name.substr(0, 4) == "pcm_")
    {
        std::uint32_t rate = 0;
        for (char c : name.substr(4))
        {
            if (c < '0' || c > '9' || rate > 1000000) return false;
            rate = rate * 10 + static_cast<std::uint32_t>(c - '0');
        }
        if (rate < 8000 || rate > 48000) return false;
        out = MediaFormat::pcm16(rate);
        return true;
    }
    return false;
}

/// "ulaw_8000" / "pcm_16000" for logs and wire messages.
inline std::string mediaFormatName(const MediaFormat& f)
{
    return (f.codec == AudioCodec::Mulaw ? std::string("ulaw_") : std::string("pcm_")) + std::to_string(f.sampleRate);
}

enum class PayloadEncoding : std::uint8_t
{
    Base64, ///< payload is the base64 text of the audio bytes (what both JSON protocols carry)
    Raw,    ///< payload is the audio bytes themselves
};

/// One chunk of audio, borrowed. Both Twilio and ElevenLabs carry audio as base64 text inside JSON,
/// so a frame normally holds that text unchanged: when both legs share a format the bytes pass
/// through without being decoded (DESIGN §4).
/// OWNERSHIP: `payload` points into the sender's buffer and is valid only for the duration of the
/// MediaSink call that received the frame; copy it to keep it.
struct AudioFrame
{
    MediaFormat format;
    PayloadEncoding encoding = PayloadEncoding::Base64;
    std::string_view payload;
    /// Agent-side ordering id (ElevenLabs event_id); 0 when the source has none.
    std::uint64_t eventId = 0;
    /// Media clock of the source in ms (Twilio media.timestamp); -1 when unknown.
    std::int64_t timestampMs = -1;
};

/// Receives the media of one direction of one call.
///
/// THREAD: Media — every method is called on the event-loop thread that owns the call, must return
/// quickly, must never block, touch a database or log per frame. On overload, drop and count.
/// OWNERSHIP: the implementer owns itself; callers hold a non-owning pointer whose validity is
/// stated by whoever handed it out (see CallChannel, InboundLeg, AgentSession).
class MediaSink
{
public:
    /// Audio to deliver. The frame is borrowed (see AudioFrame).
    virtual void onAudio(const AudioFrame& frame) = 0;
    /// Barge-in: drop every queued, not yet played chunk of audio in this direction.
    virtual void onClear() = 0;
    /// Towards the caller: place a named mark after the audio sent so far.
    /// From the caller: the named mark was reached (played, or flushed by a clear).
    virtual void onMark(std::string_view name) = 0;
    /// A DTMF digit ('0'-'9', '*', '#', 'A'-'D').
    virtual void onDtmf(char digit) = 0;

protected:
    ~MediaSink() = default;
};

} // namespace patchbay::sdk

#endif
