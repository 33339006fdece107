// StatusCallbackHandler.h: the call status callback and the <Stream statusCallback> — signed, stored in order, answered <Response/>.
#ifndef PATCHBAY_TWILIO_STATUS_CALLBACK_HANDLER_H
#define PATCHBAY_TWILIO_STATUS_CALLBACK_HANDLER_H

#include <memory>

#include "CallRecordUpdater.h"
#include "WebhookHandler.h"

namespace patchbay::twilio {

/// Call status callbacks (config.statusCallbackPath: CallStatus, SequenceNumber, RFC 2822
/// Timestamp) and stream status callbacks (config.streamStatusPath: StreamEvent, StreamSid,
/// ISO 8601 Timestamp) both end up in CallRecordUpdater.
///
/// Answers: 200 with an empty <Response/> for anything Twilio should not retry, including a
/// CallSid the store does not know (logged); 400 without CallSid / status; 403 for a call of
/// another account; 503 when the store fails.
class StatusCallbackHandler final : public WebhookHandler
{
public:
    enum class Kind
    {
        Call,
        Stream
    };

    StatusCallbackHandler(Kind kind, const TwilioConfig& config, sdk::HostServices& host,
                          std::shared_ptr<const WebhookAuthenticator> authenticator,
                          std::shared_ptr<CallRecordUpdater> updater);

protected:
    const char* respond(const sdk::HttpRequest& request, const WebhookRequest& webhook, sdk::HttpResponse& response) override;

private:
    const Kind _kind;
    std::shared_ptr<CallRecordUpdater> _updater;
};

} // namespace patchbay::twilio

#endif
