// PostCallEvent.cpp: tolerant decoding of post_call_transcription, post_call_audio and call_initiation_failure payloads.
#include "protocol/PostCallEvent.h"

#include <cmath>

#include "patchbay/sdk/support/JsonDocument.h"

namespace patchbay::elevenlabs {

namespace {

using sdk::support::JsonValue;

constexpr std::size_t kMaxFieldBytes = 256;       ///< ids and reasons: anything longer is not genuine
constexpr std::size_t kMaxTranscriptEntries = 5000; ///< a 2-hour call has a few hundred turns

/// A bounded copy of a string member (empty when absent or not a string).
std::string text(const JsonValue& value, std::size_t limit = kMaxFieldBytes)
{
    const std::string_view s = value.asString();
    return std::string(s.substr(0, limit));
}

std::int64_t integer(const JsonValue& value, std::int64_t fallback)
{
    return value.isNumber() ? value.asInt64(static_cast<std::int64_t>(value.asDouble())) : fallback;
}

/// Bytes a base64 text decodes to (padding and line breaks excluded), without decoding it.
std::uint64_t base64DecodedSize(std::string_view b64)
{
    std::uint64_t symbols = 0;
    for (char c : b64)
    {
        if (c == '=' || c == '\n' || c == '\r')
            continue;
        ++symbols;
    }
    return symbols * 3 / 4;
}

std::string callSidOf(const JsonValue& data)
{
    const JsonValue& vars = data["conversation_initiation_client_data"]["dynamic_variables"];
    for (const char* name : {"call_sid", "twilio_call_sid"})
    {
        std::string sid = text(vars[name]);
        if (!sid.empty())
            return sid;
    }
    std::string sid = text(data["metadata"]["phone_call"]["call_sid"]);
    if (sid.empty())
        sid = text(data["metadata"]["call_sid"]);
    return sid;
}

} // namespace

bool PostCallEvent::parse(std::string_view body, PostCallEvent& out, std::string* error)
{
    sdk::support::JsonDocument document;
    std::string parseError;
    if (!document.parse(body, &parseError))
    {
        if (error)
            *error = "not JSON: " + parseError;
        return false;
    }
    const JsonValue& root = document.root();
    const JsonValue& data = root["data"];
    if (!root.isObject() || !root["type"].isString() || !data.isObject())
    {
        if (error)
            *error = "not a webhook envelope ({\"type\":\"…\",\"data\":{…}})";
        return false;
    }

    PostCallEvent event;
    event.typeName = text(root["type"], 64);
    if (event.typeName == "post_call_transcription")
        event.type = Type::Transcription;
    else if (event.typeName == "post_call_audio")
        event.type = Type::Audio;
    else if (event.typeName == "call_initiation_failure")
        event.type = Type::InitiationFailure;
    event.conversationId = text(data["conversation_id"]);
    event.agentId = text(data["agent_id"]);
    event.callSid = callSidOf(data);
    event.status = text(data["status"], 64);
    const JsonValue& metadata = data["metadata"];
    event.terminationReason = text(metadata["termination_reason"]);
    event.durationSeconds = integer(metadata["call_duration_secs"], -1);
    event.startUnixSeconds = integer(metadata["start_time_unix_secs"], 0);

    for (const JsonValue& turn : data["transcript"])
    {
        if (event.transcript.size() >= kMaxTranscriptEntries)
            break;
        const std::string_view role = turn["role"].asString();
        const std::string_view message = turn["message"].asString();
        // Tool-call-only turns have a null message: nothing a person said, so nothing to keep.
        if ((role != "agent" && role != "user") || message.empty())
            continue;
        sdk::TranscriptEntry entry;
        entry.role = std::string(role);
        entry.text = std::string(message);
        const double seconds = turn["time_in_call_secs"].asDouble(0.0);
        entry.atMs = std::isfinite(seconds) && seconds > 0 ? static_cast<std::int64_t>(seconds * 1000.0) : 0;
        event.transcript.push_back(std::move(entry));
    }

    for (const char* name : {"failure_reason", "reason", "error"})
    {
        event.failureReason = text(data[name]);
        if (!event.failureReason.empty())
            break;
    }
    event.audioBytes = base64DecodedSize(data["full_audio"].asString());
    out = std::move(event);
    return true;
}

} // namespace patchbay::elevenlabs
