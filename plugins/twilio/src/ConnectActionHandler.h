// ConnectActionHandler.h: the <Connect action> request Twilio makes when the media stream ends — hang up, or the tenant's fallback.
#ifndef PATCHBAY_TWILIO_CONNECT_ACTION_HANDLER_H
#define PATCHBAY_TWILIO_CONNECT_ACTION_HANDLER_H

#include <cstdint>

#include "WebhookHandler.h"

namespace patchbay::twilio {

/// The answer continues the call after </Connect>: <Hangup/>, unless the call record says the
/// agent failed (endReason "agent-failed") and the tenant has a fallback — then the caller hears
/// that fallback (<Say> and/or <Dial>, then <Hangup/>) instead of silence and a hang-up.
///
/// Twilio requests the action as soon as the WebSocket closes, while the core may still be writing
/// the call's final record; so for a record that is not final yet the handler waits (polling the
/// store, at most kFinalRecordWaitMs) before deciding. Unknown CallSid → 200 <Response/> (which
/// also ends the call), logged.
class ConnectActionHandler final : public WebhookHandler
{
public:
    static constexpr std::int64_t kFinalRecordWaitMs = 2000;
    static constexpr std::int64_t kPollMs = 50;

    ConnectActionHandler(const TwilioConfig& config, sdk::HostServices& host,
                         std::shared_ptr<const WebhookAuthenticator> authenticator);

protected:
    const char* respond(const sdk::HttpRequest& request, const WebhookRequest& webhook, sdk::HttpResponse& response) override;
};

} // namespace patchbay::twilio

#endif
