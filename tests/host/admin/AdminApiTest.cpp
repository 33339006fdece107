// AdminApiTest.cpp: every admin API endpoint over real loopback HTTP against the real SQLite store — results, errors, secrets.
#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <sstream>

#include "AdminTestHarness.h"
#include "admin/AdminTokens.h"

using namespace patchbay;
using patchbay::testing::AdminReply;
using patchbay::testing::AdminTestHarness;

namespace {

const std::string kAuthA = "authTokenSecretAAAA1111";
const std::string kAuthA2 = "authTokenSecretAAAA2222";
const std::string kKeySecret = "apiKeySecretZZZZ9999";
const std::string kAgentKey = "agentApiKeySecretQQQQ";
const std::string kAgentKey2 = "agentApiKeySecretRRRR";
const std::string kVariantKey = "variantApiKeySecretVVVV";

std::string str(const Poco::JSON::Object::Ptr& o, const std::string& key)
{
    return o->getValue<std::string>(key);
}

std::string readSource(const std::string& relative)
{
    std::ifstream in(std::string(PATCHBAY_SOURCE_DIR) + "/" + relative);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

#define ASSERT_PROBLEM(reply, code, fieldName)                                                                       \
    do                                                                                                               \
    {                                                                                                                \
        const AdminReply& r_ = (reply);                                                                              \
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r_.body, code, r_.status);                                                      \
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r_.body, std::string("application/problem+json"), r_.contentType);              \
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r_.body, std::string("about:blank"), r_.problem("type"));                       \
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r_.body, std::to_string(code), r_.problem("status"));                           \
        CPPUNIT_ASSERT_MESSAGE(r_.body, !r_.problem("title").empty() && !r_.problem("detail").empty());              \
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r_.body, std::string(fieldName), r_.problem("field"));                          \
    } while (0)

} // namespace

class AdminApiTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(AdminApiTest);
    CPPUNIT_TEST(authenticationRules);
    CPPUNIT_TEST(operatorTokenIsComparedInConstantTime);
    CPPUNIT_TEST(accountsCrudAndRotation);
    CPPUNIT_TEST(accountValidation);
    CPPUNIT_TEST(tenantsCrudSuspendVariants);
    CPPUNIT_TEST(tenantValidationNamesTheField);
    CPPUNIT_TEST(numbersAssignAndRelease);
    CPPUNIT_TEST(callsListFilterPageAndDetail);
    CPPUNIT_TEST(usagePerTenantAndMonth);
    CPPUNIT_TEST(tenantTokensIssueListRevoke);
    CPPUNIT_TEST(keysRotateAndHealth);
    CPPUNIT_TEST(protocolErrors);
    CPPUNIT_TEST(storeUnavailableIs503);
    CPPUNIT_TEST(secretsNeverInResponsesOrLogs);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { _h = std::make_unique<AdminTestHarness>(); }
    void tearDown() override { _h.reset(); }

    /// One account (AC111…) and tenant "acme" with an agent key, used by several tests.
    void seedAcme()
    {
        CPPUNIT_ASSERT_EQUAL(201, _h->op("POST", "/v1/accounts", AdminTestHarness::accountJson(acct(), kAuthA)).status);
        CPPUNIT_ASSERT_EQUAL(201, _h->op("POST", "/v1/tenants", AdminTestHarness::tenantJson("acme", "Acme", kAgentKey)).status);
    }
    static std::string acct() { return AdminTestHarness::accountSid('1'); }

    void authenticationRules()
    {
        for (const auto& [auth, why] : std::vector<std::pair<std::string, std::string>>{
                 {"", "none"}, {"Basic dXNlcjpwYXNz", "basic"}, {"Bearer", "empty"}, {"Bearer wrong-token-but-long-enough-123", "wrong"}})
        {
            AdminReply r = _h->call("GET", "/v1/tenants", "", "", auth);
            ASSERT_PROBLEM(r, 401, "");
            CPPUNIT_ASSERT_MESSAGE(why, r.header("www-authenticate").find("Bearer") == 0);
        }
        // Unknown paths and methods are 401 too before authentication: nothing is learnt about routes.
        ASSERT_PROBLEM(_h->call("GET", "/v1/nothing-here", "x"), 401, "");
        ASSERT_PROBLEM(_h->call("DELETE", "/v1/health", ""), 401, "");
        // Scheme is case-insensitive (RFC 7235).
        CPPUNIT_ASSERT_EQUAL(200, _h->call("GET", "/v1/health", "", "", std::string("bearer ") + AdminTestHarness::kOperatorToken).status);
        CPPUNIT_ASSERT(_h->log().contains(sdk::LogLevel::Warn, "-> 401"));
        CPPUNIT_ASSERT(_h->metrics().renderPrometheus().find("patchbay_admin_auth_failures_total") != std::string::npos);
    }

    void operatorTokenIsComparedInConstantTime()
    {
        using host::AdminTokens;
        const std::string op = AdminTestHarness::kOperatorToken;
        for (const std::string& near : {op.substr(0, op.size() - 1), op + "x", op.substr(0, op.size() - 1) + "Z", std::string("x") + op})
            ASSERT_PROBLEM(_h->call("GET", "/v1/health", near), 401, "");
        CPPUNIT_ASSERT(AdminTokens::digestEquals(AdminTokens::sha256("abc"), AdminTokens::sha256("abc")));
        CPPUNIT_ASSERT(!AdminTokens::digestEquals(AdminTokens::sha256("abc"), AdminTokens::sha256("abd")));
        CPPUNIT_ASSERT_EQUAL(std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), AdminTokens::sha256Hex("abc"));
        // The operator check goes through the digest comparison, and that is CRYPTO_memcmp: no
        // early-exit == on token text anywhere in the authenticator.
        const std::string auth = readSource("host/src/admin/AdminAuthenticator.cpp");
        CPPUNIT_ASSERT(auth.find("AdminTokens::digestEquals(AdminTokens::sha256(token), _operatorDigest)") != std::string::npos);
        CPPUNIT_ASSERT(auth.find("token ==") == std::string::npos && auth.find("== token") == std::string::npos);
        const std::string tokens = readSource("host/src/admin/AdminTokens.cpp");
        CPPUNIT_ASSERT(tokens.find("return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;") != std::string::npos);
        // Tenant tokens: 32 random bytes, base64url, never the same twice.
        const std::string t1 = AdminTokens::newToken(), t2 = AdminTokens::newToken();
        CPPUNIT_ASSERT_EQUAL(std::size_t(43), t1.size());
        CPPUNIT_ASSERT(t1 != t2);
        CPPUNIT_ASSERT(t1.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == std::string::npos);
    }

    void accountsCrudAndRotation()
    {
        const std::string parent = acct(), child = AdminTestHarness::accountSid('2');
        AdminReply r = _h->op("POST", "/v1/accounts",
                              AdminTestHarness::accountJson(parent, kAuthA, R"("friendlyName":"Main","apiKeySid":"SK)" +
                                                                                std::string(32, 'b') + R"(","apiKeySecret":")" +
                                                                                kKeySecret + "\""));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        auto o = r.json();
        CPPUNIT_ASSERT_EQUAL(parent, str(o, "sid"));
        CPPUNIT_ASSERT(o->getValue<bool>("hasAuthToken") && o->getValue<bool>("hasApiKeySecret") && !o->getValue<bool>("hasSecondaryToken"));
        CPPUNIT_ASSERT(!o->has("authToken") && !o->has("apiKeySecret"));
        ASSERT_PROBLEM(_h->op("POST", "/v1/accounts", AdminTestHarness::accountJson(parent, kAuthA)), 409, "sid");
        CPPUNIT_ASSERT_EQUAL(201, _h->op("POST", "/v1/accounts",
                                         AdminTestHarness::accountJson(child, "childToken123", R"("parentSid":")" + parent + "\""))
                                      .status);

        r = _h->op("GET", "/v1/accounts");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), r.json()->getArray("accounts")->size());
        r = _h->op("GET", "/v1/accounts/" + child);
        CPPUNIT_ASSERT_EQUAL(parent, str(r.json(), "parentSid"));

        // PUT without the secrets keeps them (they are write-only); the body's sid must match.
        r = _h->op("PUT", "/v1/accounts/" + parent, R"({"friendlyName":"Renamed","apiKeySid":"SK)" + std::string(32, 'b') + "\"}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Renamed"), str(r.json(), "friendlyName"));
        auto stored = _h->store().findAccount(parent);
        CPPUNIT_ASSERT_EQUAL(kAuthA, stored->authToken);
        CPPUNIT_ASSERT_EQUAL(kKeySecret, stored->apiKeySecret);
        ASSERT_PROBLEM(_h->op("PUT", "/v1/accounts/" + parent, R"({"sid":")" + child + "\"}"), 400, "sid");
        ASSERT_PROBLEM(_h->op("PUT", "/v1/accounts/" + AdminTestHarness::accountSid('9'), "{}"), 404, "");

        // Rotation: the old primary becomes secondary.
        r = _h->op("POST", "/v1/accounts/" + parent + "/rotate-token", R"({"authToken":")" + kAuthA2 + "\"}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        CPPUNIT_ASSERT(r.json()->getValue<bool>("hasSecondaryToken"));
        stored = _h->store().findAccount(parent);
        CPPUNIT_ASSERT_EQUAL(kAuthA2, stored->authToken);
        CPPUNIT_ASSERT_EQUAL(kAuthA, stored->secondaryToken);
        ASSERT_PROBLEM(_h->op("POST", "/v1/accounts/" + parent + "/rotate-token", "{}"), 400, "authToken");

        // Delete: refused while a number or a subaccount uses it.
        CPPUNIT_ASSERT_EQUAL(201, _h->op("POST", "/v1/tenants", AdminTestHarness::tenantJson("t1", "T1")).status);
        CPPUNIT_ASSERT_EQUAL(201, _h->op("PUT", "/v1/numbers/%2B15005550006", R"({"tenantId":"t1","accountSid":")" + child + "\"}").status);
        ASSERT_PROBLEM(_h->op("DELETE", "/v1/accounts/" + child), 409, "");
        ASSERT_PROBLEM(_h->op("DELETE", "/v1/accounts/" + parent), 409, "");
        CPPUNIT_ASSERT_EQUAL(204, _h->op("DELETE", "/v1/numbers/%2B15005550006").status);
        r = _h->op("DELETE", "/v1/accounts/" + child);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 204, r.status);
        CPPUNIT_ASSERT(r.body.empty());
        ASSERT_PROBLEM(_h->op("GET", "/v1/accounts/" + child), 404, "");
        ASSERT_PROBLEM(_h->op("DELETE", "/v1/accounts/" + child), 404, "");
    }

    void accountValidation()
    {
        const std::string sid = acct();
        ASSERT_PROBLEM(_h->op("POST", "/v1/accounts", AdminTestHarness::accountJson("AC123", kAuthA)), 400, "sid");
        ASSERT_PROBLEM(_h->op("POST", "/v1/accounts", R"({"sid":")" + sid + "\"}"), 400, "authToken");
        ASSERT_PROBLEM(_h->op("POST", "/v1/accounts", AdminTestHarness::accountJson(sid, "has space")), 400, "authToken");
        ASSERT_PROBLEM(_h->op("POST", "/v1/accounts", AdminTestHarness::accountJson(sid, kAuthA, R"("color":"red")")), 400, "color");
        ASSERT_PROBLEM(_h->op("POST", "/v1/accounts", AdminTestHarness::accountJson(sid, kAuthA, R"("apiKeySecret":"x1")")), 400,
                       "apiKeySid");
        ASSERT_PROBLEM(_h->op("POST", "/v1/accounts", AdminTestHarness::accountJson(sid, kAuthA, R"("apiKeySid":"SKnope")")), 400,
                       "apiKeySid");
        ASSERT_PROBLEM(_h->op("POST", "/v1/accounts",
                              AdminTestHarness::accountJson(sid, kAuthA, R"("parentSid":")" + AdminTestHarness::accountSid('f') + "\"")),
                       404, "parentSid");
        ASSERT_PROBLEM(_h->op("POST", "/v1/accounts", AdminTestHarness::accountJson(sid, kAuthA, R"("parentSid":")" + sid + "\"")),
                       400, "parentSid");
        ASSERT_PROBLEM(_h->op("POST", "/v1/accounts", AdminTestHarness::accountJson(sid, kAuthA, R"("friendlyName":7)")), 400,
                       "friendlyName");
        CPPUNIT_ASSERT(!_h->store().findAccount(sid).isOk());
    }

    void tenantsCrudSuspendVariants()
    {
        AdminReply r = _h->op("POST", "/v1/tenants", AdminTestHarness::tenantJson("acme", "Acme", kAgentKey));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        auto o = r.json();
        CPPUNIT_ASSERT_EQUAL(std::string("active"), str(o, "status"));
        auto agent = o->getObject("agent");
        CPPUNIT_ASSERT(agent->getValue<bool>("hasApiKey") && !agent->has("apiKey"));
        CPPUNIT_ASSERT_EQUAL(std::string("3"), agent->getObject("dynamicVariables")->getValue<std::string>("seats"));
        CPPUNIT_ASSERT_EQUAL(30, o->getObject("limits")->getValue<int>("callsPerMinute"));
        CPPUNIT_ASSERT_EQUAL(std::string("EUR"), o->getObject("rates")->getValue<std::string>("currency"));
        CPPUNIT_ASSERT_EQUAL(kAgentKey, _h->store().findTenant("acme")->agent.apiKey);
        ASSERT_PROBLEM(_h->op("POST", "/v1/tenants", AdminTestHarness::tenantJson("acme", "Again")), 409, "id");

        CPPUNIT_ASSERT_EQUAL(201, _h->op("POST", "/v1/tenants", AdminTestHarness::tenantJson("beta", "Beta")).status);
        r = _h->op("GET", "/v1/tenants");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), r.json()->getArray("tenants")->size());
        CPPUNIT_ASSERT_EQUAL(std::string("Acme"), str(_h->op("GET", "/v1/tenants/acme").json(), "name"));
        ASSERT_PROBLEM(_h->op("GET", "/v1/tenants/nope"), 404, "");

        // PUT replaces the tenant; the agent key it cannot read back is kept unless given ("" clears).
        r = _h->op("PUT", "/v1/tenants/acme", R"({"name":"Acme 2","agent":{"agentId":"agent-2"}})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        auto stored = _h->store().findTenant("acme");
        CPPUNIT_ASSERT_EQUAL(std::string("Acme 2"), stored->name);
        CPPUNIT_ASSERT_EQUAL(kAgentKey, stored->agent.apiKey);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(0), stored->limits.callsPerMinute);
        CPPUNIT_ASSERT_EQUAL(200, _h->op("PUT", "/v1/tenants/acme", R"({"name":"Acme 2","agent":{"agentId":"agent-2","apiKey":""}})").status);
        CPPUNIT_ASSERT(_h->store().findTenant("acme")->agent.apiKey.empty());
        ASSERT_PROBLEM(_h->op("PUT", "/v1/tenants/acme", R"({"id":"other","name":"x","agent":{"agentId":"a"}})"), 400, "id");
        ASSERT_PROBLEM(_h->op("PUT", "/v1/tenants/nope", R"({"name":"x","agent":{"agentId":"a"}})"), 404, "");

        r = _h->op("POST", "/v1/tenants/acme/suspend");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("suspended"), str(r.json(), "status"));
        CPPUNIT_ASSERT(_h->store().findTenant("acme")->status == sdk::TenantStatus::Suspended);
        CPPUNIT_ASSERT_EQUAL(std::string("active"), str(_h->op("POST", "/v1/tenants/acme/resume").json(), "status"));
        CPPUNIT_ASSERT(_h->store().findTenant("acme")->status == sdk::TenantStatus::Active);
        ASSERT_PROBLEM(_h->op("POST", "/v1/tenants/nope/suspend"), 404, "");

        const std::string variants = R"([{"name":"a","weight":70,"agent":{"agentId":"ag-a","apiKey":")" + kVariantKey +
                                     R"("}},{"name":"b","weight":30,"agent":{"agentId":"ag-b"}}])";
        r = _h->op("PUT", "/v1/tenants/acme/variants", variants);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), r.json()->getArray("variants")->size());
        stored = _h->store().findTenant("acme");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), stored->variants.size());
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(70), stored->variants[0].weight);
        CPPUNIT_ASSERT_EQUAL(kVariantKey, stored->variants[0].agent.apiKey);
        // Re-sending without the variant's key keeps it (matched by variant name).
        CPPUNIT_ASSERT_EQUAL(200, _h->op("PUT", "/v1/tenants/acme/variants",
                                         R"([{"name":"a","weight":0,"agent":{"agentId":"ag-a"}}])").status);
        stored = _h->store().findTenant("acme");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), stored->variants.size());
        CPPUNIT_ASSERT_EQUAL(kVariantKey, stored->variants[0].agent.apiKey);
        ASSERT_PROBLEM(_h->op("PUT", "/v1/tenants/acme/variants", R"({"name":"a"})"), 400, "variants");

        CPPUNIT_ASSERT_EQUAL(201, _h->op("POST", "/v1/accounts", AdminTestHarness::accountJson(acct(), kAuthA)).status);
        CPPUNIT_ASSERT_EQUAL(201, _h->op("PUT", "/v1/numbers/%2B15005550006", R"({"tenantId":"acme","accountSid":")" + acct() + "\"}").status);
        ASSERT_PROBLEM(_h->op("DELETE", "/v1/tenants/acme"), 409, "");
        CPPUNIT_ASSERT(_h->store().findTenant("acme").isOk());
        CPPUNIT_ASSERT_EQUAL(204, _h->op("DELETE", "/v1/numbers/%2B15005550006").status);
        CPPUNIT_ASSERT_EQUAL(204, _h->op("DELETE", "/v1/tenants/acme").status);
        ASSERT_PROBLEM(_h->op("GET", "/v1/tenants/acme"), 404, "");
        ASSERT_PROBLEM(_h->op("DELETE", "/v1/tenants/acme"), 404, "");
    }

    void tenantValidationNamesTheField()
    {
        const std::string agent = R"("agent":{"agentId":"a1"})";
        const std::vector<std::pair<std::string, std::string>> cases = {
            {R"({"id":"Bad_Id","name":"x",)" + agent + "}", "id"},
            {R"({"name":"x",)" + agent + "}", "id"},
            {R"({"id":"t","name":"",)" + agent + "}", "name"},
            {R"({"id":"t","name":"x"})", "agent"},
            {R"({"id":"t","name":"x","agent":{}})", "agent.agentId"},
            {R"({"id":"t","name":"x","status":"paused",)" + agent + "}", "status"},
            {R"({"id":"t","name":"x",)" + agent + R"(,"limits":{"callsPerMinute":-1}})", "limits.callsPerMinute"},
            {R"({"id":"t","name":"x",)" + agent + R"(,"limits":{"maxCallSeconds":1.5}})", "limits.maxCallSeconds"},
            {R"({"id":"t","name":"x",)" + agent + R"(,"limits":{"monthlyMinutes":"10"}})", "limits.monthlyMinutes"},
            {R"({"id":"t","name":"x",)" + agent + R"(,"limits":{"perDay":1}})", "limits.perDay"},
            {R"({"id":"t","name":"x",)" + agent + R"(,"rates":{"currency":"euro"}})", "rates.currency"},
            {R"({"id":"t","name":"x",)" + agent + R"(,"fallback":{"dialNumber":"555-1234"}})", "fallback.dialNumber"},
            {R"({"id":"t","name":"x","agent":{"agentId":"a","baseUrl":"ftp://x"}})", "agent.baseUrl"},
            {R"({"id":"t","name":"x","agent":{"agentId":"a","dynamicVariables":{"bad name":"v"}}})", "agent.dynamicVariables.bad name"},
            {R"({"id":"t","name":"x","agent":{"agentId":"a","dynamicVariables":{"v":{}}}})", "agent.dynamicVariables.v"},
            {R"({"id":"t","name":"x",)" + agent + R"(,"variants":[{"name":"a","weight":1,"agent":{"agentId":"x"}},{"name":"b","weight":-1,"agent":{"agentId":"y"}}]})",
             "variants[1].weight"},
            {R"({"id":"t","name":"x",)" + agent + R"(,"variants":[{"name":"a","weight":1,"agent":{"agentId":"x"}},{"name":"a","weight":1,"agent":{"agentId":"y"}}]})",
             "variants[1].name"},
            {R"({"id":"t","name":"x",)" + agent + R"(,"variants":[{"name":"a","weight":1,"agent":{}}]})", "variants[0].agent.agentId"},
            {R"({"id":"t","id":"u","name":"x",)" + agent + "}", "id"},
        };
        for (const auto& [body, field] : cases)
            ASSERT_PROBLEM(_h->op("POST", "/v1/tenants", body), 400, field);
        CPPUNIT_ASSERT(!_h->store().findTenant("t").isOk());
        CPPUNIT_ASSERT_EQUAL(201, _h->op("POST", "/v1/tenants", R"({"id":"t","name":"x",)" + agent + "}").status);
    }

    void numbersAssignAndRelease()
    {
        seedAcme();
        CPPUNIT_ASSERT_EQUAL(201, _h->op("POST", "/v1/tenants", AdminTestHarness::tenantJson("beta", "Beta")).status);
        const std::string body = R"({"tenantId":"acme","accountSid":")" + acct() + R"(","phoneNumberSid":"PN)" + std::string(32, 'c') + "\"}";
        AdminReply r = _h->op("PUT", "/v1/numbers/%2B15005550006", body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("+15005550006"), str(r.json(), "number"));
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), _h->store().findNumber("+15005550006")->tenantId);
        CPPUNIT_ASSERT_EQUAL(200, _h->op("PUT", "/v1/numbers/%2B15005550006", body).status);
        r = _h->op("PUT", "/v1/numbers/%2B15005550006", R"({"tenantId":"beta","accountSid":")" + acct() + "\"}");
        ASSERT_PROBLEM(r, 409, "number");
        CPPUNIT_ASSERT(r.problem("detail").find("acme") != std::string::npos); // the operator is told who owns it
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), _h->store().findNumber("+15005550006")->tenantId);
        CPPUNIT_ASSERT_EQUAL(201, _h->op("PUT", "/v1/numbers/%2B15005550007", R"({"tenantId":"beta","accountSid":")" + acct() + "\"}").status);

        r = _h->op("GET", "/v1/numbers");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), r.json()->getArray("numbers")->size());
        r = _h->op("GET", "/v1/numbers?tenant=beta");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), r.json()->getArray("numbers")->size());
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), str(_h->op("GET", "/v1/numbers/%2B15005550006").json(), "tenantId"));

        ASSERT_PROBLEM(_h->op("PUT", "/v1/numbers/15005550008", body), 400, "number");
        ASSERT_PROBLEM(_h->op("PUT", "/v1/numbers/%2B15005550008", R"({"tenantId":"ghost","accountSid":")" + acct() + "\"}"), 404,
                       "tenantId");
        ASSERT_PROBLEM(_h->op("PUT", "/v1/numbers/%2B15005550008",
                              R"({"tenantId":"acme","accountSid":")" + AdminTestHarness::accountSid('e') + "\"}"),
                       404, "accountSid");
        ASSERT_PROBLEM(_h->op("PUT", "/v1/numbers/%2B15005550008", R"({"tenantId":"acme"})"), 400, "accountSid");
        ASSERT_PROBLEM(_h->op("PUT", "/v1/numbers/%2B15005550008", R"({"number":"+1999","tenantId":"acme","accountSid":")" + acct() + "\"}"),
                       400, "number");
        ASSERT_PROBLEM(_h->op("PUT", "/v1/numbers/%2B1500555%ZZ", body), 400, "");
        CPPUNIT_ASSERT(!_h->store().findNumber("+15005550008").isOk());

        CPPUNIT_ASSERT_EQUAL(204, _h->op("DELETE", "/v1/numbers/%2B15005550006").status);
        CPPUNIT_ASSERT(!_h->store().findNumber("+15005550006").isOk());
        ASSERT_PROBLEM(_h->op("DELETE", "/v1/numbers/%2B15005550006"), 404, "");
        ASSERT_PROBLEM(_h->op("GET", "/v1/numbers/%2B15005550006"), 404, "");
    }

    void callsListFilterPageAndDetail()
    {
        seedAcme();
        const std::int64_t t0 = 1767225600000;
        for (int i = 0; i < 5; ++i)
            _h->addCall("CA" + std::string(31, '0') + std::to_string(i), "acme", acct(), t0 + i * 1000, 60000);
        _h->addCall("CAlive", "acme", acct(), t0 + 10000, 0, "streaming");
        CPPUNIT_ASSERT(_h->store().addCallStatus({"CA" + std::string(31, '0') + "4", "ringing", 0, t0 + 4000}).isOk());
        CPPUNIT_ASSERT(_h->store().addCallStatus({"CA" + std::string(31, '0') + "4", "completed", 2, t0 + 64000}).isOk());
        CPPUNIT_ASSERT(_h->store().addTranscript("CA" + std::string(31, '0') + "4", {"agent", "Hello, how can I help?", t0 + 4500}).isOk());
        CPPUNIT_ASSERT(_h->store().addTranscript("CA" + std::string(31, '0') + "4", {"user", "Book a table", t0 + 6000}).isOk());

        AdminReply r = _h->op("GET", "/v1/calls");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        auto o = r.json();
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), o->getArray("calls")->size());
        CPPUNIT_ASSERT_EQUAL(100, o->getValue<int>("limit"));
        CPPUNIT_ASSERT(o->isNull("next"));
        CPPUNIT_ASSERT_EQUAL(std::string("CAlive"), o->getArray("calls")->getObject(0)->getValue<std::string>("callSid"));

        r = _h->op("GET", "/v1/calls?tenant=acme&status=ended&limit=2");
        o = r.json();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), o->getArray("calls")->size());
        CPPUNIT_ASSERT_EQUAL(2, o->getValue<int>("next"));
        r = _h->op("GET", "/v1/calls?status=ended&limit=2&offset=4");
        o = r.json();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), o->getArray("calls")->size());
        CPPUNIT_ASSERT(o->isNull("next"));
        r = _h->op("GET", "/v1/calls?since=" + std::to_string(t0 + 1000) + "&until=" + std::to_string(t0 + 3000));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), r.json()->getArray("calls")->size());

        ASSERT_PROBLEM(_h->op("GET", "/v1/calls?limit=0"), 400, "limit");
        ASSERT_PROBLEM(_h->op("GET", "/v1/calls?limit=1001"), 400, "limit");
        ASSERT_PROBLEM(_h->op("GET", "/v1/calls?since=yesterday"), 400, "since");
        ASSERT_PROBLEM(_h->op("GET", "/v1/calls?offset=-1"), 400, "offset");
        ASSERT_PROBLEM(_h->op("GET", "/v1/calls?tenat=acme"), 400, "tenat");
        CPPUNIT_ASSERT_EQUAL(200, _h->op("GET", "/v1/calls?limit=1000").status);

        r = _h->op("GET", "/v1/calls/CA" + std::string(31, '0') + "4");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        o = r.json();
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), str(o, "tenantId"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(60000), o->getValue<std::int64_t>("durationMs"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), o->getArray("statusHistory")->size());
        CPPUNIT_ASSERT_EQUAL(std::string("completed"), o->getArray("statusHistory")->getObject(1)->getValue<std::string>("status"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), o->getArray("transcript")->size());
        CPPUNIT_ASSERT_EQUAL(std::string("Book a table"), o->getArray("transcript")->getObject(1)->getValue<std::string>("text"));
        // No report yet: the member is left out, not null.
        CPPUNIT_ASSERT(!o->has("agentReport"));
        ASSERT_PROBLEM(_h->op("GET", "/v1/calls/CAnope"), 404, "");

        // The agent platform's report, as the post-call webhook stores it: an object beside the record,
        // unknown numbers as null, the analysis embedded as JSON.
        sdk::AgentCallReport report;
        report.conversationId = "conv_4";
        report.status = "done";
        report.terminationReason = "end_call tool was called.";
        report.durationSeconds = 58;
        report.callSuccessful = "failure";
        report.summary = "Asked for a table; \"none\" left.";
        report.analysisJson = R"({"dataCollection":{"party":{"value":4}},"evaluation":{}})";
        report.receivedAtMs = t0 + 70000;
        CPPUNIT_ASSERT(_h->store().saveAgentReport("CA" + std::string(31, '0') + "4", report).isOk());
        r = _h->op("GET", "/v1/calls/CA" + std::string(31, '0') + "4");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        const auto agent = r.json()->getObject("agentReport");
        CPPUNIT_ASSERT_MESSAGE(r.body, !agent.isNull());
        CPPUNIT_ASSERT_EQUAL(std::string("conv_4"), str(agent, "conversationId"));
        CPPUNIT_ASSERT_EQUAL(std::string("done"), str(agent, "status"));
        CPPUNIT_ASSERT_EQUAL(std::string("end_call tool was called."), str(agent, "terminationReason"));
        CPPUNIT_ASSERT_EQUAL(58, agent->getValue<int>("durationSeconds"));
        CPPUNIT_ASSERT(agent->isNull("cost"));
        CPPUNIT_ASSERT_EQUAL(std::string("failure"), str(agent, "callSuccessful"));
        CPPUNIT_ASSERT_EQUAL(std::string("Asked for a table; \"none\" left."), str(agent, "summary"));
        CPPUNIT_ASSERT_EQUAL(4, agent->getObject("analysis")->getObject("dataCollection")->getObject("party")->getValue<int>("value"));
        CPPUNIT_ASSERT_EQUAL(t0 + 70000, agent->getValue<std::int64_t>("receivedAtMs"));
        // The list carries it on that call only.
        o = _h->op("GET", "/v1/calls?limit=1000").json();
        for (std::size_t i = 0; i < o->getArray("calls")->size(); ++i)
        {
            const auto call = o->getArray("calls")->getObject(static_cast<unsigned>(i));
            CPPUNIT_ASSERT_EQUAL(str(call, "callSid") == "CA" + std::string(31, '0') + "4", call->has("agentReport"));
        }
    }

    void usagePerTenantAndMonth()
    {
        seedAcme();
        const std::int64_t jan = 1767225600000, feb = jan + 31LL * 86400000;
        _h->addCall("CAu1", "acme", acct(), jan, 60000, "ended", "a");
        _h->addCall("CAu2", "acme", acct(), jan + 5000, 30000, "ended", "a");
        _h->addCall("CAu3", "acme", acct(), feb, 120000);
        AdminReply r = _h->op("GET", "/v1/usage?tenant=acme&month=2026-01");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        auto rows = r.json()->getArray("usage");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, std::size_t(1), rows->size());
        auto row = rows->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("2026-01"), str(row, "month"));
        CPPUNIT_ASSERT_EQUAL(std::string("a"), str(row, "variant"));
        CPPUNIT_ASSERT_EQUAL(2, row->getValue<int>("calls"));
        CPPUNIT_ASSERT_EQUAL(90, row->getValue<int>("seconds"));
        CPPUNIT_ASSERT(r.body.find("\"minutes\":1.50") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("0.03"), str(row, "cost")); // 1.5 min at 0.02 EUR
        CPPUNIT_ASSERT_EQUAL(std::string("EUR"), str(row, "currency"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _h->op("GET", "/v1/usage?tenant=acme").json()->getArray("usage")->size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _h->op("GET", "/v1/usage").json()->getArray("usage")->size());
        ASSERT_PROBLEM(_h->op("GET", "/v1/usage?month=2026-13"), 400, "month");
        ASSERT_PROBLEM(_h->op("GET", "/v1/usage?month=January"), 400, "month");
    }

    void tenantTokensIssueListRevoke()
    {
        seedAcme();
        _h->setNow(1767225700000);
        AdminReply r = _h->op("POST", "/v1/tenants/acme/tokens", R"({"label":"crm"})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        const std::string id = str(r.json(), "id"), token = str(r.json(), "token");
        CPPUNIT_ASSERT_EQUAL(std::size_t(43), token.size());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1767225700000), r.json()->getValue<std::int64_t>("createdAtMs"));
        // Only the hash is stored.
        auto stored = _h->store().findTenantTokenByHash(host::AdminTokens::sha256Hex(token));
        CPPUNIT_ASSERT(stored.isOk());
        CPPUNIT_ASSERT_EQUAL(id, stored->id);
        CPPUNIT_ASSERT(stored->sha256Hex != token);
        CPPUNIT_ASSERT_EQUAL(201, _h->op("POST", "/v1/tenants/acme/tokens").status); // label optional
        ASSERT_PROBLEM(_h->op("POST", "/v1/tenants/acme/tokens", R"({"lable":"x"})"), 400, "lable");
        ASSERT_PROBLEM(_h->op("POST", "/v1/tenants/ghost/tokens", R"({"label":"x"})"), 404, "");

        r = _h->op("GET", "/v1/tenants/acme/tokens");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), r.json()->getArray("tokens")->size());
        CPPUNIT_ASSERT(r.body.find(token) == std::string::npos && r.body.find(stored->sha256Hex) == std::string::npos);
        CPPUNIT_ASSERT(r.body.find("\"label\":\"crm\"") != std::string::npos);

        // The token works for its own tenant, not for operator endpoints.
        CPPUNIT_ASSERT_EQUAL(200, _h->call("GET", "/v1/tenants/acme", token).status);
        CPPUNIT_ASSERT_EQUAL(200, _h->call("GET", "/v1/health", token).status);
        ASSERT_PROBLEM(_h->call("GET", "/v1/accounts", token), 403, "");
        ASSERT_PROBLEM(_h->call("POST", "/v1/tenants/acme/tokens", token, "{}"), 403, "");
        CPPUNIT_ASSERT(_h->log().contains("tenant acme (" + id + ")"));

        _h->setNow(1767225800000);
        CPPUNIT_ASSERT_EQUAL(204, _h->op("DELETE", "/v1/tenants/acme/tokens/" + id).status);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1767225800000), _h->store().findTenantTokenByHash(host::AdminTokens::sha256Hex(token))->revokedAtMs);
        ASSERT_PROBLEM(_h->call("GET", "/v1/tenants/acme", token), 401, "");
        CPPUNIT_ASSERT_EQUAL(204, _h->op("DELETE", "/v1/tenants/acme/tokens/" + id).status); // idempotent
        CPPUNIT_ASSERT(_h->op("GET", "/v1/tenants/acme/tokens").body.find("\"revoked\":true") != std::string::npos);
        ASSERT_PROBLEM(_h->op("DELETE", "/v1/tenants/acme/tokens/tok_nope"), 404, "");
    }

    void keysRotateAndHealth()
    {
        seedAcme();
        AdminReply r = _h->op("POST", "/v1/keys/rotate");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        CPPUNIT_ASSERT_EQUAL(0, r.json()->getValue<int>("rotated")); // everything is under the current key already
        // The operator configures a new active key (the old one stays listed until rotation is done).
        tenantsqlite::StoreOptions options = _h->sqlite().options();
        options.keys.keys["key-2"] = std::string(32, '\x33');
        options.keys.activeId = "key-2";
        _h->sqlite().close();
        CPPUNIT_ASSERT(_h->sqlite().open(options).isOk());
        r = _h->op("POST", "/v1/keys/rotate");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        CPPUNIT_ASSERT_EQUAL(2, r.json()->getValue<int>("rotated")); // the account's auth token and the agent key
        CPPUNIT_ASSERT_EQUAL(0, _h->op("POST", "/v1/keys/rotate").json()->getValue<int>("rotated"));
        CPPUNIT_ASSERT_EQUAL(kAuthA, _h->store().findAccount(acct())->authToken);
        CPPUNIT_ASSERT_EQUAL(kAgentKey, _h->store().findTenant("acme")->agent.apiKey);
        r = _h->op("GET", "/v1/health");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), r.contentType);
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), str(r.json(), "store"));
    }

    void protocolErrors()
    {
        seedAcme();
        AdminReply r = _h->op("PATCH", "/v1/tenants/acme", "{}");
        ASSERT_PROBLEM(r, 405, "");
        CPPUNIT_ASSERT_EQUAL(std::string("GET, PUT, DELETE"), r.header("allow"));
        ASSERT_PROBLEM(_h->op("DELETE", "/v1/health"), 405, "");
        ASSERT_PROBLEM(_h->op("GET", "/v1/nothing"), 404, "");
        ASSERT_PROBLEM(_h->op("GET", "/"), 404, "");
        r = _h->op("POST", "/v1/tenants", R"({"id":"x",})");
        ASSERT_PROBLEM(r, 400, "");
        CPPUNIT_ASSERT_EQUAL(std::string("10"), r.problem("offset"));
        CPPUNIT_ASSERT(r.problem("detail").find("offset 10") != std::string::npos);
        ASSERT_PROBLEM(_h->op("POST", "/v1/tenants", ""), 400, "");
        ASSERT_PROBLEM(_h->op("POST", "/v1/tenants", "[1]"), 400, "");
        const std::string big(300 * 1024, ' ');
        ASSERT_PROBLEM(_h->op("POST", "/v1/tenants", big), 413, "");
        CPPUNIT_ASSERT_EQUAL(200, _h->op("GET", "/v1/tenants/acme/").status); // one trailing slash is fine
        CPPUNIT_ASSERT_EQUAL(200, _h->op("HEAD", "/v1/tenants").status);
        CPPUNIT_ASSERT(_h->metrics().renderPrometheus().find("endpoint=\"/v1/tenants/{id}\"") != std::string::npos);
    }

    void storeUnavailableIs503()
    {
        AdminTestHarness noStore(false);
        AdminReply r = noStore.op("GET", "/v1/tenants");
        ASSERT_PROBLEM(r, 503, "");
        CPPUNIT_ASSERT_EQUAL(std::string("1"), r.header("retry-after"));
        ASSERT_PROBLEM(noStore.op("GET", "/v1/health"), 503, "");
        ASSERT_PROBLEM(noStore.call("GET", "/v1/health", "some-tenant-token"), 503, "");
        ASSERT_PROBLEM(noStore.call("GET", "/v1/health", ""), 401, "");
    }

    void secretsNeverInResponsesOrLogs()
    {
        // Exercise every secret-carrying path, grepping every answer and every log line after each.
        accountsCrudAndRotation();
        assertNoSecrets({});
        tearDown();
        setUp();
        tenantsCrudSuspendVariants();
        assertNoSecrets({});
        tearDown();
        setUp();
        seedAcme();
        const auto issued = _h->issueToken("acme");
        CPPUNIT_ASSERT_EQUAL(200, _h->call("GET", "/v1/tenants/acme", issued.second).status);
        CPPUNIT_ASSERT_EQUAL(200, _h->op("PUT", "/v1/tenants/acme", AdminTestHarness::tenantJson("acme", "Acme", kAgentKey2)).status);
        CPPUNIT_ASSERT_EQUAL(200, _h->op("POST", "/v1/keys/rotate").status);
        CPPUNIT_ASSERT_EQUAL(200, _h->op("GET", "/v1/accounts").status);
        CPPUNIT_ASSERT_EQUAL(200, _h->op("GET", "/v1/tenants").status);
        CPPUNIT_ASSERT_EQUAL(200, _h->op("GET", "/v1/tenants/acme/tokens").status);
        ASSERT_PROBLEM(_h->call("GET", "/v1/tenants", issued.second + "x"), 401, "");
        CPPUNIT_ASSERT_EQUAL(kAgentKey2, _h->store().findTenant("acme")->agent.apiKey);
        assertNoSecrets({issued.second, host::AdminTokens::sha256Hex(issued.second), issued.second + "x"}, issued.second);
    }

    /// No answer (but the one that issued a tenant token, for that token), log line or metric holds a secret.
    void assertNoSecrets(std::vector<std::string> secrets, const std::string& issuedToken = {})
    {
        for (const std::string& s : {kAuthA, kAuthA2, kKeySecret, kAgentKey, kAgentKey2, kVariantKey,
                                     std::string(AdminTestHarness::kOperatorToken)})
            secrets.push_back(s);
        for (const auto& [request, body] : _h->exchanges())
        {
            const bool issuing = request.rfind("POST", 0) == 0 && request.find("/tokens") != std::string::npos;
            for (std::size_t i = 0; i < secrets.size(); ++i)
                if (!(issuing && secrets[i] == issuedToken))
                    CPPUNIT_ASSERT_MESSAGE(request + " leaked a secret: " + body, body.find(secrets[i]) == std::string::npos);
        }
        for (const auto& line : _h->log().lines())
            for (const auto& s : secrets) CPPUNIT_ASSERT_MESSAGE(line.message, line.message.find(s) == std::string::npos);
        const std::string metrics = _h->metrics().renderPrometheus();
        for (const auto& s : secrets) CPPUNIT_ASSERT(metrics.find(s) == std::string::npos);
        CPPUNIT_ASSERT(!_h->exchanges().empty() && !_h->log().lines().empty());
    }

private:
    std::unique_ptr<AdminTestHarness> _h;
};

CPPUNIT_TEST_SUITE_REGISTRATION(AdminApiTest);
