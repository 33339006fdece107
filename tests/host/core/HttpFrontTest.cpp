// HttpFrontTest.cpp: the public listener on a real loopback port — routing, limits, fault isolation, WebSocket hand-off.
#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/WebSocket.h>
#include <Poco/StreamCopier.h>

#include <patchbay/sdk/testing/RecordingLogger.h>

#include "engine/MediaEngine.h"
#include "http/HttpFront.h"
#include "http/RouteTable.h"
#include "metrics/MetricsRegistry.h"

using namespace patchbay;

namespace {

class EchoHandler final : public sdk::HttpHandler
{
public:
    void handle(const sdk::HttpRequest& req, sdk::HttpResponse& resp) override
    {
        resp.body = req.method + " " + req.path + "?" + req.query + " " + std::to_string(req.body.size());
        resp.headers.emplace_back("X-Seen-Header", std::string(req.header("x-test")));
    }
};

class ThrowingHandler final : public sdk::HttpHandler
{
public:
    void handle(const sdk::HttpRequest&, sdk::HttpResponse&) override { throw std::runtime_error("plugin bug"); }
};

class EchoSocket final : public sdk::WebSocketHandler
{
public:
    void onText(sdk::WebSocketConnection& c, std::string_view m) override
    {
        inLoop = c.loop().isInLoopThread();
        c.sendText("echo:" + std::string(m));
    }
    bool inLoop = false;
};

class Endpoint final : public sdk::WebSocketEndpoint
{
public:
    std::shared_ptr<sdk::WebSocketHandler> accept(sdk::WebSocketUpgrade& up) override
    {
        if (up.request.path == "/ws/deny")
        {
            up.refuseStatus = 403;
            up.refuseReason = "token expired";
            return nullptr;
        }
        if (up.request.path == "/ws/throw") throw std::runtime_error("endpoint bug");
        up.affinityKey = "CA-affinity";
        return std::make_shared<EchoSocket>();
    }
};

} // namespace

class HttpFrontTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(HttpFrontTest);
    CPPUNIT_TEST(routesExactAndPrefix);
    CPPUNIT_TEST(unknownPathAndWrongMethod);
    CPPUNIT_TEST(oversizedBodyIs413);
    CPPUNIT_TEST(throwingHandlerIs500AndServingContinues);
    CPPUNIT_TEST(duplicateRouteIsRefused);
    CPPUNIT_TEST(webSocketUpgradeMovesToALoop);
    CPPUNIT_TEST(webSocketRefusalsCarryStatus);
    CPPUNIT_TEST(latencyHistogramHasTheRoute);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _metrics = std::make_unique<host::MetricsRegistry>();
        host::MediaEngineOptions mo;
        mo.loops = 2;
        _engine = std::make_unique<host::MediaEngine>(mo, _log, nullptr);
        _engine->start();
        CPPUNIT_ASSERT(_routes.addHttp({"test", "POST", "/hook", false, std::make_shared<EchoHandler>(), nullptr}).isOk());
        CPPUNIT_ASSERT(_routes.addHttp({"test", "GET", "/files/", true, std::make_shared<EchoHandler>(), nullptr}).isOk());
        CPPUNIT_ASSERT(_routes.addHttp({"test", "GET", "/boom", false, std::make_shared<ThrowingHandler>(), nullptr}).isOk());
        CPPUNIT_ASSERT(_routes.addWebSocket({"test", "/ws/", std::make_shared<Endpoint>(), nullptr}).isOk());
        host::HttpFrontOptions fo;
        fo.host = "127.0.0.1";
        fo.port = 0;
        fo.threads = 4;
        fo.maxBodyBytes = 1024;
        _front = std::make_unique<host::HttpFront>(fo, _routes, *_engine, _log, *_metrics);
        _front->start();
    }

    void tearDown() override
    {
        _front->stop();
        _engine->stop();
    }

    int request(const std::string& method, const std::string& uri, const std::string& body, std::string& out,
                bool chunked = false)
    {
        Poco::Net::HTTPClientSession cs("127.0.0.1", _front->port());
        Poco::Net::HTTPRequest req(method, uri, Poco::Net::HTTPMessage::HTTP_1_1);
        req.set("X-Test", "yes");
        if (chunked)
            req.setChunkedTransferEncoding(true);
        else if (!body.empty() || method == "POST")
            req.setContentLength(static_cast<std::streamsize>(body.size()));
        cs.sendRequest(req) << body;
        Poco::Net::HTTPResponse resp;
        std::istream& in = cs.receiveResponse(resp);
        out.clear();
        Poco::StreamCopier::copyToString(in, out);
        _lastHeader = resp.get("X-Seen-Header", "");
        return resp.getStatus();
    }

    void routesExactAndPrefix()
    {
        std::string out;
        CPPUNIT_ASSERT_EQUAL(200, request("POST", "/hook?a=%2B1&b", "x=1", out));
        CPPUNIT_ASSERT_EQUAL(std::string("POST /hook?a=%2B1&b 3"), out); // raw query kept for signatures
        CPPUNIT_ASSERT_EQUAL(std::string("yes"), _lastHeader);
        CPPUNIT_ASSERT_EQUAL(200, request("GET", "/files/a/b", "", out));
        CPPUNIT_ASSERT_EQUAL(std::string("GET /files/a/b? 0"), out);
    }

    void unknownPathAndWrongMethod()
    {
        std::string out;
        CPPUNIT_ASSERT_EQUAL(404, request("GET", "/nothing", "", out));
        CPPUNIT_ASSERT_EQUAL(405, request("GET", "/hook", "", out));
    }

    void oversizedBodyIs413()
    {
        std::string out;
        CPPUNIT_ASSERT_EQUAL(413, request("POST", "/hook", std::string(2048, 'x'), out));
        CPPUNIT_ASSERT_EQUAL(413, request("POST", "/hook", std::string(4096, 'y'), out, true));
        CPPUNIT_ASSERT_EQUAL(200, request("POST", "/hook", std::string(1000, 'z'), out));
    }

    void throwingHandlerIs500AndServingContinues()
    {
        std::string out;
        CPPUNIT_ASSERT_EQUAL(500, request("GET", "/boom", "", out));
        CPPUNIT_ASSERT(_log.contains("threw"));
        CPPUNIT_ASSERT_EQUAL(200, request("POST", "/hook", "", out));
    }

    void duplicateRouteIsRefused()
    {
        auto st = _routes.addHttp({"other", "POST", "/hook", false, std::make_shared<EchoHandler>(), nullptr});
        CPPUNIT_ASSERT(st.code() == sdk::StatusCode::AlreadyExists);
        CPPUNIT_ASSERT(st.message().find("'test'") != std::string::npos);
        CPPUNIT_ASSERT(_routes.addHttp({"x", "GET", "no-slash", false, std::make_shared<EchoHandler>(), nullptr}).code() ==
                       sdk::StatusCode::InvalidArgument);
    }

    void webSocketUpgradeMovesToALoop()
    {
        Poco::Net::HTTPClientSession cs("127.0.0.1", _front->port());
        Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_GET, "/ws/call", Poco::Net::HTTPMessage::HTTP_1_1);
        Poco::Net::HTTPResponse resp;
        Poco::Net::WebSocket ws(cs, req, resp);
        ws.setReceiveTimeout(Poco::Timespan(5, 0));
        const std::string msg = "hello";
        ws.sendFrame(msg.data(), static_cast<int>(msg.size()), Poco::Net::WebSocket::FRAME_TEXT);
        char buf[256];
        int flags = 0;
        int n = ws.receiveFrame(buf, sizeof buf, flags);
        CPPUNIT_ASSERT_EQUAL(std::string("echo:hello"), std::string(buf, static_cast<std::size_t>(n)));
        ws.shutdown();
    }

    void webSocketRefusalsCarryStatus()
    {
        for (auto [path, status] : {std::pair<const char*, int>{"/ws/deny", 403}, {"/ws/throw", 500}, {"/nows", 404}})
        {
            Poco::Net::HTTPClientSession cs("127.0.0.1", _front->port());
            Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
            Poco::Net::HTTPResponse resp;
            try
            {
                Poco::Net::WebSocket ws(cs, req, resp);
                CPPUNIT_FAIL(std::string("upgrade to ") + path + " should have been refused");
            }
            catch (const Poco::Net::WebSocketException&)
            {
                CPPUNIT_ASSERT_EQUAL(status, static_cast<int>(resp.getStatus()));
            }
        }
        std::string out;
        CPPUNIT_ASSERT_EQUAL(200, request("POST", "/hook", "", out)); // still serving
    }

    void latencyHistogramHasTheRoute()
    {
        std::string out;
        request("POST", "/hook", "", out);
        const std::string text = _metrics->renderPrometheus();
        CPPUNIT_ASSERT(text.find("patchbay_http_request_seconds_count{route=\"/hook\"} 1") != std::string::npos);
        CPPUNIT_ASSERT(text.find("patchbay_http_requests_total{code=\"200\",route=\"/hook\"} 1") != std::string::npos ||
                       text.find("patchbay_http_requests_total{route=\"/hook\",code=\"200\"} 1") != std::string::npos);
    }

private:
    sdk::testing::RecordingLogger _log;
    host::RouteTable _routes;
    std::unique_ptr<host::MetricsRegistry> _metrics;
    std::unique_ptr<host::MediaEngine> _engine;
    std::unique_ptr<host::HttpFront> _front;
    std::string _lastHeader;
};

CPPUNIT_TEST_SUITE_REGISTRATION(HttpFrontTest);
