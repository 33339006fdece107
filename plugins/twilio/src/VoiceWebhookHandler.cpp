// VoiceWebhookHandler.cpp: the voice webhook, from an authenticated form to the TwiML that carries out the core's decision.
#include "VoiceWebhookHandler.h"

#include <optional>

#include <protocol/StreamToken.h>
#include <protocol/TwimlBuilder.h>

namespace patchbay::twilio {

VoiceWebhookHandler::VoiceWebhookHandler(const TwilioConfig& config, sdk::HostServices& host,
                                         std::shared_ptr<const WebhookAuthenticator> authenticator)
    : WebhookHandler("voice", config, host, std::move(authenticator))
{
}

const char* VoiceWebhookHandler::unavailable(sdk::HttpResponse& response)
{
    webhook::twiml(response, TwimlBuilder::sayAndHangup(_config.fallbackMessage));
    return "unavailable";
}

std::string VoiceWebhookHandler::streamToken(const std::string& tenantId, const std::string& callSid)
{
    const std::int64_t nowSec = _host.nowUnixMs() / 1000;
    std::lock_guard<std::mutex> lock(_mutex);
    // Forget what has expired (the deque is in expiry order: every token lives the same TTL).
    while (!_expiries.empty() && (_expiries.front().first <= nowSec || _issued.size() > kMaxRemembered))
    {
        auto it = _issued.find(_expiries.front().second);
        if (it != _issued.end() && it->second.expiresAtSec == _expiries.front().first) _issued.erase(it);
        _expiries.pop_front();
    }
    auto it = _issued.find(callSid);
    if (it != _issued.end() && it->second.tenantId == tenantId && it->second.expiresAtSec > nowSec) return it->second.token;

    const std::int64_t expires = nowSec + _config.streamTokenTtlSeconds;
    std::string token = StreamToken::issue(tenantId, callSid, expires, _config.streamTokenSecret);
    _issued[callSid] = Issued{tenantId, token, expires};
    _expiries.emplace_back(expires, callSid);
    return token;
}

const char* VoiceWebhookHandler::respond(const sdk::HttpRequest&, const WebhookRequest& webhook, sdk::HttpResponse& response)
{
    sdk::Logger& log = _host.logger();
    const FormData& form = webhook.params;
    if (webhook.callSid.empty() || form.get("To").empty())
    {
        log.warn("voice webhook refused (400): CallSid and To are required", webhook.callSid);
        webhook::plain(response, 400, "bad request\n");
        return "bad-request";
    }

    sdk::CallInfo call;
    call.callSid = webhook.callSid;
    call.accountSid = webhook.accountSid;
    call.from = std::string(form.get("From"));
    call.to = std::string(form.get("To"));
    call.direction = form.get("Direction").substr(0, 8) == "outbound" ? sdk::CallDirection::Outbound : sdk::CallDirection::Inbound;
    call.inboundProvider = std::string(_host.pluginId());
    const sdk::Admission admission = _host.router().admit(call);

    switch (admission.outcome)
    {
    case sdk::AdmissionOutcome::Accepted:
    {
        const std::string token = streamToken(admission.tenantId, call.callSid);
        if (token.empty())
        {
            // Only ids longer than StreamToken allows get here; the call cannot be bridged.
            log.error("voice webhook: no stream token for tenant '" + WebhookAuthenticator::printable(admission.tenantId, 64) +
                          "' (id too long?); answering fallbackMessage",
                      call.callSid);
            webhook::twiml(response, TwimlBuilder::sayAndHangup(_config.fallbackMessage));
            return "fallback";
        }
        ConnectStreamSpec spec;
        // The action runs when the stream ends; statusCallback reports stream start/stop/error.
        spec.actionUrl = _config.publicUrl + _config.connectActionPath;
        spec.streamUrl = _config.streamBaseUrl() + _config.mediaPath + "/" + token;
        spec.streamName = "patchbay";
        spec.statusCallbackUrl = _config.publicUrl + _config.streamStatusPath;
        spec.parameters = {{"callToken", token}, {"tenant", admission.tenantId}};
        webhook::twiml(response, TwimlBuilder::connectStream(spec));
        return "accepted";
    }
    case sdk::AdmissionOutcome::UnknownNumber:
        webhook::twiml(response, TwimlBuilder::reject(RejectReason::Rejected));
        return "rejected";
    case sdk::AdmissionOutcome::OverLimit:
        webhook::twiml(response, TwimlBuilder::reject(RejectReason::Busy));
        return "busy";
    case sdk::AdmissionOutcome::TenantSuspended:
    case sdk::AdmissionOutcome::AgentUnavailable:
    case sdk::AdmissionOutcome::Draining:
    case sdk::AdmissionOutcome::StoreUnavailable:
        break;
    }
    const sdk::Fallback& fb = admission.fallback;
    if (fb.message.empty() && fb.dialNumber.empty())
        webhook::twiml(response, TwimlBuilder::sayAndHangup(_config.fallbackMessage));
    else
        webhook::twiml(response,
                       TwimlBuilder::fallback(fb.message.empty() ? std::nullopt : std::optional<std::string_view>(fb.message),
                                              fb.dialNumber.empty() ? std::nullopt : std::optional<std::string_view>(fb.dialNumber)));
    return "fallback";
}

} // namespace patchbay::twilio
