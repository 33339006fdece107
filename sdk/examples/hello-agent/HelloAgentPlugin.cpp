// HelloAgentPlugin.cpp: an agent plugin whose sessions echo the caller's audio back — the Patchbay plugin guide's example.
//
// Everything a real agent plugin has, minus the vendor: config read in init(), a metric, logging
// tagged with the CallSid, readiness reported asynchronously on the call's loop, media passed
// through without copying, and a clean end (the caller presses the hang-up digit, or the core closes).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "patchbay/sdk/Sdk.h"
#include "patchbay/sdk/support/Json.h"

namespace {

using namespace patchbay;

/// One call's agent leg. THREAD: Media — every method runs on the loop it was opened on, so its
/// state needs no locks.
class EchoSession : public sdk::AgentSession
{
public:
    EchoSession(sdk::CallChannel& channel, sdk::EventLoop& loop, const sdk::AgentSessionRequest& request, char hangupDigit,
                sdk::Counter& frames)
        : _channel(&channel), _callSid(request.call.callSid), _hangupDigit(hangupDigit), _frames(frames)
    {
        // openSession() must not call back into the core before it returns: report readiness from the
        // loop. The flag tells the posted task whether the session is still there when it runs.
        sdk::LegInfo info;
        info.sendsFormat = request.callerFormat; // we send back exactly what we receive
        info.receivesFormat = request.callerFormat;
        info.remoteId = "hello-" + _callSid;
        std::weak_ptr<bool> alive = _alive;
        loop.post([this, alive, info] {
            if (alive.lock() && _channel) _channel->onLegReady(info);
        });
    }

    ~EchoSession() override { _alive.reset(); }

    void onAudio(const sdk::AudioFrame& frame) noexcept override
    {
        // The frame is borrowed for this call only; passing it straight on is allowed, keeping it is not.
        if (!_channel) return;
        _channel->onAudio(frame);
        _frames.inc();
    }

    void onClear() noexcept override {}
    void onMark(std::string_view) noexcept override {}

    void onDtmf(char digit) noexcept override
    {
        if (!_channel || digit != _hangupDigit) return;
        sdk::CallChannel* channel = _channel;
        _channel = nullptr; // onLegEnded is our last call into the channel
        channel->onLegEnded(sdk::EndReason::AgentEnded, "caller pressed the hang-up digit");
    }

    void close(sdk::EndReason) noexcept override { _channel = nullptr; }

private:
    sdk::CallChannel* _channel;
    std::string _callSid;
    char _hangupDigit;
    sdk::Counter& _frames;
    std::shared_ptr<bool> _alive = std::make_shared<bool>(true);
};

class HelloAgentPlugin : public sdk::Plugin, public sdk::AgentProvider
{
public:
    /// THREAD: Control. Config: {"hangupDigit": "#"} (optional).
    sdk::Status init(sdk::HostServices& host, std::string_view configJson) noexcept override
    {
        return sdk::guarded([&]() -> sdk::Status {
            sdk::support::JsonDocument config;
            std::string error;
            if (!config.parse(configJson, &error)) return sdk::Status::invalidArgument("config: " + error);
            const std::string_view digit = config.root()["hangupDigit"].asString("#");
            if (digit.size() != 1) return sdk::Status::invalidArgument("config: hangupDigit must be one character");
            _hangupDigit = digit[0];
            _host = &host;
            _sessions = &host.metrics().counter("hello_agent_sessions_total", "Sessions opened by hello-agent");
            _frames = &host.metrics().counter("hello_agent_echoed_frames_total", "Audio frames echoed by hello-agent");
            host.logger().info("hello-agent ready; hang-up digit " + std::string(digit));
            return sdk::Status::ok();
        });
    }

    void shutdown() noexcept override { _host = nullptr; }

    sdk::AgentProvider* agentProvider() noexcept override { return this; }

    /// THREAD: Media (on `loop`). Never blocks: the session reports readiness from the loop.
    sdk::Result<std::unique_ptr<sdk::AgentSession>> openSession(const sdk::AgentSessionRequest& request,
                                                                sdk::CallChannel& channel, sdk::EventLoop& loop) noexcept override
    {
        if (!_host) return sdk::Status::unavailable("hello-agent is not initialised");
        try
        {
            auto session = std::make_unique<EchoSession>(channel, loop, request, _hangupDigit, *_frames);
            _sessions->inc();
            _host->logger().info("echo session opened", request.call.callSid);
            return std::unique_ptr<sdk::AgentSession>(std::move(session));
        }
        catch (const std::exception& e)
        {
            return sdk::Status::internal(e.what());
        }
    }

private:
    sdk::HostServices* _host = nullptr;
    sdk::Counter* _sessions = nullptr;
    sdk::Counter* _frames = nullptr;
    char _hangupDigit = '#';
};

} // namespace

PATCHBAY_PLUGIN(HelloAgentPlugin, "hello-agent", "1.0.0", PATCHBAY_CAP_AGENT)
