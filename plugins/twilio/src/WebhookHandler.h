// WebhookHandler.h: base of the Twilio webhook handlers — the signature gate, exception safety and metrics in one place.
#ifndef PATCHBAY_TWILIO_WEBHOOK_HANDLER_H
#define PATCHBAY_TWILIO_WEBHOOK_HANDLER_H

#include <memory>
#include <string>

#include <patchbay/sdk/HostServices.h>
#include <patchbay/sdk/Http.h>

#include "TwilioConfig.h"
#include "WebhookAuthenticator.h"

namespace patchbay::twilio {

/// Every request goes through the shared WebhookAuthenticator first; only requests that pass it
/// reach respond(). Each answer is counted in patchbay_twilio_webhooks_total{endpoint,result}.
/// THREAD: I/O (HTTP workers, concurrently); subclasses keep no per-request state in members.
class WebhookHandler : public sdk::HttpHandler
{
public:
    WebhookHandler(std::string endpoint, const TwilioConfig& config, sdk::HostServices& host,
                   std::shared_ptr<const WebhookAuthenticator> authenticator);

    void handle(const sdk::HttpRequest& request, sdk::HttpResponse& response) noexcept final;

protected:
    /// Answers a request that passed the gate. @return the metric result label.
    virtual const char* respond(const sdk::HttpRequest& request, const WebhookRequest& webhook,
                                sdk::HttpResponse& response) = 0;

    /// Answers when the gate could not reach the tenant store (503 by default).
    virtual const char* unavailable(sdk::HttpResponse& response);

    const std::string _endpoint; ///< "voice", "status", "stream-status", "connect-action"
    const TwilioConfig& _config;
    sdk::HostServices& _host;

private:
    void count(const char* result) noexcept;

    std::shared_ptr<const WebhookAuthenticator> _authenticator;
};

} // namespace patchbay::twilio

#endif
