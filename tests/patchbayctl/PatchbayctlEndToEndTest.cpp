// PatchbayctlEndToEndTest.cpp: fixture helpers, and accounts, tenants, numbers, variants, calls, usage, tenant tokens and suspension end to end.
#include "PatchbayctlEndToEndTest.h"

#include <Poco/JSON/Parser.h>

#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

using patchbay::tests::CtlResult;
using patchbay::tests::LiveGateway;
using Poco::JSON::Array;
using Poco::JSON::Object;

CPPUNIT_TEST_SUITE_REGISTRATION(PatchbayctlEndToEndTest);

const char* const PatchbayctlEndToEndTest::kAccount = "AC0123456789abcdef0123456789abcdef";
const char* const PatchbayctlEndToEndTest::kAccount2 = "ACfedcba9876543210fedcba9876543210";
const char* const PatchbayctlEndToEndTest::kApiKeySid = "SK0123456789abcdef0123456789abcdef";
const char* const PatchbayctlEndToEndTest::kNumber = "+15005550006";
const char* const PatchbayctlEndToEndTest::kNumber2 = "+15005550007";

void PatchbayctlEndToEndTest::setUp()
{
    // A developer's own settings must not change what the binaries do under test.
    ::unsetenv("PATCHBAY_ADMIN_TOKEN");
    ::unsetenv("PATCHBAY_ADMIN_URL");
    _gw = std::make_unique<LiveGateway>();
}

void PatchbayctlEndToEndTest::tearDown()
{
    _gw.reset();
}

std::string PatchbayctlEndToEndTest::addAccount()
{
    const std::string token = _gw->newSecret("auth-token-");
    const CtlResult added = _gw->ctl({"accounts", "add", "--sid", kAccount, "--auth-token", "-", "--name", "Main"}, token + "\n");
    E2E_ASSERT_CODE(0, added);
    return token;
}

void PatchbayctlEndToEndTest::addTenant(const std::string& id, const std::vector<std::string>& extra)
{
    std::vector<std::string> args{"tenants", "add", "--id", id, "--name", "Tenant " + id, "--agent-id", "agent_" + id};
    args.insert(args.end(), extra.begin(), extra.end());
    E2E_ASSERT_CODE(0, _gw->ctl(args));
}

void PatchbayctlEndToEndTest::assignNumber(const std::string& number, const std::string& tenant, const std::string& account)
{
    E2E_ASSERT_CODE(0, _gw->ctl({"numbers", "assign", number, "--tenant", tenant, "--account", account}));
}

std::string PatchbayctlEndToEndTest::call(const std::string& authToken, const std::string& to, const std::string& expect,
                                         const std::vector<std::string>& extra)
{
    std::vector<std::string> args{"--expect", expect};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto result = _gw->callsim(kAccount, authToken, to, args);
    CPPUNIT_ASSERT_EQUAL_MESSAGE("expected the call to end as " + expect + "\n" + result.describe() +
                                     "\n--- gateway:\n" + _gw->gatewayTail(),
                                 0, result.code);
    return result.firstCallSid();
}

Object::Ptr PatchbayctlEndToEndTest::object(const std::string& json)
{
    Poco::JSON::Parser parser;
    return parser.parse(json).extract<Object::Ptr>();
}

Array::Ptr PatchbayctlEndToEndTest::array(const std::string& json)
{
    Poco::JSON::Parser parser;
    return parser.parse(json).extract<Array::Ptr>();
}

bool PatchbayctlEndToEndTest::contains(const std::string& text, const std::string& needle)
{
    return text.find(needle) != std::string::npos;
}

std::string PatchbayctlEndToEndTest::lineWith(const std::string& text, const std::string& needle)
{
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (contains(line, needle))
            return line;
    return std::string();
}

// --- accounts -----------------------------------------------------------------------------------

