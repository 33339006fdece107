// MediaStreamCodec.h: decodes Twilio Media Streams JSON messages and encodes media/mark/clear, allocation-free when warm.
#ifndef PATCHBAY_TWILIO_PROTOCOL_MEDIA_STREAM_CODEC_H
#define PATCHBAY_TWILIO_PROTOCOL_MEDIA_STREAM_CODEC_H

#include "protocol/MediaStreamMessage.h"

#include "patchbay/sdk/support/JsonDocument.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace patchbay::twilio {

/// One codec per WebSocket connection (not thread-safe). It owns the parse tree and an
/// output buffer, both reused, so media in / media out costs no heap allocation once the
/// first few messages have sized them.
///
/// decode() never throws on bad input: malformed JSON, wrong types and missing required
/// fields return false with error() set. Required fields: "event" everywhere; "streamSid"
/// on every event but connected; start.callSid and start.accountSid; media.payload;
/// mark.name; dtmf.digit. sequenceNumber, media.chunk and media.timestamp are optional,
/// but when present must be non-negative integers (strings, as Twilio sends them, or numbers).
class MediaStreamCodec
{
public:
    static constexpr std::size_t kMaxMessageSize = 256 * 1024;

    /// `text` must stay alive while views in `out` are used (until the next decode()).
    bool decode(std::string_view text, MediaStreamMessage& out);

    /// Reason for the last decode() failure.
    const std::string& error() const noexcept
    {
        return _error;
    }

    /// {"event":"media","streamSid":…,"media":{"payload":…}} into the codec's buffer; the
    /// view is valid until the next encode call.
    std::string_view encodeMedia(std::string_view streamSid, std::string_view base64Payload);
    std::string_view encodeMark(std::string_view streamSid, std::string_view name);
    std::string_view encodeClear(std::string_view streamSid);

    /// The same encoders writing into a caller-owned buffer (cleared first).
    static void encodeMedia(std::string& out, std::string_view streamSid, std::string_view base64Payload);
    static void encodeMark(std::string& out, std::string_view streamSid, std::string_view name);
    static void encodeClear(std::string& out, std::string_view streamSid);

    /// Size of the audio a base64 payload carries, without decoding it (no validation).
    static std::size_t decodedSize(std::string_view base64) noexcept;

    /// The DTMF digits Twilio reports: '0'-'9', '*', '#', 'A'-'D'.
    static bool isDtmfDigit(std::string_view digit) noexcept;

private:
    bool fail(MediaStreamMessage& out, const char* reason);
    bool decodeStart(const sdk::support::JsonValue& root, MediaStreamMessage& out);
    bool decodeMedia(const sdk::support::JsonValue& root, MediaStreamMessage& out);

    sdk::support::JsonDocument _document;
    std::string _output;
    std::string _error;
};

} // namespace patchbay::twilio

#endif // PATCHBAY_TWILIO_PROTOCOL_MEDIA_STREAM_CODEC_H
