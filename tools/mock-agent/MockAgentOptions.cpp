// MockAgentOptions.cpp: declares and reads patchbay-mock-agent's options.
#include "MockAgentOptions.h"

#include "CommandLine.h"

#include <patchbay/sdk/support/Json.h>


namespace patchbay {
namespace mockagent {

namespace {

// CommandLine keeps only the last value of a repeated option, so --tool-call is collected here.
std::vector<std::string> allValues(int argc, char** argv, const std::string& name)
{
    const std::string flag = "--" + name;
    std::vector<std::string> values;
    for (int i = 1; i < argc; ++i)
    {
        const std::string arg = argv[i];
        if (arg == flag && i + 1 < argc)
            values.emplace_back(argv[++i]);
        else if (arg.compare(0, flag.size() + 1, flag + "=") == 0)
            values.push_back(arg.substr(flag.size() + 1));
    }
    return values;
}

ToolCallSpec parseToolCall(const std::string& text)
{
    const std::size_t at = text.rfind('@'); // the last '@': the JSON may contain one
    if (at == std::string::npos || at == 0 || at + 1 == text.size())
        throw tools::UsageError("--tool-call wants NAME[:JSON_PARAMS]@MS, got '" + text + "'");
    ToolCallSpec spec;
    const std::string head = text.substr(0, at);
    const std::size_t colon = head.find(':');
    spec.name = head.substr(0, colon);
    if (colon != std::string::npos)
        spec.parametersJson = head.substr(colon + 1);
    sdk::support::JsonDocument probe;
    if (spec.name.empty() || !probe.parse(spec.parametersJson) || !probe.root().isObject())
        throw tools::UsageError("--tool-call '" + text + "': needs a name and a JSON object as parameters");
    const std::string ms = text.substr(at + 1);
    if (ms.find_first_not_of("0123456789") != std::string::npos || ms.size() > 8)
        throw tools::UsageError("--tool-call '" + text + "': MS must be a number of milliseconds");
    spec.atMs = static_cast<std::uint32_t>(std::stoul(ms));
    return spec;
}

void checkFormat(const char* option, const std::string& name)
{
    // The formats ElevenLabs agents announce (elevenlabs.md §6.1).
    static const char* const kKnown[] = {"ulaw_8000", "pcm_8000", "pcm_16000", "pcm_22050", "pcm_24000",
        "pcm_44100", "pcm_48000"};
    for (const char* known : kKnown)
        if (name == known)
            return;
    throw tools::UsageError(std::string("--") + option + ": unknown format '" + name +
        "' (ulaw_8000, pcm_8000, pcm_16000, pcm_22050, pcm_24000, pcm_44100, pcm_48000)");
}

} // namespace

bool MockAgentOptions::parse(int argc, char** argv, MockAgentOptions& out)
{
    using tools::CommandLine;
    CommandLine cl("patchbay-mock-agent",
        "Speaks the ElevenLabs conversational-agent WebSocket protocol as a server: echoes every\n"
        "user_audio_chunk back as agent audio (converted from the input to the output format), and\n"
        "on demand interrupts, pings, greets, calls client tools, sends transcripts, errors and\n"
        "closes; after each conversation it can POST a signed post_call_transcription webhook.");
    cl.option("listen", "HOST:PORT", "address to listen on; port 0 picks a free port", "127.0.0.1:0");
    cl.option("loops", "N", "event-loop threads carrying the WebSockets", "1");
    cl.option("http-threads", "N", "HTTP threads doing upgrades and signed-URL requests", "16");
    cl.option("output-format", "FMT",
        "agent_output_audio_format announced in the metadata and used for all agent audio "
        "(ulaw_8000, pcm_8000|16000|22050|24000|44100|48000)", "ulaw_8000");
    cl.option("input-format", "FMT", "user_input_audio_format announced in the metadata; caller audio is "
        "decoded as this", "ulaw_8000");
    cl.option("interrupt-after", "N", "send one interruption after N user audio chunks (0 = never)", "0");
    cl.flag("stale-audio-after-interrupt", "right after the interruption also send one audio event with an old event_id");
    cl.option("ping-interval-ms", "MS", "send ping events this often and match the pongs (0 = never)", "0");
    cl.option("ping-ms", "N", "ping_event.ping_ms value; pongs sooner than N ms are counted as early", "null");
    cl.option("close-after-ms", "MS", "close each conversation this long after it opened (0 = never)", "0");
    cl.option("close-after", "MS", "same as --close-after-ms");
    cl.option("close-code", "CODE", "close code used by --close-after-ms; 1006 drops TCP without a close frame",
        "1000");
    cl.option("connect-delay-ms", "MS", "wait this long before answering the WebSocket upgrade (101)", "0");
    cl.option("metadata-delay-ms", "MS", "wait this long after the first client message before the metadata", "0");
    cl.option("error-after", "MS", "send an error event this long after the conversation opened, then close "
        "(0 = never)", "0");
    cl.option("error-message", "TEXT", "error_event.message of --error-after", "mock agent error");
    cl.option("error-type", "TYPE", "error_event.error_type of --error-after", "unknown");
    cl.option("error-close-code", "CODE", "close code after the error event (1000, 1002, 1008, 1011)", "1011");
    cl.option("greeting-ms", "MS", "send this much generated audio after the metadata (and --greeting-delay-ms)", "0");
    cl.option("greeting-delay-ms", "MS", "wait this long after the metadata before the --greeting-ms audio (the "
        "text-to-speech latency of the first message)", "0");
    cl.option("silent-after-ms", "MS", "this long after the conversation opened, stop sending anything on it (no "
        "audio, pings, transcripts, tool calls, errors or closes) while keeping the socket open and reading "
        "(0 = never)", "0");
    cl.option("tool-call", "NAME[:JSON]@MS", "send client_tool_call NAME with these parameters MS after the "
        "metadata (repeatable); client_tool_result answers go to the stats");
    cl.flag("transcripts", "send user_transcript per --transcript-every-ms of caller audio and an "
        "agent_response before the echo that follows");
    cl.option("transcript-every-ms", "MS", "caller audio per user_transcript", "1000");
    cl.flag("correction", "send an agent_response_correction after the interruption (or the first "
        "agent_response); needs --transcripts");
    cl.flag("vad-scores", "send vad_score events every --event-interval-ms");
    cl.flag("internal-events", "send internal_tentative_agent_response and internal_turn_probability events "
        "every --event-interval-ms");
    cl.option("event-interval-ms", "MS", "period of --vad-scores and --internal-events", "500");
    cl.option("require-agent-id", "ID", "refuse (HTTP 404) conversations for any other agent_id");
    cl.flag("signed-url", "serve get-signed-url (needs --api-key) and accept only single-use signed WebSocket URLs");
    cl.option("api-key", "KEY", "xi-api-key value the signed-URL endpoint requires");
    cl.option("post-call-url", "URL", "after each conversation POST a post_call_transcription webhook here "
        "(http:// only)");
    cl.option("webhook-secret", "S", "HMAC secret for the ElevenLabs-Signature of --post-call-url");
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
    checkFormat("output-format", out.outputFormat);
    checkFormat("input-format", out.inputFormat);
    out.interruptAfter = static_cast<std::uint32_t>(cl.integer("interrupt-after", 0, 0, 1 << 30));
    out.staleAudioAfterInterrupt = cl.has("stale-audio-after-interrupt");
    out.pingIntervalMs = static_cast<std::uint32_t>(cl.integer("ping-interval-ms", 0, 0, 3600000));
    out.pingMs = static_cast<std::int32_t>(cl.integer("ping-ms", -1, 0, 600000));
    out.closeAfterMs = static_cast<std::uint32_t>(cl.integer("close-after-ms", 0, 0, 86400000));
    if (cl.has("close-after"))
        out.closeAfterMs = static_cast<std::uint32_t>(cl.integer("close-after", 0, 0, 86400000));
    out.closeCode = static_cast<std::uint16_t>(cl.integer("close-code", 1000, 1000, 4999));
    out.connectDelayMs = static_cast<std::uint32_t>(cl.integer("connect-delay-ms", 0, 0, 600000));
    out.metadataDelayMs = static_cast<std::uint32_t>(cl.integer("metadata-delay-ms", 0, 0, 600000));
    out.errorAfterMs = static_cast<std::uint32_t>(cl.integer("error-after", 0, 0, 86400000));
    out.errorMessage = cl.text("error-message", out.errorMessage);
    out.errorType = cl.text("error-type", out.errorType);
    out.errorCloseCode = static_cast<std::uint16_t>(cl.integer("error-close-code", 1011, 1000, 4999));
    out.greetingMs = static_cast<std::uint32_t>(cl.integer("greeting-ms", 0, 0, 600000));
    out.greetingDelayMs = static_cast<std::uint32_t>(cl.integer("greeting-delay-ms", 0, 0, 600000));
    out.silentAfterMs = static_cast<std::uint32_t>(cl.integer("silent-after-ms", 0, 0, 86400000));
    if (cl.has("tool-call"))
        for (const std::string& text : allValues(argc, argv, "tool-call"))
            out.toolCalls.push_back(parseToolCall(text));
    out.transcripts = cl.has("transcripts");
    out.transcriptEveryMs = static_cast<std::uint32_t>(cl.integer("transcript-every-ms", 1000, 20, 600000));
    out.correction = cl.has("correction");
    out.vadScores = cl.has("vad-scores");
    out.internalEvents = cl.has("internal-events");
    out.eventIntervalMs = static_cast<std::uint32_t>(cl.integer("event-interval-ms", 500, 10, 600000));
    out.requireAgentId = cl.text("require-agent-id");
    out.signedUrl = cl.has("signed-url");
    out.apiKey = cl.text("api-key");
    out.statsFile = cl.text("stats-file");
    out.postCallUrl = cl.text("post-call-url");
    out.webhookSecret = cl.text("webhook-secret");
    if (out.signedUrl && out.apiKey.empty())
        throw tools::UsageError("--signed-url needs --api-key");
    if (out.staleAudioAfterInterrupt && out.interruptAfter == 0)
        throw tools::UsageError("--stale-audio-after-interrupt needs --interrupt-after N");
    if (out.correction && !out.transcripts)
        throw tools::UsageError("--correction needs --transcripts");
    if (!out.postCallUrl.empty() && out.postCallUrl.compare(0, 7, "http://") != 0)
        throw tools::UsageError("--post-call-url must be an http:// URL");
    if (!out.postCallUrl.empty() && out.webhookSecret.empty())
        throw tools::UsageError("--post-call-url needs --webhook-secret");
    return true;
}

} // namespace mockagent
} // namespace patchbay
