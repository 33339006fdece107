// MockAgentStats.h: counters shared by every conversation of the mock agent, rendered as JSON.
#pragma once

#include "AudioProbe.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace patchbay {
namespace mockagent {

/// Hot counters are relaxed atomics (one increment per message); the rare, structured data (last
/// initiation message, close codes, pong/tool/webhook details, caller-audio measurements) sits behind a
/// mutex.
class MockAgentStats
{
public:
    using Counter = std::atomic<std::uint64_t>;

    Counter connections{0};        ///< WebSockets opened
    Counter active{0};             ///< currently open
    Counter peakActive{0};
    Counter upgradesRefused{0};    ///< wrong agent id, bad or reused signature, not an upgrade
    Counter signedUrlsIssued{0};
    Counter signedUrlsRefused{0};  ///< missing/wrong xi-api-key or agent id
    Counter initReceived{0};       ///< conversation_initiation_client_data messages
    Counter initFirst{0};          ///< conversations whose first message was the initiation data
    Counter firstNotInit{0};       ///< conversations whose first message was something else
    Counter metadataSent{0};
    Counter chunksIn{0};           ///< user_audio_chunk messages
    Counter audioOut{0};           ///< every audio event sent (echo + greeting + stale)
    Counter echoesSent{0};
    Counter greetingChunksSent{0};
    Counter interruptionsSent{0};
    Counter staleAudioSent{0};
    Counter pingsSent{0};
    Counter pongsReceived{0};
    Counter pongsMatched{0};       ///< pongs whose event_id names a ping we sent and had not seen answered
    Counter contextualUpdates{0};
    Counter otherMessages{0};      ///< user_message, user_activity, client_tool_result, feedback
    Counter protocolErrors{0};     ///< malformed JSON, unknown type, missing fields, binary frames
    Counter sendsRefused{0};       ///< sendText returned false (write queue full)
    Counter closesByUs{0};         ///< --close-after-ms closes
    Counter silenced{0};           ///< conversations that went quiet (--silent-after-ms)
    Counter sendsSuppressed{0};    ///< messages not sent because their conversation had gone quiet
    Counter abruptCloses{0};       ///< of those, TCP dropped without a close frame (--close-code 1006)
    Counter pongsEarly{0};         ///< matched pongs that came sooner than --ping-ms after their ping
    Counter toolCallsSent{0};
    Counter toolResults{0};        ///< client_tool_result messages (also counted in otherMessages)
    Counter userTranscriptsSent{0};
    Counter agentResponsesSent{0};
    Counter correctionsSent{0};
    Counter vadScoresSent{0};
    Counter internalEventsSent{0};
    Counter errorsSent{0};
    Counter webhooksSent{0};       ///< post-call webhooks answered with 2xx
    Counter webhooksFailed{0};     ///< non-2xx answers and connection failures

    /// One answered ping (the first kMaxDetails are kept).
    struct PongRecord
    {
        std::int64_t eventId;
        std::int64_t delayMs;
        std::int32_t pingMs; ///< the ping_ms the ping carried; -1 = null
    };
    /// One client_tool_result.
    struct ToolResultRecord
    {
        std::string conversationId;
        std::string toolCallId;
        std::string toolName; ///< of the call we sent with that id; empty if we never sent it
        std::string result;
        bool isError;
    };
    /// One post-call webhook delivery.
    struct WebhookRecord
    {
        std::string conversationId;
        int status;           ///< HTTP status; 0 when the request failed
        std::string error;    ///< why it failed (empty on an HTTP answer)
    };
    static constexpr std::size_t kMaxDetails = 200;

    std::string outputFormat; ///< echoed into the JSON so a reader knows what was announced
    std::string inputFormat;

    void noteOpen();
    void noteClose(std::uint16_t code);
    void recordInit(std::string_view text);
    void recordPong(const PongRecord& pong);
    void recordToolResult(ToolResultRecord record);
    void recordWebhook(WebhookRecord record);
    /// A contextual_update's text (the first kMaxDetails are kept; the counter counts them all).
    void recordContextualUpdate(std::string_view text);
    void addAudioIn(const AudioProbe& probe);

    /// The full statistics as one JSON object.
    std::string toJson() const;

private:
    mutable std::mutex _mutex;
    std::string _lastInit;
    std::map<std::uint16_t, std::uint64_t> _closes;
    std::vector<PongRecord> _pongs;
    std::vector<ToolResultRecord> _toolResults;
    std::vector<WebhookRecord> _webhooks;
    std::vector<std::string> _contextualUpdateTexts;
    AudioProbe _audioIn;
};

} // namespace mockagent
} // namespace patchbay
