// ConversationSession.h: the agent leg of one call as the core sees it (sdk::AgentSession) — a thin owner of a ConversationConnection.
#ifndef PATCHBAY_ELEVENLABS_CONVERSATION_SESSION_H
#define PATCHBAY_ELEVENLABS_CONVERSATION_SESSION_H

#include <cstdint>
#include <memory>

#include "ElevenLabsConfig.h"
#include "PluginMetrics.h"
#include "patchbay/sdk/AgentProvider.h"
#include "patchbay/sdk/HostServices.h"

namespace patchbay::elevenlabs {

class ConversationConnection;

/// THREAD: Media (the call's loop). OWNERSHIP: owned by the core through the unique_ptr returned by
/// open(); it shares the connection with the host, and detaches it on close() or destruction so
/// that nothing reaches the CallChannel afterwards.
class ConversationSession final : public sdk::AgentSession
{
public:
    /// Validates the request (agent id required), picks the endpoint (tenant baseUrl over the
    /// plugin's), and starts connecting: straight to the conversation URL, or — when an API key
    /// is configured (the tenant's, else the plugin's) — through a signed URL fetched first.
    /// @return InvalidArgument for a bad request or URL; the session otherwise.
    static sdk::Result<std::unique_ptr<sdk::AgentSession>> open(sdk::HostServices& host, const ElevenLabsConfig& config,
                                                                const PluginMetrics& metrics,
                                                                const sdk::AgentSessionRequest& request,
                                                                sdk::CallChannel& channel, sdk::EventLoop& loop) noexcept;

    explicit ConversationSession(std::shared_ptr<ConversationConnection> connection) noexcept;
    ~ConversationSession() override;
    ConversationSession(const ConversationSession&) = delete;
    ConversationSession& operator=(const ConversationSession&) = delete;

    // ---- sdk::MediaSink: from the caller's side ----
    void onAudio(const sdk::AudioFrame& frame) noexcept override;
    /// Nothing to send: the protocol has no client "clear"; barge-in is detected by ElevenLabs
    /// itself from the caller audio, which keeps flowing.
    void onClear() noexcept override;
    /// Nothing to send: ElevenLabs has no marks; the core tracks playback marks with the inbound leg.
    void onMark(std::string_view name) noexcept override;
    /// Sent to the agent as a contextual_update ("The caller pressed 5 on the keypad.").
    void onDtmf(char digit) noexcept override;

    // ---- sdk::AgentSession ----
    void close(sdk::EndReason reason) noexcept override;
    /// The core's answer to a transfer the agent asked for; becomes the tool's client_tool_result.
    void onActionResult(std::uint64_t requestId, const sdk::Status& result) noexcept override;

private:
    std::shared_ptr<ConversationConnection> _connection;
};

} // namespace patchbay::elevenlabs

#endif
