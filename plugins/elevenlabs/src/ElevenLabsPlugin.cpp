// ElevenLabsPlugin.cpp: plugin lifecycle and session factory.
#include "ElevenLabsPlugin.h"

#include "ConversationSession.h"
#include "InitiationWebhook.h"
#include "PostCallWebhook.h"

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
        status = addWebhookRoutes(host);
        if (!status)
            return status;
        _host = &host;
        // Never the key itself: only whether one is set.
        host.logger().info("elevenlabs agent provider ready: baseUrl " + _config.baseUrl + ", signed URLs "
                           + (_config.apiKey.empty() ? "only for tenants with their own key" : "with the workspace key")
                           + (_config.requireUlaw ? ", ulaw_8000 required" : ""));
        return sdk::Status::ok();
    });
}

sdk::Status ElevenLabsPlugin::checkConfig(std::string_view configJson) const noexcept
{
    // Every config refusal of init() comes from parse(); what init() does after it (metrics,
    // routes) needs the host and can only fail for reasons that are not in the config text.
    return sdk::guarded([&] {
        ElevenLabsConfig scratch;
        return ElevenLabsConfig::parse(configJson, scratch);
    });
}

sdk::Status ElevenLabsPlugin::addWebhookRoutes(sdk::HostServices& host)
{
    // Handlers hold a reference to _config: the plugin outlives its routes (shutdown removes them).
    if (_config.webhookSecret.empty())
        host.logger().info("post-call webhooks disabled: no webhookSecret configured");
    else
    {
        sdk::Status st = host.addHttpRoute("POST", _config.postCallPath, std::make_shared<PostCallWebhook>(_config, host));
        if (!st)
            return st;
        host.logger().info("post-call webhooks on POST " + _config.postCallPath + " (ElevenLabs-Signature required)");
    }
    if (_config.initiationSecret.empty())
        host.logger().info("conversation-initiation webhook disabled: no initiationSecret configured");
    else
    {
        sdk::Status st = host.addHttpRoute("POST", _config.initiationPath, std::make_shared<InitiationWebhook>(_config, host));
        if (!st)
        {
            removeWebhookRoutes(host);
            return st;
        }
        host.logger().info("conversation-initiation webhook on POST " + _config.initiationPath + " (bearer token required)");
    }
    return sdk::Status::ok();
}

void ElevenLabsPlugin::removeWebhookRoutes(sdk::HostServices& host) noexcept
{
    if (!_config.webhookSecret.empty())
        host.removeHttpRoute("POST", _config.postCallPath);
    if (!_config.initiationSecret.empty())
        host.removeHttpRoute("POST", _config.initiationPath);
}

void ElevenLabsPlugin::shutdown() noexcept
{
    // Metrics cannot be unregistered (the registry owns them until exit); the routes can.
    if (_host)
        removeWebhookRoutes(*_host);
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
