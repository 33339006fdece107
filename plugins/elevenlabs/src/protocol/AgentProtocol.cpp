// AgentProtocol.cpp: encoding of the client messages and tolerant decoding of every server message type.
#include "protocol/AgentProtocol.h"

#include <exception>

#include "patchbay/sdk/support/JsonWriter.h"

namespace patchbay::elevenlabs {

using sdk::support::JsonValue;
using sdk::support::JsonWriter;

namespace {

struct TypeEntry
{
    ServerMessageType type;
    const char* name;
};

// Index == enum value; checked by the protocol tests.
constexpr TypeEntry kTypes[] = {
    {ServerMessageType::ConversationInitiationMetadata, "conversation_initiation_metadata"},
    {ServerMessageType::Audio, "audio"},
    {ServerMessageType::AgentResponse, "agent_response"},
    {ServerMessageType::AgentResponseCorrection, "agent_response_correction"},
    {ServerMessageType::AgentChatResponsePart, "agent_chat_response_part"},
    {ServerMessageType::AgentReasoningResponsePart, "agent_reasoning_response_part"},
    {ServerMessageType::UserTranscript, "user_transcript"},
    {ServerMessageType::TentativeUserTranscript, "tentative_user_transcript"},
    {ServerMessageType::Interruption, "interruption"},
    {ServerMessageType::Ping, "ping"},
    {ServerMessageType::ClientToolCall, "client_tool_call"},
    {ServerMessageType::AgentToolRequest, "agent_tool_request"},
    {ServerMessageType::AgentToolResponse, "agent_tool_response"},
    {ServerMessageType::AgentToolResponseFullPayload, "agent_tool_response_full_payload"},
    {ServerMessageType::McpToolCall, "mcp_tool_call"},
    {ServerMessageType::McpConnectionStatus, "mcp_connection_status"},
    {ServerMessageType::VadScore, "vad_score"},
    {ServerMessageType::InternalTentativeAgentResponse, "internal_tentative_agent_response"},
    {ServerMessageType::InternalTurnProbability, "internal_turn_probability"},
    {ServerMessageType::ContextUsage, "context_usage"},
    {ServerMessageType::AsrInitiationMetadata, "asr_initiation_metadata"},
    {ServerMessageType::GuardrailTriggered, "guardrail_triggered"},
    {ServerMessageType::RichContent, "rich_content"},
    {ServerMessageType::AgentTyping, "agent_typing"},
    {ServerMessageType::ExternalAgentConnected, "external_agent_connected"},
    {ServerMessageType::ExternalAgentDisconnected, "external_agent_disconnected"},
    {ServerMessageType::Error, "error"},
};
static_assert(sizeof(kTypes) / sizeof(kTypes[0]) + 1 == kServerMessageTypeCount, "kTypes must list every known type");

using Result = AgentProtocol::DecodeResult;

Result malformed(std::string* error, const char* why)
{
    if (error)
        *error = why;
    return Result::Malformed;
}

// Fetches the type-specific wrapper object ("audio_event", ...); null when absent or not an object.
const JsonValue* wrapper(const JsonValue& root, std::string_view key) noexcept
{
    const JsonValue* w = root.find(key);
    return (w && w->isObject()) ? w : nullptr;
}

// event_id is an integer in every contract schema except the experimental reasoning part
// (a string there); anything that is not a non-negative integer counts as absent.
bool readEventId(const JsonValue& event, ServerMessage& out) noexcept
{
    const JsonValue& id = event["event_id"];
    if (!id.isInteger() || id.asInt64() < 0)
        return false;
    out.eventId = id.asInt64();
    out.hasEventId = true;
    return true;
}

bool readString(const JsonValue& object, std::string_view key, std::string_view& out) noexcept
{
    const JsonValue& v = object[key];
    if (!v.isString())
        return false;
    out = v.asString();
    return true;
}

void readTool(const JsonValue& event, ServerMessage& out) noexcept
{
    readString(event, "tool_name", out.tool.name);
    readString(event, "tool_call_id", out.tool.callId);
    readString(event, "tool_type", out.tool.toolType);
    out.tool.isError = event["is_error"].asBool(false);
    readEventId(event, out);
}

} // namespace

const char* serverMessageTypeName(ServerMessageType type) noexcept
{
    const auto index = static_cast<std::size_t>(type);
    return index < sizeof(kTypes) / sizeof(kTypes[0]) ? kTypes[index].name : "unknown";
}

ServerMessageType serverMessageTypeFromName(std::string_view name) noexcept
{
    for (const TypeEntry& entry : kTypes)
    {
        if (name == entry.name)
            return entry.type;
    }
    return ServerMessageType::Unknown;
}

void AgentProtocol::encodeInitiation(const InitiationData& data, std::string& out)
{
    JsonWriter w(out);
    w.beginObject().key("type").value("conversation_initiation_client_data");
    if (!data.firstMessage.empty() || !data.prompt.empty() || !data.language.empty())
    {
        w.key("conversation_config_override").beginObject().key("agent").beginObject();
        if (!data.firstMessage.empty())
            w.key("first_message").value(data.firstMessage);
        if (!data.prompt.empty())
            w.key("prompt").beginObject().key("prompt").value(data.prompt).endObject();
        if (!data.language.empty())
            w.key("language").value(data.language);
        w.endObject().endObject();
    }
    w.key("dynamic_variables").beginObject();
    for (const auto& [name, value] : data.dynamicVariables)
        w.key(name).value(value);
    w.endObject();
    w.endObject();
}

void AgentProtocol::encodeUserAudio(std::string_view base64, std::string& out)
{
    out += "{\"user_audio_chunk\":\"";
    JsonWriter::appendEscaped(out, base64);
    out += "\"}";
}

void AgentProtocol::encodePong(std::int64_t eventId, std::string& out)
{
    JsonWriter(out).beginObject().key("type").value("pong").key("event_id").value(eventId).endObject();
}

void AgentProtocol::encodeContextualUpdate(std::string_view text, std::string& out)
{
    JsonWriter(out).beginObject().key("type").value("contextual_update").key("text").value(text).endObject();
}

void AgentProtocol::encodeToolResult(std::string_view toolCallId, std::string_view result, bool isError, std::string& out)
{
    JsonWriter(out)
        .beginObject()
        .key("type")
        .value("client_tool_result")
        .key("tool_call_id")
        .value(toolCallId)
        .key("result")
        .value(result)
        .key("is_error")
        .value(isError)
        .endObject();
}

std::string AgentProtocol::dtmfText(char digit)
{
    std::string text = "The caller pressed ";
    text += digit;
    text += " on the keypad.";
    return text;
}

AgentProtocol::DecodeResult AgentProtocol::decode(std::string_view text, ServerMessage& out, std::string* error) noexcept
{
    out = ServerMessage{};
    try
    {
        if (!_document.parse(text, error))
            return Result::Malformed;
    }
    catch (const std::exception&)
    {
        // Only allocation can throw here; treat the frame as unreadable rather than crash the loop.
        return malformed(error, "out of memory while parsing");
    }
    const JsonValue& root = _document.root();
    if (!root.isObject())
        return malformed(error, "message is not a JSON object");
    const JsonValue& typeField = root["type"];
    if (!typeField.isString())
        return malformed(error, "message has no string \"type\"");
    out.typeName = typeField.asString();
    out.type = serverMessageTypeFromName(out.typeName);

    switch (out.type)
    {
    case ServerMessageType::ConversationInitiationMetadata: {
        const JsonValue* e = wrapper(root, "conversation_initiation_metadata_event");
        if (!e)
            return malformed(error, "conversation_initiation_metadata without its event object");
        if (!readString(*e, "conversation_id", out.metadata.conversationId)
            || !readString(*e, "agent_output_audio_format", out.metadata.agentOutputAudioFormat)
            || !readString(*e, "user_input_audio_format", out.metadata.userInputAudioFormat))
            return malformed(error, "conversation_initiation_metadata lacks conversation_id or an audio format");
        return Result::Ok;
    }
    case ServerMessageType::Audio: {
        const JsonValue* e = wrapper(root, "audio_event");
        if (!e || !readString(*e, "audio_base_64", out.audioBase64) || !readEventId(*e, out))
            return malformed(error, "audio without audio_event.audio_base_64 and an integer event_id");
        return Result::Ok;
    }
    case ServerMessageType::Interruption: {
        const JsonValue* e = wrapper(root, "interruption_event");
        if (!e || !readEventId(*e, out))
            return malformed(error, "interruption without an integer interruption_event.event_id");
        return Result::Ok;
    }
    case ServerMessageType::Ping: {
        const JsonValue* e = wrapper(root, "ping_event");
        if (!e || !readEventId(*e, out))
            return malformed(error, "ping without an integer ping_event.event_id");
        const JsonValue& ms = (*e)["ping_ms"];
        if (ms.isNumber())
        {
            out.pingMs = ms.asInt64();
            out.hasPingMs = true;
        }
        return Result::Ok;
    }
    case ServerMessageType::Error: {
        // Tolerant on purpose: whatever the error event holds, the session must still end.
        if (const JsonValue* e = wrapper(root, "error_event"))
        {
            out.error.code = (*e)["code"].asInt64(0);
            readString(*e, "message", out.error.message);
            readString(*e, "error_type", out.error.errorType);
            readString(*e, "reason", out.error.reason);
        }
        return Result::Ok;
    }
    // The rest are informational for this gateway: take what is there, never reject.
    case ServerMessageType::AgentResponse:
        if (const JsonValue* e = wrapper(root, "agent_response_event"))
        {
            readString(*e, "agent_response", out.text);
            readEventId(*e, out);
        }
        return Result::Ok;
    case ServerMessageType::UserTranscript:
    case ServerMessageType::TentativeUserTranscript:
        if (const JsonValue* e = wrapper(root, out.type == ServerMessageType::UserTranscript
                                                   ? "user_transcription_event"
                                                   : "tentative_user_transcription_event"))
        {
            readString(*e, "user_transcript", out.text);
            readEventId(*e, out);
        }
        return Result::Ok;
    case ServerMessageType::AgentResponseCorrection:
        if (const JsonValue* e = wrapper(root, "agent_response_correction_event"))
        {
            readString(*e, "original_agent_response", out.correction.original);
            readString(*e, "corrected_agent_response", out.correction.corrected);
            readEventId(*e, out);
        }
        return Result::Ok;
    case ServerMessageType::AgentChatResponsePart:
    case ServerMessageType::AgentReasoningResponsePart:
        if (const JsonValue* e = wrapper(root, out.type == ServerMessageType::AgentChatResponsePart
                                                   ? "text_response_part"
                                                   : "reasoning_response_part"))
        {
            readString(*e, "text", out.text);
            readEventId(*e, out);
        }
        return Result::Ok;
    case ServerMessageType::ClientToolCall:
        if (const JsonValue* e = wrapper(root, "client_tool_call"))
        {
            readTool(*e, out);
            const JsonValue* parameters = e->find("parameters");
            if (parameters && parameters->isObject())
                out.tool.parameters = parameters;
        }
        return Result::Ok;
    case ServerMessageType::AgentToolRequest:
        if (const JsonValue* e = wrapper(root, "agent_tool_request"))
            readTool(*e, out);
        return Result::Ok;
    case ServerMessageType::AgentToolResponse:
        if (const JsonValue* e = wrapper(root, "agent_tool_response"))
            readTool(*e, out);
        return Result::Ok;
    case ServerMessageType::AgentToolResponseFullPayload:
        if (const JsonValue* e = wrapper(root, "agent_tool_response_full_payload"))
            readTool(*e, out);
        return Result::Ok;
    case ServerMessageType::VadScore:
        if (const JsonValue* e = wrapper(root, "vad_score_event"))
            out.score = (*e)["vad_score"].asDouble(0.0);
        return Result::Ok;
    case ServerMessageType::InternalTurnProbability:
        if (const JsonValue* e = wrapper(root, "turn_probability_internal_event"))
            out.score = (*e)["turn_probability"].asDouble(0.0);
        return Result::Ok;
    case ServerMessageType::InternalTentativeAgentResponse:
        if (const JsonValue* e = wrapper(root, "tentative_agent_response_internal_event"))
            readString(*e, "tentative_agent_response", out.text);
        return Result::Ok;
    case ServerMessageType::ContextUsage:
        if (const JsonValue* e = wrapper(root, "context_usage_event"))
            readEventId(*e, out);
        return Result::Ok;
    case ServerMessageType::RichContent:
        if (const JsonValue* e = wrapper(root, "rich_content"))
            readEventId(*e, out);
        return Result::Ok;
    case ServerMessageType::McpToolCall:
    case ServerMessageType::McpConnectionStatus:
    case ServerMessageType::AsrInitiationMetadata:
    case ServerMessageType::GuardrailTriggered:
    case ServerMessageType::AgentTyping:
    case ServerMessageType::ExternalAgentConnected:
    case ServerMessageType::ExternalAgentDisconnected:
    case ServerMessageType::Unknown:
        return Result::Ok;
    }
    return Result::Ok;
}

} // namespace patchbay::elevenlabs
