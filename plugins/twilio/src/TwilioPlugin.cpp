// TwilioPlugin.cpp: the twilio plugin — registers the voice webhook and the media-stream endpoint, and nothing else.
#include <atomic>
#include <memory>

#include <patchbay/sdk/Plugin.h>

#include "MediaStreamEndpoint.h"
#include "TwilioConfig.h"
#include "VoiceWebhookHandler.h"

namespace patchbay::twilio {

class TwilioPlugin final : public sdk::Plugin, public sdk::InboundProvider
{
public:
    sdk::Status init(sdk::HostServices& host, std::string_view configJson) noexcept override
    {
        return sdk::guarded([&] {
            TwilioConfig parsed; // a failed init leaves nothing behind
            sdk::Status st = TwilioConfig::parse(configJson, parsed);
            if (!st.isOk()) return st;
            _config = std::move(parsed);
            _host = &host;
            st = host.addHttpRoute("POST", _config.voicePath, std::make_shared<VoiceWebhookHandler>(_config, host));
            if (st.isOk()) st = host.addHttpRoute("GET", _config.voicePath, std::make_shared<VoiceWebhookHandler>(_config, host));
            if (st.isOk()) st = host.addWebSocketEndpoint(_config.mediaPath + "/", std::make_shared<MediaStreamEndpoint>(_config, host, _activeLegs));
            if (!st.isOk())
            {
                shutdown();
                return st;
            }
            if (_config.developmentMode)
                host.logger().warn("developmentMode is ON: Twilio signatures are NOT validated. Never use this in production.");
            host.logger().info("twilio ready: voice webhook " + _config.publicUrl + _config.voicePath + ", media streams " +
                               _config.streamBaseUrl() + _config.mediaPath + "/<token>");
            return sdk::Status::ok();
        });
    }

    void shutdown() noexcept override
    {
        if (!_host) return;
        _host->removeHttpRoute("POST", _config.voicePath);
        _host->removeHttpRoute("GET", _config.voicePath);
        _host->removeWebSocketEndpoint(_config.mediaPath + "/");
        _host = nullptr;
    }

    sdk::InboundProvider* inboundProvider() noexcept override { return this; }
    std::size_t activeLegs() const noexcept override { return _activeLegs.load(); }

private:
    TwilioConfig _config;
    sdk::HostServices* _host = nullptr;
    std::atomic<std::size_t> _activeLegs{0};
};

} // namespace patchbay::twilio

PATCHBAY_PLUGIN(patchbay::twilio::TwilioPlugin, "twilio", "0.1.0", PATCHBAY_CAP_INBOUND)
