// PostCallPayload.cpp: builds the mock agent's post_call_transcription body (elevenlabs.md §8.2).
#include "PostCallPayload.h"

namespace patchbay {
namespace mockagent {

using sdk::support::JsonDocument;
using sdk::support::JsonValue;
using sdk::support::JsonWriter;

void PostCallPayload::writeValue(JsonWriter& w, const JsonValue& value)
{
    if (value.isObject())
    {
        w.beginObject();
        for (const JsonValue& member : value)
        {
            w.key(member.key());
            writeValue(w, member);
        }
        w.endObject();
    }
    else if (value.isArray())
    {
        w.beginArray();
        for (const JsonValue& item : value)
            writeValue(w, item);
        w.endArray();
    }
    else if (value.isString())
        w.value(value.asString());
    else if (value.isNumber())
        w.raw(value.numberText());
    else if (value.isBool())
        w.value(value.asBool());
    else
        w.null();
}

std::string PostCallPayload::build(const PostCallRecord& record, std::int64_t eventTimestamp)
{
    JsonDocument init;
    const bool haveInit = !record.initiationJson.empty() && init.parse(record.initiationJson) && init.root().isObject();
    std::string out;
    JsonWriter w(out);
    w.beginObject().key("type").value("post_call_transcription").key("event_timestamp").value(eventTimestamp);
    w.key("data").beginObject();
    w.key("agent_id").value(record.agentId);
    w.key("conversation_id").value(record.conversationId);
    w.key("status").value("done");
    w.key("user_id");
    if (haveInit && init.root()["user_id"].isString())
        w.value(init.root()["user_id"].asString());
    else
        w.null();

    w.key("transcript").beginArray();
    for (const TranscriptTurn& turn : record.turns)
    {
        w.beginObject().key("role").value(turn.role).key("message").value(turn.message);
        w.key("tool_calls").beginArray();
        if (!turn.toolCallName.empty())
        {
            w.beginObject()
                .key("type")
                .value("client")
                .key("tool_name")
                .value(turn.toolCallName)
                .key("request_id")
                .value(turn.toolCallId)
                .key("params_as_json")
                .value(turn.toolParametersJson)
                .endObject();
        }
        w.endArray();
        w.key("tool_results").beginArray().endArray();
        w.key("feedback").null();
        w.key("time_in_call_secs").value(static_cast<std::int64_t>(turn.timeInCallSecs));
        w.key("conversation_turn_metrics").null();
        w.endObject();
    }
    w.endArray();

    w.key("metadata").beginObject();
    w.key("start_time_unix_secs").value(record.startUnixSecs);
    w.key("call_duration_secs").value(static_cast<std::int64_t>(record.durationSecs + 0.5));
    w.key("cost").value(static_cast<std::int64_t>(0));
    w.key("termination_reason").value(record.terminationReason);
    w.key("authorization_method").value("signed_url");
    w.key("agent_output_audio_format").value(record.outputFormat); // not in the real payload; handy in tests
    w.key("user_input_audio_format").value(record.inputFormat);
    w.key("phone_call").null(); // only ElevenLabs-native telephony fills it
    w.endObject();

    w.key("analysis")
        .beginObject()
        .key("evaluation_criteria_results")
        .beginObject()
        .endObject()
        .key("data_collection_results")
        .beginObject()
        .endObject()
        .key("call_successful")
        .value("success")
        .key("transcript_summary")
        .value("Mock conversation of " + std::to_string(record.turns.size()) + " turns.")
        .endObject();

    // Echoes what the gateway sent, which is how it correlates the webhook with its call (§8.2).
    w.key("conversation_initiation_client_data").beginObject();
    for (const char* name : {"conversation_config_override", "custom_llm_extra_body", "dynamic_variables"})
    {
        w.key(name);
        if (haveInit && init.root()[name].exists())
            writeValue(w, init.root()[name]);
        else
            w.beginObject().endObject();
    }
    w.endObject();
    w.key("has_audio").value(false).key("has_user_audio").value(false).key("has_response_audio").value(false);
    w.endObject().endObject();
    return out;
}

} // namespace mockagent
} // namespace patchbay
