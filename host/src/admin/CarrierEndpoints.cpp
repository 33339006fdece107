// CarrierEndpoints.cpp: the handlers behind POST /v1/calls, /v1/calls/{sid}/hangup and /v1/calls/{sid}/transfer.
#include "admin/CarrierEndpoints.h"

#include "admin/AdminValidation.h"
#include "admin/TenantEndpoints.h"

namespace patchbay::host {
namespace {

AdminProblem unknownCall(const std::string& sid)
{
    return AdminProblem::notFound("unknown call \"" + sid + "\"");
}

/// A provider call that must not let an exception through the admin worker (the SDK forbids it, but
/// a buggy plugin is the plugin's problem, not the API's).
template <typename Fn>
auto guardedCarrier(Fn&& fn) -> decltype(fn())
{
    try
    {
        return fn();
    }
    catch (const std::exception& e)
    {
        return sdk::Status::internal(std::string("the carrier plugin threw: ") + e.what());
    }
    catch (...)
    {
        return sdk::Status::internal("the carrier plugin threw");
    }
}

} // namespace

void CarrierEndpoints::addRoutes(AdminRouteTable& routes, const AdminContext& ctx)
{
    const AdminContext* c = &ctx;
    routes.add("POST", "/v1/calls", AdminAccess::Tenant, [c](AdminRequest& q, sdk::HttpResponse& r) { place(*c, q, r); });
    routes.add("POST", "/v1/calls/{sid}/hangup", AdminAccess::Tenant, [c](AdminRequest& q, sdk::HttpResponse& r) { hangup(*c, q, r); });
    routes.add("POST", "/v1/calls/{sid}/transfer", AdminAccess::Tenant,
               [c](AdminRequest& q, sdk::HttpResponse& r) { transfer(*c, q, r); });
}

const InboundBinding* CarrierEndpoints::numbersProvider(const AdminContext& ctx, std::string* why)
{
    if (!ctx.carrier.providers)
    {
        if (why) *why = "no inbound (carrier) plugin is running";
        return nullptr;
    }
    return ctx.carrier.providers->forNumbers(why);
}

AdminProblem CarrierEndpoints::carrierProblem(const sdk::Status& status, const std::string& pluginId, const std::string& action,
                                              const std::string& field, bool notFoundIs404)
{
    const std::string detail = action + ": " + status.message();
    switch (status.code())
    {
    case sdk::StatusCode::InvalidArgument: return AdminProblem::badRequest(field, detail);
    case sdk::StatusCode::NotFound:
        if (notFoundIs404) return AdminProblem::notFound(detail);
        break;
    case sdk::StatusCode::AlreadyExists: return AdminProblem::conflict(detail, field);
    case sdk::StatusCode::Declined:
        return AdminProblem(501, "the inbound plugin '" + pluginId + "' cannot do that (" + action + "): " + status.message());
    default: break;
    }
    return AdminProblem(502, action + " failed (carrier plugin '" + pluginId + "', " + sdk::statusCodeName(status.code()) +
                                 "): " + status.message());
}

void CarrierEndpoints::place(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({});
    const JsonBody::Value& body = request.body().root();
    JsonBody::expectObject(body, "", {"tenant", "to", "from", "ringTimeoutSeconds"});
    const AdminPrincipal& principal = request.principal();
    // A tenant token may leave the tenant out (it can only mean its own); the operator must name it.
    const std::string tenantId = principal.isOperator
                                     ? JsonBody::requiredString(body, "tenant", "", 64)
                                     : JsonBody::string(body, "tenant", "", 64).value_or(principal.tenantId);
    if (!AdminValidation::isTenantId(tenantId)) throw AdminProblem::badRequest("tenant", "expected a tenant id, [a-z0-9-]{1,64}");
    const std::string to = JsonBody::requiredString(body, "to", "", 32);
    if (!AdminValidation::isE164(to)) throw AdminProblem::badRequest("to", "expected an E.164 number like +15005550006");
    const std::string from = JsonBody::string(body, "from", "", 32).value_or(std::string());
    if (!from.empty() && !AdminValidation::isE164(from))
        throw AdminProblem::badRequest("from", "expected an E.164 number like +15005550006");
    const auto ringTimeout = JsonBody::integer(body, "ringTimeoutSeconds", "", 5, 600).value_or(30);

    sdk::Tenant tenant;
    try
    {
        tenant = TenantEndpoints::visibleTenant(ctx, request, tenantId);
    }
    catch (const AdminProblem& p)
    {
        if (p.status() != 404) throw;
        throw AdminProblem(404, p.detail(), "tenant");
    }
    // The core refuses these calls when they are answered anyway; refusing now saves ringing a phone for nothing.
    if (tenant.status == sdk::TenantStatus::Suspended)
        throw AdminProblem::conflict("tenant \"" + tenantId + "\" is suspended: resume it before placing calls", "tenant");
    const std::uint32_t active = ctx.carrier.tenantCalls ? ctx.carrier.tenantCalls(tenantId) : 0;
    if (tenant.limits.maxConcurrentCalls && active >= tenant.limits.maxConcurrentCalls)
        throw AdminProblem(429, "tenant \"" + tenantId + "\" is at its limit of " + std::to_string(tenant.limits.maxConcurrentCalls) +
                                    " concurrent calls")
            .withHeader("Retry-After", "5");

    sdk::TenantStore& store = ctx.requireStore();
    const auto numbers = AdminContext::unwrap(store.listNumbers(tenantId));
    const sdk::NumberRoute* caller = nullptr;
    for (const auto& n : numbers)
        if (from.empty() || n.number == from)
        {
            caller = &n;
            break;
        }
    if (!caller && from.empty())
        throw AdminProblem::conflict("tenant \"" + tenantId + "\" has no number to call from: assign one first", "from");
    if (!caller) throw AdminProblem::badRequest("from", from + " is not a number of tenant \"" + tenantId + "\"");
    if (caller->accountSid.empty())
        throw AdminProblem::conflict("number " + caller->number + " has no carrier account: assign it with one", "from");
    sdk::Result<sdk::CarrierAccount> account = store.findAccount(caller->accountSid);
    if (!account.isOk() && account.status().code() == sdk::StatusCode::NotFound)
        throw AdminProblem::conflict("account " + caller->accountSid + " of number " + caller->number + " is not registered", "from");
    if (!account.isOk()) throw AdminProblem::fromStatus(account.status());

    std::string why;
    const InboundBinding* carrier = numbersProvider(ctx, &why);
    if (!carrier) throw AdminProblem::unavailable("cannot place calls: " + why);
    sdk::OutboundCallRequest outbound;
    outbound.tenantId = tenantId;
    outbound.from = caller->number;
    outbound.to = to;
    outbound.accountSid = caller->accountSid;
    outbound.ringTimeoutSeconds = static_cast<std::uint32_t>(ringTimeout);
    sdk::Result<std::string> sid = guardedCarrier([&]() -> sdk::Result<std::string> {
        return carrier->provider->placeCall(outbound, account.value());
    });
    if (!sid.isOk()) throw carrierProblem(sid.status(), carrier->pluginId, "placing the call", "to");

    // Recorded now so the call is listed, and can be hung up, while it rings; the core's admission
    // replaces the record when the callee answers. Only if nothing is there yet: a (very) quick answer
    // may already have been recorded by the core, and that record must win.
    sdk::CallRecord record;
    record.call.callSid = sid.value();
    record.call.tenantId = tenantId;
    record.call.accountSid = caller->accountSid;
    record.call.from = caller->number;
    record.call.to = to;
    record.call.direction = sdk::CallDirection::Outbound;
    record.call.inboundProvider = carrier->pluginId;
    record.status = "received";
    record.receivedAtMs = ctx.clock ? ctx.clock() : 0;
    sdk::Result<sdk::CallRecord> existing = store.findCall(record.call.callSid);
    if (!existing.isOk() && existing.status().code() == sdk::StatusCode::NotFound)
    {
        sdk::Status saved = store.saveCall(record);
        if (!saved.isOk())
            ctx.logger->warn("admin: outbound call " + record.call.callSid + " placed but not recorded: " + saved.toString());
    }
    ctx.logger->info("admin: outbound call " + record.call.callSid + " " + caller->number + " -> " + to + " for tenant " + tenantId +
                     " (" + principal.describe() + ")");
    AdminContext::reply(response, 201, [&](sdk::support::JsonWriter& w) {
        w.beginObject().key("callSid").value(record.call.callSid).key("tenantId").value(tenantId);
        w.key("from").value(record.call.from).key("to").value(to).key("direction").value("outbound");
        w.key("status").value(record.status).endObject();
    });
}

sdk::CallRecord CarrierEndpoints::liveCall(const AdminContext& ctx, const AdminRequest& request, const InboundBinding*& provider)
{
    const std::string& sid = request.param(0);
    sdk::Result<sdk::CallRecord> found = ctx.requireStore().findCall(sid);
    if (!found.isOk() && found.status().code() == sdk::StatusCode::NotFound) throw unknownCall(sid);
    sdk::CallRecord record = AdminContext::unwrap(std::move(found));
    if (!request.principal().mayAccessTenant(record.call.tenantId)) throw unknownCall(sid);
    if (record.status == "ended" || record.status == "rejected")
        throw AdminProblem::conflict("call " + sid + " is over (" + record.status + ")");
    std::string why = "no inbound (carrier) plugin is running";
    provider = nullptr;
    if (ctx.carrier.providers && !record.call.inboundProvider.empty())
    {
        provider = ctx.carrier.providers->find(record.call.inboundProvider);
        why = "the inbound plugin '" + record.call.inboundProvider + "' that took the call is not running";
    }
    else if (record.call.inboundProvider.empty())
    {
        provider = numbersProvider(ctx, &why);
    }
    if (!provider) throw AdminProblem::unavailable("cannot control call " + sid + ": " + why);
    return record;
}

void CarrierEndpoints::hangup(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({});
    const InboundBinding* provider = nullptr;
    const sdk::CallRecord record = liveCall(ctx, request, provider);
    sdk::Status st = guardedCarrier([&] { return provider->provider->hangupCall(record.call); });
    if (!st.isOk()) throw carrierProblem(st, provider->pluginId, "hanging up call " + record.call.callSid, {}, true);
    ctx.logger->info("admin: hung up call " + record.call.callSid + " of tenant " + record.call.tenantId + " (" +
                     request.principal().describe() + ")");
    AdminContext::reply(response, 200, [&](sdk::support::JsonWriter& w) {
        w.beginObject().key("callSid").value(record.call.callSid).key("action").value("hangup").endObject();
    });
}

void CarrierEndpoints::transfer(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({});
    const JsonBody::Value& body = request.body().root();
    JsonBody::expectObject(body, "", {"to"});
    const std::string to = JsonBody::requiredString(body, "to", "", 32);
    if (!AdminValidation::isE164(to)) throw AdminProblem::badRequest("to", "expected an E.164 number like +15005550006");
    const InboundBinding* provider = nullptr;
    const sdk::CallRecord record = liveCall(ctx, request, provider);
    sdk::Status st = guardedCarrier([&] { return provider->provider->transferCall(record.call, to); });
    if (!st.isOk()) throw carrierProblem(st, provider->pluginId, "transferring call " + record.call.callSid, "to", true);
    ctx.logger->info("admin: transferred call " + record.call.callSid + " of tenant " + record.call.tenantId + " to " + to + " (" +
                     request.principal().describe() + ")");
    AdminContext::reply(response, 200, [&](sdk::support::JsonWriter& w) {
        w.beginObject().key("callSid").value(record.call.callSid).key("action").value("transfer").key("to").value(to).endObject();
    });
}

} // namespace patchbay::host
