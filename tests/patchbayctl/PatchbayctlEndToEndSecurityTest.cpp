// PatchbayctlEndToEndSecurityTest.cpp: master-key rotation across restarts, secrets on error paths, exit codes and help, end to end.
#include "PatchbayctlEndToEndTest.h"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <sstream>

using patchbay::tests::CtlResult;
using patchbay::tests::runCtl;
using Poco::JSON::Object;

namespace {

/// The names listed under `heading:` in a help text (first word of each indented line).
std::vector<std::string> listedUnder(const std::string& help, const std::string& heading)
{
    std::vector<std::string> names;
    std::istringstream in(help);
    bool inside = false;
    for (std::string line; std::getline(in, line);)
    {
        if (line == heading + ":")
        {
            inside = true;
            continue;
        }
        if (!inside)
            continue;
        if (line.rfind("  ", 0) != 0)
            break;
        std::istringstream words(line);
        std::string name;
        words >> name;
        names.push_back(name);
    }
    return names;
}

} // namespace

// --- master-key rotation ------------------------------------------------------------------------

void PatchbayctlEndToEndTest::keysRotateReencryptsUnderNewKey()
{
    // The tenant's agent key is checked by the mock agent on every signed-URL request, so a call
    // that echoes proves the key decrypted; the webhook signature proves the same for the auth token.
    const std::string agentKey = _gw->newSecret("agent-api-key-");
    _gw->startMockAgent({"--signed-url", "--api-key", agentKey});
    _gw->start("k1", {"k1"});
    const std::string token = _gw->newSecret("auth-token-");
    const std::string keySecret = _gw->newSecret("api-key-secret-");
    E2E_ASSERT_CODE(0, _gw->ctl({"accounts", "add", "--sid", kAccount, "--auth-token", "-", "--api-key-sid", kApiKeySid,
                                 "--api-key-secret", "-"},
                                token + "\n" + keySecret + "\n"));
    E2E_ASSERT_CODE(0, _gw->ctl({"tenants", "add", "--id", "acme", "--name", "Acme", "--agent-id", "agent_rot",
                                 "--agent-api-key", "-"},
                                agentKey + "\n"));
    assignNumber(kNumber, "acme", kAccount);
    call(token, kNumber, "echo");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(_gw->gatewayTail(), 0, _gw->stop());
    _gw->snapshotDatabase("under k1, stopped");
    const std::string underK1 = patchbay::testing::TempDir::read(_gw->dbPath());
    E2E_ASSERT_CONTAINS(underK1, "v1:k1:");

    // k2 becomes active with k1 still listed; rotate moves every value to k2; a second run finds none.
    _gw->start("k2", {"k1", "k2"});
    CtlResult r = _gw->ctl({"keys", "rotate"});
    E2E_ASSERT_CODE(0, r);
    std::istringstream words(r.out);
    std::string first;
    long rotated = -1;
    words >> first >> rotated;
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.out, std::string("re-encrypted"), first);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.out, 3L, rotated); // auth token, API key secret, agent API key
    r = _gw->ctl({"keys", "rotate", "--json"});
    E2E_ASSERT_CODE(0, r);
    CPPUNIT_ASSERT_EQUAL(0, object(r.out)->getValue<int>("rotated"));
    CPPUNIT_ASSERT_EQUAL_MESSAGE(_gw->gatewayTail(), 0, _gw->stop());
    _gw->snapshotDatabase("after rotation, stopped");

    // Only k2: everything still reads and works.
    _gw->start("k2", {"k2"});
    r = _gw->ctl({"accounts", "show", kAccount, "--json"});
    E2E_ASSERT_CODE(0, r);
    CPPUNIT_ASSERT(object(r.out)->getValue<bool>("hasAuthToken"));
    CPPUNIT_ASSERT(object(r.out)->getValue<bool>("hasApiKeySecret"));
    r = _gw->ctl({"tenants", "show", "acme", "--json"});
    E2E_ASSERT_CODE(0, r);
    CPPUNIT_ASSERT(object(r.out)->getObject("agent")->getValue<bool>("hasApiKey"));
    call(token, kNumber, "echo");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(_gw->gatewayTail(), 0, _gw->stop());
    const std::string underK2 = patchbay::testing::TempDir::read(_gw->dbPath());
    E2E_ASSERT_CONTAINS(underK2, "v1:k2:");
    E2E_ASSERT_LACKS(underK2, "v1:k1:");

    // Only k1 again: the store cannot decrypt, and says which key is missing — an error, not a crash.
    const std::size_t logBefore = _gw->gatewayLog().size();
    const auto exited = _gw->tryStart("k1", {"k1"});
    if (exited)
    {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(_gw->gatewayTail(), 2, *exited);
    }
    else
    {
        r = _gw->ctl({"accounts", "show", kAccount});
        E2E_ASSERT_CODE(1, r);
        E2E_ASSERT_CONTAINS(r.err, "HTTP 5");
        r = _gw->ctl({"tenants", "show", "acme"});
        E2E_ASSERT_CODE(1, r);
        const auto refused = _gw->callsim(kAccount, token, kNumber, {});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(refused.describe(), 0,
            refused.report ? refused.report->getObject("calls")->getValue<int>("connected") : -1);
        CPPUNIT_ASSERT_MESSAGE(_gw->gatewayTail(), _gw->running());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(_gw->gatewayTail(), 0, _gw->stop());
    }
    const std::string log = _gw->gatewayLog().substr(logBefore);
    E2E_ASSERT_CONTAINS(log, "master key 'k2'");
    E2E_ASSERT_CONTAINS(log, "not configured");
    _gw->assertNoSecretLeaked();
}

