// TwilioPlugin.cpp: the twilio plugin — registers the webhooks (voice, status callbacks, Connect action) and the media-stream endpoint.
#include <atomic>
#include <memory>
#include <string>

#include <patchbay/sdk/Plugin.h>

#include "CallRecordUpdater.h"
#include "ConnectActionHandler.h"
#include "MediaStreamEndpoint.h"
#include "StatusCallbackHandler.h"
#include "TwilioCarrierControl.h"
#include "TwilioEndpointProbe.h"
#include "TwilioConfig.h"
#include "VoiceWebhookHandler.h"
#include "WebhookAuthenticator.h"

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
            _control = std::make_unique<TwilioCarrierControl>(_config, host, host.httpClient());
            _probe = std::make_unique<TwilioEndpointProbe>(_config, host);
            // One signature gate and one record updater for every webhook; one voice handler for both
            // methods, so a retried webhook gets the same stream token whichever method Twilio uses.
            auto gate = std::make_shared<const WebhookAuthenticator>(_config, host);
            auto updater = std::make_shared<CallRecordUpdater>(host);
            auto voice = std::make_shared<VoiceWebhookHandler>(_config, host, gate);
            auto status = std::make_shared<StatusCallbackHandler>(StatusCallbackHandler::Kind::Call, _config, host, gate, updater);
            struct Route
            {
                const char* method;
                const std::string& path;
                std::shared_ptr<sdk::HttpHandler> handler;
            };
            const Route routes[] = {
                {"POST", _config.voicePath, voice},
                {"GET", _config.voicePath, voice},
                {"POST", _config.statusCallbackPath, status},
                {"GET", _config.statusCallbackPath, status}, // StatusCallbackMethod is the number owner's choice
                {"POST", _config.streamStatusPath,
                 std::make_shared<StatusCallbackHandler>(StatusCallbackHandler::Kind::Stream, _config, host, gate, updater)},
                {"POST", _config.connectActionPath, std::make_shared<ConnectActionHandler>(_config, host, gate)}};
            for (const Route& route : routes)
                if (st.isOk()) st = host.addHttpRoute(route.method, route.path, route.handler);
            if (st.isOk()) st = host.addWebSocketEndpoint(_config.mediaPath + "/", std::make_shared<MediaStreamEndpoint>(_config, host, _activeLegs));
            if (!st.isOk())
            {
                shutdown();
                return st;
            }
            if (_config.developmentMode)
                host.logger().warn("developmentMode is ON: Twilio signatures are NOT validated. Never use this in production.");
            host.logger().info("twilio ready: voice webhook " + _config.publicUrl + _config.voicePath + ", status callback " +
                               _config.publicUrl + _config.statusCallbackPath + ", media streams " + _config.streamBaseUrl() +
                               _config.mediaPath + "/<token>");
            return sdk::Status::ok();
        });
    }

    /// TwilioConfig::parse, as init() runs it, into a throwaway: every config refusal of init()
    /// comes from there; what follows it (routes, the REST client) needs the host.
    sdk::Status checkConfig(std::string_view configJson) const noexcept override
    {
        return sdk::guarded([&] {
            TwilioConfig scratch;
            return TwilioConfig::parse(configJson, scratch);
        });
    }

    void shutdown() noexcept override
    {
        if (!_host) return;
        _host->removeHttpRoute("POST", _config.voicePath);
        _host->removeHttpRoute("GET", _config.voicePath);
        _host->removeHttpRoute("POST", _config.statusCallbackPath);
        _host->removeHttpRoute("GET", _config.statusCallbackPath);
        _host->removeHttpRoute("POST", _config.streamStatusPath);
        _host->removeHttpRoute("POST", _config.connectActionPath);
        _host->removeWebSocketEndpoint(_config.mediaPath + "/");
        _host = nullptr;
    }

    sdk::InboundProvider* inboundProvider() noexcept override { return this; }
    std::size_t activeLegs() const noexcept override { return _activeLegs.load(); }

    // Carrier control (ABI 1.2): TwilioCarrierControl and TwilioEndpointProbe; nothing may throw out.
    sdk::Status hangupCall(const sdk::CallInfo& call) override
    {
        return sdk::guarded([&] { return _control ? _control->hangupCall(call) : notReady(); });
    }
    sdk::Status transferCall(const sdk::CallInfo& call, const std::string& toNumber) override
    {
        return sdk::guarded([&] { return _control ? _control->transferCall(call, toNumber) : notReady(); });
    }
    sdk::Status redirectToFallback(const sdk::CallInfo& call, const sdk::Fallback& fallback) override
    {
        return sdk::guarded([&] { return _control ? _control->redirectToFallback(call, fallback) : notReady(); });
    }
    sdk::Status configureNumber(sdk::NumberRoute& route, const sdk::CarrierAccount& account, bool requested) override
    {
        return sdk::guarded([&] { return _control ? _control->configureNumber(route, account, requested) : notReady(); });
    }
    sdk::Result<sdk::SetupCheck> checkNumber(const sdk::NumberRoute& route, const sdk::CarrierAccount& account) override
    {
        return carrierResult<sdk::SetupCheck>([&] { return _control->checkNumber(route, account); });
    }
    std::vector<sdk::SetupCheck> checkPublicEndpoints(const sdk::CarrierAccount& account) override
    {
        try
        {
            if (_probe) return _probe->run(account);
        }
        catch (const std::exception& e)
        {
            return {sdk::SetupCheck{"public endpoints", false, std::string("the check failed: ") + e.what(), "see the gateway log"}};
        }
        return {};
    }
    sdk::Result<std::string> placeCall(const sdk::OutboundCallRequest& request, const sdk::CarrierAccount& account) override
    {
        return carrierResult<std::string>([&] { return _control->placeCall(request, account); });
    }

private:
    static sdk::Status notReady() { return sdk::Status::unavailable("the twilio plugin is not initialised"); }

    template <typename T, typename Fn>
    sdk::Result<T> carrierResult(Fn&& fn) noexcept
    {
        try
        {
            if (!_control) return notReady();
            return fn();
        }
        catch (const std::exception& e)
        {
            return sdk::Status::internal(e.what());
        }
        catch (...)
        {
            return sdk::Status::internal("unknown exception");
        }
    }

    TwilioConfig _config;
    sdk::HostServices* _host = nullptr;
    std::unique_ptr<TwilioCarrierControl> _control; // REST calls; built in init once the config is known
    std::unique_ptr<TwilioEndpointProbe> _probe;
    std::atomic<std::size_t> _activeLegs{0};
};

} // namespace patchbay::twilio

PATCHBAY_PLUGIN(patchbay::twilio::TwilioPlugin, "twilio", "0.1.0", PATCHBAY_CAP_INBOUND)
