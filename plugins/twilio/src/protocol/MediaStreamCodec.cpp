// MediaStreamCodec.cpp: field extraction and validation for Media Streams messages, and the outbound encoders.
#include "protocol/MediaStreamCodec.h"

#include "patchbay/sdk/support/JsonWriter.h"

#include <cstdint>
#include <limits>

namespace patchbay::twilio {

namespace {

using sdk::support::JsonValue;
using sdk::support::JsonWriter;
using Event = MediaStreamMessage::Event;

// Twilio sends counters as decimal strings; accept plain JSON integers too.
bool readCounter(const JsonValue& value, std::int64_t& out)
{
    if (!value.exists())
    {
        out = -1;
        return true;
    }
    if (value.isInteger())
    {
        out = value.asInt64();
        return out >= 0;
    }
    if (!value.isString())
        return false;
    const std::string_view text = value.asString();
    if (text.empty() || text.size() > 19)
        return false;
    std::uint64_t number = 0;
    for (const char c : text)
    {
        if (c < '0' || c > '9')
            return false;
        number = number * 10 + static_cast<unsigned>(c - '0');
    }
    if (number > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return false;
    out = static_cast<std::int64_t>(number);
    return true;
}

// Absent is fine (empty result); present but not a string is not.
bool readOptionalString(const JsonValue& value, std::string_view& out)
{
    if (!value.exists())
        return true;
    if (!value.isString())
        return false;
    out = value.asString();
    return true;
}

Event eventFromName(std::string_view name) noexcept
{
    if (name == "media")
        return Event::Media;
    if (name == "mark")
        return Event::Mark;
    if (name == "dtmf")
        return Event::Dtmf;
    if (name == "start")
        return Event::Start;
    if (name == "stop")
        return Event::Stop;
    if (name == "connected")
        return Event::Connected;
    return Event::Unknown;
}

} // namespace

bool MediaStreamCodec::fail(MediaStreamMessage& out, const char* reason)
{
    const Event event = out.event;
    out.reset();
    out.event = event;
    _error = reason;
    return false;
}

bool MediaStreamCodec::decode(std::string_view text, MediaStreamMessage& out)
{
    out.reset();
    _error.clear();
    if (text.size() > kMaxMessageSize)
        return fail(out, "message too large");
    if (!_document.parse(text))
    {
        const std::string offset = std::to_string(_document.errorOffset());
        fail(out, "malformed JSON: ");
        _error.append(_document.errorMessage()).append(" at offset ").append(offset);
        return false;
    }
    const JsonValue& root = _document.root();
    if (!root.isObject())
        return fail(out, "message is not a JSON object");
    const JsonValue& event = root["event"];
    if (!event.isString())
        return fail(out, event.exists() ? "\"event\" is not a string" : "missing \"event\"");
    out.eventName = event.asString();
    out.event = eventFromName(out.eventName);
    if (out.event == Event::Unknown)
    {
        // Forward compatibility: report what we can, never fail on a newer event's shape.
        if (!readCounter(root["sequenceNumber"], out.sequenceNumber))
            out.sequenceNumber = -1;
        out.streamSid = root["streamSid"].asString();
        return true;
    }

    if (!readCounter(root["sequenceNumber"], out.sequenceNumber))
        return fail(out, "\"sequenceNumber\" is not a non-negative integer");
    if (!readOptionalString(root["streamSid"], out.streamSid))
        return fail(out, "\"streamSid\" is not a string");

    switch (out.event)
    {
    case Event::Connected:
    {
        std::string_view protocol, version;
        if (!readOptionalString(root["protocol"], protocol) || !readOptionalString(root["version"], version))
            return fail(out, "connected: \"protocol\"/\"version\" must be strings");
        out.connected.protocol.assign(protocol);
        out.connected.version.assign(version);
        return true;
    }
    case Event::Start:
        return decodeStart(root, out);
    default:
        break;
    }

    if (out.streamSid.empty())
        return fail(out, "missing \"streamSid\"");
    switch (out.event)
    {
    case Event::Media:
        return decodeMedia(root, out);
    case Event::Mark:
    {
        const JsonValue& name = root["mark"]["name"];
        if (!name.isString())
            return fail(out, "mark: missing \"mark.name\"");
        out.mark.name = name.asString();
        return true;
    }
    case Event::Dtmf:
    {
        const JsonValue& dtmf = root["dtmf"];
        if (!dtmf["digit"].isString())
            return fail(out, "dtmf: missing \"dtmf.digit\"");
        out.dtmf.digit = dtmf["digit"].asString();
        if (!readOptionalString(dtmf["track"], out.dtmf.track))
            return fail(out, "dtmf: \"dtmf.track\" is not a string");
        return true;
    }
    case Event::Stop:
    {
        const JsonValue& stop = root["stop"];
        std::string_view accountSid, callSid;
        if (!readOptionalString(stop["accountSid"], accountSid) || !readOptionalString(stop["callSid"], callSid))
            return fail(out, "stop: \"stop.accountSid\"/\"stop.callSid\" must be strings");
        out.stop.accountSid.assign(accountSid);
        out.stop.callSid.assign(callSid);
        return true;
    }
    default:
        return true;
    }
}

bool MediaStreamCodec::decodeMedia(const JsonValue& root, MediaStreamMessage& out)
{
    const JsonValue& media = root["media"];
    if (!media.isObject())
        return fail(out, "media: missing \"media\" object");
    const JsonValue& payload = media["payload"];
    if (!payload.isString())
        return fail(out, payload.exists() ? "media: \"media.payload\" is not a string" : "media: missing \"media.payload\"");
    out.media.payload = payload.asString();
    if (!readOptionalString(media["track"], out.media.track))
        return fail(out, "media: \"media.track\" is not a string");
    if (!readCounter(media["chunk"], out.media.chunk))
        return fail(out, "media: \"media.chunk\" is not a non-negative integer");
    if (!readCounter(media["timestamp"], out.media.timestamp))
        return fail(out, "media: \"media.timestamp\" is not a non-negative integer");
    return true;
}

bool MediaStreamCodec::decodeStart(const JsonValue& root, MediaStreamMessage& out)
{
    const JsonValue& start = root["start"];
    if (!start.isObject())
        return fail(out, "start: missing \"start\" object");
    std::string_view innerStreamSid;
    if (!readOptionalString(start["streamSid"], innerStreamSid))
        return fail(out, "start: \"start.streamSid\" is not a string");
    if (out.streamSid.empty())
        out.streamSid = innerStreamSid;
    else if (!innerStreamSid.empty() && innerStreamSid != out.streamSid)
        return fail(out, "start: \"streamSid\" and \"start.streamSid\" differ");
    if (out.streamSid.empty())
        return fail(out, "start: missing \"streamSid\"");

    const JsonValue& callSid = start["callSid"];
    const JsonValue& accountSid = start["accountSid"];
    if (!callSid.isString() || callSid.asString().empty())
        return fail(out, "start: missing \"start.callSid\"");
    if (!accountSid.isString() || accountSid.asString().empty())
        return fail(out, "start: missing \"start.accountSid\"");
    out.start.callSid.assign(callSid.asString());
    out.start.accountSid.assign(accountSid.asString());
    out.start.streamSid.assign(out.streamSid);

    const JsonValue& tracks = start["tracks"];
    if (tracks.exists())
    {
        if (!tracks.isArray())
            return fail(out, "start: \"start.tracks\" is not an array");
        for (const JsonValue& track : tracks)
        {
            if (!track.isString())
                return fail(out, "start: \"start.tracks\" holds a non-string");
            out.start.tracks.emplace_back(track.asString());
        }
    }

    const JsonValue& parameters = start["customParameters"];
    if (parameters.exists())
    {
        if (!parameters.isObject())
            return fail(out, "start: \"start.customParameters\" is not an object");
        for (const JsonValue& parameter : parameters)
        {
            if (!parameter.isString())
                return fail(out, "start: \"start.customParameters\" holds a non-string value");
            out.start.customParameters.emplace_back(std::string(parameter.key()), std::string(parameter.asString()));
        }
    }

    const JsonValue& format = start["mediaFormat"];
    if (format.exists())
    {
        if (!format.isObject())
            return fail(out, "start: \"start.mediaFormat\" is not an object");
        std::string_view encoding;
        if (!readOptionalString(format["encoding"], encoding))
            return fail(out, "start: \"mediaFormat.encoding\" is not a string");
        out.start.mediaFormat.encoding.assign(encoding);
        const JsonValue& rate = format["sampleRate"];
        const JsonValue& channels = format["channels"];
        if ((rate.exists() && !rate.isInteger()) || (channels.exists() && !channels.isInteger()))
            return fail(out, "start: \"mediaFormat.sampleRate\"/\"channels\" must be integers");
        out.start.mediaFormat.sampleRate = rate.asInt64();
        out.start.mediaFormat.channels = channels.asInt64();
    }
    return true;
}

void MediaStreamCodec::encodeMedia(std::string& out, std::string_view streamSid, std::string_view base64Payload)
{
    out.clear();
    JsonWriter writer(out);
    writer.beginObject().key("event").value("media").key("streamSid").value(streamSid);
    writer.key("media").beginObject().key("payload").value(base64Payload).endObject();
    writer.endObject();
}

void MediaStreamCodec::encodeMark(std::string& out, std::string_view streamSid, std::string_view name)
{
    out.clear();
    JsonWriter writer(out);
    writer.beginObject().key("event").value("mark").key("streamSid").value(streamSid);
    writer.key("mark").beginObject().key("name").value(name).endObject();
    writer.endObject();
}

void MediaStreamCodec::encodeClear(std::string& out, std::string_view streamSid)
{
    out.clear();
    JsonWriter writer(out);
    writer.beginObject().key("event").value("clear").key("streamSid").value(streamSid).endObject();
}

std::size_t MediaStreamCodec::decodedSize(std::string_view base64) noexcept
{
    std::size_t padding = 0;
    while (padding < 2 && padding < base64.size() && base64[base64.size() - 1 - padding] == '=')
        ++padding;
    return (base64.size() - padding) * 3 / 4;
}

bool MediaStreamCodec::isDtmfDigit(std::string_view digit) noexcept
{
    if (digit.size() != 1)
        return false;
    const char c = digit[0];
    return (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D');
}

std::string_view MediaStreamCodec::encodeMedia(std::string_view streamSid, std::string_view base64Payload)
{
    encodeMedia(_output, streamSid, base64Payload);
    return _output;
}

std::string_view MediaStreamCodec::encodeMark(std::string_view streamSid, std::string_view name)
{
    encodeMark(_output, streamSid, name);
    return _output;
}

std::string_view MediaStreamCodec::encodeClear(std::string_view streamSid)
{
    encodeClear(_output, streamSid);
    return _output;
}

} // namespace patchbay::twilio
