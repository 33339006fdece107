// PatchbayctlTest.cpp: fixture helpers, and the cases for help, usage errors, exit codes, tokens and secrets from stdin.
#include "PatchbayctlTest.h"

#include "CannedApi.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <cstdlib>
#include <sstream>

using namespace patchbay::tests;

CPPUNIT_TEST_SUITE_REGISTRATION(PatchbayctlTest);

const char* const PatchbayctlTest::kToken = "op-token-123";

void PatchbayctlTest::setUp()
{
    // A developer's own settings must not change what the binary does under test.
    ::unsetenv("PATCHBAY_ADMIN_TOKEN");
    ::unsetenv("PATCHBAY_ADMIN_URL");
    _server = std::make_unique<FakeAdminServer>();
}

void PatchbayctlTest::tearDown()
{
    _server.reset();
}

CtlResult PatchbayctlTest::ctl(const std::vector<std::string>& args, const std::string& stdinText)
{
    std::vector<std::string> full{"--url", _server->url(), "--token", kToken};
    full.insert(full.end(), args.begin(), args.end());
    return runCtl(full, {}, stdinText);
}

FakeAdminServer::Request PatchbayctlTest::one(const std::vector<std::string>& args, const std::string& stdinText)
{
    _server->clear();
    const CtlResult result = ctl(args, stdinText);
    PB_ASSERT_CODE(0, result);
    const auto requests = _server->requests();
    CPPUNIT_ASSERT_EQUAL_MESSAGE(result.describe(), std::size_t(1), requests.size());
    CPPUNIT_ASSERT_EQUAL(std::string("Bearer ") + kToken, requests[0].authorization);
    if (!requests[0].body.empty())
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), requests[0].contentType);
    return requests[0];
}

Poco::JSON::Object::Ptr PatchbayctlTest::parseObject(const std::string& json)
{
    Poco::JSON::Parser parser;
    return parser.parse(json).extract<Poco::JSON::Object::Ptr>();
}

bool PatchbayctlTest::contains(const std::string& text, const std::string& needle)
{
    return text.find(needle) != std::string::npos;
}

