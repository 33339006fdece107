// NumberEndpoints.cpp: the handlers behind /v1/numbers.
#include "admin/NumberEndpoints.h"

#include "admin/AdminValidation.h"
#include "admin/CarrierEndpoints.h"
#include "admin/RecordJson.h"
#include "admin/TenantEndpoints.h"

namespace patchbay::host {
namespace {

AdminProblem unknownNumber(const std::string& number)
{
    return AdminProblem::notFound("unknown number \"" + number + "\"");
}

void replyNumber(sdk::HttpResponse& response, int status, const sdk::NumberRoute& route)
{
    AdminContext::reply(response, status, [&](sdk::support::JsonWriter& w) { RecordJson::writeNumber(w, route); });
}

} // namespace

void NumberEndpoints::addRoutes(AdminRouteTable& routes, const AdminContext& ctx)
{
    const AdminContext* c = &ctx;
    routes.add("GET", "/v1/numbers", AdminAccess::Tenant, [c](AdminRequest& q, sdk::HttpResponse& r) { list(*c, q, r); });
    routes.add("GET", "/v1/numbers/{number}", AdminAccess::Tenant, [c](AdminRequest& q, sdk::HttpResponse& r) { get(*c, q, r); });
    routes.add("PUT", "/v1/numbers/{number}", AdminAccess::Tenant,
               [c](AdminRequest& q, sdk::HttpResponse& r) { assign(*c, q, r); });
    routes.add("DELETE", "/v1/numbers/{number}", AdminAccess::Tenant,
               [c](AdminRequest& q, sdk::HttpResponse& r) { release(*c, q, r); });
}

std::string NumberEndpoints::pathNumber(const AdminRequest& request)
{
    // The router already percent-decoded the segment (%2B15005550006 -> +15005550006).
    const std::string& number = request.param(0);
    if (!AdminValidation::isE164(number))
        throw AdminProblem::badRequest("number", "expected an E.164 number like +15005550006 (write + as %2B in the URL)");
    return number;
}

sdk::NumberRoute NumberEndpoints::visibleNumber(const AdminContext& ctx, const AdminRequest& request, const std::string& number)
{
    sdk::Result<sdk::NumberRoute> found = ctx.requireStore().findNumber(number);
    if (!found.isOk() && found.status().code() == sdk::StatusCode::NotFound) throw unknownNumber(number);
    sdk::NumberRoute route = AdminContext::unwrap(std::move(found));
    if (!request.principal().mayAccessTenant(route.tenantId)) throw unknownNumber(number);
    return route;
}

void NumberEndpoints::list(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({"tenant"});
    const std::string tenant = request.scopeTenant(request.query("tenant"), "tenant");
    const auto numbers = AdminContext::unwrap(ctx.requireStore().listNumbers(tenant));
    AdminContext::reply(response, 200, [&](sdk::support::JsonWriter& w) {
        w.beginObject().key("numbers").beginArray();
        for (const auto& n : numbers)
            if (request.principal().mayAccessTenant(n.tenantId)) RecordJson::writeNumber(w, n);
        w.endArray().endObject();
    });
}

void NumberEndpoints::get(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({});
    replyNumber(response, 200, visibleNumber(ctx, request, pathNumber(request)));
}

void NumberEndpoints::assign(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({});
    const std::string number = pathNumber(request);
    const JsonBody::Value& body = request.body().root();
    JsonBody::expectObject(body, "", {"number", "tenantId", "accountSid", "phoneNumberSid", "configure"});
    const bool configure = JsonBody::boolean(body, "configure", "").value_or(false);
    if (auto n = JsonBody::string(body, "number", "", 32); n && *n != number)
        throw AdminProblem::badRequest("number", "does not match the number in the URL");
    sdk::NumberRoute route;
    route.number = number;
    route.tenantId = JsonBody::requiredString(body, "tenantId", "", 64);
    route.accountSid = JsonBody::requiredString(body, "accountSid", "", 34);
    route.phoneNumberSid = JsonBody::string(body, "phoneNumberSid", "", 34).value_or(std::string());
    if (!AdminValidation::isSid(route.accountSid, "AC"))
        throw AdminProblem::badRequest("accountSid", "expected \"AC\" and 32 hex digits");
    if (!route.phoneNumberSid.empty() && !AdminValidation::isSid(route.phoneNumberSid, "PN"))
        throw AdminProblem::badRequest("phoneNumberSid", "expected \"PN\" and 32 hex digits");

    // The tenant: unknown and not-yours are one and the same 404, on the field that named it.
    try
    {
        TenantEndpoints::visibleTenant(ctx, request, route.tenantId);
    }
    catch (const AdminProblem& p)
    {
        if (p.status() != 404) throw;
        throw AdminProblem(404, p.detail(), "tenantId");
    }
    sdk::TenantStore& store = ctx.requireStore();
    sdk::Result<sdk::CarrierAccount> account = store.findAccount(route.accountSid);
    if (!account.isOk() && account.status().code() == sdk::StatusCode::NotFound)
        throw AdminProblem(404, "unknown account \"" + route.accountSid + "\"", "accountSid");
    if (!account.isOk()) throw AdminProblem::fromStatus(account.status());

    sdk::Result<sdk::NumberRoute> current = store.findNumber(number);
    bool created = true;
    if (current.isOk())
    {
        if (current->tenantId != route.tenantId)
            throw AdminProblem::conflict(request.principal().isOperator
                                             ? "number " + number + " belongs to tenant \"" + current->tenantId + "\"; release it first"
                                             : "number " + number + " is assigned to another tenant",
                                         "number");
        created = false;
    }
    else if (current.status().code() != sdk::StatusCode::NotFound)
    {
        throw AdminProblem::fromStatus(current.status());
    }
    // Asked to configure but nothing could: refused before the assignment changes anything.
    std::string noCarrier;
    const InboundBinding* carrier = CarrierEndpoints::numbersProvider(ctx, &noCarrier);
    if (configure && !carrier) throw AdminProblem::unavailable("cannot configure the number at the carrier: " + noCarrier);

    sdk::Status st = store.assignNumber(route);
    if (st.code() == sdk::StatusCode::AlreadyExists)
        throw AdminProblem::conflict("number " + number + " is assigned to another tenant", "number");
    AdminContext::check(st);
    ctx.logger->info("admin: number " + number + " -> tenant " + route.tenantId + " (" + request.principal().describe() + ")");
    sdk::NumberRoute stored = AdminContext::unwrap(store.findNumber(number));
    const CarrierOutcome carrierOutcome = configureAtCarrier(ctx, carrier, stored, account.value(), configure);
    AdminContext::reply(response, created ? 201 : 200, [&](sdk::support::JsonWriter& w) {
        w.beginObject();
        RecordJson::writeNumberMembers(w, stored);
        w.key("carrier").beginObject().key("configured").value(carrierOutcome.configured);
        w.key("phoneNumberSid").value(stored.phoneNumberSid);
        if (!carrierOutcome.error.empty()) w.key("error").value(carrierOutcome.error);
        w.endObject().endObject();
    });
}

NumberEndpoints::CarrierOutcome NumberEndpoints::configureAtCarrier(const AdminContext& ctx, const InboundBinding* carrier,
                                                                    sdk::NumberRoute& stored, const sdk::CarrierAccount& account,
                                                                    bool requested)
{
    CarrierOutcome outcome;
    if (!carrier) return outcome; // a plain assignment without a carrier plugin: nothing to configure
    sdk::NumberRoute configured = stored;
    sdk::Status st;
    try
    {
        st = carrier->provider->configureNumber(configured, account, requested);
    }
    catch (const std::exception& e)
    {
        st = sdk::Status::internal(std::string("the carrier plugin threw: ") + e.what());
    }
    if (st.code() == sdk::StatusCode::Declined && !requested) return outcome; // the plugin leaves numbers alone: fine
    if (!st.isOk())
    {
        // The assignment stands either way (it is what routes calls); an explicit request fails loudly.
        if (requested)
            throw CarrierEndpoints::carrierProblem(
                st, carrier->pluginId, "configuring number " + stored.number + " at the carrier (the assignment itself is saved)",
                "configure");
        ctx.logger->warn("admin: number " + stored.number + " assigned, but configuring it at the carrier failed: " + st.toString());
        outcome.error = st.message();
        return outcome;
    }
    outcome.configured = true;
    if (!configured.phoneNumberSid.empty() && configured.phoneNumberSid != stored.phoneNumberSid)
    {
        stored.phoneNumberSid = configured.phoneNumberSid;
        sdk::Status saved = ctx.requireStore().assignNumber(stored);
        if (!saved.isOk())
            ctx.logger->warn("admin: number " + stored.number + " configured, but its phoneNumberSid was not saved: " + saved.toString());
    }
    ctx.logger->info("admin: number " + stored.number + " configured at the carrier (" + carrier->pluginId + ")");
    return outcome;
}

void NumberEndpoints::release(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({});
    const sdk::NumberRoute route = visibleNumber(ctx, request, pathNumber(request));
    sdk::Status st = ctx.requireStore().releaseNumber(route.number);
    if (st.code() == sdk::StatusCode::NotFound) throw unknownNumber(route.number);
    AdminContext::check(st);
    ctx.logger->info("admin: released number " + route.number + " of tenant " + route.tenantId + " (" +
                     request.principal().describe() + ")");
    AdminContext::noContent(response);
}

} // namespace patchbay::host
