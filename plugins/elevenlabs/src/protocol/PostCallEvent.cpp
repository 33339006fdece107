// PostCallEvent.cpp: tolerant, bounded decoding of post_call_transcription (with its analysis), post_call_audio and call_initiation_failure payloads.
#include "protocol/PostCallEvent.h"

#include <cmath>
#include <utility>

#include "patchbay/sdk/support/JsonDocument.h"
#include "patchbay/sdk/support/JsonWriter.h"

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

/// A bounded copy of a string that may be long (a summary), cut on a UTF-8 character boundary.
std::string longText(const JsonValue& value, std::size_t limit)
{
    const std::string_view s = value.asString();
    if (s.size() <= limit)
        return std::string(s);
    std::size_t end = limit;
    // The parser only admits well-formed UTF-8, so backing off continuation bytes finds a boundary.
    while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80)
        --end;
    return std::string(s.substr(0, end));
}

/// Writes `value` back out as JSON. Numbers keep their text as sent (no double round trip), and
/// the parser's depth limit bounds the recursion.
void writeJson(sdk::support::JsonWriter& w, const JsonValue& value)
{
    switch (value.type())
    {
    case JsonValue::Type::Object:
        w.beginObject();
        for (const JsonValue& member : value)
        {
            w.key(member.key());
            writeJson(w, member);
        }
        w.endObject();
        break;
    case JsonValue::Type::Array:
        w.beginArray();
        for (const JsonValue& item : value)
            writeJson(w, item);
        w.endArray();
        break;
    case JsonValue::Type::String: w.value(value.asString()); break;
    case JsonValue::Type::Number: w.raw(value.numberText()); break;
    case JsonValue::Type::Bool: w.value(value.asBool()); break;
    default: w.null(); break;
    }
}

std::string jsonText(const JsonValue& value)
{
    std::string out;
    sdk::support::JsonWriter w(out);
    writeJson(w, value);
    return out;
}

/// {"dataCollection":…,"evaluation":…} from data.analysis, within kMaxAnalysisJsonBytes. Per-entry
/// (one data-collection field, one criterion) so an oversized analysis keeps what fits rather than
/// nothing; entries are never cut in half, so the text stays valid JSON.
std::string analysisJsonOf(const JsonValue& analysis)
{
    constexpr std::size_t kCap = sdk::AgentCallReport::kMaxAnalysisJsonBytes;
    constexpr std::size_t kReserve = 32; // room for the closing braces and ,"truncated":true
    std::string out = "{";
    bool truncated = false;
    bool any = false;
    for (const auto& [name, field] : {std::pair<const char*, const char*>{"dataCollection", "data_collection_results"},
                                      std::pair<const char*, const char*>{"evaluation", "evaluation_criteria_results"}})
    {
        const JsonValue& part = analysis[field];
        if (!part.exists() || part.isNull())
            continue;
        std::string prefix = any ? "," : "";
        sdk::support::JsonWriter::appendQuoted(prefix, name);
        prefix += ':';
        if (!part.isObject())
        {
            // Not the documented map (a future list form, say): kept whole or not at all.
            const std::string whole = jsonText(part);
            if (out.size() + prefix.size() + whole.size() + kReserve > kCap)
            {
                truncated = true;
                continue;
            }
            out += prefix + whole;
            any = true;
            continue;
        }
        if (out.size() + prefix.size() + 2 + kReserve > kCap)
        {
            truncated = true;
            continue;
        }
        out += prefix + "{";
        any = true;
        bool first = true;
        for (const JsonValue& entry : part)
        {
            std::string text;
            sdk::support::JsonWriter::appendQuoted(text, entry.key());
            text += ':';
            text += jsonText(entry);
            if (out.size() + (first ? 0 : 1) + text.size() + 1 + kReserve > kCap)
            {
                truncated = true;
                continue;
            }
            out += first ? "" : ",";
            out += text;
            first = false;
        }
        out += "}";
    }
    if (!any && !truncated)
        return {};
    if (truncated)
        out += any ? ",\"truncated\":true" : "\"truncated\":true";
    out += "}";
    return out;
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
    event.cost = integer(metadata["cost"], -1);
    if (event.cost < 0)
        event.cost = -1;
    const JsonValue& analysis = data["analysis"];
    const std::string_view verdict = analysis["call_successful"].asString();
    if (verdict == "success" || verdict == "failure" || verdict == "unknown")
        event.callSuccessful = std::string(verdict);
    event.summary = longText(analysis["transcript_summary"], kMaxSummaryBytes);
    event.analysisJson = analysisJsonOf(analysis);

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

sdk::AgentCallReport PostCallEvent::agentReport(std::int64_t nowMs) const
{
    sdk::AgentCallReport report;
    report.conversationId = conversationId;
    report.status = status;
    report.terminationReason = terminationReason;
    report.durationSeconds = durationSeconds;
    report.cost = cost;
    report.callSuccessful = callSuccessful;
    report.summary = summary;
    report.analysisJson = analysisJson;
    report.receivedAtMs = nowMs;
    return report;
}

} // namespace patchbay::elevenlabs
