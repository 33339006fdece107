// TenantEndpoints.cpp: the handlers behind /v1/tenants.
#include "admin/TenantEndpoints.h"

#include "admin/TenantJson.h"

namespace patchbay::host {
namespace {

void replyTenant(sdk::HttpResponse& response, int status, const sdk::Tenant& tenant)
{
    AdminContext::reply(response, status, [&](sdk::support::JsonWriter& w) { TenantJson::write(w, tenant); });
}

AdminProblem unknownTenant(const std::string& id)
{
    return AdminProblem::notFound("unknown tenant \"" + id + "\"");
}

} // namespace

void TenantEndpoints::addRoutes(AdminRouteTable& routes, const AdminContext& ctx)
{
    const AdminContext* c = &ctx;
    routes.add("GET", "/v1/tenants", AdminAccess::Tenant, [c](AdminRequest& q, sdk::HttpResponse& r) { list(*c, q, r); });
    routes.add("POST", "/v1/tenants", AdminAccess::Operator, [c](AdminRequest& q, sdk::HttpResponse& r) { create(*c, q, r); });
    routes.add("GET", "/v1/tenants/{id}", AdminAccess::Tenant, [c](AdminRequest& q, sdk::HttpResponse& r) { get(*c, q, r); });
    routes.add("PUT", "/v1/tenants/{id}", AdminAccess::Operator, [c](AdminRequest& q, sdk::HttpResponse& r) { replace(*c, q, r); });
    routes.add("DELETE", "/v1/tenants/{id}", AdminAccess::Operator, [c](AdminRequest& q, sdk::HttpResponse& r) { remove(*c, q, r); });
    routes.add("POST", "/v1/tenants/{id}/suspend", AdminAccess::Operator,
               [c](AdminRequest& q, sdk::HttpResponse& r) { setStatus(*c, q, r, sdk::TenantStatus::Suspended); });
    routes.add("POST", "/v1/tenants/{id}/resume", AdminAccess::Operator,
               [c](AdminRequest& q, sdk::HttpResponse& r) { setStatus(*c, q, r, sdk::TenantStatus::Active); });
    routes.add("PUT", "/v1/tenants/{id}/variants", AdminAccess::Operator,
               [c](AdminRequest& q, sdk::HttpResponse& r) { setVariants(*c, q, r); });
}

sdk::Tenant TenantEndpoints::visibleTenant(const AdminContext& ctx, const AdminRequest& request, const std::string& id)
{
    if (!request.principal().mayAccessTenant(id)) throw unknownTenant(id);
    sdk::Result<sdk::Tenant> found = ctx.requireStore().findTenant(id);
    if (!found.isOk() && found.status().code() == sdk::StatusCode::NotFound) throw unknownTenant(id);
    return AdminContext::unwrap(std::move(found));
}

void TenantEndpoints::list(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({});
    std::vector<sdk::Tenant> tenants;
    if (request.principal().isOperator)
        tenants = AdminContext::unwrap(ctx.requireStore().listTenants());
    else
        tenants.push_back(visibleTenant(ctx, request, request.principal().tenantId));
    AdminContext::reply(response, 200, [&](sdk::support::JsonWriter& w) {
        w.beginObject().key("tenants").beginArray();
        for (const auto& t : tenants) TenantJson::write(w, t);
        w.endArray().endObject();
    });
}

void TenantEndpoints::create(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({});
    sdk::Tenant tenant = TenantJson::read(request.body().root(), {}, nullptr);
    sdk::TenantStore& store = ctx.requireStore();
    sdk::Result<sdk::Tenant> existing = store.findTenant(tenant.id);
    if (existing.isOk()) throw AdminProblem::conflict("tenant \"" + tenant.id + "\" already exists", "id");
    if (existing.status().code() != sdk::StatusCode::NotFound) throw AdminProblem::fromStatus(existing.status());
    AdminContext::check(store.saveTenant(tenant));
    ctx.logger->info("admin: created tenant " + tenant.id);
    replyTenant(response, 201, AdminContext::unwrap(store.findTenant(tenant.id)));
}

void TenantEndpoints::get(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({});
    replyTenant(response, 200, visibleTenant(ctx, request, request.param(0)));
}

void TenantEndpoints::replace(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({});
    const sdk::Tenant existing = visibleTenant(ctx, request, request.param(0));
    sdk::Tenant tenant = TenantJson::read(request.body().root(), existing.id, &existing);
    AdminContext::check(ctx.requireStore().saveTenant(tenant));
    ctx.logger->info("admin: replaced tenant " + tenant.id);
    replyTenant(response, 200, AdminContext::unwrap(ctx.requireStore().findTenant(tenant.id)));
}

void TenantEndpoints::remove(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({});
    const sdk::Tenant existing = visibleTenant(ctx, request, request.param(0));
    sdk::TenantStore& store = ctx.requireStore();
    const auto numbers = AdminContext::unwrap(store.listNumbers(existing.id));
    if (!numbers.empty())
        throw AdminProblem::conflict("tenant \"" + existing.id + "\" still has " + std::to_string(numbers.size()) +
                                     " number(s) assigned; release them first");
    sdk::Status st = store.deleteTenant(existing.id);
    // The store refuses with InvalidArgument when a number was assigned meanwhile: still a conflict.
    if (st.code() == sdk::StatusCode::InvalidArgument) throw AdminProblem::conflict(st.message());
    AdminContext::check(st);
    ctx.logger->info("admin: deleted tenant " + existing.id);
    AdminContext::noContent(response);
}

void TenantEndpoints::setStatus(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response,
                                sdk::TenantStatus status)
{
    request.allowQuery({});
    sdk::Tenant tenant = visibleTenant(ctx, request, request.param(0));
    tenant.status = status;
    AdminContext::check(ctx.requireStore().saveTenant(tenant));
    ctx.logger->info("admin: tenant " + tenant.id + " is now " + TenantJson::statusName(status));
    replyTenant(response, 200, AdminContext::unwrap(ctx.requireStore().findTenant(tenant.id)));
}

void TenantEndpoints::setVariants(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({});
    sdk::Tenant tenant = visibleTenant(ctx, request, request.param(0));
    tenant.variants = TenantJson::readVariants(request.body().root(), "variants", &tenant.variants);
    AdminContext::check(ctx.requireStore().saveTenant(tenant));
    ctx.logger->info("admin: tenant " + tenant.id + " now has " + std::to_string(tenant.variants.size()) + " variant(s)");
    replyTenant(response, 200, AdminContext::unwrap(ctx.requireStore().findTenant(tenant.id)));
}

} // namespace patchbay::host
