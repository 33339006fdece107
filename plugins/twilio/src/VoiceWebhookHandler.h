// VoiceWebhookHandler.h: POST/GET voice webhook — validates X-Twilio-Signature, asks the core to admit, answers TwiML.
#ifndef PATCHBAY_TWILIO_VOICE_WEBHOOK_HANDLER_H
#define PATCHBAY_TWILIO_VOICE_WEBHOOK_HANDLER_H

#include <patchbay/sdk/HostServices.h>
#include <patchbay/sdk/Http.h>

#include "TwilioConfig.h"

namespace patchbay::twilio {

class VoiceWebhookHandler final : public sdk::HttpHandler
{
public:
    VoiceWebhookHandler(const TwilioConfig& config, sdk::HostServices& host);
    void handle(const sdk::HttpRequest& request, sdk::HttpResponse& response) noexcept override;

private:
    void answer(const sdk::HttpRequest& request, sdk::HttpResponse& response);
    static void plain(sdk::HttpResponse& response, int status, const char* body);

    const TwilioConfig& _config;
    sdk::HostServices& _host;
};

} // namespace patchbay::twilio

#endif
