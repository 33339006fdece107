// SystemEndpoints.cpp: the handlers behind /v1/health and /v1/keys/rotate.
#include "admin/SystemEndpoints.h"

namespace patchbay::host {

void SystemEndpoints::addRoutes(AdminRouteTable& routes, const AdminContext& ctx)
{
    const AdminContext* c = &ctx;
    routes.add("GET", "/v1/health", AdminAccess::Tenant, [c](AdminRequest& q, sdk::HttpResponse& r) { health(*c, q, r); });
    routes.add("POST", "/v1/keys/rotate", AdminAccess::Operator,
               [c](AdminRequest& q, sdk::HttpResponse& r) { rotateKeys(*c, q, r); });
}

void SystemEndpoints::health(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({});
    sdk::Status st = ctx.requireStore().ping();
    if (!st.isOk()) throw AdminProblem::unavailable("tenant store: " + st.message());
    AdminContext::reply(response, 200, [](sdk::support::JsonWriter& w) { w.beginObject().key("store").value("ok").endObject(); });
}

void SystemEndpoints::rotateKeys(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({});
    const std::uint64_t rotated = AdminContext::unwrap(ctx.requireStore().rotateSecrets());
    ctx.logger->info("admin: re-encrypted " + std::to_string(rotated) + " stored secret(s) under the current key");
    AdminContext::reply(response, 200, [&](sdk::support::JsonWriter& w) { w.beginObject().key("rotated").value(rotated).endObject(); });
}

} // namespace patchbay::host
