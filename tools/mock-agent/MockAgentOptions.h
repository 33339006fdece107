// MockAgentOptions.h: the command-line settings of patchbay-mock-agent.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace patchbay {
namespace mockagent {

/// One --tool-call NAME[:JSON_PARAMS]@MS.
struct ToolCallSpec
{
    std::string name;
    std::string parametersJson = "{}"; ///< a JSON object, validated at parse time
    std::uint32_t atMs = 0;            ///< after the conversation started (metadata sent)
};

struct MockAgentOptions
{
    std::string listenHost = "127.0.0.1";
    std::uint16_t listenPort = 0;
    std::size_t loops = 1;
    int httpThreads = 16;
    std::string outputFormat = "ulaw_8000";
    std::string inputFormat = "ulaw_8000";
    std::uint32_t interruptAfter = 0;      ///< 0 = never interrupt
    bool staleAudioAfterInterrupt = false;
    std::uint32_t pingIntervalMs = 0;      ///< 0 = no pings
    std::int32_t pingMs = -1;              ///< ping_event.ping_ms; -1 = null
    std::uint32_t closeAfterMs = 0;        ///< 0 = never close first
    std::uint16_t closeCode = 1000;        ///< 1006 = drop TCP without a close frame
    std::uint32_t connectDelayMs = 0;      ///< before answering the upgrade with 101
    std::uint32_t metadataDelayMs = 0;     ///< between the first client message and the metadata
    std::uint32_t errorAfterMs = 0;        ///< 0 = never send an error event
    std::string errorMessage = "mock agent error";
    std::string errorType = "unknown";
    std::uint16_t errorCloseCode = 1011;
    std::uint32_t greetingMs = 0;
    std::uint32_t greetingDelayMs = 0;     ///< between the metadata and the greeting (TTS latency)
    std::uint32_t silentAfterMs = 0;       ///< 0 = never; else stop sending (socket kept open) after this
    std::vector<ToolCallSpec> toolCalls;
    bool transcripts = false;
    std::uint32_t transcriptEveryMs = 1000; ///< of caller audio per user_transcript
    bool correction = false;
    bool vadScores = false;
    bool internalEvents = false;
    std::uint32_t eventIntervalMs = 500;    ///< period of --vad-scores / --internal-events
    std::string requireAgentId;
    bool signedUrl = false;
    std::string apiKey;
    std::string statsFile;
    std::string postCallUrl;
    std::string webhookSecret;

    /// Parses argv; returns false when --help was printed. Throws tools::UsageError.
    static bool parse(int argc, char** argv, MockAgentOptions& out);
};

} // namespace mockagent
} // namespace patchbay
