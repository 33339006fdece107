// AccountEndpoints.cpp: the handlers behind /v1/accounts.
#include "admin/AccountEndpoints.h"

#include "admin/AccountJson.h"

namespace patchbay::host {
namespace {

void replyAccount(sdk::HttpResponse& response, int status, const sdk::CarrierAccount& account)
{
    AdminContext::reply(response, status, [&](sdk::support::JsonWriter& w) { AccountJson::write(w, account); });
}

} // namespace

void AccountEndpoints::addRoutes(AdminRouteTable& routes, const AdminContext& ctx)
{
    const AdminContext* c = &ctx;
    routes.add("GET", "/v1/accounts", AdminAccess::Operator, [c](AdminRequest& q, sdk::HttpResponse& r) { list(*c, q, r); });
    routes.add("POST", "/v1/accounts", AdminAccess::Operator, [c](AdminRequest& q, sdk::HttpResponse& r) { create(*c, q, r); });
    routes.add("GET", "/v1/accounts/{sid}", AdminAccess::Operator, [c](AdminRequest& q, sdk::HttpResponse& r) { get(*c, q, r); });
    routes.add("PUT", "/v1/accounts/{sid}", AdminAccess::Operator,
               [c](AdminRequest& q, sdk::HttpResponse& r) { replace(*c, q, r); });
    routes.add("DELETE", "/v1/accounts/{sid}", AdminAccess::Operator,
               [c](AdminRequest& q, sdk::HttpResponse& r) { remove(*c, q, r); });
    routes.add("POST", "/v1/accounts/{sid}/rotate-token", AdminAccess::Operator,
               [c](AdminRequest& q, sdk::HttpResponse& r) { rotateToken(*c, q, r); });
}

sdk::CarrierAccount AccountEndpoints::existing(const AdminContext& ctx, const std::string& sid)
{
    sdk::Result<sdk::CarrierAccount> found = ctx.requireStore().findAccount(sid);
    if (!found.isOk() && found.status().code() == sdk::StatusCode::NotFound)
        throw AdminProblem::notFound("unknown account \"" + sid + "\"");
    return AdminContext::unwrap(std::move(found));
}

void AccountEndpoints::checkParent(const AdminContext& ctx, const sdk::CarrierAccount& account)
{
    if (account.parentSid.empty()) return;
    sdk::Result<sdk::CarrierAccount> parent = ctx.requireStore().findAccount(account.parentSid);
    if (!parent.isOk() && parent.status().code() == sdk::StatusCode::NotFound)
        throw AdminProblem(404, "unknown parent account \"" + account.parentSid + "\"", "parentSid");
    if (!parent.isOk()) throw AdminProblem::fromStatus(parent.status());
}

void AccountEndpoints::list(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({});
    const auto accounts = AdminContext::unwrap(ctx.requireStore().listAccounts());
    AdminContext::reply(response, 200, [&](sdk::support::JsonWriter& w) {
        w.beginObject().key("accounts").beginArray();
        for (const auto& a : accounts) AccountJson::write(w, a);
        w.endArray().endObject();
    });
}

void AccountEndpoints::create(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({});
    sdk::CarrierAccount account = AccountJson::read(request.body().root(), {}, nullptr);
    sdk::TenantStore& store = ctx.requireStore();
    sdk::Result<sdk::CarrierAccount> found = store.findAccount(account.sid);
    if (found.isOk()) throw AdminProblem::conflict("account \"" + account.sid + "\" already exists", "sid");
    if (found.status().code() != sdk::StatusCode::NotFound) throw AdminProblem::fromStatus(found.status());
    checkParent(ctx, account);
    AdminContext::check(store.saveAccount(account));
    ctx.logger->info("admin: created account " + account.sid);
    replyAccount(response, 201, account);
}

void AccountEndpoints::get(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({});
    replyAccount(response, 200, existing(ctx, request.param(0)));
}

void AccountEndpoints::replace(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({});
    const sdk::CarrierAccount old = existing(ctx, request.param(0));
    sdk::CarrierAccount account = AccountJson::read(request.body().root(), old.sid, &old);
    checkParent(ctx, account);
    AdminContext::check(ctx.requireStore().saveAccount(account));
    ctx.logger->info("admin: replaced account " + account.sid);
    replyAccount(response, 200, account);
}

void AccountEndpoints::remove(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({});
    const sdk::CarrierAccount old = existing(ctx, request.param(0));
    sdk::TenantStore& store = ctx.requireStore();
    std::size_t used = 0;
    for (const auto& n : AdminContext::unwrap(store.listNumbers({})))
        if (n.accountSid == old.sid) ++used;
    if (used > 0)
        throw AdminProblem::conflict("account \"" + old.sid + "\" is still used by " + std::to_string(used) +
                                     " number(s); release or move them first");
    for (const auto& a : AdminContext::unwrap(store.listAccounts()))
        if (a.parentSid == old.sid)
            throw AdminProblem::conflict("account \"" + old.sid + "\" is the parent of \"" + a.sid + "\"");
    sdk::Status st = store.deleteAccount(old.sid);
    if (st.code() == sdk::StatusCode::InvalidArgument) throw AdminProblem::conflict(st.message());
    AdminContext::check(st);
    ctx.logger->info("admin: deleted account " + old.sid);
    AdminContext::noContent(response);
}

void AccountEndpoints::rotateToken(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({});
    sdk::CarrierAccount account = existing(ctx, request.param(0));
    const std::string fresh = AccountJson::readNewToken(request.body().root());
    // Twilio signs with whichever token is primary on its side: keep accepting the old one until the
    // operator has switched Twilio over too (then a later rotation drops it).
    account.secondaryToken = account.authToken;
    account.authToken = fresh;
    AdminContext::check(ctx.requireStore().saveAccount(account));
    ctx.logger->info("admin: rotated the auth token of account " + account.sid + " (old token kept as secondary)");
    replyAccount(response, 200, account);
}

} // namespace patchbay::host
