// ServerMessage.h: one decoded ElevenLabs agent → gateway WebSocket message, as a tagged struct of borrowed views.
#ifndef PATCHBAY_ELEVENLABS_SERVER_MESSAGE_H
#define PATCHBAY_ELEVENLABS_SERVER_MESSAGE_H

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "patchbay/sdk/support/JsonValue.h"

namespace patchbay::elevenlabs {

/// Every server message type of elevenlabs.md §4 / the AsyncAPI contract, plus Unknown.
/// The order is used as an index (metrics by type), so only append before Unknown.
enum class ServerMessageType : std::uint8_t
{
    ConversationInitiationMetadata,
    Audio,
    AgentResponse,
    AgentResponseCorrection,
    AgentChatResponsePart,
    AgentReasoningResponsePart,
    UserTranscript,
    TentativeUserTranscript,
    Interruption,
    Ping,
    ClientToolCall,
    AgentToolRequest,
    AgentToolResponse,
    AgentToolResponseFullPayload,
    McpToolCall,
    McpConnectionStatus,
    VadScore,
    InternalTentativeAgentResponse,
    InternalTurnProbability,
    ContextUsage,
    AsrInitiationMetadata,
    GuardrailTriggered,
    RichContent,
    AgentTyping,
    ExternalAgentConnected,
    ExternalAgentDisconnected,
    Error,
    Unknown, ///< a type this build does not know; ignored (new types appear without notice)
};

constexpr std::size_t kServerMessageTypeCount = static_cast<std::size_t>(ServerMessageType::Unknown) + 1;

/// The wire name ("conversation_initiation_metadata"), or "unknown" for Unknown.
const char* serverMessageTypeName(ServerMessageType type) noexcept;

/// Maps a wire name to its type; Unknown for anything unrecognised.
ServerMessageType serverMessageTypeFromName(std::string_view name) noexcept;

/// A decoded server message. Only the fields of `type` are meaningful; the rest keep defaults.
///
/// OWNERSHIP: every view (and `toolParameters`) points into the text given to
/// AgentProtocol::decode() or into that decoder's document; both must outlive the use, and the
/// next decode() invalidates them. Copy what must be kept.
struct ServerMessage
{
    ServerMessageType type = ServerMessageType::Unknown;
    std::string_view typeName; ///< the "type" field as received (also set for Unknown)

    /// Event ordering id; hasEventId is false when the message carries none.
    std::int64_t eventId = 0;
    bool hasEventId = false;

    struct Metadata
    {
        std::string_view conversationId;
        std::string_view agentOutputAudioFormat;
        std::string_view userInputAudioFormat;
    } metadata;

    /// audio: the base64 text exactly as received, never decoded (it passes through to the caller).
    std::string_view audioBase64;

    /// ping: estimated round trip from the previous ping/pong; null on the first ping.
    std::int64_t pingMs = 0;
    bool hasPingMs = false;

    /// agent_response, user_transcript, tentative_user_transcript, agent_chat_response_part,
    /// agent_reasoning_response_part, internal_tentative_agent_response: the text.
    std::string_view text;

    struct Correction
    {
        std::string_view original;
        std::string_view corrected;
    } correction;

    /// client_tool_call, agent_tool_request, agent_tool_response(_full_payload).
    struct Tool
    {
        std::string_view name;
        std::string_view callId;
        std::string_view toolType;
        bool isError = false;
        const sdk::support::JsonValue* parameters = nullptr; ///< client_tool_call only; may be null
    } tool;

    /// vad_score (vad_score) and internal_turn_probability (turn_probability), 0..1.
    double score = 0.0;

    struct ErrorInfo
    {
        std::int64_t code = 0; ///< close code the server is about to use (1000/1002/1008/1011); 0 if absent
        std::string_view message;
        std::string_view errorType;
        std::string_view reason;
    } error;
};

} // namespace patchbay::elevenlabs

#endif
