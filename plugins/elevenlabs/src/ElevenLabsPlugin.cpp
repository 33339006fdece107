// ElevenLabsPlugin.cpp: plugin lifecycle and session factory.
#include "ElevenLabsPlugin.h"

#include "ConversationSession.h"

namespace patchbay::elevenlabs {

sdk::Status ElevenLabsPlugin::init(sdk::HostServices& host, std::string_view configJson) noexcept
{
    return sdk::guarded([&]() -> sdk::Status {
        ElevenLabsConfig config;
        sdk::Status status = ElevenLabsConfig::parse(configJson, config);
        if (!status)
            return status;
        _config = std::move(config);
        _metrics = PluginMetrics::registerIn(host.metrics());
        _host = &host;
        // Never the key itself: only whether one is set.
        host.logger().info("elevenlabs agent provider ready: baseUrl " + _config.baseUrl + ", signed URLs "
                           + (_config.apiKey.empty() ? "only for tenants with their own key" : "with the workspace key")
                           + (_config.requireUlaw ? ", ulaw_8000 required" : ""));
        return sdk::Status::ok();
    });
}

void ElevenLabsPlugin::shutdown() noexcept
{
    // Metrics cannot be unregistered (the registry owns them until exit) and init registered
    // nothing else, so dropping the host reference is all there is to undo.
    _host = nullptr;
}

sdk::Result<std::unique_ptr<sdk::AgentSession>> ElevenLabsPlugin::openSession(const sdk::AgentSessionRequest& request,
                                                                              sdk::CallChannel& channel,
                                                                              sdk::EventLoop& loop) noexcept
{
    if (!_host)
        return sdk::Status::unavailable("the elevenlabs plugin is not initialised");
    auto result = ConversationSession::open(*_host, _config, _metrics, request, channel, loop);
    if (!result && _metrics.sessionsFailed)
        _metrics.sessionsFailed->inc();
    return result;
}

} // namespace patchbay::elevenlabs
