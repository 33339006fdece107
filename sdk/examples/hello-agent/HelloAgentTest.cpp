// HelloAgentTest.cpp: hello-agent against the SDK's fake host — echo, readiness and the hang-up digit, no Patchbay host needed.
#include <cstdio>
#include <memory>
#include <string>

#include "patchbay/sdk/Sdk.h"
#include "patchbay/sdk/testing/Testing.h"

namespace {

int failures = 0;

void check(bool ok, const char* what)
{
    if (!ok)
    {
        std::fprintf(stderr, "FAILED: %s\n", what);
        ++failures;
    }
}

} // namespace

int main()
{
    using namespace patchbay::sdk;
    // The same entry points the host uses, linked in directly.
    std::unique_ptr<Plugin, void (*)(Plugin*)> plugin(static_cast<Plugin*>(patchbay_plugin_create()),
                                                      [](Plugin* p) { patchbay_plugin_destroy(p); });
    check(plugin != nullptr, "create");
    check(std::string(patchbay_plugin_describe()->id) == "hello-agent", "descriptor id");

    testing::FakeHostServices host("hello-agent");
    check(plugin->init(host, R"({"hangupDigit":"*"})").isOk(), "init");
    {
        testing::FakeHostServices otherHost("hello-agent");
        Plugin* other = static_cast<Plugin*>(patchbay_plugin_create());
        check(other->init(otherHost, R"({"hangupDigit":"**"})").code() == StatusCode::InvalidArgument, "bad config refused");
        patchbay_plugin_destroy(other);
    }
    check(plugin->start().isOk(), "start");

    testing::RecordingCallChannel channel;
    AgentSessionRequest request;
    request.call.callSid = "CA0001";
    request.callerFormat = MediaFormat::ulaw8000();
    auto session = plugin->agentProvider()->openSession(request, channel, host.loop());
    check(session.isOk(), "openSession");
    check(!channel.isReady(), "ready is reported from the loop, not inside openSession");
    host.loop().runPending();
    check(channel.isReady() && channel.legInfo().sendsFormat == MediaFormat::ulaw8000(), "ready with the caller's format");

    AudioFrame frame;
    frame.format = MediaFormat::ulaw8000();
    frame.payload = "//79/f39";
    session.value()->onAudio(frame);
    check(channel.audioPayloads() == "//79/f39", "audio echoed");
    check(host.fakeMetrics().counterValue("hello_agent_echoed_frames_total") == 1.0, "frames counted");
    check(host.recordingLogger().contains("echo session opened"), "session logged");

    session.value()->onDtmf('*');
    check(channel.hasEnded() && channel.endReason() == EndReason::AgentEnded, "hang-up digit ends the leg");
    session.value()->onAudio(frame);
    check(channel.callsAfterEnd() == 0, "no calls after the end");

    plugin->stop();
    plugin->shutdown();
    std::printf(failures ? "hello-agent test: %d failure(s)\n" : "hello-agent test: OK\n", failures);
    return failures ? 1 : 0;
}
