// PatchbayctlCommandTest.cpp: PatchbayctlTest cases checking the method, path, query and body every command sends.
#include "PatchbayctlTest.h"

#include "CannedApi.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/TemporaryFile.h>

#include <fstream>

using namespace patchbay::tests;

namespace {

Poco::JSON::Array::Ptr parseArray(const std::string& json)
{
    Poco::JSON::Parser parser;
    return parser.parse(json).extract<Poco::JSON::Array::Ptr>();
}

} // namespace

void PatchbayctlTest::tenantCommandsSendRightRequests()
{
    _server->on("POST", "/v1/tenants", 201, canned::kTenant);
    auto r = one({"tenants", "add", "--id", "acme", "--name", "Acme Dental", "--agent-id", "agent_123", "--provider",
                  "elevenlabs", "--first-message", "Hello: welcome", "--prompt", "Be brief", "--language", "en", "--var",
                  "clinic=north", "--var", "note=a=b", "--max-concurrent", "5", "--calls-per-minute", "30",
                  "--max-call-seconds", "600", "--monthly-minutes", "1000", "--fallback-message", "Call back later",
                  "--fallback-number", "+15005550199", "--rate-per-minute", "0.07", "--currency", "EUR", "--status",
                  "suspended", "--base-url", "wss://eu.example.test"});
    CPPUNIT_ASSERT_EQUAL(std::string("POST"), r.method);
    CPPUNIT_ASSERT_EQUAL(std::string("/v1/tenants"), r.path);
    auto body = parseObject(r.body);
    CPPUNIT_ASSERT_EQUAL(std::string("acme"), body->getValue<std::string>("id"));
    CPPUNIT_ASSERT_EQUAL(std::string("Acme Dental"), body->getValue<std::string>("name"));
    CPPUNIT_ASSERT_EQUAL(std::string("suspended"), body->getValue<std::string>("status"));
    auto agent = body->getObject("agent");
    CPPUNIT_ASSERT_EQUAL(std::string("agent_123"), agent->getValue<std::string>("agentId"));
    CPPUNIT_ASSERT_EQUAL(std::string("elevenlabs"), agent->getValue<std::string>("provider"));
    CPPUNIT_ASSERT_EQUAL(std::string("Hello: welcome"), agent->getValue<std::string>("firstMessage"));
    CPPUNIT_ASSERT_EQUAL(std::string("Be brief"), agent->getValue<std::string>("prompt"));
    CPPUNIT_ASSERT_EQUAL(std::string("en"), agent->getValue<std::string>("language"));
    CPPUNIT_ASSERT_EQUAL(std::string("wss://eu.example.test"), agent->getValue<std::string>("baseUrl"));
    CPPUNIT_ASSERT(!agent->has("apiKey"));
    auto vars = agent->getObject("dynamicVariables");
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), vars->size());
    CPPUNIT_ASSERT_EQUAL(std::string("north"), vars->getValue<std::string>("clinic"));
    CPPUNIT_ASSERT_EQUAL(std::string("a=b"), vars->getValue<std::string>("note"));
    auto limits = body->getObject("limits");
    CPPUNIT_ASSERT_EQUAL(5, limits->getValue<int>("maxConcurrentCalls"));
    CPPUNIT_ASSERT_EQUAL(30, limits->getValue<int>("callsPerMinute"));
    CPPUNIT_ASSERT_EQUAL(600, limits->getValue<int>("maxCallSeconds"));
    CPPUNIT_ASSERT_EQUAL(1000, limits->getValue<int>("monthlyMinutes"));
    CPPUNIT_ASSERT_EQUAL(std::string("Call back later"), body->getObject("fallback")->getValue<std::string>("message"));
    CPPUNIT_ASSERT_EQUAL(std::string("+15005550199"), body->getObject("fallback")->getValue<std::string>("dialNumber"));
    // 0.07 exactly: 70000 micros, not the 69999 a double would give.
    CPPUNIT_ASSERT_EQUAL(Poco::Int64(70000), body->getObject("rates")->getValue<Poco::Int64>("perMinuteMicros"));
    CPPUNIT_ASSERT_EQUAL(std::string("EUR"), body->getObject("rates")->getValue<std::string>("currency"));

    // The minimal form sends only what was given.
    r = one({"tenants", "add", "--id", "b", "--name", "B", "--agent-id", "x"});
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"id":"b","name":"B","agent":{"agentId":"x"}})"), r.body);

    _server->on("GET", "/v1/tenants", 200, canned::kTenantList);
    r = one({"tenants", "list"});
    CPPUNIT_ASSERT_EQUAL(std::string("GET"), r.method);
    CPPUNIT_ASSERT_EQUAL(std::string("/v1/tenants"), r.uri);

    _server->on("GET", "/v1/tenants/acme", 200, canned::kTenant);
    r = one({"tenants", "show", "acme"});
    CPPUNIT_ASSERT_EQUAL(std::string("GET /v1/tenants/acme"), r.method + " " + r.uri);

    _server->on("POST", "/v1/tenants/acme/suspend", 200, canned::kTenant);
    r = one({"tenants", "suspend", "acme"});
    CPPUNIT_ASSERT_EQUAL(std::string("POST /v1/tenants/acme/suspend"), r.method + " " + r.uri);
    CPPUNIT_ASSERT_EQUAL(std::string(), r.body);

    _server->on("POST", "/v1/tenants/acme/resume", 200, canned::kTenant);
    r = one({"tenants", "resume", "acme"});
    CPPUNIT_ASSERT_EQUAL(std::string("POST /v1/tenants/acme/resume"), r.method + " " + r.uri);

    _server->on("DELETE", "/v1/tenants/acme", 204, "");
    r = one({"tenants", "delete", "acme"});
    CPPUNIT_ASSERT_EQUAL(std::string("DELETE /v1/tenants/acme"), r.method + " " + r.uri);
    CtlResult deleted = ctl({"tenants", "delete", "acme"});
    CPPUNIT_ASSERT_EQUAL(std::string("tenant acme deleted\n"), deleted.out);
}

