// TokenEndpoints.cpp: the handlers behind /v1/tenants/{id}/tokens.
#include "admin/TokenEndpoints.h"

#include "admin/AdminTokens.h"
#include "admin/AdminValidation.h"
#include "admin/RecordJson.h"
#include "admin/TenantEndpoints.h"

namespace patchbay::host {

void TokenEndpoints::addRoutes(AdminRouteTable& routes, const AdminContext& ctx)
{
    const AdminContext* c = &ctx;
    routes.add("POST", "/v1/tenants/{id}/tokens", AdminAccess::Operator,
               [c](AdminRequest& q, sdk::HttpResponse& r) { issue(*c, q, r); });
    routes.add("GET", "/v1/tenants/{id}/tokens", AdminAccess::Operator,
               [c](AdminRequest& q, sdk::HttpResponse& r) { list(*c, q, r); });
    routes.add("DELETE", "/v1/tenants/{id}/tokens/{tokenId}", AdminAccess::Operator,
               [c](AdminRequest& q, sdk::HttpResponse& r) { revoke(*c, q, r); });
}

void TokenEndpoints::issue(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({});
    const sdk::Tenant tenant = TenantEndpoints::visibleTenant(ctx, request, request.param(0));
    sdk::TenantToken token;
    token.tenantId = tenant.id;
    // The body is optional: a token needs no label.
    if (request.http().body.find_first_not_of(" \t\r\n") != std::string::npos)
    {
        const JsonBody::Value& body = request.body().root();
        JsonBody::expectObject(body, "", {"label"});
        token.label = JsonBody::string(body, "label", "", 128).value_or(std::string());
        if (!AdminValidation::isPlainText(token.label))
            throw AdminProblem::badRequest("label", "must not contain control characters");
    }
    const std::string secret = AdminTokens::newToken();
    token.id = AdminTokens::newTokenId();
    token.sha256Hex = AdminTokens::sha256Hex(secret);
    token.createdAtMs = ctx.clock();
    AdminContext::check(ctx.requireStore().saveTenantToken(token));
    ctx.logger->info("admin: issued token " + token.id + " for tenant " + tenant.id);
    AdminContext::reply(response, 201, [&](sdk::support::JsonWriter& w) {
        w.beginObject().key("id").value(token.id).key("tenantId").value(token.tenantId).key("label").value(token.label);
        w.key("createdAtMs").value(token.createdAtMs).key("token").value(secret).endObject();
    });
}

void TokenEndpoints::list(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({});
    const sdk::Tenant tenant = TenantEndpoints::visibleTenant(ctx, request, request.param(0));
    const auto tokens = AdminContext::unwrap(ctx.requireStore().listTenantTokens(tenant.id));
    AdminContext::reply(response, 200, [&](sdk::support::JsonWriter& w) {
        w.beginObject().key("tokens").beginArray();
        for (const auto& t : tokens) RecordJson::writeToken(w, t);
        w.endArray().endObject();
    });
}

void TokenEndpoints::revoke(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({});
    const sdk::Tenant tenant = TenantEndpoints::visibleTenant(ctx, request, request.param(0));
    const std::string& tokenId = request.param(1);
    sdk::TenantStore& store = ctx.requireStore();
    const auto tokens = AdminContext::unwrap(store.listTenantTokens(tenant.id));
    const sdk::TenantToken* token = nullptr;
    for (const auto& t : tokens)
        if (t.id == tokenId) token = &t;
    if (!token) throw AdminProblem::notFound("unknown token \"" + tokenId + "\" of tenant \"" + tenant.id + "\"");
    // Revoking twice is fine and keeps the first revocation time.
    if (token->revokedAtMs == 0)
    {
        AdminContext::check(store.revokeTenantToken(token->id, ctx.clock()));
        ctx.logger->info("admin: revoked token " + token->id + " of tenant " + tenant.id);
    }
    AdminContext::noContent(response);
}

} // namespace patchbay::host
