// MediaStreamEndpoint.h: decides on Media Stream upgrades — authentic unexpired unused token, valid signature when one is sent.
#ifndef PATCHBAY_TWILIO_MEDIA_STREAM_ENDPOINT_H
#define PATCHBAY_TWILIO_MEDIA_STREAM_ENDPOINT_H

#include <atomic>
#include <memory>

#include <patchbay/sdk/HostServices.h>
#include <patchbay/sdk/WebSocket.h>

#include "MediaStreamSession.h"
#include "TwilioConfig.h"

namespace patchbay::twilio {

/// THREAD: I/O for accept() (concurrently; everything it touches is thread-safe).
class MediaStreamEndpoint final : public sdk::WebSocketEndpoint
{
public:
    MediaStreamEndpoint(const TwilioConfig& config, sdk::HostServices& host, std::atomic<std::size_t>& activeLegs);
    std::shared_ptr<sdk::WebSocketHandler> accept(sdk::WebSocketUpgrade& upgrade) noexcept override;

private:
    std::shared_ptr<sdk::WebSocketHandler> refuse(sdk::WebSocketUpgrade& upgrade, const std::string& why,
                                                  const std::string& callSid);

    std::shared_ptr<MediaStreamContext> _context; ///< shared with every session (metrics, the replay cache)
    std::atomic<bool> _absentNoted{false};
};

} // namespace patchbay::twilio

#endif
