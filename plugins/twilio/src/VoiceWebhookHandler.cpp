// VoiceWebhookHandler.cpp: the voice webhook, from untrusted form body to TwiML.
#include "VoiceWebhookHandler.h"

#include <protocol/FormData.h>
#include <protocol/SignatureValidator.h>
#include <protocol/StreamToken.h>
#include <protocol/TwimlBuilder.h>

namespace patchbay::twilio {

VoiceWebhookHandler::VoiceWebhookHandler(const TwilioConfig& config, sdk::HostServices& host) : _config(config), _host(host) {}

void VoiceWebhookHandler::plain(sdk::HttpResponse& response, int status, const char* body)
{
    response.status = status;
    response.contentType = "text/plain; charset=utf-8";
    response.body = body;
}

void VoiceWebhookHandler::handle(const sdk::HttpRequest& request, sdk::HttpResponse& response) noexcept
{
    try
    {
        answer(request, response);
    }
    catch (const std::exception& e)
    {
        _host.logger().error(std::string("voice webhook failed: ") + e.what());
        plain(response, 500, "internal error\n");
    }
    catch (...)
    {
        _host.logger().error("voice webhook failed: unknown exception");
        plain(response, 500, "internal error\n");
    }
}

void VoiceWebhookHandler::answer(const sdk::HttpRequest& request, sdk::HttpResponse& response)
{
    sdk::Logger& log = _host.logger();
    auto& metrics = _host.metrics();
    auto count = [&](const char* outcome) {
        metrics.counter("patchbay_twilio_voice_webhooks_total", "Twilio voice webhooks by result", {{"result", outcome}}).inc();
    };

    // 1. The untrusted parameters: POST form body, or the query of a GET.
    FormData form;
    std::string error;
    const bool isPost = request.method == "POST";
    if (isPost)
    {
        const std::string_view type = request.header("Content-Type");
        if (type.substr(0, 33) != "application/x-www-form-urlencoded")
        {
            count("bad-request");
            log.warn("voice webhook refused: Content-Type '" + std::string(type.substr(0, 64)) +
                     "' is not application/x-www-form-urlencoded (400)");
            return plain(response, 400, "expected application/x-www-form-urlencoded\n");
        }
        if (!form.parse(request.body, &error))
        {
            count("bad-request");
            log.warn("voice webhook refused: malformed form body: " + error + " (400)");
            return plain(response, 400, "malformed form body\n");
        }
    }
    else if (!form.parseQuery(request.query, &error))
    {
        count("bad-request");
        log.warn("voice webhook refused: malformed query: " + error + " (400)");
        return plain(response, 400, "malformed query\n");
    }

    const std::string callSid(form.get("CallSid"));
    const std::string accountSid(form.get("AccountSid"));
    if (callSid.empty() || accountSid.empty() || form.get("To").empty())
    {
        count("bad-request");
        log.warn("voice webhook refused: CallSid, AccountSid and To are required (400)", callSid);
        return plain(response, 400, "CallSid, AccountSid and To are required\n");
    }

    // 2. The signature, with the token of the account the request names (subaccounts sign with their own).
    const std::string url = _config.publicUrl + request.path + (request.query.empty() ? "" : "?" + request.query);
    if (_config.developmentMode)
    {
        log.warn("developmentMode: X-Twilio-Signature NOT validated for " + url + " — never run this in production", callSid);
    }
    else
    {
        sdk::TenantStore* store = _host.tenantStore();
        if (!store)
        {
            count("unavailable");
            log.error("voice webhook: no tenant store configured, cannot look up account tokens (503)", callSid);
            return plain(response, 503, "unavailable\n");
        }
        sdk::Result<sdk::CarrierAccount> account = store->findAccount(accountSid);
        if (!account.isOk())
        {
            if (account.status().code() == sdk::StatusCode::NotFound)
            {
                count("forbidden");
                log.warn("voice webhook refused (403): unknown AccountSid " + accountSid +
                             " — add the account to the tenant store", callSid);
                return plain(response, 403, "forbidden\n");
            }
            count("unavailable");
            log.error("voice webhook: account lookup failed: " + account.status().toString() + " (503)", callSid);
            return plain(response, 503, "unavailable\n");
        }
        const std::string_view header = request.header("X-Twilio-Signature");
        if (header.empty())
        {
            count("forbidden");
            log.warn("voice webhook refused (403): no X-Twilio-Signature header (account " + accountSid + ", URL " + url +
                         "); likely cause: the request did not come from Twilio",
                     callSid);
            return plain(response, 403, "forbidden\n");
        }
        const SignatureValidator::Params params = isPost ? form.pairs() : SignatureValidator::Params{};
        ValidationResult result = SignatureValidator::validate(header, url, params, account->authToken);
        if (!result.valid() && !account->secondaryToken.empty())
            result = SignatureValidator::validate(header, url, params, account->secondaryToken);
        if (!result.valid())
        {
            count("forbidden");
            const std::string cause =
                "publicUrl differs from the URL configured in Twilio (check scheme, host, path and any proxy rewriting), "
                "or the account's auth token is wrong";
            log.warn("voice webhook refused (403): signature invalid for account " + accountSid + "; validated against " +
                         result.describe() + "; likely cause: " + cause,
                     callSid);
            return plain(response, 403, "forbidden\n");
        }
    }

    // 3. Admission by the core, then the TwiML that carries it out.
    sdk::CallInfo call;
    call.callSid = callSid;
    call.accountSid = accountSid;
    call.from = std::string(form.get("From"));
    call.to = std::string(form.get("To"));
    call.direction = form.get("Direction").substr(0, 8) == "outbound" ? sdk::CallDirection::Outbound : sdk::CallDirection::Inbound;
    call.inboundProvider = std::string(_host.pluginId());
    const sdk::Admission admission = _host.router().admit(call);

    response.status = 200;
    response.contentType = "text/xml; charset=utf-8";
    switch (admission.outcome)
    {
    case sdk::AdmissionOutcome::Accepted:
    {
        const std::int64_t expires = _host.nowUnixMs() / 1000 + _config.streamTokenTtlSeconds;
        const std::string token = StreamToken::issue(admission.tenantId, callSid, expires, _config.streamTokenSecret);
        ConnectStreamSpec spec;
        spec.streamUrl = _config.streamBaseUrl() + _config.mediaPath + "/" + token;
        spec.streamName = "patchbay";
        spec.parameters = {{"callToken", token}, {"tenant", admission.tenantId}};
        response.body = TwimlBuilder::connectStream(spec);
        count("accepted");
        break;
    }
    case sdk::AdmissionOutcome::UnknownNumber:
        response.body = TwimlBuilder::reject(RejectReason::Rejected);
        count("rejected");
        break;
    case sdk::AdmissionOutcome::OverLimit:
        response.body = TwimlBuilder::reject(RejectReason::Busy);
        count("busy");
        break;
    default:
    {
        const sdk::Fallback& fb = admission.fallback;
        if (fb.message.empty() && fb.dialNumber.empty())
            response.body = TwimlBuilder::sayAndHangup(_config.fallbackMessage);
        else
            response.body = TwimlBuilder::fallback(fb.message.empty() ? std::nullopt : std::optional<std::string_view>(fb.message),
                                                   fb.dialNumber.empty() ? std::nullopt
                                                                         : std::optional<std::string_view>(fb.dialNumber));
        count("fallback");
        break;
    }
    }
}

} // namespace patchbay::twilio