void PatchbayctlEndToEndTest::accountsAddShowRotateDelete()
{
    _gw->start("k1", {"k1"});
    const std::string token1 = _gw->newSecret("auth-token-");
    const std::string keySecret = _gw->newSecret("api-key-secret-");
    CtlResult r = _gw->ctl({"accounts", "add", "--sid", kAccount, "--auth-token", "-", "--name", "Main", "--api-key-sid",
                            kApiKeySid, "--api-key-secret", "-"},
                           token1 + "\n" + keySecret + "\n");
    E2E_ASSERT_CODE(0, r);
    E2E_ASSERT_CONTAINS(r.out, "account " + std::string(kAccount) + " added");
    E2E_ASSERT_CONTAINS(r.out, "secondary token: not set");

    // A subaccount with both tokens given as arguments, answered as JSON.
    const std::string subToken = _gw->newSecret("sub-auth-token-");
    const std::string subSecondary = _gw->newSecret("sub-secondary-token-");
    r = _gw->ctl({"accounts", "add", "--sid", kAccount2, "--auth-token", subToken, "--secondary-token", subSecondary,
                  "--parent", kAccount, "--json"});
    E2E_ASSERT_CODE(0, r);
    Object::Ptr sub = object(r.out);
    CPPUNIT_ASSERT_EQUAL(std::string(kAccount), sub->getValue<std::string>("parentSid"));
    CPPUNIT_ASSERT(sub->getValue<bool>("hasSecondaryToken"));

    r = _gw->ctl({"accounts", "list"});
    E2E_ASSERT_CODE(0, r);
    E2E_ASSERT_CONTAINS(lineWith(r.out, kAccount), "Main");
    E2E_ASSERT_CONTAINS(r.out, kAccount2);
    r = _gw->ctl({"accounts", "list", "--json"});
    E2E_ASSERT_CODE(0, r);
    const Array::Ptr accounts = object(r.out)->getArray("accounts");
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), accounts->size());
    for (std::size_t i = 0; i < accounts->size(); ++i)
    {
        const Object::Ptr a = accounts->getObject(static_cast<unsigned>(i));
        CPPUNIT_ASSERT(a->getValue<bool>("hasAuthToken"));
        for (const char* secret : {"authToken", "secondaryToken", "apiKeySecret"})
            CPPUNIT_ASSERT_MESSAGE(std::string("accounts list returned ") + secret, !a->has(secret));
    }

    r = _gw->ctl({"accounts", "show", kAccount, "--json"});
    E2E_ASSERT_CODE(0, r);
    Object::Ptr shown = object(r.out);
    CPPUNIT_ASSERT_EQUAL(std::string("Main"), shown->getValue<std::string>("friendlyName"));
    CPPUNIT_ASSERT_EQUAL(std::string(kApiKeySid), shown->getValue<std::string>("apiKeySid"));
    CPPUNIT_ASSERT(shown->getValue<bool>("hasAuthToken"));
    CPPUNIT_ASSERT(!shown->getValue<bool>("hasSecondaryToken"));
    CPPUNIT_ASSERT(shown->getValue<bool>("hasApiKeySecret"));

    // The tokens are what the gateway checks webhook signatures with: prove it with real calls.
    addTenant("acme");
    assignNumber(kNumber, "acme", kAccount);
    call(token1, kNumber, "echo");

    // Rotation: the new token becomes primary, the old one secondary (still accepted).
    const std::string token2 = _gw->newSecret("auth-token-");
    r = _gw->ctl({"accounts", "rotate-token", kAccount, "--auth-token", "-"}, token2 + "\n");
    E2E_ASSERT_CODE(0, r);
    E2E_ASSERT_CONTAINS(r.out, "rotated");
    E2E_ASSERT_CONTAINS(r.out, "secondary token: set");
    shown = object(_gw->ctl({"accounts", "show", kAccount, "--json"}).out);
    CPPUNIT_ASSERT(shown->getValue<bool>("hasAuthToken"));
    CPPUNIT_ASSERT(shown->getValue<bool>("hasSecondaryToken"));
    call(token2, kNumber, "echo");
    call(token1, kNumber, "echo");

    // A second rotation drops the first token: token2 is the secondary now.
    const std::string token3 = _gw->newSecret("auth-token-");
    E2E_ASSERT_CODE(0, _gw->ctl({"accounts", "rotate-token", kAccount, "--auth-token", token3}));
    call(token1, kNumber, "forbidden");
    call(token2, kNumber, "echo");
    call(token3, kNumber, "echo");

    // Delete: refused while a number uses the account or it is a parent; then gone.
    r = _gw->ctl({"accounts", "delete", kAccount});
    E2E_ASSERT_CODE(1, r);
    E2E_ASSERT_CONTAINS(r.err, "HTTP 409");
    E2E_ASSERT_CODE(0, _gw->ctl({"numbers", "release", kNumber}));
    r = _gw->ctl({"accounts", "delete", kAccount});
    E2E_ASSERT_CODE(1, r); // still the parent of kAccount2
    E2E_ASSERT_CONTAINS(r.err, "HTTP 409");
    E2E_ASSERT_CODE(0, _gw->ctl({"accounts", "delete", kAccount2}));
    r = _gw->ctl({"accounts", "delete", kAccount});
    E2E_ASSERT_CODE(0, r);
    E2E_ASSERT_CONTAINS(r.out, "deleted");
    r = _gw->ctl({"accounts", "show", kAccount});
    E2E_ASSERT_CODE(1, r);
    E2E_ASSERT_CONTAINS(r.err, "HTTP 404");
    CPPUNIT_ASSERT_EQUAL(std::size_t(0), object(_gw->ctl({"accounts", "list", "--json"}).out)->getArray("accounts")->size());
    _gw->assertNoSecretLeaked();
}

