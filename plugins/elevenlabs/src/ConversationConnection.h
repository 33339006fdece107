// ConversationConnection.h: the state of one ElevenLabs conversation and the WebSocketHandler of its socket.
#ifndef PATCHBAY_ELEVENLABS_CONVERSATION_CONNECTION_H
#define PATCHBAY_ELEVENLABS_CONVERSATION_CONNECTION_H

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "PluginMetrics.h"
#include "patchbay/sdk/Call.h"
#include "patchbay/sdk/HostServices.h"
#include "patchbay/sdk/WebSocket.h"
#include "protocol/AgentProtocol.h"
#include "protocol/InitiationData.h"

namespace patchbay::elevenlabs {

/// Why a separate object from ConversationSession: the host keeps this handler alive until
/// onClose()/onConnectFailed(), and a signed-URL fetch may finish on a worker after the call is
/// gone, while the core destroys the session whenever it likes. So the session only owns a
/// shared_ptr to this, and close() detaches the channel: from then on every late callback
/// (socket event, signed-URL result) finds no channel and does nothing but tidy up the socket.
///
/// THREAD: Media — everything on the call's loop, except the blocking HTTP request, which only
/// touches copies and posts its outcome back to the loop.
class ConversationConnection final : public sdk::WebSocketHandler,
                                     public std::enable_shared_from_this<ConversationConnection>
{
public:
    /// Everything a conversation needs beyond the host objects; no secrets.
    struct Settings
    {
        std::string callSid; ///< log key
        InitiationData initiation;
        bool requireUlaw = false;
        std::uint32_t connectTimeoutMs = 5000;
        std::uint32_t silenceTimeoutMs = 30000; ///< 0 = never end the leg for a silent agent
        std::uint32_t stallTimeoutMs = 5000;
    };

    ConversationConnection(sdk::HostServices& host, const PluginMetrics& metrics, sdk::CallChannel& channel,
                           sdk::EventLoop& loop, Settings settings);
    ~ConversationConnection() override;
    ConversationConnection(const ConversationConnection&) = delete;
    ConversationConnection& operator=(const ConversationConnection&) = delete;

    /// Connects to a conversation URL. @return the host's refusal (malformed URL); the message is
    /// generic because the URL may be a signed one.
    sdk::Status connect(const std::string& url) noexcept;
    /// Fetches a signed URL with `request` (which carries the API key) on the host's worker pool,
    /// then connects to it on the loop. Failures end the leg with AgentFailed.
    void connectViaSignedUrl(sdk::HttpClientRequest request) noexcept;

    // ---- from the core, through ConversationSession ----
    void sendCallerAudio(const sdk::AudioFrame& frame) noexcept;
    void sendDtmf(char digit) noexcept;
    /// The core's answer to a requestTransfer() made for a transfer_to_number tool call: sends the
    /// agent its client_tool_result. Unknown ids (already answered, leg ended) are ignored.
    void onActionResult(std::uint64_t requestId, const sdk::Status& result) noexcept;
    /// Detaches the channel and closes the socket with 1000. Idempotent.
    void close(sdk::EndReason reason) noexcept;

    // ---- sdk::WebSocketHandler ----
    void onOpen(sdk::WebSocketConnection& connection) noexcept override;
    void onText(sdk::WebSocketConnection& connection, std::string_view message) noexcept override;
    /// The protocol is JSON text only, so a binary frame is ignored — but it still shows the agent
    /// is alive (silence watch).
    void onBinary(sdk::WebSocketConnection& connection, std::string_view message) noexcept override;
    /// The write queue drained: the agent reads again, the stall watch stops.
    void onWritable(sdk::WebSocketConnection& connection) noexcept override;
    void onClose(sdk::WebSocketConnection& connection, std::uint16_t code, std::string_view reason) noexcept override;
    void onConnectFailed(std::string_view reason) noexcept override;

private:
    /// Outcome of the signed-URL request, built on the worker thread.
    struct SignedUrlOutcome
    {
        bool ok = false;
        std::string url;    ///< SECRET-ish (carries a conversation signature): never logged
        std::string detail; ///< secret-free reason when !ok
    };

    static SignedUrlOutcome fetchSignedUrl(sdk::HttpClient& http, const sdk::HttpClientRequest& request) noexcept;
    void onSignedUrl(const SignedUrlOutcome& outcome) noexcept;
    // The handlers may throw std::bad_alloc, or whatever the core's channel throws; onText()
    // catches std::exception and ends the leg.
    void handleMessage(const ServerMessage& message);
    void handleMetadata(const ServerMessage& message);
    void handleAudio(const ServerMessage& message);
    void handleError(const ServerMessage& message);
    void handlePing(const ServerMessage& message);
    void sendPong(std::int64_t eventId) noexcept;
    void cancelPongTimers() noexcept;
    // In ConversationConnectionTools.cpp: transcripts and client tools.
    void handleTranscript(const ServerMessage& message);
    void handleToolCall(const ServerMessage& message);
    void replyTool(std::string_view toolCallId, std::string_view result, bool isError) noexcept;
    // In ConversationConnectionTimeouts.cpp: the silence and stall watches, so that neither a mute
    // agent nor one that stopped reading holds the caller.
    void startSilenceWatch() noexcept;
    void noteReceived() noexcept { _lastReceivedMs = _host.nowUnixMs(); }
    void armSilenceTimer(std::uint32_t delayMs) noexcept;
    void onSilenceTimer() noexcept;
    void noteSendRefused() noexcept;
    void stopStallWatch() noexcept;
    void onStallTimer() noexcept;
    void cancelTimeoutTimers() noexcept;
    /// Reports the end to the channel (once), detaches it and closes the socket.
    void endLeg(sdk::EndReason reason, std::string_view detail) noexcept;
    /// Ends the leg after an exception (allocation failure or a throwing channel).
    void failInternal() noexcept;
    void closeSocket() noexcept;
    void send(std::string_view message) noexcept;
    void count(sdk::Counter* counter) noexcept;
    void log(sdk::LogLevel level, std::string_view message) noexcept;

    sdk::HostServices& _host;
    sdk::Logger& _logger;
    PluginMetrics _metrics;
    sdk::CallChannel* _channel;                    ///< null once detached (leg ended or core closed)
    sdk::EventLoop& _loop;
    Settings _settings;
    sdk::WebSocketConnection* _connection = nullptr; ///< valid from onOpen() until onClose()
    bool _socketClosing = false;                   ///< we closed (or must close once it opens)
    bool _ready = false;                           ///< metadata received and accepted
    sdk::MediaFormat _agentOutputFormat;
    sdk::MediaFormat _userInputFormat;
    std::string _conversationId;
    std::int64_t _lastInterruptionId = -1;
    AgentProtocol _protocol;
    std::string _out;                              ///< reused encode buffer
    std::string _scratch;                          ///< reused base64 buffer for raw caller frames
    bool _loggedSendDrop = false;
    bool _loggedMalformed = false;
    bool _loggedUnknown = false;
    bool _loggedToolWithoutId = false;
    /// Delayed pongs (ping_ms honoured): (timer, event_id), cancelled when the socket closes.
    std::vector<std::pair<sdk::TimerId, std::int64_t>> _pongTimers;
    /// transfer_to_number calls waiting for onActionResult(): (request id, tool_call_id).
    std::vector<std::pair<std::uint64_t, std::string>> _pendingTransfers;
    std::uint64_t _nextRequestId = 1;
    /// Silence watch: one timer due at _lastReceivedMs + silenceTimeoutMs at the earliest; messages
    /// only update the time, the timer re-arms itself for the remainder (no timer work per message).
    sdk::TimerId _silenceTimer = 0;
    std::int64_t _lastReceivedMs = 0;              ///< host wall clock of the last message (or onOpen)
    /// Stall watch: armed by the first refused send, stopped by onWritable() or an accepted send.
    sdk::TimerId _stallTimer = 0;
};

} // namespace patchbay::elevenlabs

#endif