void PatchbayctlTest::tenantUpdateMergesIntoCurrent()
{
    _server->on("GET", "/v1/tenants/acme", 200, canned::kTenant);
    _server->on("PUT", "/v1/tenants/acme", 200, canned::kTenant);
    CtlResult result = ctl({"tenants", "update", "acme", "--name", "Acme Dental North", "--max-concurrent", "8",
                            "--var", "clinic=south", "--rate-per-minute", "0.1"});
    PB_ASSERT_CODE(0, result);
    const auto requests = _server->requests();
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), requests.size());
    CPPUNIT_ASSERT_EQUAL(std::string("GET /v1/tenants/acme"), requests[0].method + " " + requests[0].uri);
    CPPUNIT_ASSERT_EQUAL(std::string("PUT /v1/tenants/acme"), requests[1].method + " " + requests[1].uri);
    auto body = parseObject(requests[1].body);
    CPPUNIT_ASSERT_EQUAL(std::string("Acme Dental North"), body->getValue<std::string>("name"));
    // Untouched settings go back as they were: PUT replaces the whole tenant.
    CPPUNIT_ASSERT_EQUAL(std::string("agent_123"), body->getObject("agent")->getValue<std::string>("agentId"));
    CPPUNIT_ASSERT_EQUAL(std::string("Hello from Acme"), body->getObject("agent")->getValue<std::string>("firstMessage"));
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), body->getArray("variants")->size());
    CPPUNIT_ASSERT_EQUAL(1000, body->getObject("limits")->getValue<int>("monthlyMinutes"));
    CPPUNIT_ASSERT_EQUAL(std::string("+15005550199"), body->getObject("fallback")->getValue<std::string>("dialNumber"));
    // Changed ones carry the new values; --var replaces the whole set.
    CPPUNIT_ASSERT_EQUAL(8, body->getObject("limits")->getValue<int>("maxConcurrentCalls"));
    auto vars = body->getObject("agent")->getObject("dynamicVariables");
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), vars->size());
    CPPUNIT_ASSERT_EQUAL(std::string("south"), vars->getValue<std::string>("clinic"));
    CPPUNIT_ASSERT_EQUAL(Poco::Int64(100000), body->getObject("rates")->getValue<Poco::Int64>("perMinuteMicros"));
    // The stored agent API key is never sent back (the API keeps it when absent).
    CPPUNIT_ASSERT(!body->getObject("agent")->has("apiKey"));
    PB_ASSERT_CONTAINS(result.out, "tenant acme updated");

    _server->clear();
    result = ctl({"tenants", "update", "acme", "--no-vars"});
    PB_ASSERT_CODE(0, result);
    body = parseObject(_server->requests().at(1).body);
    CPPUNIT_ASSERT_EQUAL(std::size_t(0), body->getObject("agent")->getObject("dynamicVariables")->size());

    // An unknown tenant stops at the GET: exit 1, no PUT.
    _server->clear();
    _server->on("GET", "/v1/tenants/ghost", 404, R"({"title":"Not Found","status":404,"detail":"unknown tenant \"ghost\""})",
                "application/problem+json");
    result = ctl({"tenants", "update", "ghost", "--name", "X"});
    PB_ASSERT_CODE(1, result);
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), _server->requests().size());
}

