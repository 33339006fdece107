// PostCallPayload.h: what a mock conversation remembers for its post_call_transcription webhook, and its JSON.
#pragma once

#include <patchbay/sdk/support/Json.h>

#include <cstdint>
#include <string>
#include <vector>

namespace patchbay {
namespace mockagent {

/// One transcript turn as the real webhook reports it (elevenlabs.md §8.2).
struct TranscriptTurn
{
    std::string role; ///< "user" or "agent"
    std::string message;
    double timeInCallSecs = 0.0;
    std::string toolCallName; ///< a client_tool_call this agent turn made (empty: none)
    std::string toolCallId;
    std::string toolParametersJson;
};

struct PostCallRecord
{
    std::string agentId;
    std::string conversationId;
    std::int64_t startUnixSecs = 0;
    double durationSecs = 0.0;
    std::vector<TranscriptTurn> turns;
    std::string initiationJson; ///< the conversation_initiation_client_data received (empty: none)
    std::string terminationReason;
    std::string outputFormat;
    std::string inputFormat;
};

class PostCallPayload
{
public:
    /// {"type":"post_call_transcription","event_timestamp":…,"data":{…}} with the fields of §8.2 the
    /// gateway may read: agent_id, conversation_id, status, user_id, transcript, metadata, analysis,
    /// conversation_initiation_client_data {conversation_config_override, custom_llm_extra_body,
    /// dynamic_variables} echoed from what the gateway sent, has_audio flags.
    static std::string build(const PostCallRecord& record, std::int64_t eventTimestamp);

    /// Writes a parsed JSON value back out (object members in document order).
    static void writeValue(sdk::support::JsonWriter& w, const sdk::support::JsonValue& value);
};

} // namespace mockagent
} // namespace patchbay