// --- tenants and numbers ------------------------------------------------------------------------

void PatchbayctlEndToEndTest::tenantsAndNumbersLifecycle()
{
    _gw->start("k1", {"k1"});
    addAccount();
    const std::string agentKey = _gw->newSecret("agent-api-key-");
    CtlResult r = _gw->ctl({"tenants", "add", "--id", "acme", "--name", "Acme Dental", "--agent-id", "agent_acme",
                            "--max-concurrent", "3", "--monthly-minutes", "100", "--rate-per-minute", "0.05",
                            "--currency", "EUR", "--fallback-message", "We are busy.", "--var", "plan=gold",
                            "--agent-api-key", "-"},
                           agentKey + "\n");
    E2E_ASSERT_CODE(0, r);
    E2E_ASSERT_CONTAINS(r.out, "tenant acme created");
    E2E_ASSERT_CONTAINS(lineWith(r.out, "agent api key:"), "set");
    addTenant("beta");
    r = _gw->ctl({"tenants", "add", "--id", "acme", "--name", "Again", "--agent-id", "x"});
    E2E_ASSERT_CODE(1, r);
    E2E_ASSERT_CONTAINS(r.err, "HTTP 409");

    r = _gw->ctl({"tenants", "list"});
    E2E_ASSERT_CODE(0, r);
    E2E_ASSERT_CONTAINS(lineWith(r.out, "acme"), "Acme Dental");
    E2E_ASSERT_CONTAINS(lineWith(r.out, "acme"), "0.05 EUR");
    E2E_ASSERT_CONTAINS(lineWith(r.out, "beta"), "agent_beta");
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), object(_gw->ctl({"tenants", "list", "--json"}).out)->getArray("tenants")->size());

    r = _gw->ctl({"tenants", "show", "acme", "--json"});
    E2E_ASSERT_CODE(0, r);
    Object::Ptr t = object(r.out);
    CPPUNIT_ASSERT_EQUAL(std::string("Acme Dental"), t->getValue<std::string>("name"));
    CPPUNIT_ASSERT_EQUAL(std::string("active"), t->getValue<std::string>("status"));
    CPPUNIT_ASSERT_EQUAL(std::string("agent_acme"), t->getObject("agent")->getValue<std::string>("agentId"));
    CPPUNIT_ASSERT(t->getObject("agent")->getValue<bool>("hasApiKey"));
    CPPUNIT_ASSERT(!t->getObject("agent")->has("apiKey"));
    CPPUNIT_ASSERT_EQUAL(std::string("gold"), t->getObject("agent")->getObject("dynamicVariables")->getValue<std::string>("plan"));
    CPPUNIT_ASSERT_EQUAL(3, t->getObject("limits")->getValue<int>("maxConcurrentCalls"));
    CPPUNIT_ASSERT_EQUAL(100, t->getObject("limits")->getValue<int>("monthlyMinutes"));
    CPPUNIT_ASSERT_EQUAL(50000, t->getObject("rates")->getValue<int>("perMinuteMicros"));
    CPPUNIT_ASSERT_EQUAL(std::string("EUR"), t->getObject("rates")->getValue<std::string>("currency"));
    CPPUNIT_ASSERT_EQUAL(std::string("We are busy."), t->getObject("fallback")->getValue<std::string>("message"));

    // update = GET, merge, PUT: what was not named (key, variables, other limits) survives.
    r = _gw->ctl({"tenants", "update", "acme", "--name", "Acme Dental 2", "--max-concurrent", "5"});
    E2E_ASSERT_CODE(0, r);
    t = object(_gw->ctl({"tenants", "show", "acme", "--json"}).out);
    CPPUNIT_ASSERT_EQUAL(std::string("Acme Dental 2"), t->getValue<std::string>("name"));
    CPPUNIT_ASSERT_EQUAL(5, t->getObject("limits")->getValue<int>("maxConcurrentCalls"));
    CPPUNIT_ASSERT_EQUAL(100, t->getObject("limits")->getValue<int>("monthlyMinutes"));
    CPPUNIT_ASSERT(t->getObject("agent")->getValue<bool>("hasApiKey"));
    CPPUNIT_ASSERT_EQUAL(std::string("gold"), t->getObject("agent")->getObject("dynamicVariables")->getValue<std::string>("plan"));

    r = _gw->ctl({"tenants", "suspend", "acme"});
    E2E_ASSERT_CODE(0, r);
    CPPUNIT_ASSERT_EQUAL(std::string("suspended"), object(_gw->ctl({"tenants", "show", "acme", "--json"}).out)->getValue<std::string>("status"));
    E2E_ASSERT_CONTAINS(lineWith(_gw->ctl({"tenants", "list"}).out, "acme"), "suspended");
    E2E_ASSERT_CODE(0, _gw->ctl({"tenants", "resume", "acme"}));
    CPPUNIT_ASSERT_EQUAL(std::string("active"), object(_gw->ctl({"tenants", "show", "acme", "--json"}).out)->getValue<std::string>("status"));

    // Numbers.
    assignNumber(kNumber, "acme", kAccount);
    assignNumber(kNumber2, "beta", kAccount);
    r = _gw->ctl({"numbers", "list"});
    E2E_ASSERT_CODE(0, r);
    E2E_ASSERT_CONTAINS(lineWith(r.out, kNumber), "acme");
    E2E_ASSERT_CONTAINS(lineWith(r.out, kNumber2), "beta");
    r = _gw->ctl({"numbers", "list", "--tenant", "acme", "--json"});
    E2E_ASSERT_CODE(0, r);
    Array::Ptr numbers = object(r.out)->getArray("numbers");
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), numbers->size());
    CPPUNIT_ASSERT_EQUAL(std::string(kNumber), numbers->getObject(0)->getValue<std::string>("number"));
    CPPUNIT_ASSERT_EQUAL(std::string(kAccount), numbers->getObject(0)->getValue<std::string>("accountSid"));

    // Another tenant's number: 409, and the operator is told who owns it.
    r = _gw->ctl({"numbers", "assign", kNumber, "--tenant", "beta", "--account", kAccount});
    E2E_ASSERT_CODE(1, r);
    E2E_ASSERT_CONTAINS(r.err, "HTTP 409");
    E2E_ASSERT_CONTAINS(r.err, "acme");
    E2E_ASSERT_CONTAINS(r.err, "field: number");
    CPPUNIT_ASSERT_EQUAL(std::string(""), r.out);

    // Delete: refused while numbers are assigned.
    r = _gw->ctl({"tenants", "delete", "acme"});
    E2E_ASSERT_CODE(1, r);
    E2E_ASSERT_CONTAINS(r.err, "HTTP 409");
    E2E_ASSERT_CODE(0, _gw->ctl({"numbers", "release", kNumber}));
    r = _gw->ctl({"numbers", "release", kNumber});
    E2E_ASSERT_CODE(1, r);
    E2E_ASSERT_CONTAINS(r.err, "HTTP 404");
    CPPUNIT_ASSERT_EQUAL(std::size_t(0),
        object(_gw->ctl({"numbers", "list", "--tenant", "acme", "--json"}).out)->getArray("numbers")->size());
    r = _gw->ctl({"tenants", "delete", "acme"});
    E2E_ASSERT_CODE(0, r);
    r = _gw->ctl({"tenants", "show", "acme"});
    E2E_ASSERT_CODE(1, r);
    E2E_ASSERT_CONTAINS(r.err, "HTTP 404");
    const Array::Ptr left = object(_gw->ctl({"tenants", "list", "--json"}).out)->getArray("tenants");
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), left->size());
    CPPUNIT_ASSERT_EQUAL(std::string("beta"), left->getObject(0)->getValue<std::string>("id"));
    _gw->assertNoSecretLeaked();
}

