// LiveGateway.cpp: config generation, process lifecycle and readiness polling, client runs, and the evidence grep for secrets.
#include "LiveGateway.h"

#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <signal.h>

namespace patchbay::tests {

using patchbay::integration::ChildProcess;
using patchbay::testing::TempDir;

namespace {

std::uint16_t freePort()
{
    // Bound and released at once; patchbay binds it a moment later. A collision makes start() fail
    // loudly, never a test pass.
    Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
    const std::uint16_t port = probe.address().port();
    probe.close();
    return port;
}

std::string randomBytes(std::size_t n)
{
    std::random_device device;
    std::string bytes(n, '\0');
    for (char& b : bytes)
        b = static_cast<char>(device() & 0xff);
    return bytes;
}

std::string hex(const std::string& bytes)
{
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned char b : bytes)
    {
        out += digits[b >> 4];
        out += digits[b & 0xf];
    }
    return out;
}

std::string base64(const std::string& bytes)
{
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << bytes;
    encoder.close();
    return out.str();
}

HttpAnswer httpRequest(std::uint16_t port, const std::string& method, const std::string& path,
                       const std::string& token, const std::string& body)
{
    HttpAnswer answer;
    try
    {
        Poco::Net::HTTPClientSession session("127.0.0.1", port);
        session.setTimeout(Poco::Timespan(10, 0));
        Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
        if (!token.empty())
            request.set("Authorization", "Bearer " + token);
        if (!body.empty())
        {
            request.setContentType("application/json");
            request.setContentLength(static_cast<std::streamsize>(body.size()));
        }
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        Poco::StreamCopier::copyToString(in, answer.body);
        answer.status = static_cast<int>(response.getStatus());
    }
    catch (const Poco::Exception&)
    {
        answer.status = 0;
    }
    return answer;
}

std::string replaceAll(std::string text, const std::string& what, const std::string& with)
{
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size()))
        text.replace(at, what.size(), with);
    return text;
}

} // namespace

std::string CallsimResult::describe() const
{
    return "callsim exit " + std::to_string(code) + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
}

std::string CallsimResult::firstCallSid() const
{
    if (!report)
        return std::string();
    const auto calls = report->getArray("perCall");
    if (!calls || calls->size() == 0)
        return std::string();
    return calls->getObject(0)->optValue<std::string>("callSid", "");
}

LiveGateway::LiveGateway()
{
    _operatorToken = newSecret("operator-token-");
    _streamTokenSecret = newSecret("stream-token-secret-");
    writeKey("k1");
    writeKey("k2");
}

LiveGateway::~LiveGateway()
{
    _gateway.reset();
    _mock.reset();
}

void LiveGateway::writeKey(const std::string& id)
{
    const std::string raw = randomBytes(32);
    const std::string text = base64(raw);
    TempDir::write(_dir.file(id + ".key"), text + "\n");
    addSecret("master key " + id + " (base64)", text);
    addSecret("master key " + id + " (raw bytes)", raw);
    addSecret("master key " + id + " (hex)", hex(raw));
}

std::string LiveGateway::newSecret(const std::string& prefix)
{
    const std::string value = prefix + hex(randomBytes(12));
    addSecret(prefix + "*", value);
    return value;
}

void LiveGateway::addSecret(const std::string& label, const std::string& value)
{
    if (!value.empty())
        _secrets.emplace_back(label, value);
}

void LiveGateway::keep(const std::string& where, const std::string& text)
{
    _evidence.emplace_back(where, text);
}

void LiveGateway::startMockAgent(const std::vector<std::string>& extraArgs)
{
    stopMockAgent();
    std::vector<std::string> args{"--listen", "127.0.0.1:0"};
    args.insert(args.end(), extraArgs.begin(), extraArgs.end());
    _mock = std::make_unique<ChildProcess>("mock-agent", PATCHBAY_MOCK_AGENT_EXE, args, _dir.file("mock-agent"));
    const auto line = _mock->waitForLine("mock-agent listening on ", std::chrono::seconds(15));
    if (!line)
        throw std::runtime_error("mock agent did not report its port: " + _mock->errTail());
    _mockPort = static_cast<std::uint16_t>(std::stoi(line->substr(line->rfind(':') + 1)));
}

void LiveGateway::stopMockAgent()
{
    if (!_mock)
        return;
    _mock->signal(SIGTERM);
    if (!_mock->waitExit(std::chrono::seconds(10)))
        _mock->kill();
    _mock.reset();
}

