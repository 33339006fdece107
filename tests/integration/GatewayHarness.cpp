// GatewayHarness.cpp: process start-up order, the generated gateway config, and readiness polling.
#include "GatewayHarness.h"

#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/HMACEngine.h>
#include <Poco/SHA1Engine.h>
#include <Poco/URI.h>
#include <Poco/File.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <signal.h>

namespace patchbay {
namespace integration {

namespace {

std::uint16_t freePort()
{
    // Bound and released at once; the gateway binds it a moment later. A collision would only
    // make startGateway() fail loudly, not make a test pass.
    Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
    const std::uint16_t port = probe.address().port();
    probe.close();
    return port;
}

std::string readFile(const std::string& path)
{
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

GatewayHarness::GatewayHarness()
{
    _dir = Poco::TemporaryFile::tempName(Poco::Path::temp()) + "-patchbay-it";
    Poco::File(_dir).createDirectories();
}

GatewayHarness::~GatewayHarness()
{
    _gateway.reset();
    _mock.reset();
    // Failures quote the relevant logs in their messages, so nothing needs to survive the test.
    try
    {
        Poco::File(_dir).remove(true);
    }
    catch (const Poco::Exception&)
    {
    }
}

void GatewayHarness::startMockAgent(const std::vector<std::string>& extraArgs)
{
    std::vector<std::string> args{"--listen", "127.0.0.1:0", "--stats-file", _dir + "/mock-stats.json"};
    args.insert(args.end(), extraArgs.begin(), extraArgs.end());
    _mock = std::make_unique<ChildProcess>("mock-agent", PATCHBAY_MOCK_AGENT_EXE, args, _dir + "/mock-agent");
    const auto line = _mock->waitForLine("mock-agent listening on ", std::chrono::seconds(10));
    if (!line)
        throw std::runtime_error("mock agent did not report its port: " + _mock->errTail());
    _mockPort = static_cast<std::uint16_t>(std::stoi(line->substr(line->rfind(':') + 1)));
}

std::uint16_t GatewayHarness::reserveGatewayPort()
{
    if (!_gatewayPort)
        _gatewayPort = freePort();
    return _gatewayPort;
}

void GatewayHarness::startGateway()
{
    if (!_gatewayPort)
        _gatewayPort = freePort();
    // The twilio plugin's REST calls (fallback redirects, transfers) go to a closed loopback port
    // unless a test names its Prism mock: a test never reaches the real api.twilio.com, and a
    // refused connection fails fast.
    const std::string config = R"({
  "server": {"listen": "127.0.0.1:)" + std::to_string(_gatewayPort) + R"(", "threads": 16},
  "media": {"loops": 2},
  "logging": {"level": "info"},
  "pluginDir": ")" + std::string(PATCHBAY_PLUGIN_BUILD_DIR) + R"(",
  "plugins": [
    {"id": "tenant-sqlite", "required": true, "config": {
      "path": ")" + dbPath() + R"(",
      "keys": {"insecureDevelopmentKey": true},
      "seed": {
        "accounts": [{"sid": ")" + kAccountSid + R"(", "authToken": ")" + kAuthToken + R"("})" +
        extraAccountsJson() + R"(],
        "tenants": [{"id": "demo", "name": "Demo tenant",
                     "agent": {"provider": "elevenlabs", "agentId": "agent_demo"},
                     "fallback": {"message": "Sorry, nobody can take your call right now."}})" +
        extraTenantsJson() + R"(],
        "numbers": [{"number": ")" + kNumber + R"(", "tenantId": "demo", "accountSid": ")" + kAccountSid + R"("})" +
        extraNumbersJson() + R"(]
      }}},
    {"id": "elevenlabs", "required": true, "config": {"baseUrl": "ws://127.0.0.1:)" + std::to_string(_mockPort) + "\"" +
        (_elevenLabsExtra.empty() ? std::string() : ", " + _elevenLabsExtra) + R"(}},
    {"id": "twilio", "required": true, "config": {
      "publicUrl": ")" + kPublicUrl + R"(",
      "streamTokenSecret": "integration-stream-token-secret-0123456789ab",
      "rest": {"baseUrl": ")" + _twilioRestBaseUrl + R"(", "maxRetries": 0, "timeoutMs": 2000}}}
  ],
  "routing": {"tenantStore": "tenant-sqlite", "defaultAgent": "elevenlabs", "drainTimeoutMs": )" +
        std::to_string(kDrainTimeoutMs) + (_routingExtra.empty() ? std::string() : ", " + _routingExtra) + R"(}
}
)";
    const std::string configPath = _dir + "/patchbay.json";
    std::ofstream(configPath) << config;
    _gateway = std::make_unique<ChildProcess>("patchbay", PATCHBAY_EXE, std::vector<std::string>{"--config", configPath},
        _dir + "/patchbay");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline)
    {
        if (!_gateway->running())
            throw std::runtime_error("patchbay exited during start-up:\n" + _gateway->errTail());
        if (httpGet("/readyz") == 200)
            return;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    throw std::runtime_error("patchbay did not become ready (GET /readyz) within 20 s:\n" + _gateway->errTail());
}

void GatewayHarness::addTenant(const TenantSeed& tenant)
{
    _extraTenants.push_back(tenant);
}

std::string GatewayHarness::extraTenantsJson() const
{
    std::string out;
    for (const TenantSeed& t : _extraTenants)
    {
        // Built with Poco::JSON so ids and messages are escaped; the limits all go in (0 = unlimited).
        Poco::JSON::Object tenant;
        tenant.set("id", t.id);
        tenant.set("name", "Tenant " + t.id);
        tenant.set("status", t.status);
        Poco::JSON::Object agent;
        agent.set("provider", "elevenlabs");
        agent.set("agentId", "agent_" + t.id);
        tenant.set("agent", agent);
        Poco::JSON::Object limits;
        limits.set("maxConcurrentCalls", t.maxConcurrentCalls);
        limits.set("callsPerMinute", t.callsPerMinute);
        limits.set("maxCallSeconds", t.maxCallSeconds);
        limits.set("monthlyMinutes", t.monthlyMinutes);
        tenant.set("limits", limits);
        if (!t.fallbackMessage.empty() || !t.fallbackDialNumber.empty())
        {
            Poco::JSON::Object fallback;
            if (!t.fallbackMessage.empty())
                fallback.set("message", t.fallbackMessage);
            if (!t.fallbackDialNumber.empty())
                fallback.set("dialNumber", t.fallbackDialNumber);
            tenant.set("fallback", fallback);
        }
        if (t.perMinuteMicros > 0)
        {
            Poco::JSON::Object rates;
            rates.set("perMinuteMicros", t.perMinuteMicros);
            rates.set("currency", "USD");
            tenant.set("rates", rates);
        }
        std::ostringstream text;
        tenant.stringify(text);
        out += ", " + text.str();
    }
    return out;
}

std::string GatewayHarness::extraNumbersJson() const
{
    std::string out;
    for (const TenantSeed& t : _extraTenants)
    {
        Poco::JSON::Object number;
        number.set("number", t.number);
        number.set("tenantId", t.id);
        number.set("accountSid", t.accountSid.empty() ? std::string(kAccountSid) : t.accountSid);
        std::ostringstream text;
        number.stringify(text);
        out += ", " + text.str();
    }
    return out;
}

std::string GatewayHarness::extraAccountsJson() const
{
    std::string out;
    std::vector<std::string> seeded{kAccountSid};
    for (const TenantSeed& t : _extraTenants)
    {
        // Once per account, however many tenants share it.
        if (t.accountSid.empty() || std::find(seeded.begin(), seeded.end(), t.accountSid) != seeded.end())
            continue;
        seeded.push_back(t.accountSid);
        Poco::JSON::Object account;
        account.set("sid", t.accountSid);
        account.set("authToken", t.authToken);
        std::ostringstream text;
        account.stringify(text);
        out += ", " + text.str();
    }
    return out;
}

int GatewayHarness::httpGet(const std::string& path) const
{
    int status = 0;
    httpGetBody(path, &status);
    return status;
}

std::string GatewayHarness::httpGetBody(const std::string& path, int* status) const
{
    if (status)
        *status = 0;
    try
    {
        Poco::Net::HTTPClientSession session("127.0.0.1", _gatewayPort);
        session.setTimeout(Poco::Timespan(2, 0));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        std::ostringstream body;
        body << in.rdbuf();
        if (status)
            *status = static_cast<int>(response.getStatus());
        return body.str();
    }
    catch (const Poco::Exception&)
    {
        return std::string();
    }
}

HttpReply GatewayHarness::postVoiceWebhook(const std::string& to, const std::string& callSid) const
{
    const std::string path = "/twilio/voice";
    std::vector<std::pair<std::string, std::string>> params{{"AccountSid", kAccountSid}, {"CallSid", callSid},
        {"CallStatus", "ringing"}, {"Direction", "inbound"}, {"From", "+14155550100"}, {"To", to}};
    // Twilio's signature: HMAC-SHA1 over the public URL followed by every name and value, sorted by name.
    std::sort(params.begin(), params.end());
    std::string signedText = std::string(kPublicUrl) + path;
    std::string body;
    for (const auto& [name, value] : params)
    {
        signedText += name + value;
        std::string encoded;
        Poco::URI::encode(value, "+&=", encoded);
        body += (body.empty() ? "" : "&") + name + "=" + encoded;
    }
    Poco::HMACEngine<Poco::SHA1Engine> hmac(kAuthToken);
    hmac.update(signedText);
    const Poco::DigestEngine::Digest& digest = hmac.digest();
    std::ostringstream signature;
    {
        Poco::Base64Encoder encoder(signature);
        encoder.rdbuf()->setLineLength(0);
        encoder.write(reinterpret_cast<const char*>(digest.data()), static_cast<std::streamsize>(digest.size()));
        encoder.close();
    }

    HttpReply reply;
    try
    {
        Poco::Net::HTTPClientSession session("127.0.0.1", _gatewayPort);
        session.setTimeout(Poco::Timespan(5, 0));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, path, Poco::Net::HTTPMessage::HTTP_1_1);
        request.setContentType("application/x-www-form-urlencoded");
        request.setContentLength(static_cast<std::streamsize>(body.size()));
        request.set("X-Twilio-Signature", signature.str());
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        std::ostringstream text;
        text << in.rdbuf();
        reply.status = static_cast<int>(response.getStatus());
        reply.body = text.str();
    }
    catch (const Poco::Exception& e)
    {
        reply.body = e.displayText();
    }
    return reply;
}

std::vector<std::string> GatewayHarness::callsimArgs(const std::vector<std::string>& args) const
{
    std::vector<std::string> all{"--gateway", "http://127.0.0.1:" + std::to_string(_gatewayPort), "--public-url", kPublicUrl,
        "--account", kAccountSid, "--auth-token", kAuthToken, "--to", kNumber, "--json", "--per-call"};
    all.insert(all.end(), args.begin(), args.end());
    return all;
}

std::unique_ptr<ChildProcess> GatewayHarness::startCallsim(const std::vector<std::string>& args)
{
    return std::make_unique<ChildProcess>("callsim", PATCHBAY_CALLSIM_EXE, callsimArgs(args),
        _dir + "/callsim-" + std::to_string(++_callsimRuns));
}

CallsimRun GatewayHarness::collect(ChildProcess& process, std::chrono::milliseconds timeout)
{
    CallsimRun run;
    const auto code = process.waitExit(timeout);
    if (!code)
        process.kill();
    run.exitCode = code ? *code : -1;
    process.waitForOutputEnd(std::chrono::seconds(5));
    run.stdoutText = process.out();
    run.stderrText = process.err();
    try
    {
        Poco::JSON::Parser parser;
        run.report = parser.parse(run.stdoutText).extract<Poco::JSON::Object::Ptr>();
    }
    catch (const Poco::Exception&)
    {
        run.report = nullptr;
    }
    return run;
}

CallsimRun GatewayHarness::runCallsim(const std::vector<std::string>& args, std::chrono::milliseconds timeout)
{
    auto process = startCallsim(args);
    return collect(*process, timeout);
}

Poco::JSON::Object::Ptr GatewayHarness::stopMockAgent()
{
    if (!_mock)
        return nullptr;
    _mock->signal(SIGTERM);
    const auto code = _mock->waitExit(std::chrono::seconds(10));
    if (!code || *code != 0)
        throw std::runtime_error("mock agent did not exit 0 on SIGTERM: " + _mock->errTail());
    Poco::JSON::Parser parser;
    return parser.parse(readFile(_dir + "/mock-stats.json")).extract<Poco::JSON::Object::Ptr>();
}

std::string GatewayHarness::gatewayLog() const
{
    return _gateway ? _gateway->errTail(40) : std::string();
}

} // namespace integration
} // namespace patchbay
