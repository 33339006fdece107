// AgentConversation.h: one mock ElevenLabs conversation — the WebSocket listener of a single agent socket.
#pragma once

#include "MockAgentOptions.h"
#include "MockAgentStats.h"

#include <patchbay/media/EventLoop.h>
#include <patchbay/media/WebSocketConnection.h>
#include <patchbay/media/WebSocketListener.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace patchbay {
namespace mockagent {

/// Everything a conversation needs that is the same for all of them (built once at startup).
struct ConversationContext
{
    const MockAgentOptions& options;
    MockAgentStats& stats;
    std::vector<std::string> greetingChunks; ///< base64 μ-law, 100 ms each
};

/// Lives as the connection's listener (the connection owns it), on one loop thread; state is
/// small and fixed so a thousand of them cost little. Parsing and writing use per-thread buffers.
class AgentConversation: public media::WebSocketListener
{
public:
    AgentConversation(const ConversationContext& context, std::string agentId);

    void onOpen(media::WebSocketConnection& connection) override;
    void onText(media::WebSocketConnection& connection, std::string_view text) override;
    void onBinary(media::WebSocketConnection& connection, std::string_view data) override;
    void onClose(media::WebSocketConnection& connection, std::uint16_t code, std::string_view reason) override;

private:
    void handleFirst(bool wasInit);
    void sendMetadata();
    void sendGreeting();
    void echo(std::string_view base64);
    void sendAudio(std::string_view base64, std::int64_t eventId);
    void sendInterruption();
    void sendPing();
    void handlePong(std::int64_t eventId);
    void send(const std::string& text);

    const ConversationContext& _context;
    std::string _agentId;
    std::string _conversationId;
    media::WebSocketConnection* _connection = nullptr;
    media::EventLoop::TimerId _pingTimer = 0;
    media::EventLoop::TimerId _closeTimer = 0;
    std::int64_t _nextEventId = 1;
    std::int64_t _lastAudioEventId = 0;
    std::uint64_t _chunks = 0;
    // Outstanding pings: a tiny ring is enough, a healthy peer answers within one interval.
    std::array<std::int64_t, 8> _pendingPings{};
    std::size_t _pingCursor = 0;
    bool _gotFirst = false;
    bool _interrupted = false;
};

} // namespace mockagent
} // namespace patchbay
