// MockAgentOptions.h: the command-line settings of patchbay-mock-agent.
#pragma once

#include <cstdint>
#include <string>

namespace patchbay {
namespace mockagent {

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
    std::uint32_t closeAfterMs = 0;        ///< 0 = never close first
    std::uint16_t closeCode = 1000;
    std::uint32_t greetingMs = 0;
    std::string requireAgentId;
    bool signedUrl = false;
    std::string apiKey;
    std::string statsFile;

    /// Parses argv; returns false when --help was printed. Throws tools::UsageError.
    static bool parse(int argc, char** argv, MockAgentOptions& out);
};

} // namespace mockagent
} // namespace patchbay
