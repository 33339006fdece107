// AgentConversation.h: one mock ElevenLabs conversation — the WebSocket listener of a single agent socket.
#pragma once

#include "AudioProbe.h"
#include "MockAgentOptions.h"
#include "MockAgentStats.h"
#include "PostCallPayload.h"

#include <patchbay/audio/AudioConverter.h>
#include <patchbay/media/EventLoop.h>
#include <patchbay/media/WebSocketConnection.h>
#include <patchbay/media/WebSocketListener.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace patchbay {
namespace mockagent {

class WebhookSender;

/// Everything a conversation needs that is the same for all of them (built once at startup).
struct ConversationContext
{
    const MockAgentOptions& options;
    MockAgentStats& stats;
    std::vector<std::string> greetingChunks; ///< base64 in the output format, 100 ms each
    WebhookSender& webhooks;
    sdk::MediaFormat inputFormat;
    sdk::MediaFormat outputFormat;
};

/// Lives as the connection's listener (the connection owns it), on one loop thread; state is
/// small and fixed so a thousand of them cost little. Parsing and writing use per-thread buffers.
/// The scripted extras (tool calls, transcripts, errors, VAD/internal events, abrupt closes, the
/// post-call record) are in AgentConversationScript.cpp.
class AgentConversation: public media::WebSocketListener
{
public:
    AgentConversation(const ConversationContext& context, std::string agentId);

    void onOpen(media::WebSocketConnection& connection) override;
    void onText(media::WebSocketConnection& connection, std::string_view text) override;
    void onBinary(media::WebSocketConnection& connection, std::string_view data) override;
    void onClose(media::WebSocketConnection& connection, std::uint16_t code, std::string_view reason) override;

private:
    using Clock = std::chrono::steady_clock;

    void handleFirst(bool wasInit);
    void start();
    void sendMetadata();
    void sendGreeting();
    void handleAudio(std::string_view base64);
    void echo(std::string_view base64);
    void sendAudio(std::string_view base64, std::int64_t eventId);
    void sendInterruption();
    void sendPing();
    void handlePong(std::int64_t eventId);
    void send(const std::string& text);
    void cancelTimers();
    void goSilent();

    // AgentConversationScript.cpp
    void startScript();
    void sendToolCall(const ToolCallSpec& spec);
    void handleToolResult(const sdk::support::JsonValue& root);
    void noteCallerAudio(std::uint64_t samples);
    void sendUserTranscript();
    void sendAgentResponse(std::int64_t eventId);
    void sendCorrection();
    void sendPeriodicEvents();
    void sendError();
    void closeByUs();
    void dropTcp();
    void addTurn(const char* role, std::string message);
    void finishRecord(std::uint16_t code);

    const ConversationContext& _context;
    std::string _agentId;
    std::string _conversationId;
    media::WebSocketConnection* _connection = nullptr;
    media::EventLoop::TimerId _pingTimer = 0;
    media::EventLoop::TimerId _closeTimer = 0;
    media::EventLoop::TimerId _errorTimer = 0;
    media::EventLoop::TimerId _metadataTimer = 0;
    media::EventLoop::TimerId _eventsTimer = 0;
    media::EventLoop::TimerId _greetingTimer = 0;
    media::EventLoop::TimerId _silentTimer = 0;
    std::vector<media::EventLoop::TimerId> _toolTimers;
    std::int64_t _nextEventId = 1;
    std::int64_t _lastAudioEventId = 0;
    std::uint64_t _chunks = 0;
    // Outstanding pings: a tiny ring is enough, a healthy peer answers within one interval.
    std::array<std::int64_t, 8> _pendingPings{};
    std::array<Clock::time_point, 8> _pingSentAt{};
    std::size_t _pingCursor = 0;
    bool _gotFirst = false;
    bool _started = false; ///< metadata sent: echoes and the script run only from then on
    bool _interrupted = false;
    bool _silent = false;  ///< --silent-after-ms passed: nothing more is sent, everything is still read

    // Format conversion of the echo (null when input and output formats are equal) and what the
    // caller audio looked like.
    std::unique_ptr<audio::AudioConverter> _echoConverter;
    AudioProbe _probe;

    // Script state.
    std::vector<std::pair<std::string, std::string>> _toolCallsSent; ///< tool_call_id → tool_name
    std::uint64_t _samplesSinceTranscript = 0;
    std::uint32_t _transcriptCount = 0;
    bool _agentResponsePending = false;
    bool _correctionSent = false;
    std::string _lastAgentResponse;
    std::uint32_t _periodicTick = 0;
    const char* _closeReason = nullptr; ///< set when we end the conversation
    Clock::time_point _openedAt;
    std::int64_t _openedUnix = 0;
    PostCallRecord _record;
};

} // namespace mockagent
} // namespace patchbay