// --- secrets on every path ----------------------------------------------------------------------

void PatchbayctlEndToEndTest::secretsNeverLeakOnAnyPath()
{
    // The tenant ends up with agentKey2, so its calls fetch signed URLs with it.
    const std::string agentKey2 = _gw->newSecret("agent-api-key-");
    _gw->startMockAgent({"--signed-url", "--api-key", agentKey2});
    _gw->start("k1", {"k1"});
    const std::string token = _gw->newSecret("auth-token-");
    const std::string secondary = _gw->newSecret("secondary-token-");
    const std::string keySecret = _gw->newSecret("api-key-secret-");
    const std::string agentKey = _gw->newSecret("agent-api-key-");
    const std::string variantKey = _gw->newSecret("variant-api-key-");
    E2E_ASSERT_CODE(0, _gw->ctl({"accounts", "add", "--sid", kAccount, "--auth-token", "-", "--secondary-token", "-",
                                 "--api-key-sid", kApiKeySid, "--api-key-secret", "-"},
                                token + "\n" + secondary + "\n" + keySecret + "\n"));
    E2E_ASSERT_CODE(0, _gw->ctl({"tenants", "add", "--id", "acme", "--name", "Acme", "--agent-id", "agent_acme",
                                 "--agent-api-key", agentKey}));
    E2E_ASSERT_CODE(0, _gw->ctl({"variants", "set", "acme", "--file", "-"},
        R"([{"name": "a", "weight": 1, "agent": {"agentId": "agent_va"}},
            {"name": "b", "weight": 0, "agent": {"agentId": "agent_vb", "apiKey": ")" + variantKey + R"("}}])"));
    assignNumber(kNumber, "acme", kAccount);
    E2E_ASSERT_CODE(0, _gw->ctl({"tenants", "update", "acme", "--agent-api-key", "-"}, agentKey2 + "\n"));
    const std::string token2 = _gw->newSecret("auth-token-");
    E2E_ASSERT_CODE(0, _gw->ctl({"accounts", "rotate-token", kAccount, "--auth-token", token2}));

    // Every read, as tables and as JSON (the grep at the end covers their output).
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {"accounts", "list"}, {"accounts", "show", kAccount}, {"tenants", "list"}, {"tenants", "show", "acme"},
             {"variants", "show", "acme"}, {"numbers", "list"}, {"health"}})
    {
        E2E_ASSERT_CODE(0, _gw->ctl(args));
        std::vector<std::string> json = args;
        json.push_back("--json");
        E2E_ASSERT_CODE(0, _gw->ctl(json));
    }
    const Object::Ptr variant = object(_gw->ctl({"tenants", "show", "acme", "--json"}).out)->getArray("variants")->getObject(1);
    CPPUNIT_ASSERT(variant->getObject("agent")->getValue<bool>("hasApiKey"));

    // A successful call (signed with the primary) and refused ones: a wrong token, a bad signature.
    const std::string sid = call(token2, kNumber, "echo");
    _gw->waitForEndedCall(sid);
    E2E_ASSERT_CODE(0, _gw->ctl({"calls", "show", sid}));
    call(_gw->newSecret("wrong-auth-token-"), kNumber, "forbidden");
    call(token2, kNumber, "forbidden", {"--bad-signature"});

    // A wrong operator token, through the CLI and raw.
    const std::string wrongOperator = _gw->newSecret("wrong-operator-token-");
    CtlResult r = _gw->ctlWithToken(wrongOperator, {"tenants", "list"});
    E2E_ASSERT_CODE(4, r);
    CPPUNIT_ASSERT_EQUAL(401, _gw->adminRequest("GET", "/v1/accounts", wrongOperator).status);
    CPPUNIT_ASSERT_EQUAL(401, _gw->adminRequest("POST", "/v1/accounts", wrongOperator,
                                                R"({"sid":")" + std::string(kAccount2) + R"(","authToken":")" + token + "\"}").status);

    // Bodies the CLI would never send, each carrying a secret where the parser chokes on it.
    const std::string op = _gw->operatorToken();
    const std::string s1 = _gw->newSecret("body-secret-");
    const std::string s2 = _gw->newSecret("body-secret-");
    const std::string s3 = _gw->newSecret("body-secret-");
    const std::string s4 = _gw->newSecret("body-secret-");
    const std::string s5 = _gw->newSecret("body-secret-");
    const std::string s6 = _gw->newSecret("body-secret-");
    const std::string acct2 = kAccount2;
    const std::vector<std::pair<std::string, std::string>> bad{
        {"/v1/accounts", R"({"sid":")" + acct2 + R"(","authToken":")" + s1},                      // unterminated
        {"/v1/accounts", R"({"sid":")" + acct2 + R"(","authToken":")" + s2 + R"( x"})"},          // space in a secret
        {"/v1/accounts", R"({"sid":")" + acct2 + R"(","authToken":")" + s3 + R"(","authToken":"x"})"}, // duplicate
        {"/v1/accounts", R"({"sid":"AC12","authToken":")" + s4 + R"("})"},                        // bad sid
        {"/v1/tenants", R"({"id":"x","name":"x","agent":{"agentId":"a","apiKey":")" + s5 + R"(\u0001"}})"},
        {"/v1/tenants", R"({"id":"x","name":"x","agent":{"agentId":"a","apiKey":[")" + s6 + R"("]}})"},
        {"/v1/tenants", "{\"id\":\"x\",\"name\":\"x\",\"agent\":{\"agentId\":\"a\",\"apiKey\":\"" + s6 + "\"}} trailing"}};
    for (const auto& [path, body] : bad)
    {
        const auto answer = _gw->adminRequest("POST", path, op, body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(answer.body, 400, answer.status);
    }
    const auto rotateBad = _gw->adminRequest("POST", "/v1/accounts/" + acct2 + "/rotate-token", op,
                                             R"({"authToken":")" + s1 + "\"}");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(rotateBad.body, 404, rotateBad.status);

    // CLI error paths with secret options.
    r = _gw->ctl({"accounts", "add", "--sid", kAccount2, "--auth-token", s1, "--auth-token", s2});
    E2E_ASSERT_CODE(2, r);
    r = _gw->ctl({"accounts", "add", "--sid", "AC12", "--auth-token", s3});
    E2E_ASSERT_CODE(1, r);
    r = _gw->ctl({"accounts", "add", "--sid", kAccount2, "--auth-token", s4 + " with space"});
    E2E_ASSERT_CODE(1, r);
    r = _gw->ctl({"accounts", "rotate-token", kAccount2, "--auth-token", s5});
    E2E_ASSERT_CODE(1, r);
    r = _gw->ctl({"accounts", "add", "--sid", kAccount2, "--auth-token", s6, "--api-key-secret", s1});
    E2E_ASSERT_CODE(2, r);
    r = _gw->ctl({"tenants", "update", "nobody", "--agent-api-key", s2});
    E2E_ASSERT_CODE(1, r);
    r = _gw->ctlWithToken(wrongOperator + " x", {"accounts", "list"});
    E2E_ASSERT_CODE(4, r);

    // The secrets are in the database, encrypted.
    _gw->snapshotDatabase("while running");
    E2E_ASSERT_CONTAINS(patchbay::testing::TempDir::read(_gw->dbPath()) +
                            patchbay::testing::TempDir::read(_gw->dbPath() + "-wal"),
                        "v1:k1:");
    const std::string metrics = _gw->metrics();
    E2E_ASSERT_CONTAINS(metrics, "patchbay_admin_auth_failures_total");
    _gw->assertNoSecretLeaked();
    CPPUNIT_ASSERT_EQUAL_MESSAGE(_gw->gatewayTail(), 0, _gw->stop());
    _gw->assertNoSecretLeaked(); // the files as left on disk after a clean stop
}