void LiveGateway::writeConfig(const std::string& activeKey, const std::vector<std::string>& keyIds)
{
    std::string files;
    for (const auto& id : keyIds)
        files += std::string(files.empty() ? "" : ", ") + "\"" + id + "\": \"" + _dir.file(id + ".key") + "\"";
    const std::string mock = "127.0.0.1:" + std::to_string(_mockPort);
    const std::string config = R"({
  "server": {"listen": "127.0.0.1:)" + std::to_string(_gatewayPort) + R"(", "threads": 8},
  "media": {"loops": 1},
  "logging": {"level": "debug"},
  "pluginDir": ")" + std::string(PATCHBAY_PLUGIN_BUILD_DIR) + R"(",
  "plugins": [
    {"id": "tenant-sqlite", "required": true, "config": {
      "path": ")" + dbPath() + R"(",
      "keys": {"active": ")" + activeKey + R"(", "files": {)" + files + R"(}}}},
    {"id": "elevenlabs", "required": true, "config": {
      "baseUrl": "ws://)" + mock + R"(", "signedUrlBase": "http://)" + mock + R"("}},
    {"id": "twilio", "required": true, "config": {
      "publicUrl": ")" + publicUrl() + R"(", "streamTokenSecret": ")" + _streamTokenSecret + "\"" +
                               (_twilioExtra.empty() ? std::string() : ", " + _twilioExtra) + R"(}}
  ],
  "routing": {"tenantStore": "tenant-sqlite", "defaultAgent": "elevenlabs", "drainTimeoutMs": 5000},
  "admin": {"listen": "127.0.0.1:)" + std::to_string(_adminPort) + R"(", "operatorToken": ")" + _operatorToken + R"("}
}
)";
    TempDir::write(_dir.file("patchbay.json"), config);
}

std::optional<int> LiveGateway::tryStart(const std::string& activeKey, const std::vector<std::string>& keyIds)
{
    if (_gateway && _gateway->running())
        throw std::logic_error("patchbay is already running");
    retireGateway();
    if (!_mock)
        startMockAgent();
    _gatewayPort = freePort();
    _adminPort = freePort();
    writeConfig(activeKey, keyIds);
    ++_runs;
    _gateway = std::make_unique<ChildProcess>("patchbay", PATCHBAY_EXE,
        std::vector<std::string>{"--config", _dir.file("patchbay.json")}, _dir.file("patchbay-" + std::to_string(_runs)));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline)
    {
        if (!_gateway->running())
        {
            const auto code = _gateway->waitExit(std::chrono::seconds(5));
            _gateway->waitForOutputEnd(std::chrono::seconds(5));
            return code.value_or(-1);
        }
        // Ready: the gateway's readiness probe, and the admin listener answers (401 without a token).
        if (httpRequest(_gatewayPort, "GET", "/readyz", "", "").status == 200 &&
            httpRequest(_adminPort, "GET", "/v1/health", "", "").status == 401)
            return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error("patchbay did not become ready within 20 s:\n" + _gateway->errTail());
}

void LiveGateway::start(const std::string& activeKey, const std::vector<std::string>& keyIds)
{
    const auto exited = tryStart(activeKey, keyIds);
    if (exited)
        throw std::runtime_error("patchbay exited with " + std::to_string(*exited) + " during start-up:\n" + gatewayTail());
}

int LiveGateway::stop()
{
    if (!_gateway)
        throw std::logic_error("patchbay was not started");
    _gateway->signal(SIGTERM);
    const auto code = _gateway->waitExit(std::chrono::seconds(20));
    if (!code)
    {
        _gateway->kill();
        throw std::runtime_error("patchbay did not stop within 20 s of SIGTERM:\n" + _gateway->errTail());
    }
    _gateway->waitForOutputEnd(std::chrono::seconds(5));
    return *code;
}

bool LiveGateway::running()
{
    return _gateway && _gateway->running();
}

void LiveGateway::retireGateway()
{
    if (!_gateway)
        return;
    _gateway->kill();
    _gateway->waitForOutputEnd(std::chrono::seconds(5));
    _pastRuns.push_back(_gateway->out() + _gateway->err());
    _gateway.reset();
}

std::string LiveGateway::gatewayLog() const
{
    std::string all;
    for (const auto& run : _pastRuns)
        all += run;
    if (_gateway)
        all += _gateway->out() + _gateway->err();
    return all;
}

std::string LiveGateway::gatewayTail() const
{
    return _gateway ? _gateway->errTail(40) : std::string();
}

std::string LiveGateway::publicUrl() const
{
    return _loopbackPublicUrl ? gatewayUrl() : std::string(kPublicUrl);
}

std::string LiveGateway::gatewayUrl() const
{
    return "http://127.0.0.1:" + std::to_string(_gatewayPort);
}

std::string LiveGateway::adminUrl() const
{
    return "http://127.0.0.1:" + std::to_string(_adminPort);
}

CtlResult LiveGateway::ctl(const std::vector<std::string>& args, const std::string& stdinText)
{
    return ctlWithToken(_operatorToken, args, stdinText);
}

CtlResult LiveGateway::ctlWithToken(const std::string& token, const std::vector<std::string>& args,
                                    const std::string& stdinText)
{
    const CtlResult result = runCtl(args, {{"PATCHBAY_ADMIN_URL", adminUrl()}, {"PATCHBAY_ADMIN_TOKEN", token}}, stdinText);
    // Labelled by group and command only: the arguments may hold the secrets under test.
    std::string label = "patchbayctl";
    for (std::size_t i = 0; i < args.size() && i < 2; ++i)
        if (args[i].rfind("--", 0) != 0)
            label += " " + args[i];
    keep(label + " stdout", result.out);
    keep(label + " stderr", result.err);
    return result;
}

