// MediaStreamEndpoint.h: decides on Media Stream upgrades — the path must carry an authentic, unexpired stream token.
#ifndef PATCHBAY_TWILIO_MEDIA_STREAM_ENDPOINT_H
#define PATCHBAY_TWILIO_MEDIA_STREAM_ENDPOINT_H

#include <atomic>

#include <patchbay/sdk/HostServices.h>
#include <patchbay/sdk/WebSocket.h>

#include "TwilioConfig.h"

namespace patchbay::twilio {

class MediaStreamEndpoint final : public sdk::WebSocketEndpoint
{
public:
    MediaStreamEndpoint(const TwilioConfig& config, sdk::HostServices& host, std::atomic<std::size_t>& activeLegs);
    std::shared_ptr<sdk::WebSocketHandler> accept(sdk::WebSocketUpgrade& upgrade) noexcept override;

private:
    const TwilioConfig& _config;
    sdk::HostServices& _host;
    std::atomic<std::size_t>& _activeLegs;
};

} // namespace patchbay::twilio

#endif
