// AdminIsolationTest.cpp: tenant B's token tried on every admin endpoint with tenant A's ids — it never sees or changes A's data.
#include <cppunit/extensions/HelperMacros.h>

#include <regex>

#include "AdminTestHarness.h"
#include "admin/AdminTokens.h"

using namespace patchbay;
using patchbay::testing::AdminReply;
using patchbay::testing::AdminTestHarness;

namespace {

const std::string kNumberA = "+15005550101";
const std::string kNumberAUrl = "%2B15005550101";
const std::string kNumberB = "+15005550202";
const std::string kNumberBUrl = "%2B15005550202";
const std::string kCallA = "CA" + std::string(32, 'a');
const std::string kCallB = "CA" + std::string(32, 'b');
const std::string kLiveA = "CA" + std::string(32, 'e'); ///< A's call in progress: hang-up and transfer targets
const std::string kAgentKeyA = "agentKeyOfTenantA-SECRET";

/// What A's data must never show up as in an answer to B (ids B itself sent may be echoed in a 404).
const std::vector<std::string> kMarkersOfA = {"Alpha Corp", "agent-alpha", "\"tenantId\":\"alpha\"", "\"id\":\"alpha\"",
                                              kAgentKeyA, "alpha private words", "alpha-crm", "accountTokenSECRET777"};

} // namespace

class AdminIsolationTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(AdminIsolationTest);
    CPPUNIT_TEST(tenantTokenNeverReachesAnotherTenant);
    CPPUNIT_TEST(notYoursLooksExactlyLikeUnknown);
    CPPUNIT_TEST(tenantTokenWorksOnItsOwnData);
    CPPUNIT_TEST(revokedTokenIsRefusedEverywhere);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _h = std::make_unique<AdminTestHarness>();
        _account = AdminTestHarness::accountSid('7');
        CPPUNIT_ASSERT_EQUAL(201, _h->op("POST", "/v1/accounts", AdminTestHarness::accountJson(_account, "accountTokenSECRET777")).status);
        CPPUNIT_ASSERT_EQUAL(201, _h->op("POST", "/v1/tenants",
                                         R"({"id":"alpha","name":"Alpha Corp","agent":{"agentId":"agent-alpha","apiKey":")" +
                                             kAgentKeyA + R"("},"variants":[{"name":"v1","weight":1,"agent":{"agentId":"agent-alpha-v1"}}]})")
                                      .status);
        CPPUNIT_ASSERT_EQUAL(201, _h->op("POST", "/v1/tenants", R"({"id":"bravo","name":"Bravo Ltd","agent":{"agentId":"agent-bravo"}})").status);
        CPPUNIT_ASSERT_EQUAL(201, _h->op("PUT", "/v1/numbers/" + kNumberAUrl, numberBody("alpha")).status);
        CPPUNIT_ASSERT_EQUAL(201, _h->op("PUT", "/v1/numbers/" + kNumberBUrl, numberBody("bravo")).status);
        _h->addCall(kCallA, "alpha", _account, 1767225600000, 60000);
        _h->addCall(kCallB, "bravo", _account, 1767225601000, 30000);
        _h->addCall(kLiveA, "alpha", _account, 1767225603000, 0, "answered");
        CPPUNIT_ASSERT(_h->store().addTranscript(kCallA, {"user", "alpha private words", 1767225602000}).isOk());
        _tokenA = _h->issueToken("alpha", "alpha-crm");
        _tokenB = _h->issueToken("bravo", "bravo-crm");
        _alphaBefore = _h->op("GET", "/v1/tenants/alpha").body;
    }

    void tearDown() override { _h.reset(); }

    std::string numberBody(const std::string& tenant) const
    {
        return R"({"tenantId":")" + tenant + R"(","accountSid":")" + _account + "\"}";
    }

    AdminReply asB(const std::string& method, const std::string& uri, const std::string& body = {})
    {
        AdminReply r = _h->call(method, uri, _tokenB.second, body);
        for (const auto& marker : kMarkersOfA)
            CPPUNIT_ASSERT_MESSAGE(method + " " + uri + " showed B some of A's data: " + r.body, r.body.find(marker) == std::string::npos);
        return r;
    }

    void expect(int status, const std::string& method, const std::string& uri, const std::string& body = {})
    {
        AdminReply r = asB(method, uri, body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(method + " " + uri + ": " + r.body, status, r.status);
        if (status >= 400)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(method + " " + uri, std::string("application/problem+json"), r.contentType);
    }

    void assertAlphaUntouched()
    {
        CPPUNIT_ASSERT_EQUAL(_alphaBefore, _h->op("GET", "/v1/tenants/alpha").body);
        auto alpha = _h->store().findTenant("alpha");
        CPPUNIT_ASSERT(alpha.isOk());
        CPPUNIT_ASSERT(alpha->status == sdk::TenantStatus::Active);
        CPPUNIT_ASSERT_EQUAL(kAgentKeyA, alpha->agent.apiKey);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), alpha->variants.size());
        auto numbers = _h->store().listNumbers("alpha");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), numbers->size());
        CPPUNIT_ASSERT_EQUAL(kNumberA, numbers->at(0).number);
        auto tokens = _h->store().listTenantTokens("alpha");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), tokens->size());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(0), tokens->at(0).revokedAtMs);
        CPPUNIT_ASSERT_EQUAL(std::string("accountTokenSECRET777"), _h->store().findAccount(_account)->authToken);
        CPPUNIT_ASSERT(_h->store().findCall(kCallA).isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("answered"), _h->store().findCall(kLiveA)->status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _h->store().usage("alpha", "")->size());
        // Nothing was done at the carrier on A's behalf: no call placed, hung up or transferred.
        for (const auto& m : _h->carrier().made())
            CPPUNIT_ASSERT_MESSAGE(m.what + " " + m.callSid, m.tenantId != "alpha" || m.what == "configure");
        CPPUNIT_ASSERT_EQUAL(200, _h->call("GET", "/v1/tenants/alpha", _tokenA.second).status);
    }

    void tenantTokenNeverReachesAnotherTenant()
    {
        const std::string acct = "/v1/accounts/" + _account;
        const std::string tenantBody = R"({"name":"Pwned","agent":{"agentId":"x"}})";
        // Operator-only endpoints: 403 whatever the ids.
        expect(403, "GET", "/v1/accounts");
        expect(403, "POST", "/v1/accounts", AdminTestHarness::accountJson(AdminTestHarness::accountSid('8'), "tok12345"));
        expect(403, "GET", acct);
        expect(403, "PUT", acct, R"({"friendlyName":"pwned"})");
        expect(403, "DELETE", acct);
        expect(403, "POST", acct + "/rotate-token", R"({"authToken":"stolen1234"})");
        expect(403, "POST", "/v1/tenants", R"({"id":"alpha","name":"Pwned","agent":{"agentId":"x"}})");
        expect(403, "PUT", "/v1/tenants/alpha", tenantBody);
        expect(403, "DELETE", "/v1/tenants/alpha");
        expect(403, "POST", "/v1/tenants/alpha/suspend");
        expect(403, "POST", "/v1/tenants/alpha/resume");
        expect(403, "PUT", "/v1/tenants/alpha/variants", "[]");
        expect(403, "POST", "/v1/tenants/alpha/tokens", R"({"label":"mine now"})");
        expect(403, "GET", "/v1/tenants/alpha/tokens");
        expect(403, "DELETE", "/v1/tenants/alpha/tokens/" + _tokenA.first);
        expect(403, "POST", "/v1/keys/rotate");
        expect(403, "GET", "/v1/doctor");
        // Its own tenant's operator endpoints are operator-only too.
        expect(403, "PUT", "/v1/tenants/bravo", tenantBody);
        expect(403, "POST", "/v1/tenants/bravo/tokens", "{}");

        // Tenant-scoped reads of A: unknown.
        expect(404, "GET", "/v1/tenants/alpha");
        expect(404, "GET", "/v1/numbers?tenant=alpha");
        expect(404, "GET", "/v1/numbers/" + kNumberAUrl);
        expect(404, "GET", "/v1/calls?tenant=alpha");
        expect(404, "GET", "/v1/calls/" + kCallA);
        expect(404, "GET", "/v1/usage?tenant=alpha");
        expect(404, "GET", "/v1/usage?tenant=alpha&month=2026-01");
        // Carrier actions on A: unknown tenant, unknown calls.
        expect(404, "POST", "/v1/calls", R"({"tenant":"alpha","to":"+15005550100"})");
        expect(404, "POST", "/v1/calls", R"({"tenant":"alpha","to":"+15005550100","from":")" + kNumberA + "\"}");
        for (const std::string& sid : {kCallA, kLiveA})
        {
            expect(404, "POST", "/v1/calls/" + sid + "/hangup");
            expect(404, "POST", "/v1/calls/" + sid + "/transfer", R"({"to":"+15005550100"})");
        }
        // Its own tenant with A's number as caller id: not its number.
        expect(400, "POST", "/v1/calls", R"({"to":"+15005550100","from":")" + kNumberA + "\"}");
        // Lists are confined to B.
        for (const std::string uri : {"/v1/tenants", "/v1/numbers", "/v1/calls", "/v1/calls?status=ended", "/v1/usage",
                                      "/v1/usage?month=2026-01", "/v1/calls?tenant=bravo", "/v1/numbers?tenant=bravo"})
        {
            AdminReply r = asB("GET", uri);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(uri + ": " + r.body, 200, r.status);
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), asB("GET", "/v1/tenants").json()->getArray("tenants")->size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), asB("GET", "/v1/calls").json()->getArray("calls")->size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), asB("GET", "/v1/usage").json()->getArray("usage")->size());

        // Writes to A's numbers: taking A's number is the ordinary conflict (owner not named); giving a
        // number to A, re-pointing A's number to A, or releasing A's number: unknown.
        AdminReply r = asB("PUT", "/v1/numbers/" + kNumberAUrl, numberBody("bravo"));
        CPPUNIT_ASSERT_EQUAL(409, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("number"), r.problem("field"));
        CPPUNIT_ASSERT(r.body.find("alpha") == std::string::npos);
        r = asB("PUT", "/v1/numbers/%2B15005550303", numberBody("alpha"));
        CPPUNIT_ASSERT_EQUAL(404, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("tenantId"), r.problem("field"));
        expect(404, "PUT", "/v1/numbers/" + kNumberAUrl, numberBody("alpha"));
        expect(404, "DELETE", "/v1/numbers/" + kNumberAUrl);
        CPPUNIT_ASSERT(!_h->store().findNumber("+15005550303").isOk());

        assertAlphaUntouched();
    }

    /// A's resources and ids that exist nowhere get byte-identical answers (ids masked), so B cannot
    /// even learn that A exists.
    void notYoursLooksExactlyLikeUnknown()
    {
        auto masked = [](std::string body, const std::string& id) { return std::regex_replace(body, std::regex(id), "<id>"); };
        const std::vector<std::tuple<std::string, std::string, std::string, std::string>> pairs = {
            {"GET", "/v1/tenants/", "alpha", "zulu"},
            {"GET", "/v1/calls/", kCallA, "CA" + std::string(32, 'f')},
            {"GET", "/v1/numbers/", kNumberAUrl, "%2B15005550999"},
            {"DELETE", "/v1/numbers/", kNumberAUrl, "%2B15005550999"},
            {"GET", "/v1/usage?tenant=", "alpha", "zulu"},
            {"GET", "/v1/calls?tenant=", "alpha", "zulu"},
            {"GET", "/v1/numbers?tenant=", "alpha", "zulu"},
        };
        for (const auto& [method, prefix, mine, ghost] : pairs)
        {
            AdminReply a = asB(method, prefix + mine), g = asB(method, prefix + ghost);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(prefix, g.status, a.status);
            const std::string decodedMine = mine == kNumberAUrl ? kNumberA : mine;
            const std::string decodedGhost = ghost == "%2B15005550999" ? "+15005550999" : ghost;
            CPPUNIT_ASSERT_EQUAL_MESSAGE(prefix, masked(g.body, std::regex_replace(decodedGhost, std::regex("\\+"), "\\+")),
                                         masked(a.body, std::regex_replace(decodedMine, std::regex("\\+"), "\\+")));
        }
        // Carrier actions: A's live call and tenant look like ones that do not exist.
        const std::string ghostCall = "CA" + std::string(32, 'f');
        for (const std::string action : {"/hangup", "/transfer"})
        {
            const std::string body = action == "/transfer" ? R"({"to":"+15005550100"})" : "";
            AdminReply mine = asB("POST", "/v1/calls/" + kLiveA + action, body);
            AdminReply ghost = asB("POST", "/v1/calls/" + ghostCall + action, body);
            CPPUNIT_ASSERT_EQUAL(ghost.status, mine.status);
            CPPUNIT_ASSERT_EQUAL(masked(ghost.body, ghostCall), masked(mine.body, kLiveA));
        }
        {
            AdminReply mine = asB("POST", "/v1/calls", R"({"tenant":"alpha","to":"+15005550100"})");
            AdminReply ghost = asB("POST", "/v1/calls", R"({"tenant":"zulu","to":"+15005550100"})");
            CPPUNIT_ASSERT_EQUAL(ghost.status, mine.status);
            CPPUNIT_ASSERT_EQUAL(masked(ghost.body, "zulu"), masked(mine.body, "alpha"));
        }
        // A number assigned to A given to A: same as to an unknown tenant.
        AdminReply a = asB("PUT", "/v1/numbers/%2B15005550303", numberBody("alpha"));
        AdminReply g = asB("PUT", "/v1/numbers/%2B15005550303", numberBody("zulu"));
        CPPUNIT_ASSERT_EQUAL(g.status, a.status);
        CPPUNIT_ASSERT_EQUAL(masked(g.body, "zulu"), masked(a.body, "alpha"));
        assertAlphaUntouched();
    }

    void tenantTokenWorksOnItsOwnData()
    {
        AdminReply r = asB("GET", "/v1/tenants/bravo");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Bravo Ltd"), r.json()->getValue<std::string>("name"));
        r = asB("GET", "/v1/numbers");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), r.json()->getArray("numbers")->size());
        CPPUNIT_ASSERT_EQUAL(200, asB("GET", "/v1/numbers/" + kNumberBUrl).status);
        // Assign a new number to itself, update it, release it.
        CPPUNIT_ASSERT_EQUAL(201, asB("PUT", "/v1/numbers/%2B15005550404", numberBody("bravo")).status);
        CPPUNIT_ASSERT_EQUAL(200, asB("PUT", "/v1/numbers/%2B15005550404", numberBody("bravo")).status);
        CPPUNIT_ASSERT_EQUAL(std::string("bravo"), _h->store().findNumber("+15005550404")->tenantId);
        CPPUNIT_ASSERT_EQUAL(204, asB("DELETE", "/v1/numbers/%2B15005550404").status);
        CPPUNIT_ASSERT(!_h->store().findNumber("+15005550404").isOk());
        r = asB("GET", "/v1/calls/" + kCallB);
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("bravo"), r.json()->getValue<std::string>("tenantId"));
        r = asB("GET", "/v1/calls");
        CPPUNIT_ASSERT_EQUAL(kCallB, r.json()->getArray("calls")->getObject(0)->getValue<std::string>("callSid"));
        r = asB("GET", "/v1/usage?month=2026-01");
        CPPUNIT_ASSERT_EQUAL(std::string("bravo"), r.json()->getArray("usage")->getObject(0)->getValue<std::string>("tenantId"));
        CPPUNIT_ASSERT_EQUAL(200, asB("GET", "/v1/usage?tenant=bravo").status);
        CPPUNIT_ASSERT_EQUAL(200, asB("GET", "/v1/health").status);
        // B may release its own number; A's stays.
        CPPUNIT_ASSERT_EQUAL(204, asB("DELETE", "/v1/numbers/" + kNumberBUrl).status);
        assertAlphaUntouched();
    }

    void revokedTokenIsRefusedEverywhere()
    {
        CPPUNIT_ASSERT_EQUAL(204, _h->op("DELETE", "/v1/tenants/bravo/tokens/" + _tokenB.first).status);
        for (const auto& [method, uri] : std::vector<std::pair<std::string, std::string>>{
                 {"GET", "/v1/health"}, {"GET", "/v1/tenants/bravo"}, {"GET", "/v1/numbers"}, {"DELETE", "/v1/numbers/" + kNumberBUrl},
                 {"GET", "/v1/calls"}, {"GET", "/v1/usage"}, {"GET", "/v1/accounts"}, {"POST", "/v1/calls"},
                 {"POST", "/v1/calls/" + kCallB + "/hangup"}, {"POST", "/v1/calls/" + kCallB + "/transfer"}, {"GET", "/v1/doctor"}})
        {
            AdminReply r = asB(method, uri);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(uri, 401, r.status);
            CPPUNIT_ASSERT(r.header("www-authenticate").find("Bearer") == 0);
        }
        CPPUNIT_ASSERT(_h->store().findNumber(kNumberB).isOk());
        // A token whose tenant is gone is dead too.
        CPPUNIT_ASSERT_EQUAL(204, _h->op("DELETE", "/v1/numbers/" + kNumberAUrl).status);
        CPPUNIT_ASSERT_EQUAL(204, _h->op("DELETE", "/v1/tenants/alpha").status);
        CPPUNIT_ASSERT_EQUAL(401, _h->call("GET", "/v1/health", _tokenA.second).status);
    }

private:
    std::unique_ptr<AdminTestHarness> _h;
    std::string _account;
    std::pair<std::string, std::string> _tokenA, _tokenB;
    std::string _alphaBefore;
};

CPPUNIT_TEST_SUITE_REGISTRATION(AdminIsolationTest);
