// MediaStreamMessage.h: one decoded message from Twilio on a Media Streams WebSocket (twilio.md §6.2).
#ifndef PATCHBAY_TWILIO_PROTOCOL_MEDIA_STREAM_MESSAGE_H
#define PATCHBAY_TWILIO_PROTOCOL_MEDIA_STREAM_MESSAGE_H

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace patchbay::twilio {

/// Filled by MediaStreamCodec::decode(); reuse one instance per connection.
///
/// Lifetimes differ on purpose: the per-frame events (media, mark, dtmf) are string_views
/// into the received text or the codec's buffers, valid until the next decode() on the
/// same codec — copying them would cost an allocation per frame. The once-per-call data
/// (connected, start, stop) is owned, because callers keep it for the whole call.
struct MediaStreamMessage
{
    enum class Event
    {
        Unknown, ///< Well-formed but an event this version does not know: not an error.
        Connected,
        Start,
        Media,
        Mark,
        Dtmf,
        Stop
    };

    struct MediaFormat
    {
        std::string encoding; ///< "audio/x-mulaw" in practice.
        std::int64_t sampleRate = 0;
        std::int64_t channels = 0;
    };

    struct ConnectedInfo
    {
        std::string protocol;
        std::string version;
    };

    struct StartInfo
    {
        std::string accountSid;
        std::string callSid;
        std::string streamSid;
        std::vector<std::string> tracks;
        std::vector<std::pair<std::string, std::string>> customParameters; ///< In document order.
        MediaFormat mediaFormat;

        /// Value of the custom parameter `name`, or nullptr.
        const std::string* parameter(std::string_view name) const noexcept
        {
            for (const auto& [key, value] : customParameters)
            {
                if (key == name)
                    return &value;
            }
            return nullptr;
        }
    };

    struct MediaInfo
    {
        std::string_view track;
        std::int64_t chunk = -1;     ///< -1 when absent.
        std::int64_t timestamp = -1; ///< Milliseconds since stream start; -1 when absent.
        std::string_view payload;    ///< Base64 μ-law exactly as received (escapes resolved), not decoded.
    };

    struct MarkInfo
    {
        std::string_view name;
    };

    struct DtmfInfo
    {
        std::string_view digit;
        std::string_view track;
    };

    struct StopInfo
    {
        std::string accountSid;
        std::string callSid;
    };

    Event event = Event::Unknown;
    std::string_view eventName;      ///< The raw "event" value (useful for Unknown).
    std::int64_t sequenceNumber = -1; ///< -1 when absent (e.g. on connected).
    std::string_view streamSid;      ///< Empty on connected.

    ConnectedInfo connected;
    StartInfo start;
    MediaInfo media;
    MarkInfo mark;
    DtmfInfo dtmf;
    StopInfo stop;

    /// Clears every field but keeps string/vector capacity for reuse.
    void reset() noexcept
    {
        event = Event::Unknown;
        eventName = {};
        sequenceNumber = -1;
        streamSid = {};
        connected.protocol.clear();
        connected.version.clear();
        start.accountSid.clear();
        start.callSid.clear();
        start.streamSid.clear();
        start.tracks.clear();
        start.customParameters.clear();
        start.mediaFormat = {};
        media = {};
        mark = {};
        dtmf = {};
        stop.accountSid.clear();
        stop.callSid.clear();
    }

    static const char* eventText(Event event) noexcept
    {
        switch (event)
        {
        case Event::Unknown:
            return "unknown";
        case Event::Connected:
            return "connected";
        case Event::Start:
            return "start";
        case Event::Media:
            return "media";
        case Event::Mark:
            return "mark";
        case Event::Dtmf:
            return "dtmf";
        case Event::Stop:
            return "stop";
        }
        return "unknown";
    }
};

} // namespace patchbay::twilio

#endif // PATCHBAY_TWILIO_PROTOCOL_MEDIA_STREAM_MESSAGE_H
