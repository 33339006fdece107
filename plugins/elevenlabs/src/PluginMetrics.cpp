// PluginMetrics.cpp: registration of the elevenlabs plugin's metrics (names get the host's "patchbay_" prefix).
#include "PluginMetrics.h"

namespace patchbay::elevenlabs {

PluginMetrics PluginMetrics::registerIn(sdk::Metrics& metrics)
{
    PluginMetrics m;
    m.sessionsOpened = &metrics.counter("elevenlabs_sessions_opened_total", "Agent sessions opened");
    m.sessionsFailed = &metrics.counter("elevenlabs_sessions_failed_total", "Agent sessions that could not be opened or whose leg failed (connect, signed URL, agent error, abnormal close)");
    for (std::size_t i = 0; i < kServerMessageTypeCount; ++i)
    {
        const char* name = serverMessageTypeName(static_cast<ServerMessageType>(i));
        m.messagesByType[i] = &metrics.counter("elevenlabs_messages_received_total",
                                               "Messages received from ElevenLabs, by type", {{"type", name}});
    }
    m.unknownTypes = &metrics.counter("elevenlabs_unknown_message_types_total",
                                      "Messages from ElevenLabs with a type this build does not know (ignored)");
    m.malformedMessages = &metrics.counter("elevenlabs_malformed_messages_total",
                                           "Messages from ElevenLabs that could not be decoded (ignored)");
    const std::string dropped = "elevenlabs_audio_dropped_total";
    const std::string droppedHelp = "Audio frames dropped by the elevenlabs plugin, by direction and reason";
    m.agentAudioDroppedInterrupted =
        &metrics.counter(dropped, droppedHelp, {{"direction", "to_caller"}, {"reason", "interrupted"}});
    m.agentAudioDroppedNotReady = &metrics.counter(dropped, droppedHelp, {{"direction", "to_caller"}, {"reason", "not_ready"}});
    m.callerAudioDroppedNotReady = &metrics.counter(dropped, droppedHelp, {{"direction", "to_agent"}, {"reason", "not_ready"}});
    m.callerAudioDroppedFormat = &metrics.counter(dropped, droppedHelp, {{"direction", "to_agent"}, {"reason", "format"}});
    m.sendsDropped = &metrics.counter("elevenlabs_sends_dropped_total",
                                      "Messages to ElevenLabs dropped because the socket's write queue was full");
    const std::string timeouts = "elevenlabs_agent_timeouts_total";
    const std::string timeoutsHelp = "Agent legs ended because the agent socket timed out, by reason (silence: nothing "
                                     "received for silenceTimeoutMs; stall: write queue full for stallTimeoutMs)";
    m.silenceTimeouts = &metrics.counter(timeouts, timeoutsHelp, {{"reason", "silence"}});
    m.stallTimeouts = &metrics.counter(timeouts, timeoutsHelp, {{"reason", "stall"}});
    for (std::size_t i = 0; i < kClientToolCount; ++i)
    {
        const char* tool = clientToolLabel(static_cast<ClientTool>(i));
        m.toolCalls[i] = &metrics.counter("elevenlabs_tool_calls_total", "Client tool calls from the agent, by tool",
                                          {{"tool", tool}});
    }
    m.toolErrors = &metrics.counter("elevenlabs_tool_errors_total",
                                    "Client tool calls answered with is_error (refused, invalid or failed)");
    m.transcriptEntries = &metrics.counter("elevenlabs_transcript_entries_total",
                                           "Transcript entries (user, agent, corrections) reported to the core");
    return m;
}

} // namespace patchbay::elevenlabs
