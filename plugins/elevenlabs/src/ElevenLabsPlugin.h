// ElevenLabsPlugin.h: the elevenlabs plugin object — config, metrics, and the AgentProvider that opens ConversationSessions.
#ifndef PATCHBAY_ELEVENLABS_PLUGIN_H
#define PATCHBAY_ELEVENLABS_PLUGIN_H

#include <string_view>

#include "ElevenLabsConfig.h"
#include "PluginMetrics.h"
#include "patchbay/sdk/AgentProvider.h"
#include "patchbay/sdk/Plugin.h"

namespace patchbay::elevenlabs {

/// Registers the webhook routes whose secrets are configured (post-call: webhookSecret,
/// initiation: initiationSecret), and metrics.
class ElevenLabsPlugin final : public sdk::Plugin, public sdk::AgentProvider
{
public:
    ElevenLabsPlugin() = default;
    ~ElevenLabsPlugin() override = default;
    ElevenLabsPlugin(const ElevenLabsPlugin&) = delete;
    ElevenLabsPlugin& operator=(const ElevenLabsPlugin&) = delete;

    // ---- sdk::Plugin (THREAD: Control) ----
    sdk::Status init(sdk::HostServices& host, std::string_view configJson) noexcept override;
    void shutdown() noexcept override;
    sdk::AgentProvider* agentProvider() noexcept override { return this; }
    /// ElevenLabsConfig::parse, as init() runs it, into a throwaway: no routes, no metrics, and
    /// this object's config is left as it was.
    sdk::Status checkConfig(std::string_view configJson) const noexcept override;

    // ---- sdk::AgentProvider (THREAD: Media) ----
    sdk::Result<std::unique_ptr<sdk::AgentSession>> openSession(const sdk::AgentSessionRequest& request,
                                                                sdk::CallChannel& channel,
                                                                sdk::EventLoop& loop) noexcept override;

    /// The parsed config (for tests and diagnostics; apiKey inside is SECRET).
    const ElevenLabsConfig& config() const noexcept { return _config; }

private:
    /// Registers the configured webhook routes; on failure removes what it added.
    sdk::Status addWebhookRoutes(sdk::HostServices& host);
    void removeWebhookRoutes(sdk::HostServices& host) noexcept;

    sdk::HostServices* _host = nullptr; ///< set by init(), cleared by shutdown()
    ElevenLabsConfig _config;
    PluginMetrics _metrics;
};

} // namespace patchbay::elevenlabs

#endif
