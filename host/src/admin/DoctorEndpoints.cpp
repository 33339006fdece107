// DoctorEndpoints.cpp: GET /v1/doctor — numbers through InboundProvider::checkNumber, the way in through checkPublicEndpoints.
#include "admin/DoctorEndpoints.h"

#include <map>
#include <optional>

#include "admin/CarrierEndpoints.h"

namespace patchbay::host {
namespace {

sdk::SetupCheck finding(std::string subject, std::string problem, std::string fix)
{
    sdk::SetupCheck c;
    c.subject = std::move(subject);
    c.ok = false;
    c.problem = std::move(problem);
    c.fix = std::move(fix);
    return c;
}

/// Runs one provider call; an exception (a plugin bug) becomes a finding rather than a 500 that hides the rest.
template <typename Fn>
bool guarded(Fn&& fn, std::vector<sdk::SetupCheck>& checks, const std::string& subject)
{
    try
    {
        fn();
        return true;
    }
    catch (const std::exception& e)
    {
        checks.push_back(finding(subject, std::string("the carrier plugin failed: ") + e.what(), "see the gateway log"));
    }
    catch (...)
    {
        checks.push_back(finding(subject, "the carrier plugin failed", "see the gateway log"));
    }
    return false;
}

} // namespace

void DoctorEndpoints::addRoutes(AdminRouteTable& routes, const AdminContext& ctx)
{
    const AdminContext* c = &ctx;
    routes.add("GET", "/v1/doctor", AdminAccess::Operator, [c](AdminRequest& q, sdk::HttpResponse& r) { doctor(*c, q, r); });
}

std::vector<sdk::SetupCheck> DoctorEndpoints::run(const AdminContext& ctx)
{
    std::vector<sdk::SetupCheck> checks;
    std::string why;
    const InboundBinding* carrier = CarrierEndpoints::numbersProvider(ctx, &why);
    if (!carrier)
    {
        checks.push_back(finding("inbound provider", why,
                                 "enable the carrier plugin (e.g. twilio) in plugins[]; with several, set routing.inboundProvider"));
        return checks;
    }
    sdk::TenantStore& store = ctx.requireStore();
    const auto numbers = AdminContext::unwrap(store.listNumbers(""));

    // Accounts are shared by many numbers: each is read once.
    std::map<std::string, sdk::Result<sdk::CarrierAccount>> accounts;
    auto accountOf = [&](const std::string& sid) -> const sdk::Result<sdk::CarrierAccount>& {
        auto it = accounts.find(sid);
        if (it == accounts.end()) it = accounts.emplace(sid, store.findAccount(sid)).first;
        return it->second;
    };
    std::optional<sdk::CarrierAccount> signer; // the first number's account signs the endpoint checks

    for (const sdk::NumberRoute& route : numbers)
    {
        const std::string assign = "patchbayctl numbers assign " + route.number + " --tenant " + route.tenantId;
        if (route.accountSid.empty())
        {
            checks.push_back(finding(route.number, "the number has no carrier account", assign + " --account <AC…>"));
            continue;
        }
        const sdk::Result<sdk::CarrierAccount>& account = accountOf(route.accountSid);
        if (!account.isOk())
        {
            if (account.status().code() == sdk::StatusCode::NotFound)
                checks.push_back(finding(route.number, "its account " + route.accountSid + " is not registered",
                                         "patchbayctl accounts add --sid " + route.accountSid + " --auth-token -"));
            else
                checks.push_back(finding(route.number, "tenant store: " + account.status().message(), "check 'patchbayctl health'"));
            continue;
        }
        if (!signer) signer = account.value();
        sdk::Result<sdk::SetupCheck> result = sdk::Status::internal("not run");
        if (!guarded([&] { result = carrier->provider->checkNumber(route, account.value()); }, checks, route.number)) continue;
        if (result.isOk())
        {
            sdk::SetupCheck check = result.value();
            if (check.subject.empty()) check.subject = route.number;
            checks.push_back(std::move(check));
        }
        else if (result.status().code() != sdk::StatusCode::Declined) // a provider that cannot check numbers has nothing to say
        {
            checks.push_back(finding(route.number, "the carrier could not be asked: " + result.status().message(),
                                     "check the credentials of " + route.accountSid + " (patchbayctl accounts show " +
                                         route.accountSid + ") and that the carrier's API is reachable from the gateway"));
        }
    }

    if (!signer)
    {
        // No number to take it from: any registered account will do to sign the test requests.
        const auto all = store.listAccounts();
        if (all.isOk() && !all.value().empty()) signer = all.value().front();
    }
    if (!signer)
    {
        checks.push_back(finding("public endpoints", "no carrier account is registered to sign the test requests with",
                                 "patchbayctl accounts add --sid AC… --auth-token -"));
        return checks;
    }
    std::vector<sdk::SetupCheck> endpoints;
    if (guarded([&] { endpoints = carrier->provider->checkPublicEndpoints(*signer); }, checks, "public endpoints"))
        for (auto& c : endpoints) checks.push_back(std::move(c));
    return checks;
}

void DoctorEndpoints::doctor(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response)
{
    request.allowQuery({});
    const std::vector<sdk::SetupCheck> checks = run(ctx);
    bool ok = true;
    for (const auto& c : checks) ok = ok && c.ok;
    ctx.logger->info("admin: doctor ran " + std::to_string(checks.size()) + " check(s): " + (ok ? "all ok" : "problems found"));
    AdminContext::reply(response, 200, [&](sdk::support::JsonWriter& w) {
        w.beginObject().key("ok").value(ok).key("checks").beginArray();
        for (const auto& c : checks)
        {
            w.beginObject().key("subject").value(c.subject).key("ok").value(c.ok);
            w.key("problem").value(c.problem).key("fix").value(c.fix).endObject();
        }
        w.endArray().endObject();
    });
}

} // namespace patchbay::host
