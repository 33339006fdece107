// ProcessServingTest.cpp: PatchbayProcessTest cases for a serving process — health, metrics, abuse, port clash, JSON logs.
#include "PatchbayProcessTest.h"

#include <cstring>
#include <map>
#include <random>
#include <regex>
#include <set>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

using namespace patchbay::tests;

namespace {

bool contains(const std::string& text, const std::string& needle)
{
    return text.find(needle) != std::string::npos;
}

std::string tenantRouting()
{
    return ",\n  \"routing\": {\"tenantStore\": \"tenant-sqlite\"}";
}

/// Checks the Prometheus text exposition format (0.0.4) line by line; returns the problems found.
/// Also collects which families have HELP and TYPE lines.
std::vector<std::string> checkExposition(const std::string& text, std::set<std::string>& help, std::map<std::string, std::string>& types)
{
    static const std::string name = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    static const std::string label = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\"";
    static const std::string value = "(?:[-+]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?Inf|NaN)";
    static const std::regex helpLine("^# HELP (" + name + ") .*$");
    static const std::regex typeLine("^# TYPE (" + name + ") (counter|gauge|histogram|summary|untyped)$");
    static const std::regex sampleLine("^(" + name + ")(?:\\{(?:" + label + "(?:," + label + ")*,?)?\\})? " + value +
                                       "(?: -?[0-9]+)?$");
    std::vector<std::string> problems;
    if (text.empty() || text.back() != '\n') problems.push_back("exposition does not end with a newline");
    for (const auto& line : splitLines(text))
    {
        std::smatch m;
        if (line.empty()) continue;
        if (std::regex_match(line, m, helpLine))
        {
            if (!help.insert(m[1]).second) problems.push_back("second HELP for " + m[1].str());
        }
        else if (std::regex_match(line, m, typeLine))
        {
            if (!types.emplace(m[1], m[2]).second) problems.push_back("second TYPE for " + m[1].str());
        }
        else if (line[0] == '#')
        {
            continue; // other comments are allowed
        }
        else if (std::regex_match(line, m, sampleLine))
        {
            // A sample belongs to a family declared before it (histogram/summary series by suffix).
            std::string family = m[1];
            if (!types.count(family))
                for (const char* suffix : {"_bucket", "_sum", "_count"})
                {
                    const std::string s = suffix;
                    if (family.size() > s.size() && family.compare(family.size() - s.size(), s.size(), s) == 0 &&
                        types.count(family.substr(0, family.size() - s.size())))
                    {
                        family = family.substr(0, family.size() - s.size());
                        break;
                    }
                }
            if (!types.count(family)) problems.push_back("sample before (or without) its TYPE line: " + line);
        }
        else
        {
            problems.push_back("not a valid exposition line: " + line);
        }
    }
    return problems;
}

std::string join(const std::vector<std::string>& lines)
{
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

/// Sends headers and then up to `bodyBytes` of body; stops sending as soon as the server pushes back
/// (reset, close or a full window for 5 s) and returns whatever the server answered.
std::string sendLargeBody(std::uint16_t port, const std::string& head, std::size_t bodyBytes, bool chunked)
{
    std::string received;
    try
    {
        Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
        socket.setSendTimeout(Poco::Timespan(5, 0));
        socket.setReceiveTimeout(Poco::Timespan(5, 0));
        try
        {
            socket.sendBytes(head.data(), static_cast<int>(head.size()));
            const std::string block(64 * 1024, 'x');
            char sizeLine[32];
            std::snprintf(sizeLine, sizeof sizeLine, "%zx\r\n", block.size());
            for (std::size_t sent = 0; sent < bodyBytes; sent += block.size())
            {
                if (chunked) socket.sendBytes(sizeLine, static_cast<int>(std::strlen(sizeLine)));
                socket.sendBytes(block.data(), static_cast<int>(block.size()));
                if (chunked) socket.sendBytes("\r\n", 2);
            }
            if (chunked) socket.sendBytes("0\r\n\r\n", 5);
        }
        catch (const Poco::Exception&)
        {
            // The server stopped reading or hung up: expected once the limit is passed.
        }
        char buf[4096];
        for (;;)
        {
            const int n = socket.receiveBytes(buf, sizeof buf);
            if (n <= 0) break;
            received.append(buf, static_cast<std::size_t>(n));
            if (contains(received, "\r\n\r\n")) break; // the status line is all we judge
        }
    }
    catch (const Poco::Exception&)
    {
        // A reset after the 413 can discard it on our side; a closed connection is an allowed answer.
    }
    return received;
}

} // namespace

void PatchbayProcessTest::servesHealthReadinessAndMetrics()
{
    const std::uint16_t port = freePort();
    startServing(writeConfig(serveConfig(port, tenantSqliteEntry(), tenantRouting())), port);

    const HttpReply health = httpRequest(port, "GET", "/healthz");
    CPPUNIT_ASSERT_EQUAL(200, health.status);
    CPPUNIT_ASSERT_EQUAL(std::string("ok\n"), health.body);

    // Ready means the tenant store was bound and answers its ping.
    const HttpReply ready = httpRequest(port, "GET", "/readyz");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(ready.body, 200, ready.status);

    const HttpReply metrics = httpRequest(port, "GET", "/metrics");
    CPPUNIT_ASSERT_EQUAL(200, metrics.status);
    CPPUNIT_ASSERT_MESSAGE(metrics.contentType, metrics.contentType.rfind("text/plain", 0) == 0);
    std::set<std::string> help;
    std::map<std::string, std::string> types;
    const auto problems = checkExposition(metrics.body, help, types);
    CPPUNIT_ASSERT_MESSAGE(join(problems) + "--- exposition:\n" + metrics.body, problems.empty());
    for (const char* family : {"patchbay_calls_active", "patchbay_http_request_seconds"})
    {
        CPPUNIT_ASSERT_MESSAGE(std::string("no HELP for ") + family + ":\n" + metrics.body, help.count(family));
        CPPUNIT_ASSERT_MESSAGE(std::string("no TYPE for ") + family + ":\n" + metrics.body, types.count(family));
    }
    CPPUNIT_ASSERT_EQUAL(std::string("gauge"), types["patchbay_calls_active"]);
    CPPUNIT_ASSERT_EQUAL(std::string("histogram"), types["patchbay_http_request_seconds"]);
    // The /healthz and /readyz requests above were observed under their route label.
    CPPUNIT_ASSERT_MESSAGE(metrics.body, contains(metrics.body, "patchbay_http_request_seconds_bucket{route=\"/healthz\",le=\"+Inf\"}") ||
                                             contains(metrics.body, "patchbay_http_request_seconds_bucket{le=\"+Inf\",route=\"/healthz\"}"));

    const std::string err = stopCleanly();
    CPPUNIT_ASSERT_MESSAGE(err, contains(err, "received SIGTERM"));
    CPPUNIT_ASSERT_MESSAGE(err, contains(err, "patchbay stopped"));
}

void PatchbayProcessTest::unknownPathAndWrongMethod()
{
    const std::uint16_t port = freePort();
    startServing(writeConfig(serveConfig(port, tenantSqliteEntry(), tenantRouting())), port);

    CPPUNIT_ASSERT_EQUAL(404, httpRequest(port, "GET", "/no/such/route").status);
    CPPUNIT_ASSERT_EQUAL(404, httpRequest(port, "GET", "/healthz/extra").status);
    CPPUNIT_ASSERT_EQUAL(405, httpRequest(port, "POST", "/healthz").status);
    CPPUNIT_ASSERT_EQUAL(405, httpRequest(port, "DELETE", "/metrics").status);
    // A query string does not change which route answers.
    CPPUNIT_ASSERT_EQUAL(200, httpRequest(port, "GET", "/healthz?probe=1").status);
    stopCleanly();
}

void PatchbayProcessTest::sigintAlsoStopsCleanly()
{
    // Ctrl-C in a terminal, and what some supervisors send: same drain, same exit code.
    const std::uint16_t port = freePort();
    startServing(writeConfig(serveConfig(port, "")), port);
    const std::string err = stopCleanly(SIGINT);
    CPPUNIT_ASSERT_MESSAGE(err, contains(err, "received SIGINT"));
}

void PatchbayProcessTest::survivesHostileClients()
{
    const std::uint16_t port = freePort();
    // threads 256: every stalled connection below holds a worker until the server's read timeout.
    // With the default 16 workers, 200 stalled clients starve /healthz (reported as a host issue);
    // this test is about the process surviving abuse, given enough workers for it.
    startServing(writeConfig(serveConfig(port, tenantSqliteEntry(), tenantRouting(),
                                         ", \"threads\": 256, \"maxQueued\": 1024, \"maxBodyBytes\": 1048576")),
                 port);
    const auto shortWait = std::chrono::seconds(3);
    auto assertAlive = [&](const std::string& after) {
        CPPUNIT_ASSERT_MESSAGE("process died after " + after + ":\n" + _child->err(), _child->running());
    };

    // Binary garbage, with and without a blank line that ends a "header block".
    std::mt19937 rng(20261120);
    std::string garbage(4096, '\0');
    for (auto& c : garbage) c = static_cast<char>(rng() & 0xff);
    const int garbageStatus = statusOf(rawExchange(port, garbage + "\r\n\r\n", shortWait));
    CPPUNIT_ASSERT_MESSAGE(std::to_string(garbageStatus), garbageStatus == 0 || garbageStatus == 400);
    rawExchange(port, garbage, shortWait, true);
    assertAlive("binary garbage");

    // A request line and nothing else, then our side closes; and one that closes without reading.
    rawExchange(port, "GET /healthz HTTP/1.1\r\n", shortWait, true);
    rawExchange(port, "GET /healthz HTTP/1.1\r\n", std::chrono::milliseconds(1), true);
    assertAlive("a request line without headers");

    // Oversized header line and too many header fields.
    const int longHeader = statusOf(rawExchange(port, "GET /healthz HTTP/1.1\r\nX-Long: " + std::string(256 * 1024, 'a') + "\r\n\r\n", shortWait));
    CPPUNIT_ASSERT_MESSAGE(std::to_string(longHeader), longHeader == 0 || longHeader == 400 || longHeader == 431);
    std::string many = "GET /healthz HTTP/1.1\r\n";
    for (int i = 0; i < 5000; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
    const int manyHeaders = statusOf(rawExchange(port, many + "\r\n", shortWait));
    CPPUNIT_ASSERT_MESSAGE(std::to_string(manyHeaders), manyHeaders == 0 || manyHeaders == 400 || manyHeaders == 431);
    assertAlive("oversized headers");

    // 10 MB against a 1 MiB limit: declared up front, and streamed chunked (no length to check first).
    const std::size_t tenMb = 10 * 1024 * 1024;
    const int declared = statusOf(sendLargeBody(
        port, "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(tenMb) + "\r\n\r\n", tenMb, false));
    // POST /healthz is answered 405 before the body is looked at; that is fine too.
    CPPUNIT_ASSERT_MESSAGE(std::to_string(declared), declared == 0 || declared == 405 || declared == 413);
    const int declaredGet = statusOf(sendLargeBody(
        port, "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(tenMb) + "\r\n\r\n", tenMb, false));
    CPPUNIT_ASSERT_MESSAGE(std::to_string(declaredGet), declaredGet == 0 || declaredGet == 413);
    const int streamed = statusOf(sendLargeBody(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", tenMb, true));
    CPPUNIT_ASSERT_MESSAGE(std::to_string(streamed), streamed == 0 || streamed == 413);
    assertAlive("10 MB bodies");

    // WebSocket upgrades where there is no endpoint, well-formed and without Sec-WebSocket-Key.
    const std::string upgrade = "GET /media/no-endpoint HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                                "Sec-WebSocket-Version: 13\r\n";
    CPPUNIT_ASSERT_EQUAL(404, statusOf(rawExchange(port, upgrade + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n", shortWait)));
    const int malformed = statusOf(rawExchange(port, upgrade + "\r\n", shortWait));
    CPPUNIT_ASSERT_MESSAGE(std::to_string(malformed), malformed == 400 || malformed == 404);
    const int onHttpRoute = statusOf(rawExchange(
        port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n", shortWait));
    CPPUNIT_ASSERT_MESSAGE(std::to_string(onHttpRoute), onHttpRoute == 400 || onHttpRoute == 404);
    assertAlive("bad upgrades");

    // 200 clients that send half a request and stall, while health checks keep being answered.
    {
        std::vector<Poco::Net::StreamSocket> stalled;
        stalled.reserve(200);
        for (int i = 0; i < 200; ++i)
        {
            stalled.emplace_back(Poco::Net::SocketAddress("127.0.0.1", port));
            const std::string half = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Half: ";
            stalled.back().sendBytes(half.data(), static_cast<int>(half.size()));
        }
        for (int i = 0; i < 5; ++i)
        {
            HttpReply reply;
            try
            {
                reply = httpRequest(port, "GET", "/healthz", std::chrono::seconds(10));
            }
            catch (const Poco::Exception& e)
            {
                CPPUNIT_FAIL("/healthz failed with 200 stalled clients: " + e.displayText());
            }
            CPPUNIT_ASSERT_EQUAL(200, reply.status);
        }
        assertAlive("200 stalled clients");
        for (auto& s : stalled) s.close();
    }

    const HttpReply after = httpRequest(port, "GET", "/healthz");
    CPPUNIT_ASSERT_EQUAL(200, after.status);
    CPPUNIT_ASSERT_EQUAL(200, httpRequest(port, "GET", "/metrics").status);
    stopCleanly();
}

void PatchbayProcessTest::portInUseIsRuntimeFailure()
{
    // Twice: a holder without SO_REUSEPORT, and one with it — as a second patchbay would have if the host
    // set it. The host binds without SO_REUSEPORT, so both must make it fail instead of sharing the port.
    for (const bool holderReusesPort : {false, true})
    {
        Poco::Net::ServerSocket holder;
        holder.bind(Poco::Net::SocketAddress("127.0.0.1", 0), false, holderReusesPort);
        holder.listen(8);
        const std::uint16_t port = holder.address().port();

        const std::string path = writeConfig(serveConfig(port, tenantSqliteEntry(), tenantRouting()));
        ExitStatus status = run({"--config", path});
        PB_ASSERT_EXIT(1, status, _child->err());
        const auto lines = linesStartingWith(_child->err(), "patchbay: cannot listen on 127.0.0.1:" + std::to_string(port));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(_child->err(), std::size_t(1), lines.size());
        // The plugins that did start were taken down in order, not abandoned.
        CPPUNIT_ASSERT_MESSAGE(_child->err(), contains(_child->err(), "patchbay stopped"));
    }
}

void PatchbayProcessTest::jsonLogLinesAllParse()
{
    const std::uint16_t port = freePort();
    // Optional failing plugins add warn lines with an em dash and an exception text; debug adds more.
    const std::string plugins = tenantSqliteEntry() + ", " + pluginEntry("fx-init-throws", PATCHBAY_PLUGIN_FX_INIT_THROWS, false) +
                                ", " + pluginEntry("fx-init-declines", PATCHBAY_PLUGIN_FX_INIT_DECLINES, false);
    startServing(writeConfig(serveConfig(port, plugins, tenantRouting(), "", "{\"format\": \"json\", \"level\": \"debug\"}")),
                 port);
    httpRequest(port, "GET", "/readyz");
    rawExchange(port, "\x01\x02 \"quoted\\\" \r\n\r\n", std::chrono::seconds(2));
    const std::string err = stopCleanly();

    const auto lines = splitLines(err);
    CPPUNIT_ASSERT_MESSAGE(err, lines.size() >= 4);
    std::set<std::string> loggers;
    for (const auto& line : lines)
    {
        Poco::JSON::Object::Ptr obj;
        try
        {
            Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(line);
            obj = parsed.extract<Poco::JSON::Object::Ptr>();
        }
        catch (const std::exception& e)
        {
            CPPUNIT_FAIL("stderr line is not a JSON object (" + std::string(e.what()) + "): " + line);
        }
        for (const char* key : {"ts", "level", "logger", "msg"})
        {
            CPPUNIT_ASSERT_MESSAGE(std::string("no \"") + key + "\" in: " + line, obj->has(key));
            CPPUNIT_ASSERT_MESSAGE(std::string("\"") + key + "\" is not a string in: " + line, obj->get(key).isString());
        }
        static const std::set<std::string> levels{"trace", "debug", "info", "warn", "error", "critical"};
        CPPUNIT_ASSERT_MESSAGE(line, levels.count(obj->getValue<std::string>("level")));
        loggers.insert(obj->getValue<std::string>("logger"));
    }
    CPPUNIT_ASSERT_MESSAGE(err, loggers.count("host") && loggers.count("plugin.tenant-sqlite"));
    CPPUNIT_ASSERT_MESSAGE(err, contains(err, "running without it"));
    CPPUNIT_ASSERT_MESSAGE(err, contains(err, "patchbay stopped"));
    CPPUNIT_ASSERT_EQUAL(std::string(), _child->out());
}
