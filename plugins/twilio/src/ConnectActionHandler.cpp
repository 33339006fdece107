// ConnectActionHandler.cpp: decides what follows the stream from the call's final record and the tenant's fallback.
#include "ConnectActionHandler.h"

#include <chrono>
#include <optional>
#include <thread>

#include <protocol/TwimlBuilder.h>

namespace patchbay::twilio {

namespace {

bool isFinal(const sdk::CallRecord& record)
{
    return record.status == "ended" || record.status == "rejected";
}

} // namespace

ConnectActionHandler::ConnectActionHandler(const TwilioConfig& config, sdk::HostServices& host,
                                           std::shared_ptr<const WebhookAuthenticator> authenticator)
    : WebhookHandler("connect-action", config, host, std::move(authenticator))
{
}

const char* ConnectActionHandler::respond(const sdk::HttpRequest&, const WebhookRequest& webhook, sdk::HttpResponse& response)
{
    sdk::Logger& log = _host.logger();
    if (webhook.callSid.empty())
    {
        log.warn("connect action refused (400): no CallSid");
        webhook::plain(response, 400, "bad request\n");
        return "bad-request";
    }
    sdk::TenantStore* store = _host.tenantStore();
    if (!store)
    {
        webhook::twiml(response, TwimlBuilder::hangup());
        return "hangup";
    }

    sdk::Result<sdk::CallRecord> found = store->findCall(webhook.callSid);
    if (!found.isOk() && found.status().code() == sdk::StatusCode::NotFound)
    {
        log.info("connect action for an unknown CallSid (account " + webhook.accountSid + "): empty answer", webhook.callSid);
        webhook::twiml(response, TwimlBuilder::empty());
        return "unknown-call";
    }
    // The core writes the final record right after it closed the stream: give it a moment.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kFinalRecordWaitMs);
    while (found.isOk() && !isFinal(found.value()) && std::chrono::steady_clock::now() < deadline)
    {
        std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
        found = store->findCall(webhook.callSid);
    }
    if (!found.isOk())
    {
        // Hanging up is what would happen without an action; the caller is not left waiting.
        log.error("connect action: call lookup failed (" + found.status().toString() + "); hanging up", webhook.callSid);
        webhook::twiml(response, TwimlBuilder::hangup());
        return "hangup";
    }
    const sdk::CallRecord& record = found.value();
    if (!record.call.accountSid.empty() && record.call.accountSid != webhook.accountSid)
    {
        log.warn("connect action refused (403): account " + webhook.accountSid + " signed it, but the call belongs to account " +
                     record.call.accountSid,
                 webhook.callSid);
        webhook::plain(response, 403, "forbidden\n");
        return "forbidden";
    }
    if (record.endReason != sdk::endReasonName(sdk::EndReason::AgentFailed))
    {
        if (!isFinal(record))
            log.info("connect action: call record still '" + record.status + "' after " + std::to_string(kFinalRecordWaitMs) +
                         " ms; hanging up",
                     webhook.callSid);
        webhook::twiml(response, TwimlBuilder::hangup());
        return "hangup";
    }

    sdk::Result<sdk::Tenant> tenant = store->findTenant(record.call.tenantId);
    if (!tenant.isOk())
    {
        log.warn("connect action: agent failed but tenant '" + record.call.tenantId + "' lookup failed (" +
                     tenant.status().toString() + "); hanging up",
                 webhook.callSid);
        webhook::twiml(response, TwimlBuilder::hangup());
        return "hangup";
    }
    const sdk::Fallback& fb = tenant->fallback;
    if (fb.message.empty() && fb.dialNumber.empty())
    {
        log.info("connect action: agent failed and the tenant has no fallback; hanging up", webhook.callSid);
        webhook::twiml(response, TwimlBuilder::hangup());
        return "hangup";
    }
    log.info("connect action: agent failed; answering the tenant's fallback", webhook.callSid);
    webhook::twiml(response,
                   TwimlBuilder::fallback(fb.message.empty() ? std::nullopt : std::optional<std::string_view>(fb.message),
                                          fb.dialNumber.empty() ? std::nullopt : std::optional<std::string_view>(fb.dialNumber)));
    return "fallback";
}

} // namespace patchbay::twilio