// --- exit codes and help ------------------------------------------------------------------------

void PatchbayctlEndToEndTest::exitCodesAndHelp()
{
    _gw->start("k1", {"k1"});

    // 3: nothing listening.
    std::uint16_t closedPort = 0;
    {
        Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
        closedPort = probe.address().port();
    }
    CtlResult r = runCtl({"--url", "http://127.0.0.1:" + std::to_string(closedPort), "tenants", "list"},
                         {{"PATCHBAY_ADMIN_TOKEN", _gw->operatorToken()}});
    E2E_ASSERT_CODE(3, r);
    E2E_ASSERT_CONTAINS(r.err, "cannot connect");
    // 4: a wrong token.
    r = _gw->ctlWithToken(_gw->newSecret("wrong-token-"), {"tenants", "list"});
    E2E_ASSERT_CODE(4, r);
    E2E_ASSERT_CONTAINS(r.err, "HTTP 401");
    // 1: unknown ids.
    r = _gw->ctl({"tenants", "show", "nope"});
    E2E_ASSERT_CODE(1, r);
    E2E_ASSERT_CONTAINS(r.err, "HTTP 404");
    r = _gw->ctl({"calls", "show", "CA00000000000000000000000000000000"});
    E2E_ASSERT_CODE(1, r);
    // 2: usage errors, before anything is sent.
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {"tenants", "bogus"}, {"bogus"}, {"tenants", "add", "--name", "x"}, {"numbers", "assign", "15005550006",
             "--tenant", "x", "--account", kAccount}, {"tenants", "list", "--bogus"}, {"calls", "list", "--since", "yesterday"}})
    {
        r = _gw->ctl(args);
        E2E_ASSERT_CODE(2, r);
        CPPUNIT_ASSERT_EQUAL(std::string(""), r.out);
    }
    r = _gw->ctlWithToken("", {"tenants", "list"});
    E2E_ASSERT_CODE(2, r);
    E2E_ASSERT_CONTAINS(r.err, "no admin token");
    // 0 with the operator token.
    E2E_ASSERT_CODE(0, _gw->ctl({"health"}));

    // --help everywhere: 0, usage on stdout, no server or token needed.
    r = runCtl({"--help"});
    E2E_ASSERT_CODE(0, r);
    const auto groups = listedUnder(r.out, "groups");
    CPPUNIT_ASSERT_MESSAGE(r.out, groups.size() >= 9);
    std::size_t commands = 0;
    for (const auto& group : groups)
    {
        r = runCtl({group, "--help"});
        E2E_ASSERT_CODE(0, r);
        E2E_ASSERT_CONTAINS(r.out, "usage: patchbayctl " + group);
        for (const auto& command : listedUnder(r.out, "commands"))
        {
            r = runCtl({group, command, "--help"}, {{"PATCHBAY_ADMIN_URL", "http://127.0.0.1:" + std::to_string(closedPort)}});
            E2E_ASSERT_CODE(0, r);
            E2E_ASSERT_CONTAINS(r.out, "usage: patchbayctl " + group + " " + command);
            CPPUNIT_ASSERT_EQUAL(std::string(""), r.err);
            ++commands;
        }
    }
    CPPUNIT_ASSERT_MESSAGE(std::to_string(commands) + " commands", commands >= 20);
    _gw->assertNoSecretLeaked();
}
