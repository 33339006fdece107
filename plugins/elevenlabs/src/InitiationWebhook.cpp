// InitiationWebhook.cpp: answering ElevenLabs' conversation-initiation webhook from the tenant store.
#include "InitiationWebhook.h"

#include <patchbay/sdk/support/VariantPicker.h>

#include <cstdint>

#include "WebhookReply.h"
#include "patchbay/sdk/AgentProvider.h"
#include "patchbay/sdk/support/JsonDocument.h"
#include "protocol/AgentProtocol.h"
#include "protocol/InitiationData.h"
#include "protocol/WebhookSignature.h"

namespace patchbay::elevenlabs {

namespace {

constexpr const char* kWebhook = "initiation";

std::string field(const sdk::support::JsonValue& root, std::string_view name)
{
    // Bounded: these become dynamic variables and log text.
    return std::string(root[name].asString().substr(0, 128));
}

} // namespace

sdk::AgentSettings InitiationWebhook::agentFor(const sdk::Tenant& tenant, std::string_view callSid, std::string& variant)
{
    return sdk::support::VariantPicker::agentFor(tenant, callSid, variant);
}

void InitiationWebhook::answer(sdk::HttpResponse& response, int status, const char* result, std::string_view detail)
{
    webhook::count(_host.metrics(), kWebhook, result);
    webhook::problem(response, status, result, detail);
}

bool InitiationWebhook::authorised(const sdk::HttpRequest& request) const
{
    constexpr std::string_view kScheme = "Bearer ";
    const std::string_view value = request.header("Authorization");
    if (value.size() <= kScheme.size() || value.substr(0, kScheme.size()) != kScheme)
        return false;
    return WebhookSignature::constantTimeEquals(value.substr(kScheme.size()), _config.initiationSecret);
}

void InitiationWebhook::handle(const sdk::HttpRequest& request, sdk::HttpResponse& response)
{
    if (!authorised(request))
    {
        _host.logger().warn("initiation webhook refused (401): missing or wrong Authorization bearer token from "
                            + webhook::printable(request.remoteAddress, 64));
        answer(response, 401, "unauthorized", "missing or wrong bearer token");
        return;
    }
    if (request.body.size() > kMaxBodyBytes)
    {
        answer(response, 413, "too-large", "request body too large");
        return;
    }
    sdk::support::JsonDocument document;
    if (!document.parse(request.body) || !document.root().isObject())
    {
        _host.logger().warn("initiation webhook refused (400): the body is not a JSON object");
        answer(response, 400, "bad-request", "the body must be a JSON object");
        return;
    }
    const auto& root = document.root();
    sdk::AgentSessionRequest call; // what a gateway-bridged call would have given the session
    call.call.to = field(root, "called_number");
    call.call.from = field(root, "caller_id");
    call.call.callSid = field(root, "call_sid");
    const std::string agentId = field(root, "agent_id");
    if (call.call.to.empty())
    {
        _host.logger().warn("initiation webhook refused (400): no called_number", call.call.callSid);
        answer(response, 400, "bad-request", "called_number is required");
        return;
    }
    sdk::TenantStore* store = _host.tenantStore();
    if (!store)
    {
        _host.logger().warn("initiation webhook: no tenant store is configured", call.call.callSid);
        answer(response, 503, "unavailable", "no tenant store");
        return;
    }
    sdk::Result<sdk::Tenant> found = store->findTenantByNumber(call.call.to);
    if (!found)
    {
        const bool unknown = found.status().code() == sdk::StatusCode::NotFound;
        _host.logger().log(unknown ? sdk::LogLevel::Info : sdk::LogLevel::Warn, call.call.callSid,
                           "initiation webhook: " + (unknown ? "no tenant owns " + webhook::printable(call.call.to, 32)
                                                             : "store error: " + found.status().toString()));
        if (unknown)
            answer(response, 404, "unknown-number", "no tenant owns the called number");
        else
            answer(response, 503, "unavailable", "tenant store unavailable");
        return;
    }
    const sdk::Tenant& tenant = found.value();
    if (tenant.status == sdk::TenantStatus::Suspended)
    {
        // The call is ElevenLabs' to answer, but a suspended tenant's agent should not be given its data.
        _host.logger().info("initiation webhook: tenant " + tenant.id + " is suspended", call.call.callSid);
        answer(response, 403, "tenant-suspended", "the tenant is suspended");
        return;
    }
    call.call.tenantId = tenant.id;
    call.tenantName = tenant.name;
    call.agent = agentFor(tenant, call.call.callSid, call.variant);
    if (!agentId.empty() && !call.agent.agentId.empty() && agentId != call.agent.agentId)
        _host.logger().info("initiation webhook: ElevenLabs runs agent " + webhook::printable(agentId, 64) + " but tenant "
                                + tenant.id + " is configured with " + call.agent.agentId + "; answering with the tenant's data",
                            call.call.callSid);
    std::string body;
    AgentProtocol::encodeInitiation(InitiationData::fromRequest(call), body);
    webhook::count(_host.metrics(), kWebhook, "ok");
    webhook::json(response, 200, std::move(body));
    _host.logger().info("initiation webhook: answered for tenant " + tenant.id
                            + (call.variant.empty() ? std::string() : " variant " + call.variant),
                        call.call.callSid);
}

} // namespace patchbay::elevenlabs
