// StatusCallbackHandler.cpp: turns a call or stream status callback into a CallStatusEvent and answers Twilio.
#include "StatusCallbackHandler.h"

#include <protocol/TwimlBuilder.h>

#include "TwilioTimestamp.h"

namespace patchbay::twilio {

namespace {

/// SequenceNumber is a small decimal; anything else counts as absent (-1) rather than as a reason to refuse.
std::int64_t sequenceNumber(std::string_view text)
{
    if (text.empty() || text.size() > 9) return -1;
    std::int64_t value = 0;
    for (const char c : text)
    {
        if (c < '0' || c > '9') return -1;
        value = value * 10 + (c - '0');
    }
    return value;
}

bool knownStatus(std::string_view status, StatusCallbackHandler::Kind kind)
{
    if (kind == StatusCallbackHandler::Kind::Stream)
        return status == "stream-started" || status == "stream-stopped" || status == "stream-error";
    return *CallRecordUpdater::recordStatusFor(status) != '\0';
}

} // namespace

StatusCallbackHandler::StatusCallbackHandler(Kind kind, const TwilioConfig& config, sdk::HostServices& host,
                                             std::shared_ptr<const WebhookAuthenticator> authenticator,
                                             std::shared_ptr<CallRecordUpdater> updater)
    : WebhookHandler(kind == Kind::Call ? "status" : "stream-status", config, host, std::move(authenticator)),
      _kind(kind),
      _updater(std::move(updater))
{
}

const char* StatusCallbackHandler::respond(const sdk::HttpRequest&, const WebhookRequest& webhook, sdk::HttpResponse& response)
{
    sdk::Logger& log = _host.logger();
    const FormData& form = webhook.params;
    const std::string_view status = form.get(_kind == Kind::Call ? "CallStatus" : "StreamEvent");
    if (webhook.callSid.empty() || status.empty())
    {
        log.warn(_endpoint + " callback refused (400): CallSid and " + (_kind == Kind::Call ? "CallStatus" : "StreamEvent") +
                     " are required",
                 webhook.callSid);
        webhook::plain(response, 400, "bad request\n");
        return "bad-request";
    }
    if (!knownStatus(status, _kind))
    {
        // A status this code does not know yet is Twilio's news, not an error: acknowledge, keep nothing.
        log.info(_endpoint + " callback with unknown status '" + WebhookAuthenticator::printable(status, 32) + "' ignored",
                 webhook.callSid);
        webhook::twiml(response, TwimlBuilder::empty());
        return "ignored";
    }
    if (!_host.tenantStore())
    {
        // Only developmentMode gets here without a store: nothing to record into.
        webhook::twiml(response, TwimlBuilder::empty());
        return "ignored";
    }

    sdk::CallStatusEvent event;
    event.callSid = webhook.callSid;
    event.status = std::string(status);
    event.sequenceNumber = _kind == Kind::Call ? sequenceNumber(form.get("SequenceNumber")) : -1;
    const std::string_view stamp = form.get("Timestamp");
    const std::optional<std::int64_t> at = _kind == Kind::Call ? TwilioTimestamp::parseRfc2822(stamp) : TwilioTimestamp::parse(stamp);
    event.atMs = at ? *at : _host.nowUnixMs();
    if (!at && !stamp.empty())
        log.debug(_endpoint + " callback Timestamp '" + WebhookAuthenticator::printable(stamp, 48) + "' not understood; using now",
                  webhook.callSid);
    if (event.status == "stream-error")
        log.warn("media stream error reported by Twilio: " + WebhookAuthenticator::printable(form.get("StreamError"), 300),
                 webhook.callSid);

    const CallRecordUpdater::Result result = _kind == Kind::Call ? _updater->applyCallStatus(webhook.accountSid, event)
                                                                 : _updater->applyStreamEvent(webhook.accountSid, event);
    const std::string what = _endpoint + " callback " + event.status +
                             (event.sequenceNumber >= 0 ? " #" + std::to_string(event.sequenceNumber) : std::string());
    switch (result.outcome)
    {
    case CallRecordUpdater::Outcome::Updated:
        log.debug(what + ": " + result.detail, webhook.callSid);
        webhook::twiml(response, TwimlBuilder::empty());
        return "recorded";
    case CallRecordUpdater::Outcome::Unchanged:
        log.debug(what + ": " + result.detail, webhook.callSid);
        webhook::twiml(response, TwimlBuilder::empty());
        return "repeated";
    case CallRecordUpdater::Outcome::UnknownCall:
        // 200 all the same: an error status would only make Twilio retry and flag the number.
        log.info(what + " for an unknown CallSid (account " + webhook.accountSid + "): not recorded", webhook.callSid);
        webhook::twiml(response, TwimlBuilder::empty());
        return "unknown-call";
    case CallRecordUpdater::Outcome::WrongAccount:
        log.warn(_endpoint + " callback refused (403): account " + webhook.accountSid + " signed it, but " + result.detail,
                 webhook.callSid);
        webhook::plain(response, 403, "forbidden\n");
        return "forbidden";
    case CallRecordUpdater::Outcome::Unavailable:
        break;
    }
    log.error(what + " not recorded (503): " + result.detail, webhook.callSid);
    webhook::plain(response, 503, "unavailable\n");
    return "unavailable";
}

} // namespace patchbay::twilio