// --- variants, calls and usage ------------------------------------------------------------------

void PatchbayctlEndToEndTest::variantsCallsAndUsage()
{
    constexpr std::int64_t kRate = 70000; // 0.07 per minute: one second costs 1166.67 micros
    _gw->start("k1", {"k1"});
    const std::string token = addAccount();
    addTenant("acme", {"--rate-per-minute", "0.07", "--currency", "USD"});
    assignNumber(kNumber, "acme", kAccount);

    CtlResult r = _gw->ctl({"variants", "set", "acme", "--variant", "a:3:agent_va", "--variant", "b:1:agent_vb:Hello from b"});
    E2E_ASSERT_CODE(0, r);
    r = _gw->ctl({"variants", "show", "acme", "--json"});
    E2E_ASSERT_CODE(0, r);
    Array::Ptr variants = array(r.out);
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), variants->size());
    CPPUNIT_ASSERT_EQUAL(3, variants->getObject(0)->getValue<int>("weight"));
    CPPUNIT_ASSERT_EQUAL(1, variants->getObject(1)->getValue<int>("weight"));
    E2E_ASSERT_CONTAINS(lineWith(_gw->ctl({"variants", "show", "acme"}).out, "agent_vb"), "25.0%");

    // First call: either variant. Then weight 0 pauses a, so the second call must be b.
    const std::string sid1 = call(token, kNumber, "echo");
    const Object::Ptr rec1 = _gw->waitForEndedCall(sid1);
    const std::string variant1 = rec1->getValue<std::string>("variant");
    CPPUNIT_ASSERT_MESSAGE("variant " + variant1, variant1 == "a" || variant1 == "b");
    E2E_ASSERT_CODE(0, _gw->ctl({"variants", "set", "acme", "--variant", "a:0:agent_va", "--variant", "b:1:agent_vb"}));
    const std::string sid2 = call(token, kNumber, "echo");
    const Object::Ptr rec2 = _gw->waitForEndedCall(sid2);
    CPPUNIT_ASSERT_EQUAL(std::string("b"), rec2->getValue<std::string>("variant"));
    // The variant's agent is the one the gateway opened the conversation with.
    const std::string log = _gw->gatewayLog();
    E2E_ASSERT_CONTAINS(lineWith(log, "call=" + sid1 + " opening agent conversation"), "agent_v" + variant1 + " ");
    E2E_ASSERT_CONTAINS(lineWith(log, "call=" + sid2 + " opening agent conversation"), "agent_vb ");

    // calls list: both calls with their variants.
    r = _gw->ctl({"calls", "list", "--tenant", "acme", "--json"});
    E2E_ASSERT_CODE(0, r);
    const Array::Ptr calls = object(r.out)->getArray("calls");
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), calls->size());
    std::map<std::string, Object::Ptr> bySid;
    for (std::size_t i = 0; i < calls->size(); ++i)
        bySid[calls->getObject(static_cast<unsigned>(i))->getValue<std::string>("callSid")] = calls->getObject(static_cast<unsigned>(i));
    CPPUNIT_ASSERT(bySid.count(sid1) && bySid.count(sid2));
    CPPUNIT_ASSERT_EQUAL(variant1, bySid[sid1]->getValue<std::string>("variant"));
    CPPUNIT_ASSERT_EQUAL(std::string("b"), bySid[sid2]->getValue<std::string>("variant"));
    r = _gw->ctl({"calls", "list", "--tenant", "acme"});
    E2E_ASSERT_CODE(0, r);
    E2E_ASSERT_CONTAINS(lineWith(r.out, sid2), " b ");
    E2E_ASSERT_CONTAINS(lineWith(r.out, sid2), "completed");

    // calls show: the record, its status history and transcript sections.
    r = _gw->ctl({"calls", "show", sid2});
    E2E_ASSERT_CODE(0, r);
    E2E_ASSERT_CONTAINS(lineWith(r.out, "variant:"), "b");
    E2E_ASSERT_CONTAINS(lineWith(r.out, "status:"), "ended");
    E2E_ASSERT_CONTAINS(r.out, "status history:");
    E2E_ASSERT_CONTAINS(r.out, "transcript:");
    r = _gw->ctl({"calls", "show", sid2, "--json"});
    E2E_ASSERT_CODE(0, r);
    const Object::Ptr shown = object(r.out);
    CPPUNIT_ASSERT(shown->getArray("statusHistory"));
    CPPUNIT_ASSERT(shown->getArray("transcript"));
    CPPUNIT_ASSERT_EQUAL(std::string("acme"), shown->getValue<std::string>("tenantId"));

    // Billing: seconds rounded up per call, cost = ceil(seconds * rate / 60) per call.
    struct Expected { std::int64_t calls = 0, seconds = 0, cost = 0; };
    std::map<std::string, Expected> expected;
    for (const auto& rec : {rec1, rec2})
    {
        const std::int64_t ms = rec->getValue<std::int64_t>("durationMs");
        CPPUNIT_ASSERT_MESSAGE("durationMs " + std::to_string(ms), ms > 0);
        const std::int64_t seconds = (ms + 999) / 1000;
        const std::int64_t cost = (seconds * kRate + 59) / 60;
        CPPUNIT_ASSERT_EQUAL(cost, rec->getValue<std::int64_t>("costMicros"));
        Expected& e = expected[rec->getValue<std::string>("variant")];
        ++e.calls;
        e.seconds += seconds;
        e.cost += cost;
    }
    r = _gw->ctl({"usage", "--tenant", "acme", "--json"});
    E2E_ASSERT_CODE(0, r);
    const Array::Ptr usage = object(r.out)->getArray("usage");
    std::map<std::string, Expected> actual; // summed over months, should the calls straddle one
    for (std::size_t i = 0; i < usage->size(); ++i)
    {
        const Object::Ptr row = usage->getObject(static_cast<unsigned>(i));
        CPPUNIT_ASSERT_EQUAL(std::string("USD"), row->getValue<std::string>("currency"));
        const std::int64_t seconds = row->getValue<std::int64_t>("seconds");
        CPPUNIT_ASSERT_DOUBLES_EQUAL(static_cast<double>((seconds * 100 + 30) / 60) / 100.0, row->getValue<double>("minutes"), 1e-9);
        Expected& a = actual[row->getValue<std::string>("variant")];
        a.calls += row->getValue<std::int64_t>("calls");
        a.seconds += seconds;
        a.cost += row->getValue<std::int64_t>("costMicros");
    }
    CPPUNIT_ASSERT_EQUAL(expected.size(), actual.size());
    for (const auto& [variant, e] : expected)
    {
        CPPUNIT_ASSERT_EQUAL_MESSAGE("calls of " + variant, e.calls, actual[variant].calls);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("seconds of " + variant, e.seconds, actual[variant].seconds);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("cost of " + variant, e.cost, actual[variant].cost);
    }
    r = _gw->ctl({"usage", "--tenant", "acme"});
    E2E_ASSERT_CODE(0, r);
    const std::string rowB = lineWith(r.out, " b ");
    E2E_ASSERT_CONTAINS(rowB, "acme");
    E2E_ASSERT_CONTAINS(rowB, "USD");
    if (expected.size() > 1)
        E2E_ASSERT_CONTAINS(r.out, "TOTAL");
    _gw->assertNoSecretLeaked();
}