std::vector<std::string> PatchbayctlTest::lines(const std::string& text)
{
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

// --- help ----------------------------------------------------------------------------------

void PatchbayctlTest::helpEverywhereExitsZero()
{
    const std::vector<std::vector<std::string>> commands = {
        {"tenants", "add"}, {"tenants", "list"}, {"tenants", "show"}, {"tenants", "update"}, {"tenants", "suspend"},
        {"tenants", "resume"}, {"tenants", "delete"}, {"variants", "set"}, {"variants", "show"}, {"numbers", "assign"},
        {"numbers", "release"}, {"numbers", "list"}, {"accounts", "add"}, {"accounts", "list"}, {"accounts", "show"},
        {"accounts", "rotate-token"}, {"accounts", "delete"}, {"calls", "list"}, {"calls", "show"}, {"calls", "place"},
        {"calls", "hangup"}, {"calls", "transfer"}, {"usage"}, {"tokens", "create"}, {"tokens", "list"}, {"tokens", "revoke"},
        {"keys", "rotate"}, {"health"}, {"doctor"}};

    CtlResult top = runCtl({"--help"});
    PB_ASSERT_CODE(0, top);
    PB_ASSERT_CONTAINS(top.out, "usage: patchbayctl");
    PB_ASSERT_CONTAINS(top.out, "4  authentication failure");
    CPPUNIT_ASSERT_EQUAL(std::string(), top.err);
    for (const char* group : {"tenants", "variants", "numbers", "accounts", "calls", "tokens", "keys"})
    {
        PB_ASSERT_CONTAINS(top.out, std::string("  ") + group);
        for (const char* form : {"--help", "-h", "help"})
        {
            CtlResult r = runCtl({group, form});
            PB_ASSERT_CODE(0, r);
            PB_ASSERT_CONTAINS(r.out, std::string("usage: patchbayctl ") + group + " COMMAND");
        }
    }
    for (const auto& command : commands)
    {
        std::string name;
        for (const auto& word : command)
            name += (name.empty() ? "" : " ") + word;
        auto args = command;
        args.push_back("--help");
        // No server, no token: help must need neither, and must not be blocked by missing required options.
        CtlResult r = runCtl(args);
        PB_ASSERT_CODE(0, r);
        PB_ASSERT_CONTAINS(r.out, "usage: patchbayctl " + name);
        PB_ASSERT_CONTAINS(r.out, "exit codes:");
        CPPUNIT_ASSERT(_server->requests().empty());
    }
    PB_ASSERT_CONTAINS(runCtl({"accounts", "add", "--help"}).out, "shell history");
    PB_ASSERT_CONTAINS(runCtl({"tenants", "add", "--help"}).out, "--rate-per-minute AMOUNT");
}

// --- usage errors --------------------------------------------------------------------------

void PatchbayctlTest::usageErrorsExitTwoAndSendNothing()
{
    struct Case
    {
        std::vector<std::string> args;
        std::string message;
    };
    const std::vector<Case> cases = {
        {{}, "missing command group"},
        {{"frobnicate"}, "unknown command group 'frobnicate'"},
        {{"tenants"}, "tenants: missing command"},
        {{"tenants", "explode"}, "unknown command 'explode'"},
        {{"tenants", "list", "--frob"}, "unknown option --frob"},
        {{"tenants", "show"}, "missing ID"},
        {{"tenants", "show", "a", "b"}, "unexpected argument 'b'"},
        {{"tenants", "add", "--id", "x", "--name", "X"}, "missing --agent-id"},
        {{"tenants", "add", "--id", "x", "--name", "X", "--agent-id", "a", "--max-concurrent", "many"},
         "--max-concurrent expects a non-negative integer"},
        {{"tenants", "add", "--id", "x", "--name", "X", "--agent-id", "a", "--rate-per-minute", "0.1234567"},
         "--rate-per-minute expects a decimal"},
        {{"tenants", "add", "--id", "x", "--name", "X", "--agent-id", "a", "--var", "novalue"}, "--var expects NAME=VALUE"},
        {{"tenants", "add", "--id", "x", "--id", "y", "--name", "X", "--agent-id", "a"}, "--id given twice"},
        {{"tenants", "add", "--id", "x", "--name", "X", "--agent-id", "a", "--status", "paused"}, "--status expects"},
        {{"numbers", "assign", "15005550006", "--tenant", "t", "--account", "AC1"}, "must start with '+'"},
        {{"numbers", "assign", "+15005550006", "--tenant", "t"}, "missing --account"},
        {{"variants", "set", "acme"}, "exactly one of --variant, --file or --clear"},
        {{"variants", "set", "acme", "--variant", "a:x:agent"}, "weight must be a non-negative integer"},
        {{"variants", "set", "acme", "--variant", "a:1"}, "name:weight:agentId"},
        {{"calls", "list", "--since", "yesterday"}, "--since expects Unix milliseconds or ISO 8601"},
        {{"calls", "list", "--limit", "-3"}, "--limit expects a non-negative integer"},
        {{"usage", "--month", "2024-13"}, "--month expects YYYY-MM"},
        {{"accounts", "add", "--sid", "AC1", "--auth-token", "t", "--api-key-sid", "SK1"}, "go together"},
        {{"tokens", "revoke", "acme"}, "missing TOKEN_ID"},
        {{"--url", "ftp://x", "--token", "t", "tenants", "list"}, "invalid --url"},
        {{"--color", "tenants", "list"}, "unknown global option --color"},
    };
    for (const auto& c : cases)
    {
        std::vector<std::string> args = c.args;
        if (c.args.empty() || c.args[0] != "--url")
            args.insert(args.begin(), {"--url", _server->url(), "--token", kToken});
        CtlResult r = runCtl(args);
        PB_ASSERT_CODE(2, r);
        PB_ASSERT_CONTAINS(r.err, c.message);
        PB_ASSERT_CONTAINS(r.err, "hint: ");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.describe(), std::string(), r.out);
    }
    CPPUNIT_ASSERT_EQUAL(std::size_t(0), _server->requests().size());

    // No token anywhere: a usage error naming both ways to give one, before anything is sent.
    CtlResult r = runCtl({"--url", _server->url(), "tenants", "list"});
    PB_ASSERT_CODE(2, r);
    PB_ASSERT_CONTAINS(r.err, "no admin token");
    PB_ASSERT_CONTAINS(r.err, "PATCHBAY_ADMIN_TOKEN");
    CPPUNIT_ASSERT_EQUAL(std::size_t(0), _server->requests().size());
}

// --- API errors ----------------------------------------------------------------------------

