// PluginMetrics.h: the counters the elevenlabs plugin registers once at init and its sessions bump on the hot path.
#ifndef PATCHBAY_ELEVENLABS_PLUGIN_METRICS_H
#define PATCHBAY_ELEVENLABS_PLUGIN_METRICS_H

#include <array>

#include "patchbay/sdk/Metrics.h"
#include "protocol/ClientTools.h"
#include "protocol/ServerMessage.h"

namespace patchbay::elevenlabs {

/// References into the host registry (valid until process exit), cached so a session never does
/// a registry lookup per frame. Label values are fixed strings, never data from the wire.
struct PluginMetrics
{
    sdk::Counter* sessionsOpened = nullptr;
    sdk::Counter* sessionsFailed = nullptr;
    /// messages received, by type (index = ServerMessageType; Unknown under type="unknown").
    std::array<sdk::Counter*, kServerMessageTypeCount> messagesByType{};
    sdk::Counter* unknownTypes = nullptr;
    sdk::Counter* malformedMessages = nullptr;
    sdk::Counter* agentAudioDroppedInterrupted = nullptr; ///< agent audio with event_id <= last interruption
    sdk::Counter* agentAudioDroppedNotReady = nullptr;    ///< agent audio before the metadata
    sdk::Counter* callerAudioDroppedNotReady = nullptr;   ///< caller audio before the agent was ready
    sdk::Counter* callerAudioDroppedFormat = nullptr;     ///< caller audio not in the agent's input format
    sdk::Counter* sendsDropped = nullptr;                 ///< sendText refused (write queue full / closing)
    sdk::Counter* silenceTimeouts = nullptr;              ///< legs ended: agent sent nothing for silenceTimeoutMs
    sdk::Counter* stallTimeouts = nullptr;                ///< legs ended: write queue full for stallTimeoutMs
    /// client_tool_call received, by tool (index = ClientTool).
    std::array<sdk::Counter*, kClientToolCount> toolCalls{};
    sdk::Counter* toolErrors = nullptr;                   ///< client_tool_result sent with is_error
    sdk::Counter* transcriptEntries = nullptr;            ///< entries given to CallChannel::onTranscript

    /// Registers every metric. THREAD: Control.
    static PluginMetrics registerIn(sdk::Metrics& metrics);
};

} // namespace patchbay::elevenlabs

#endif
