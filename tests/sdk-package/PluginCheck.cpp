// PluginCheck.cpp: `patchbay_plugin_check <path> <id>` — loads an agent plugin with the real PluginLoader and checks a session echoes audio on the SDK's fake host.
//
// Exit codes: 0 accepted and echoing, 1 refused or misbehaving, 2 usage.
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "patchbay/sdk/testing/FakeHostServices.h"
#include "patchbay/sdk/testing/RecordingCallChannel.h"
#include "plugin/PluginLifecycle.h"
#include "plugin/PluginLoader.h"

namespace {

using namespace patchbay;

int fail(const std::string& why)
{
    std::cerr << "patchbay_plugin_check: " << why << "\n";
    return 1;
}

/// Opens one session, lets it report readiness, sends a frame and expects the same bytes back.
int checkEcho(host::LoadedPlugin& loaded, sdk::testing::FakeHostServices& fakeHost)
{
    sdk::AgentProvider* provider = loaded.plugin().agentProvider();
    if (!provider) return fail("agent capability declared but agentProvider() is null");
    sdk::testing::RecordingCallChannel channel;
    sdk::AgentSessionRequest request;
    request.call.callSid = "CAplugincheck";
    request.call.tenantId = "tenant-1";
    request.callerFormat = sdk::MediaFormat::ulaw8000();
    auto opened = provider->openSession(request, channel, fakeHost.loop());
    if (!opened.isOk()) return fail("openSession: " + opened.status().toString());
    std::shared_ptr<sdk::AgentSession> session = loaded.holdLibrary(std::move(opened).value());
    fakeHost.runUntilIdle();
    if (!channel.isReady()) return fail("the session never reported onLegReady()");

    sdk::AudioFrame frame;
    frame.format = sdk::MediaFormat::ulaw8000();
    frame.payload = "f39/fn18e3p5eA==";
    session->onAudio(frame);
    fakeHost.runUntilIdle();
    if (channel.audioPayloads() != frame.payload) return fail("audio was not echoed (got '" + channel.audioPayloads() + "')");
    session->close(sdk::EndReason::Completed);
    std::cout << "  session:      ready as " << channel.legInfo().remoteId << ", echoed " << channel.audio().size() << " frame(s)\n";
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 3)
    {
        std::cerr << "usage: patchbay_plugin_check <plugin.so> <id>\n";
        return 2;
    }
    auto sink = [](host::LogSeverity severity, const std::string& line) {
        std::cerr << "[" << host::logSeverityName(severity) << "] " << line << "\n";
    };

    host::PluginSpec spec;
    spec.path = argv[1];
    spec.id = argv[2];
    spec.required = true;
    spec.requiredCapabilities = PATCHBAY_CAP_AGENT;

    int rc = 0;
    {
        host::PluginLoader loader(sink);
        host::LoadResult result = loader.load(spec);
        if (!result.loaded()) return fail(result.message);
        const host::LoadedPlugin& p = *result.plugin;
        std::cout << "plugin " << p.id() << "\n"
                  << "  version:      " << p.version() << "\n"
                  << "  description:  " << p.description() << "\n"
                  << "  SDK ABI:      " << p.abiMajor() << "." << p.abiMinor() << "\n"
                  << "  capabilities: " << host::PluginLoader::capabilityNames(p.capabilities()) << "\n"
                  << "  signature:    " << p.buildSignature() << "\n"
                  << "  file:         " << p.path() << "\n";

        sdk::testing::FakeHostServices fakeHost(spec.id);
        host::PluginLifecycle lifecycle([&](host::LoadedPlugin&) -> sdk::HostServices& { return fakeHost; }, sink);
        lifecycle.add(result.plugin, spec);
        if (!lifecycle.initAll() || !lifecycle.startAll()) return fail(lifecycle.fatalMessage());
        rc = checkEcho(*result.plugin, fakeHost);
        lifecycle.shutdownAll();
        if (fakeHost.pluginFaults() != 0) rc = fail("the plugin threw out of a host callback");
    }
    if (rc == 0) std::cout << "OK\n";
    return rc;
}