void PatchbayctlTest::problemBodiesExitOneWithOneLine()
{
    _server->on("POST", "/v1/tenants", 400,
                R"({"type":"about:blank","title":"Bad Request","status":400,"detail":"expected [a-z0-9-]{1,64}","field":"id"})",
                "application/problem+json");
    CtlResult r = ctl({"tenants", "add", "--id", "Bad Id", "--name", "X", "--agent-id", "a"});
    PB_ASSERT_CODE(1, r);
    CPPUNIT_ASSERT_EQUAL(std::string("patchbayctl: HTTP 400 Bad Request: expected [a-z0-9-]{1,64} (field: id)\n"), r.err);
    CPPUNIT_ASSERT_EQUAL(std::string(), r.out);

    _server->on("GET", "/v1/tenants/nope", 404,
                R"({"type":"about:blank","title":"Not Found","status":404,"detail":"unknown tenant \"nope\"\nsecond line"})",
                "application/problem+json");
    r = ctl({"tenants", "show", "nope"});
    PB_ASSERT_CODE(1, r);
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), lines(r.err).size());
    PB_ASSERT_CONTAINS(r.err, "Not Found: unknown tenant \"nope\" second line");

    _server->on("PUT", "/v1/numbers/%2B15005550006", 409,
                R"({"title":"Conflict","status":409,"detail":"number is assigned to tenant \"other\"","field":"number"})",
                "application/problem+json");
    r = ctl({"numbers", "assign", "+15005550006", "--tenant", "acme", "--account", canned::kAccountSid});
    PB_ASSERT_CODE(1, r);
    PB_ASSERT_CONTAINS(r.err, "HTTP 409 Conflict: number is assigned to tenant \"other\" (field: number)");

    _server->on("GET", "/v1/health", 503, R"({"title":"Service Unavailable","status":503,"detail":"tenant store: down"})",
                "application/problem+json");
    r = ctl({"health"});
    PB_ASSERT_CODE(1, r);
    PB_ASSERT_CONTAINS(r.err, "503 Service Unavailable: tenant store: down");

    // --json changes stdout only: errors stay one line on stderr.
    r = ctl({"--json", "tenants", "show", "nope"});
    PB_ASSERT_CODE(1, r);
    CPPUNIT_ASSERT_EQUAL(std::string(), r.out);

    // Not a problem body (a proxy's HTML page): still exit 1 with the status.
    _server->on("GET", "/v1/tenants", 502, "<html>bad gateway</html>", "text/html");
    r = ctl({"tenants", "list"});
    PB_ASSERT_CODE(1, r);
    PB_ASSERT_CONTAINS(r.err, "HTTP 502");
    // A 2xx that is not JSON is an API error too, not a crash.
    _server->on("GET", "/v1/accounts", 200, "hello", "text/plain");
    r = ctl({"accounts", "list"});
    PB_ASSERT_CODE(1, r);
    PB_ASSERT_CONTAINS(r.err, "is not JSON");
}

void PatchbayctlTest::authFailuresExitFour()
{
    _server->otherwise(401, R"({"title":"Unauthorized","status":401,"detail":"missing or invalid bearer token"})");
    CtlResult r = ctl({"tenants", "list"});
    PB_ASSERT_CODE(4, r);
    PB_ASSERT_CONTAINS(r.err, "HTTP 401 Unauthorized: missing or invalid bearer token");
    PB_ASSERT_CONTAINS(r.err, "hint: check --token");
    PB_ASSERT_LACKS(r.err, kToken);

    _server->otherwise(403, R"({"title":"Forbidden","status":403,"detail":"needs the operator token"})");
    r = ctl({"keys", "rotate"});
    PB_ASSERT_CODE(4, r);
    PB_ASSERT_CONTAINS(r.err, "HTTP 403 Forbidden: needs the operator token");
}

void PatchbayctlTest::connectionFailureExitsThree()
{
    std::uint16_t port = 0;
    {
        Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
        port = socket.address().port();
    }
    const std::string url = "http://127.0.0.1:" + std::to_string(port);
    CtlResult r = runCtl({"--url", url, "--token", kToken, "tenants", "list"});
    PB_ASSERT_CODE(3, r);
    PB_ASSERT_CONTAINS(r.err, "cannot connect to " + url);
    PB_ASSERT_LACKS(r.err, kToken);
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), lines(r.err).size());

    r = runCtl({"--url", "http://host.invalid:8081", "--token", kToken, "health"});
    PB_ASSERT_CODE(3, r);
}

// --- token, URL and secrets ----------------------------------------------------------------

void PatchbayctlTest::tokenAndUrlFromEnvironmentAndFlags()
{
    _server->on("GET", "/v1/tenants", 200, canned::kTenantList);
    CtlResult r = runCtl({"tenants", "list"}, {{"PATCHBAY_ADMIN_URL", _server->url()}, {"PATCHBAY_ADMIN_TOKEN", "env-token"}});
    PB_ASSERT_CODE(0, r);
    CPPUNIT_ASSERT_EQUAL(std::string("Bearer env-token"), _server->only().authorization);

    // A flag beats the environment, and global options may follow the command.
    _server->clear();
    r = runCtl({"tenants", "list", "--token", "flag-token", "--json"},
               {{"PATCHBAY_ADMIN_URL", _server->url()}, {"PATCHBAY_ADMIN_TOKEN", "env-token"}});
    PB_ASSERT_CODE(0, r);
    CPPUNIT_ASSERT_EQUAL(std::string("Bearer flag-token"), _server->only().authorization);
    PB_ASSERT_CONTAINS(r.out, "\"tenants\": [");

    // --url=... form and a URL with a path prefix (behind a reverse proxy).
    _server->clear();
    _server->on("GET", "/admin/v1/tenants", 200, canned::kTenantList);
    r = runCtl({"--url=" + _server->url() + "/admin/", "--token=t2", "tenants", "list"});
    PB_ASSERT_CODE(0, r);
    CPPUNIT_ASSERT_EQUAL(std::string("/admin/v1/tenants"), _server->only().path);

    // The token itself from stdin.
    _server->clear();
    r = runCtl({"--url", _server->url(), "--token", "-", "tenants", "list"}, {}, "stdin-token\n");
    PB_ASSERT_CODE(0, r);
    CPPUNIT_ASSERT_EQUAL(std::string("Bearer stdin-token"), _server->only().authorization);
}

