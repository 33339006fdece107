// MockAgentStats.h: counters shared by every conversation of the mock agent, rendered as JSON.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace patchbay {
namespace mockagent {

/// Hot counters are relaxed atomics (one increment per message); the rare, structured data (last
/// initiation message, close codes) sits behind a mutex.
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

    void noteOpen();
    void noteClose(std::uint16_t code);
    void recordInit(std::string_view text);

    /// The full statistics as one JSON object.
    std::string toJson() const;

private:
    mutable std::mutex _mutex;
    std::string _lastInit;
    std::map<std::uint16_t, std::uint64_t> _closes;
};

} // namespace mockagent
} // namespace patchbay
