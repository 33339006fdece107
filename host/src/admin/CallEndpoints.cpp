// CallEndpoints.cpp: the handlers behind /v1/calls and /v1/usage.
#include "admin/CallEndpoints.h"

#include <map>

#include "admin/AdminValidation.h"
#include "admin/RecordJson.h"

namespace patchbay::host {

void CallEndpoints::addRoutes(AdminRouteTable& routes, const AdminContext& ctx)
{
    const AdminContext* c = &ctx;
    routes.add("GET", "/v1/calls", AdminAccess::Tenant, [c](AdminRequest& q, sdk::HttpResponse& r) { list(*c, q, r); });
    routes.add("GET", "/v1/calls/{sid}", AdminAccess::Tenant, [c](AdminRequest& q, sdk::HttpResponse& r) { get(*c, q, r); });
    routes.add("GET", "/v1/usage", AdminAccess::Tenant, [c](AdminRequest& q, sdk::HttpResponse& r) { usage(*c, q, r); });
}

void CallEndpoints::list(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({"tenant", "status", "since", "until", "limit", "offset"});
    sdk::CallQuery query;
    query.tenantId = request.scopeTenant(request.query("tenant"), "tenant");
    query.status = request.query("status").value_or(std::string());
    if (query.status.size() > 32 || !AdminValidation::isPlainText(query.status))
        throw AdminProblem::badRequest("status", "expected a call status like \"ended\"");
    query.sinceMs = request.queryInteger("since", 0, INT64_MAX, 0);
    query.untilMs = request.queryInteger("until", 0, INT64_MAX, 0);
    if (query.untilMs != 0 && query.untilMs <= query.sinceMs)
        throw AdminProblem::badRequest("until", "must be later than since");
    const auto limit = static_cast<std::uint32_t>(request.queryInteger("limit", 1, kMaxLimit, kDefaultLimit));
    const auto offset = static_cast<std::uint32_t>(request.queryInteger("offset", 0, 1000000000, 0));
    // One more than asked tells whether a next page exists without a count query.
    query.limit = limit + 1;
    query.offset = offset;
    auto calls = AdminContext::unwrap(ctx.requireStore().listCalls(query));
    const bool more = calls.size() > limit;
    if (more) calls.resize(limit);
    AdminContext::reply(response, 200, [&](sdk::support::JsonWriter& w) {
        w.beginObject().key("calls").beginArray();
        for (const auto& c : calls)
            if (request.principal().mayAccessTenant(c.call.tenantId)) RecordJson::writeCall(w, c);
        w.endArray();
        w.key("limit").value(limit).key("offset").value(offset).key("next");
        if (more) w.value(static_cast<std::uint64_t>(offset) + limit);
        else w.null();
        w.endObject();
    });
}

void CallEndpoints::get(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({});
    const std::string& sid = request.param(0);
    const AdminProblem unknown = AdminProblem::notFound("unknown call \"" + sid + "\"");
    sdk::TenantStore& store = ctx.requireStore();
    sdk::Result<sdk::CallRecord> found = store.findCall(sid);
    if (!found.isOk() && found.status().code() == sdk::StatusCode::NotFound) throw unknown;
    const sdk::CallRecord call = AdminContext::unwrap(std::move(found));
    if (!request.principal().mayAccessTenant(call.call.tenantId)) throw unknown;
    const auto history = AdminContext::unwrap(store.callStatusHistory(sid));
    const auto transcript = AdminContext::unwrap(store.transcript(sid));
    AdminContext::reply(response, 200, [&](sdk::support::JsonWriter& w) {
        w.beginObject();
        RecordJson::writeCallMembers(w, call);
        w.key("statusHistory").beginArray();
        for (const auto& e : history) RecordJson::writeStatusEvent(w, e);
        w.endArray().key("transcript").beginArray();
        for (const auto& e : transcript) RecordJson::writeTranscriptEntry(w, e);
        w.endArray().endObject();
    });
}

void CallEndpoints::usage(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({"tenant", "month"});
    const std::string tenant = request.scopeTenant(request.query("tenant"), "tenant");
    const std::string month = request.query("month").value_or(std::string());
    if (!month.empty() && !AdminValidation::isMonth(month)) throw AdminProblem::badRequest("month", "expected YYYY-MM");
    sdk::TenantStore& store = ctx.requireStore();
    const auto rows = AdminContext::unwrap(store.usage(tenant, month));
    std::map<std::string, std::string> currencies;
    for (const auto& row : rows)
    {
        if (currencies.count(row.tenantId)) continue;
        sdk::Result<sdk::Tenant> t = store.findTenant(row.tenantId);
        currencies[row.tenantId] = t.isOk() ? t->rates.currency : std::string();
    }
    AdminContext::reply(response, 200, [&](sdk::support::JsonWriter& w) {
        w.beginObject().key("usage").beginArray();
        for (const auto& row : rows)
            if (request.principal().mayAccessTenant(row.tenantId)) RecordJson::writeUsage(w, row, currencies[row.tenantId]);
        w.endArray().endObject();
    });
}

} // namespace patchbay::host