void PatchbayctlTest::secretsFromStdin()
{
    _server->on("POST", "/v1/accounts", 201, canned::kAccount);
    // Two secrets from stdin: one line each, in command-line order (CRLF tolerated).
    auto request = one({"accounts", "add", "--sid", canned::kAccountSid, "--api-key-sid", "SK0123456789abcdef0123456789abcdef",
                        "--api-key-secret", "-", "--auth-token", "-"},
                       "key-secret-1\r\nauth-token-1\n");
    auto body = parseObject(request.body);
    CPPUNIT_ASSERT_EQUAL(std::string("auth-token-1"), body->getValue<std::string>("authToken"));
    CPPUNIT_ASSERT_EQUAL(std::string("key-secret-1"), body->getValue<std::string>("apiKeySecret"));

    _server->on("POST", std::string("/v1/accounts/") + canned::kAccountSid + "/rotate-token", 200, canned::kAccount);
    request = one({"accounts", "rotate-token", canned::kAccountSid, "--auth-token", "-"}, "new-token-2\n");
    CPPUNIT_ASSERT_EQUAL(std::string("/v1/accounts/") + canned::kAccountSid + "/rotate-token", request.path);
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"authToken":"new-token-2"})"), request.body);

    // The operator token and a secret both from stdin: still command-line order.
    _server->clear();
    CtlResult r = runCtl({"--url", _server->url(), "--token", "-", "accounts", "rotate-token", canned::kAccountSid,
                          "--auth-token", "-"},
                         {}, "op-from-stdin\nnew-token-3\n");
    PB_ASSERT_CODE(0, r);
    CPPUNIT_ASSERT_EQUAL(std::string("Bearer op-from-stdin"), _server->only().authorization);
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"authToken":"new-token-3"})"), _server->only().body);

    // The agent API key of a tenant, too.
    _server->on("POST", "/v1/tenants", 201, canned::kTenant);
    request = one({"tenants", "add", "--id", "acme", "--name", "Acme", "--agent-id", "agent_1", "--agent-api-key", "-"},
                  "xi-key-4\n");
    CPPUNIT_ASSERT_EQUAL(std::string("xi-key-4"),
                         parseObject(request.body)->getObject("agent")->getValue<std::string>("apiKey"));

    // Too few lines: a usage error, and nothing is sent.
    _server->clear();
    r = ctl({"accounts", "add", "--sid", canned::kAccountSid, "--auth-token", "-"}, "");
    PB_ASSERT_CODE(2, r);
    PB_ASSERT_CONTAINS(r.err, "on stdin");
    r = ctl({"accounts", "add", "--sid", canned::kAccountSid, "--auth-token", "-"}, "\n");
    PB_ASSERT_CODE(2, r);
    PB_ASSERT_CONTAINS(r.err, "empty");
    CPPUNIT_ASSERT_EQUAL(std::size_t(0), _server->requests().size());
}

void PatchbayctlTest::secretsNeverPrinted()
{
    const std::string secret = "s3cr3t-auth-token-value";
    _server->on("POST", "/v1/accounts", 201, canned::kAccount);
    for (const bool json : {false, true})
    {
        std::vector<std::string> args{"accounts", "add", "--sid", canned::kAccountSid, "--auth-token", secret,
                                      "--secondary-token", secret + "2"};
        if (json)
            args.push_back("--json");
        CtlResult r = ctl(args);
        PB_ASSERT_CODE(0, r);
        PB_ASSERT_LACKS(r.out + r.err, secret);
        PB_ASSERT_LACKS(r.out + r.err, kToken);
    }
    // Nor in errors, where a careless message would quote the request.
    _server->on("POST", "/v1/accounts", 400, R"({"title":"Bad Request","status":400,"detail":"expected printable ASCII","field":"authToken"})",
                "application/problem+json");
    CtlResult r = ctl({"accounts", "add", "--sid", canned::kAccountSid, "--auth-token", secret});
    PB_ASSERT_CODE(1, r);
    PB_ASSERT_LACKS(r.out + r.err, secret);
    PB_ASSERT_CONTAINS(r.err, "(field: authToken)");
}
