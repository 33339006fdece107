// MockAgentOptions.cpp: declares and reads patchbay-mock-agent's options.
#include "MockAgentOptions.h"

#include "CommandLine.h"

namespace patchbay {
namespace mockagent {

bool MockAgentOptions::parse(int argc, char** argv, MockAgentOptions& out)
{
    using tools::CommandLine;
    CommandLine cl("patchbay-mock-agent",
        "Speaks the ElevenLabs conversational-agent WebSocket protocol as a server: echoes every\n"
        "user_audio_chunk back as agent audio, and can interrupt, ping, greet and close on demand.");
    cl.option("listen", "HOST:PORT", "address to listen on; port 0 picks a free port", "127.0.0.1:0");
    cl.option("loops", "N", "event-loop threads carrying the WebSockets", "1");
    cl.option("http-threads", "N", "HTTP threads doing upgrades and signed-URL requests", "16");
    cl.option("output-format", "FMT", "agent_output_audio_format announced in the metadata", "ulaw_8000");
    cl.option("input-format", "FMT", "user_input_audio_format announced in the metadata", "ulaw_8000");
    cl.option("interrupt-after", "N", "send one interruption after N user audio chunks (0 = never)", "0");
    cl.flag("stale-audio-after-interrupt", "right after the interruption also send one audio event with an old event_id");
    cl.option("ping-interval-ms", "MS", "send ping events this often and match the pongs (0 = never)", "0");
    cl.option("close-after-ms", "MS", "close each conversation this long after it opened (0 = never)", "0");
    cl.option("close-code", "CODE", "close code used by --close-after-ms", "1000");
    cl.option("greeting-ms", "MS", "send this much generated μ-law audio right after the metadata", "0");
    cl.option("require-agent-id", "ID", "refuse (HTTP 404) conversations for any other agent_id");
    cl.flag("signed-url", "serve get-signed-url (needs --api-key) and accept only single-use signed WebSocket URLs");
    cl.option("api-key", "KEY", "xi-api-key value the signed-URL endpoint requires");
    cl.option("stats-file", "PATH", "write JSON statistics here on SIGTERM/SIGINT");
    if (!cl.parse(argc, argv))
        return false;

    const auto [host, port] = CommandLine::hostPort("listen", cl.text("listen", "127.0.0.1:0"));
    out.listenHost = host;
    out.listenPort = port;
    out.loops = static_cast<std::size_t>(cl.integer("loops", 1, 1, 64));
    out.httpThreads = static_cast<int>(cl.integer("http-threads", 16, 1, 1024));
    out.outputFormat = cl.text("output-format", out.outputFormat);
    out.inputFormat = cl.text("input-format", out.inputFormat);
    out.interruptAfter = static_cast<std::uint32_t>(cl.integer("interrupt-after", 0, 0, 1 << 30));
    out.staleAudioAfterInterrupt = cl.has("stale-audio-after-interrupt");
    out.pingIntervalMs = static_cast<std::uint32_t>(cl.integer("ping-interval-ms", 0, 0, 3600000));
    out.closeAfterMs = static_cast<std::uint32_t>(cl.integer("close-after-ms", 0, 0, 86400000));
    out.closeCode = static_cast<std::uint16_t>(cl.integer("close-code", 1000, 1000, 4999));
    out.greetingMs = static_cast<std::uint32_t>(cl.integer("greeting-ms", 0, 0, 600000));
    out.requireAgentId = cl.text("require-agent-id");
    out.signedUrl = cl.has("signed-url");
    out.apiKey = cl.text("api-key");
    out.statsFile = cl.text("stats-file");
    if (out.signedUrl && out.apiKey.empty())
        throw tools::UsageError("--signed-url needs --api-key");
    if (out.staleAudioAfterInterrupt && out.interruptAfter == 0)
        throw tools::UsageError("--stale-audio-after-interrupt needs --interrupt-after N");
    return true;
}

} // namespace mockagent
} // namespace patchbay