void PatchbayctlTest::numberCommandsEncodeE164()
{
    _server->on("PUT", "/v1/numbers/%2B15005550006", 201, canned::kNumber);
    auto r = one({"numbers", "assign", "+15005550006", "--tenant", "acme", "--account", canned::kAccountSid, "--pn-sid",
                  "PN0123456789abcdef0123456789abcdef"});
    CPPUNIT_ASSERT_EQUAL(std::string("PUT"), r.method);
    // '+' must travel as %2B: a server decoding the path as a query would read a space.
    CPPUNIT_ASSERT_EQUAL(std::string("/v1/numbers/%2B15005550006"), r.uri);
    auto body = parseObject(r.body);
    CPPUNIT_ASSERT_EQUAL(std::string("acme"), body->getValue<std::string>("tenantId"));
    CPPUNIT_ASSERT_EQUAL(std::string(canned::kAccountSid), body->getValue<std::string>("accountSid"));
    CPPUNIT_ASSERT_EQUAL(std::string("PN0123456789abcdef0123456789abcdef"), body->getValue<std::string>("phoneNumberSid"));

    r = one({"numbers", "assign", "+15005550006", "--tenant", "acme", "--account", canned::kAccountSid});
    CPPUNIT_ASSERT(!parseObject(r.body)->has("phoneNumberSid"));

    _server->on("DELETE", "/v1/numbers/%2B15005550006", 204, "");
    r = one({"numbers", "release", "+15005550006"});
    CPPUNIT_ASSERT_EQUAL(std::string("DELETE /v1/numbers/%2B15005550006"), r.method + " " + r.uri);

    _server->on("GET", "/v1/numbers", 200, canned::kNumberList);
    r = one({"numbers", "list"});
    CPPUNIT_ASSERT_EQUAL(std::string("/v1/numbers"), r.uri);
    r = one({"numbers", "list", "--tenant", "zürich bakery&x"});
    CPPUNIT_ASSERT_EQUAL(std::string("tenant=z%C3%BCrich%20bakery%26x"), r.query);
}

