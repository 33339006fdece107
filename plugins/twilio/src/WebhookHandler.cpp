// WebhookHandler.cpp: gate, dispatch and the last-resort 500 shared by every Twilio webhook.
#include "WebhookHandler.h"

namespace patchbay::twilio {

WebhookHandler::WebhookHandler(std::string endpoint, const TwilioConfig& config, sdk::HostServices& host,
                               std::shared_ptr<const WebhookAuthenticator> authenticator)
    : _endpoint(std::move(endpoint)), _config(config), _host(host), _authenticator(std::move(authenticator))
{
}

void WebhookHandler::count(const char* result) noexcept
{
    _host.metrics()
        .counter("patchbay_twilio_webhooks_total", "Twilio webhooks by endpoint and result",
                 {{"endpoint", _endpoint}, {"result", result}})
        .inc();
}

const char* WebhookHandler::unavailable(sdk::HttpResponse& response)
{
    webhook::plain(response, 503, "unavailable\n");
    return "unavailable";
}

void WebhookHandler::handle(const sdk::HttpRequest& request, sdk::HttpResponse& response) noexcept
{
    // The host would catch an escaping exception too, but would count it as a plugin fault and
    // answer without our logging; a webhook failure deserves its own line.
    try
    {
        WebhookRequest webhook;
        WebhookRefusal refusal;
        if (!_authenticator->authenticate(request, _endpoint, webhook, refusal))
        {
            if (refusal.status == 503)
                return count(unavailable(response));
            // No detail in the body: the reason is in the log, where only the operator reads it.
            webhook::plain(response, refusal.status,
                           refusal.status == 403 ? "forbidden\n" : refusal.status == 413 ? "too large\n" : "bad request\n");
            return count(refusal.result);
        }
        count(respond(request, webhook, response));
    }
    catch (const std::exception& e)
    {
        _host.logger().error(_endpoint + " webhook failed: " + e.what());
        response = sdk::HttpResponse{};
        webhook::plain(response, 500, "internal error\n");
        count("error");
    }
    catch (...)
    {
        _host.logger().error(_endpoint + " webhook failed: unknown exception");
        response = sdk::HttpResponse{};
        webhook::plain(response, 500, "internal error\n");
        count("error");
    }
}

} // namespace patchbay::twilio
