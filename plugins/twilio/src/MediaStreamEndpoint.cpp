// MediaStreamEndpoint.cpp: upgrade checks for /twilio/media/<token>.
#include "MediaStreamEndpoint.h"

#include <protocol/StreamToken.h>

#include "MediaStreamSession.h"

namespace patchbay::twilio {

MediaStreamEndpoint::MediaStreamEndpoint(const TwilioConfig& config, sdk::HostServices& host,
                                         std::atomic<std::size_t>& activeLegs)
    : _config(config), _host(host), _activeLegs(activeLegs)
{
}

std::shared_ptr<sdk::WebSocketHandler> MediaStreamEndpoint::accept(sdk::WebSocketUpgrade& upgrade) noexcept
{
    try
    {
        const std::string& path = upgrade.request.path;
        const std::string prefix = _config.mediaPath + "/";
        std::string token = path.size() > prefix.size() ? path.substr(prefix.size()) : std::string();
        if (!token.empty() && token.back() == '/') token.pop_back(); // some proxies append one
        // The CallSid is not known until `start`; here the token must at least be ours and fresh (an empty
        // expected CallSid skips the binding check, which MediaStreamSession repeats against start.callSid).
        const TokenCheck check = StreamToken::verify(token, "", _host.nowUnixMs() / 1000, _config.streamTokenSecret);
        if (!check.ok())
        {
            upgrade.refuseStatus = 403;
            upgrade.refuseReason = "forbidden";
            _host.logger().warn(std::string("media stream upgrade refused (403): stream token ") +
                                TokenCheck::reasonName(check.reason) + " from " + upgrade.request.remoteAddress);
            _host.metrics().counter("patchbay_twilio_streams_refused_total", "Media streams closed before or at start").inc();
            return nullptr;
        }
        upgrade.affinityKey = check.callSid; // the call's agent socket will be opened on the same loop
        return std::make_shared<MediaStreamSession>(_config, _host, std::move(token), check.callSid, _activeLegs);
    }
    catch (const std::exception& e)
    {
        _host.logger().error(std::string("media stream upgrade failed: ") + e.what());
        upgrade.refuseStatus = 500;
        upgrade.refuseReason = "internal error";
        return nullptr;
    }
}

} // namespace patchbay::twilio