void PatchbayctlTest::accountCommandsSendRightRequests()
{
    _server->on("POST", "/v1/accounts", 201, canned::kAccount);
    auto r = one({"accounts", "add", "--sid", canned::kAccountSid, "--auth-token", "tok1", "--secondary-token", "tok2",
                  "--parent", "AC99999999999999999999999999999999", "--name", "Main", "--api-key-sid",
                  "SK0123456789abcdef0123456789abcdef", "--api-key-secret", "keysecret"});
    CPPUNIT_ASSERT_EQUAL(std::string("POST /v1/accounts"), r.method + " " + r.uri);
    auto body = parseObject(r.body);
    CPPUNIT_ASSERT_EQUAL(std::string(canned::kAccountSid), body->getValue<std::string>("sid"));
    CPPUNIT_ASSERT_EQUAL(std::string("tok1"), body->getValue<std::string>("authToken"));
    CPPUNIT_ASSERT_EQUAL(std::string("tok2"), body->getValue<std::string>("secondaryToken"));
    CPPUNIT_ASSERT_EQUAL(std::string("AC99999999999999999999999999999999"), body->getValue<std::string>("parentSid"));
    CPPUNIT_ASSERT_EQUAL(std::string("Main"), body->getValue<std::string>("friendlyName"));
    CPPUNIT_ASSERT_EQUAL(std::string("SK0123456789abcdef0123456789abcdef"), body->getValue<std::string>("apiKeySid"));
    CPPUNIT_ASSERT_EQUAL(std::string("keysecret"), body->getValue<std::string>("apiKeySecret"));

    _server->on("GET", "/v1/accounts", 200, canned::kAccountList);
    r = one({"accounts", "list"});
    CPPUNIT_ASSERT_EQUAL(std::string("GET /v1/accounts"), r.method + " " + r.uri);

    const std::string path = std::string("/v1/accounts/") + canned::kAccountSid;
    _server->on("GET", path, 200, canned::kAccount);
    r = one({"accounts", "show", canned::kAccountSid});
    CPPUNIT_ASSERT_EQUAL("GET " + path, r.method + " " + r.uri);

    _server->on("POST", path + "/rotate-token", 200, canned::kAccount);
    r = one({"accounts", "rotate-token", canned::kAccountSid, "--auth-token", "fresh"});
    CPPUNIT_ASSERT_EQUAL("POST " + path + "/rotate-token", r.method + " " + r.uri);
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"authToken":"fresh"})"), r.body);

    _server->on("DELETE", path, 204, "");
    r = one({"accounts", "delete", canned::kAccountSid});
    CPPUNIT_ASSERT_EQUAL("DELETE " + path, r.method + " " + r.uri);
}

void PatchbayctlTest::variantCommandsSendRightRequests()
{
    _server->on("PUT", "/v1/tenants/acme/variants", 200, canned::kTenant);
    auto r = one({"variants", "set", "acme", "--variant", "a:3:agent_old", "--variant", "b:1:agent_new:Hi: new"});
    CPPUNIT_ASSERT_EQUAL(std::string("PUT /v1/tenants/acme/variants"), r.method + " " + r.uri);
    CPPUNIT_ASSERT_EQUAL(std::string(R"([{"name":"a","weight":3,"agent":{"agentId":"agent_old"}},)"
                                     R"({"name":"b","weight":1,"agent":{"agentId":"agent_new","firstMessage":"Hi: new"}}])"),
                         r.body);

    r = one({"variants", "set", "acme", "--provider", "elevenlabs", "--variant", "only:1:agent_x"});
    CPPUNIT_ASSERT_EQUAL(std::string(R"([{"name":"only","weight":1,"agent":{"provider":"elevenlabs","agentId":"agent_x"}}])"),
                         r.body);

    r = one({"variants", "set", "acme", "--clear"});
    CPPUNIT_ASSERT_EQUAL(std::string("[]"), r.body);

    // From a file, and from stdin; `variants show --json` output is accepted back as is.
    const std::string fileJson = R"([{"name":"x","weight":2,"agent":{"agentId":"agent_f","dynamicVariables":{"k":"v"}}}])";
    Poco::TemporaryFile file;
    {
        std::ofstream out(file.path());
        out << fileJson;
    }
    r = one({"variants", "set", "acme", "--file", file.path()});
    auto sent = parseArray(r.body);
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), sent->size());
    CPPUNIT_ASSERT_EQUAL(std::string("v"),
                         sent->getObject(0)->getObject("agent")->getObject("dynamicVariables")->getValue<std::string>("k"));
    r = one({"variants", "set", "acme", "--file", "-"}, fileJson);
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), parseArray(r.body)->size());

    _server->on("GET", "/v1/tenants/acme", 200, canned::kTenant);
    CtlResult shown = ctl({"--json", "variants", "show", "acme"});
    PB_ASSERT_CODE(0, shown);
    _server->clear();
    r = one({"variants", "set", "acme", "--file", "-"}, shown.out);
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), parseArray(r.body)->size());

    CtlResult bad = ctl({"variants", "set", "acme", "--file", "-"}, "{not json");
    PB_ASSERT_CODE(2, bad);
    PB_ASSERT_CONTAINS(bad.err, "is not JSON");
    bad = ctl({"variants", "set", "acme", "--file", "/nonexistent/variants.json"});
    PB_ASSERT_CODE(2, bad);
    PB_ASSERT_CONTAINS(bad.err, "cannot read --file");

    r = one({"variants", "show", "acme"});
    CPPUNIT_ASSERT_EQUAL(std::string("GET /v1/tenants/acme"), r.method + " " + r.uri);
}