// --- tenant tokens ------------------------------------------------------------------------------

void PatchbayctlEndToEndTest::tenantTokenSeesOnlyItsTenant()
{
    _gw->start("k1", {"k1"});
    const std::string authToken = addAccount();
    addTenant("acme");
    addTenant("beta");
    assignNumber(kNumber, "acme", kAccount);
    assignNumber(kNumber2, "beta", kAccount);
    const std::string betaCall = call(authToken, kNumber2, "echo");
    _gw->waitForEndedCall(betaCall);

    CtlResult r = _gw->ctlRevealing({"tokens", "create", "acme", "--label", "crm"});
    E2E_ASSERT_CODE(0, r);
    std::istringstream lines(r.out);
    std::string token, idLine;
    std::getline(lines, token);
    std::getline(lines, idLine);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.out, std::size_t(43), token.size());
    _gw->addSecret("tenant token of acme", token);
    CPPUNIT_ASSERT_MESSAGE(r.out, idLine.rfind("token id: ", 0) == 0);
    const std::string tokenId = idLine.substr(10);

    // Its own tenant only — given with --token - on stdin here.
    r = _gw->ctlWithToken("", {"--token", "-", "tenants", "list", "--json"}, token + "\n");
    E2E_ASSERT_CODE(0, r);
    const Array::Ptr tenants = object(r.out)->getArray("tenants");
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), tenants->size());
    CPPUNIT_ASSERT_EQUAL(std::string("acme"), tenants->getObject(0)->getValue<std::string>("id"));
    r = _gw->ctlWithToken(token, {"numbers", "list", "--json"});
    E2E_ASSERT_CODE(0, r);
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), object(r.out)->getArray("numbers")->size());
    E2E_ASSERT_CODE(0, _gw->ctlWithToken(token, {"calls", "list"}));

    // Another tenant's data: 404 (exit 1), as if it did not exist.
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {"tenants", "show", "beta"}, {"calls", "list", "--tenant", "beta"}, {"calls", "show", betaCall},
             {"numbers", "list", "--tenant", "beta"}, {"usage", "--tenant", "beta"}})
    {
        r = _gw->ctlWithToken(token, args);
        E2E_ASSERT_CODE(1, r);
        E2E_ASSERT_CONTAINS(r.err, "HTTP 404");
        CPPUNIT_ASSERT_EQUAL(std::string(""), r.out);
    }
    // Taking beta's number: the ordinary 409, without naming the owner.
    r = _gw->ctlWithToken(token, {"numbers", "assign", kNumber2, "--tenant", "acme", "--account", kAccount});
    E2E_ASSERT_CODE(1, r);
    E2E_ASSERT_CONTAINS(r.err, "HTTP 409");
    E2E_ASSERT_LACKS(r.err, "beta");
    // Operator-only endpoints: 403, exit 4.
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {"accounts", "list"}, {"keys", "rotate"}, {"tokens", "create", "acme"}, {"tenants", "suspend", "acme"}})
    {
        r = _gw->ctlWithToken(token, args);
        E2E_ASSERT_CODE(4, r);
        E2E_ASSERT_CONTAINS(r.err, "HTTP 403");
    }

    r = _gw->ctl({"tokens", "list", "acme"});
    E2E_ASSERT_CODE(0, r);
    E2E_ASSERT_CONTAINS(lineWith(r.out, tokenId), "crm");
    r = _gw->ctl({"tokens", "revoke", "acme", tokenId});
    E2E_ASSERT_CODE(0, r);
    r = _gw->ctlWithToken(token, {"tenants", "list"});
    E2E_ASSERT_CODE(4, r);
    E2E_ASSERT_CONTAINS(r.err, "HTTP 401");
    r = _gw->ctl({"tokens", "list", "acme", "--json"});
    E2E_ASSERT_CODE(0, r);
    CPPUNIT_ASSERT(object(r.out)->getArray("tokens")->getObject(0)->getValue<bool>("revoked"));
    _gw->assertNoSecretLeaked();
}

// --- suspension ---------------------------------------------------------------------------------

void PatchbayctlEndToEndTest::suspendedTenantGetsFallback()
{
    _gw->start("k1", {"k1"});
    const std::string token = addAccount();
    addTenant("acme", {"--fallback-message", "Sorry, we are closed."});
    assignNumber(kNumber, "acme", kAccount);
    call(token, kNumber, "echo");

    E2E_ASSERT_CODE(0, _gw->ctl({"tenants", "suspend", "acme"}));
    const auto suspended = _gw->callsim(kAccount, token, kNumber, {"--expect", "fallback"});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(suspended.describe(), 0, suspended.code);
    CPPUNIT_ASSERT(suspended.report);
    CPPUNIT_ASSERT_EQUAL(1, suspended.report->getObject("calls")->getValue<int>("fallback"));

    E2E_ASSERT_CODE(0, _gw->ctl({"tenants", "resume", "acme"}));
    call(token, kNumber, "echo");
    _gw->assertNoSecretLeaked();
}
