// CallSimOptions.cpp: declares and reads patchbay-callsim's options.
#include "CallSimOptions.h"

#include "CommandLine.h"

#include <string>

namespace patchbay {
namespace callsim {

namespace {

void parseDtmf(const std::string& text, CallSimOptions& out)
{
    const std::size_t at = text.find('@');
    const std::string digits = text.substr(0, at);
    const std::string ms = at == std::string::npos ? std::string() : text.substr(at + 1);
    if (digits.empty() || ms.empty())
        throw tools::UsageError("--dtmf wants DIGITS@MS, got '" + text + "'");
    for (const char c : digits)
        if (!((c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D')))
            throw tools::UsageError("--dtmf '" + text + "': digits are 0-9, *, # and A-D");
    if (ms.find_first_not_of("0123456789") != std::string::npos || ms.size() > 8)
        throw tools::UsageError("--dtmf '" + text + "': MS must be a number of milliseconds");
    out.dtmfDigits = digits;
    out.dtmfAtMs = static_cast<std::uint32_t>(std::stoul(ms));
}

} // namespace

bool CallSimOptions::parse(int argc, char** argv, CallSimOptions& out)
{
    using tools::CommandLine;
    using tools::UsageError;
    CommandLine cl("patchbay-callsim",
        "Plays Twilio against a Patchbay gateway: signed voice webhooks, then Media Streams calls that send\n"
        "paced μ-law frames and check that the (echoing) agent's audio comes back intact.");
    cl.option("gateway", "URL", "where to connect, http://HOST:PORT", "http://127.0.0.1:8080");
    cl.option("public-url", "URL", "the gateway's public base URL (= twilio.publicUrl); signatures use it",
        "https://gw.example.test");
    cl.option("voice-path", "PATH", "voice webhook path", "/twilio/voice");
    cl.option("account", "ACSID", "AccountSid sent and signed for (required)");
    cl.option("auth-token", "TOKEN", "the account's auth token used to sign (required)");
    cl.option("from", "E164", "caller number", "+14155550100");
    cl.option("to", "E164", "called number (the tenant's number)", "+15005550006");
    cl.option("calls", "N", "concurrent calls", "1");
    cl.option("ramp-ms", "MS", "spread the call starts evenly over this time", "0");
    cl.option("ring-ms", "MS",
        "after the webhook's TwiML, wait this long before opening the media stream (ringing + Twilio's stream setup)",
        "0");
    cl.option("duration-ms", "MS", "audio sent per call", "3000");
    cl.option("frame-ms", "MS", "media frame length (8 bytes per ms)", "20");
    cl.option("grace-ms", "MS", "wait this long after the last frame for echoes before stop", "1500");
    cl.option("loss-skip-ms", "MS", "frames of a call's first MS are not counted as lost", "1000");
    cl.option("timeout-ms", "MS", "abort the whole run after this (0 = ramp + ring + duration + grace + 30 s)", "0");
    cl.flag("bad-signature", "sign with a wrong token (the gateway must answer 403)");
    cl.flag("no-ws-signature", "do not send X-Twilio-Signature on the WebSocket handshake");
    cl.flag("immediate-marks", "echo marks at once instead of after the simulated playout of earlier audio");
    cl.flag("json", "print the report as JSON on stdout");
    cl.flag("per-call", "include one entry per call in the report");
    cl.option("loops", "N", "event-loop threads driving the calls", "1");
    cl.option("http-threads", "N", "threads posting voice webhooks", "8");
    cl.option("connect-threads", "N", "threads doing WebSocket connects", "4");
    cl.option("expect", "WHAT", "exit 0 only if every call ends so: echo|reject|busy|fallback|forbidden");
    cl.option("dtmf", "DIGITS@MS",
        "the caller presses these keys (0-9 * # A-D): one Media Streams dtmf event per digit, the first MS after "
        "the stream opened, then one every 20 ms");
    if (!cl.parse(argc, argv))
        return false;

    std::string gateway = cl.text("gateway", "http://127.0.0.1:8080");
    if (gateway.rfind("http://", 0) != 0)
        throw UsageError("--gateway must be an http://HOST:PORT URL (TLS is terminated in front of the gateway)");
    gateway = gateway.substr(7);
    while (!gateway.empty() && gateway.back() == '/')
        gateway.pop_back();
    if (gateway.find(':') == std::string::npos)
        gateway += ":80";
    const auto [host, port] = CommandLine::hostPort("gateway", gateway);
    out.gatewayHost = host;
    out.gatewayPort = port;
    out.publicUrl = cl.text("public-url", out.publicUrl);
    while (!out.publicUrl.empty() && out.publicUrl.back() == '/')
        out.publicUrl.pop_back();
    if (out.publicUrl.rfind("https://", 0) != 0 && out.publicUrl.rfind("http://", 0) != 0)
        throw UsageError("--public-url must start with https:// or http://");
    out.voicePath = cl.text("voice-path", out.voicePath);
    out.account = cl.text("account");
    out.authToken = cl.text("auth-token");
    if (out.account.empty() || out.authToken.empty())
        throw UsageError("--account and --auth-token are required (they sign the webhooks)");
    out.from = cl.text("from", out.from);
    out.to = cl.text("to", out.to);
    out.calls = static_cast<int>(cl.integer("calls", 1, 1, 100000));
    out.rampMs = static_cast<std::uint32_t>(cl.integer("ramp-ms", 0, 0, 3600000));
    out.ringMs = static_cast<std::uint32_t>(cl.integer("ring-ms", 0, 0, 600000));
    out.durationMs = static_cast<std::uint32_t>(cl.integer("duration-ms", 3000, 0, 86400000));
    out.frameMs = static_cast<std::uint32_t>(cl.integer("frame-ms", 20, 10, 1000));
    out.graceMs = static_cast<std::uint32_t>(cl.integer("grace-ms", 1500, 0, 600000));
    out.lossSkipMs = static_cast<std::uint32_t>(cl.integer("loss-skip-ms", 1000, 0, 86400000));
    out.timeoutMs = static_cast<std::uint32_t>(cl.integer("timeout-ms", 0, 0, 86400000));
    out.badSignature = cl.has("bad-signature");
    out.wsSignature = !cl.has("no-ws-signature");
    out.immediateMarks = cl.has("immediate-marks");
    out.json = cl.has("json");
    out.perCall = cl.has("per-call");
    out.loops = static_cast<std::size_t>(cl.integer("loops", 1, 1, 64));
    out.httpThreads = static_cast<int>(cl.integer("http-threads", 8, 1, 512));
    out.connectThreads = static_cast<int>(cl.integer("connect-threads", 4, 1, 512));
    out.expect = cl.text("expect");
    if (!out.expect.empty() && out.expect != "echo" && out.expect != "reject" && out.expect != "busy" &&
        out.expect != "fallback" && out.expect != "forbidden")
        throw UsageError("--expect must be one of echo, reject, busy, fallback, forbidden");
    if (cl.has("dtmf"))
        parseDtmf(cl.text("dtmf"), out);
    return true;
}

} // namespace callsim
} // namespace patchbay