void PatchbayctlTest::callCommandsSendFilters()
{
    _server->on("GET", "/v1/calls", 200, canned::kCallList);
    auto r = one({"calls", "list"});
    CPPUNIT_ASSERT_EQUAL(std::string("/v1/calls"), r.uri);

    r = one({"calls", "list", "--tenant", "acme", "--status", "ended", "--since", "2024-05-01T12:00:00Z", "--until",
             "1714651200000", "--limit", "50", "--offset", "100"});
    CPPUNIT_ASSERT_EQUAL(std::string("tenant=acme&status=ended&since=1714564800000&until=1714651200000&limit=50&offset=100"),
                         r.query);
    // A bare date is midnight UTC; an offset is honoured.
    r = one({"calls", "list", "--since", "2024-05-01", "--until", "2024-05-01T14:00:00+02:00"});
    CPPUNIT_ASSERT_EQUAL(std::string("since=1714521600000&until=1714564800000"), r.query);
    r = one({"calls", "list", "--since", "2024-05-01T12:00:00.250Z"});
    CPPUNIT_ASSERT_EQUAL(std::string("since=1714564800250"), r.query);

    _server->on("GET", std::string("/v1/calls/") + canned::kCallSid, 200, canned::kCallDetail);
    r = one({"calls", "show", canned::kCallSid});
    CPPUNIT_ASSERT_EQUAL(std::string("GET /v1/calls/") + canned::kCallSid, r.method + " " + r.uri);
}

void PatchbayctlTest::usageTokenAndKeyCommands()
{
    _server->on("GET", "/v1/usage", 200, canned::kUsage);
    auto r = one({"usage"});
    CPPUNIT_ASSERT_EQUAL(std::string("/v1/usage"), r.uri);
    r = one({"usage", "--tenant", "acme", "--month", "2024-05"});
    CPPUNIT_ASSERT_EQUAL(std::string("tenant=acme&month=2024-05"), r.query);

    _server->on("POST", "/v1/tenants/acme/tokens", 201, canned::kTokenCreated);
    r = one({"tokens", "create", "acme", "--label", "crm"});
    CPPUNIT_ASSERT_EQUAL(std::string("POST /v1/tenants/acme/tokens"), r.method + " " + r.uri);
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"label":"crm"})"), r.body);

    _server->on("GET", "/v1/tenants/acme/tokens", 200, canned::kTokenList);
    r = one({"tokens", "list", "acme"});
    CPPUNIT_ASSERT_EQUAL(std::string("GET /v1/tenants/acme/tokens"), r.method + " " + r.uri);

    _server->on("DELETE", "/v1/tenants/acme/tokens/tok_7f3a", 204, "");
    r = one({"tokens", "revoke", "acme", "tok_7f3a"});
    CPPUNIT_ASSERT_EQUAL(std::string("DELETE /v1/tenants/acme/tokens/tok_7f3a"), r.method + " " + r.uri);

    _server->on("POST", "/v1/keys/rotate", 200, R"({"rotated":7})");
    _server->clear();
    CtlResult rotated = ctl({"keys", "rotate"});
    PB_ASSERT_CODE(0, rotated);
    CPPUNIT_ASSERT_EQUAL(std::string("POST /v1/keys/rotate"), _server->only().method + " " + _server->only().uri);
    PB_ASSERT_CONTAINS(rotated.out, "re-encrypted 7 secrets");

    _server->on("GET", "/v1/health", 200, R"({"store":"ok"})");
    r = one({"health"});
    CPPUNIT_ASSERT_EQUAL(std::string("GET /v1/health"), r.method + " " + r.uri);
}