CtlResult LiveGateway::ctlRevealing(const std::vector<std::string>& args)
{
    const CtlResult result = runCtl(args, {{"PATCHBAY_ADMIN_URL", adminUrl()}, {"PATCHBAY_ADMIN_TOKEN", _operatorToken}});
    keep("patchbayctl (revealing) stderr", result.err);
    return result;
}

CallsimResult LiveGateway::callsim(const std::string& accountSid, const std::string& authToken, const std::string& to,
                                   const std::vector<std::string>& args)
{
    std::vector<std::string> all{"--gateway", gatewayUrl(), "--public-url", publicUrl(), "--account", accountSid,
        "--auth-token", authToken, "--to", to, "--json", "--per-call"};
    const auto has = [&](const std::string& option) {
        for (const auto& a : args)
            if (a == option)
                return true;
        return false;
    };
    // Short calls: enough audio for a few hundred echoed frames and a billed second.
    if (!has("--duration-ms"))
        all.insert(all.end(), {"--duration-ms", "600"});
    if (!has("--grace-ms"))
        all.insert(all.end(), {"--grace-ms", "500"});
    all.insert(all.end(), args.begin(), args.end());
    ChildProcess process("callsim", PATCHBAY_CALLSIM_EXE, all, _dir.file("callsim-" + std::to_string(++_callsims)));
    CallsimResult result;
    const auto code = process.waitExit(std::chrono::seconds(60));
    if (!code)
        process.kill();
    result.code = code.value_or(-1);
    process.waitForOutputEnd(std::chrono::seconds(5));
    result.out = process.out();
    result.err = process.err();
    try
    {
        Poco::JSON::Parser parser;
        result.report = parser.parse(result.out).extract<Poco::JSON::Object::Ptr>();
    }
    catch (const Poco::Exception&)
    {
        result.report = nullptr;
    }
    return result;
}

HttpAnswer LiveGateway::adminRequest(const std::string& method, const std::string& path, const std::string& token,
                                     const std::string& body)
{
    const HttpAnswer answer = httpRequest(_adminPort, method, path, token, body);
    keep("admin API answer to " + method + " " + path, answer.body);
    return answer;
}

std::string LiveGateway::metrics()
{
    const HttpAnswer answer = httpRequest(_gatewayPort, "GET", "/metrics", "", "");
    if (answer.status != 200)
        throw std::runtime_error("GET /metrics answered " + std::to_string(answer.status));
    keep("GET /metrics", answer.body);
    return answer.body;
}

Poco::JSON::Object::Ptr LiveGateway::waitForEndedCall(const std::string& callSid)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    std::string last;
    while (std::chrono::steady_clock::now() < deadline)
    {
        const CtlResult shown = ctl({"calls", "show", callSid, "--json"});
        last = shown.describe();
        if (shown.code == 0)
        {
            Poco::JSON::Parser parser;
            auto record = parser.parse(shown.out).extract<Poco::JSON::Object::Ptr>();
            if (record->optValue<std::string>("status", "") == "ended")
                return record;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    throw std::runtime_error("call " + callSid + " was not recorded as ended within 15 s; last answer:\n" + last);
}

void LiveGateway::snapshotDatabase(const std::string& when)
{
    const int n = ++_snapshots;
    for (const char* suffix : {"", "-wal", "-shm"})
    {
        Poco::File original(dbPath() + suffix);
        if (!original.exists())
            continue;
        // A copy as someone walking off with the files would make it: bytes, not SQL.
        const std::string copy = _dir.file("copy-" + std::to_string(n) + "-patchbay.db" + suffix);
        original.copyTo(copy);
        keep("copy of patchbay.db" + std::string(suffix) + " (" + when + ")", TempDir::read(copy));
    }
}

void LiveGateway::assertNoSecretLeaked()
{
    if (running())
    {
        metrics();
        snapshotDatabase("while running");
    }
    else
    {
        snapshotDatabase("after stop");
    }
    std::vector<std::pair<std::string, std::string>> places = _evidence;
    places.emplace_back("patchbay stdout/stderr", gatewayLog());
    for (const auto& [label, secret] : _secrets)
    {
        for (const auto& [where, text] : places)
        {
            const auto at = text.find(secret);
            if (at == std::string::npos)
                continue;
            const std::size_t from = at > 120 ? at - 120 : 0;
            std::string context = text.substr(from, secret.size() + 240);
            for (const auto& [otherLabel, other] : _secrets)
                context = replaceAll(context, other, "<" + otherLabel + ">");
            CPPUNIT_FAIL("secret '" + label + "' appears in " + where + ":\n..." + context + "...");
        }
    }
}

} // namespace patchbay::tests
