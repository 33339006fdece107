// FakeHostKitTest.cpp: the sdk/testing kit behaves like the host where plugins can tell (routes, sockets, loops, router, store).
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <memory>
#include <string>

#include "patchbay/sdk/testing/Testing.h"

namespace sdk = patchbay::sdk;
using sdk::testing::FakeHostServices;

namespace {

class EchoQueryHandler : public sdk::HttpHandler
{
public:
    void handle(const sdk::HttpRequest& request, sdk::HttpResponse& response) noexcept override { response.body = "q=" + request.query; }
};

class GreetingSocket : public sdk::WebSocketHandler
{
public:
    void onOpen(sdk::WebSocketConnection& c) noexcept override { c.sendText("hello"); }
    void onText(sdk::WebSocketConnection& c, std::string_view m) noexcept override
    {
        received = std::string(m);
        c.close(sdk::CloseCode::Normal, "bye");
    }
    void onClose(sdk::WebSocketConnection&, std::uint16_t code, std::string_view) noexcept override { closedWith = code; }
    void onConnectFailed(std::string_view why) noexcept override { failure = std::string(why); }

    std::string received;
    std::uint16_t closedWith = 0;
    std::string failure;
};

class KeyedEndpoint : public sdk::WebSocketEndpoint
{
public:
    std::shared_ptr<sdk::WebSocketHandler> accept(sdk::WebSocketUpgrade& upgrade) noexcept override
    {
        if (upgrade.request.query != "token=ok")
        {
            upgrade.refuseStatus = 401;
            return nullptr;
        }
        upgrade.affinityKey = "CA1";
        return std::make_shared<GreetingSocket>();
    }
};

} // namespace

class FakeHostKitTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(FakeHostKitTest);
    CPPUNIT_TEST(testHttpRoutes);
    CPPUNIT_TEST(testOutboundWebSocket);
    CPPUNIT_TEST(testInboundWebSocket);
    CPPUNIT_TEST(testLoopTimersAndPosts);
    CPPUNIT_TEST(testBlockingWorkAndFaults);
    CPPUNIT_TEST(testMetricsAndLogger);
    CPPUNIT_TEST(testRouterAndChannel);
    CPPUNIT_TEST(testHttpClientScript);
    CPPUNIT_TEST(testTenantStore);
    CPPUNIT_TEST_SUITE_END();

public:
    void testHttpRoutes()
    {
        FakeHostServices host("kit");
        CPPUNIT_ASSERT(host.addHttpRoute("GET", "/a", std::make_shared<EchoQueryHandler>()).isOk());
        CPPUNIT_ASSERT(host.addHttpRoute("GET", "/a", std::make_shared<EchoQueryHandler>()).code() == sdk::StatusCode::AlreadyExists);
        CPPUNIT_ASSERT(host.addHttpRoute("GET", "no-slash", std::make_shared<EchoQueryHandler>()).code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT(host.addHttpRoute("POST", "/p/", std::make_shared<EchoQueryHandler>(), true).isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("q=z=1"), host.invokeHttp("GET", "/a?z=1").body);
        CPPUNIT_ASSERT_EQUAL(std::string("q="), host.invokeHttp("POST", "/p/deeper").body);
        CPPUNIT_ASSERT_EQUAL(404, host.invokeHttp("GET", "/b").status);
        host.removeHttpRoute("GET", "/a");
        CPPUNIT_ASSERT(!host.hasHttpRoute("GET", "/a"));
    }

    void testOutboundWebSocket()
    {
        FakeHostServices host;
        auto handler = std::make_shared<GreetingSocket>();
        sdk::WebSocketConnectOptions options;
        options.url = "http://wrong";
        CPPUNIT_ASSERT(host.connectWebSocket(options, host.loop(), handler).code() == sdk::StatusCode::InvalidArgument);
        options.url = "wss://agent.example/ws";
        CPPUNIT_ASSERT(host.connectWebSocket(options, host.loopForKey("CA1"), handler).isOk());
        CPPUNIT_ASSERT(host.connectWebSocket(options, host.loop(), std::make_shared<GreetingSocket>()).isOk());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), host.outboundCount());
        CPPUNIT_ASSERT_EQUAL(options.url, host.outbound(0).options.url);

        auto& connection = host.openOutbound(0);
        CPPUNIT_ASSERT_EQUAL(std::string("hello"), connection.sentTexts().at(0));
        host.deliverText(0, "hi there");
        CPPUNIT_ASSERT_EQUAL(std::string("hi there"), handler->received);
        CPPUNIT_ASSERT(connection.closeRequested());
        CPPUNIT_ASSERT_EQUAL(std::string("bye"), connection.closeReason());
        CPPUNIT_ASSERT(!connection.sendText("late"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), connection.sendsWhileClosed());
        host.closeOutbound(0, connection.closeCode());
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(1000), handler->closedWith);

        host.failOutbound(1, "tls handshake failed");
        CPPUNIT_ASSERT(host.outbound(1).state == FakeHostServices::SocketState::Failed);
    }

    void testInboundWebSocket()
    {
        FakeHostServices host;
        CPPUNIT_ASSERT(host.addWebSocketEndpoint("/media", std::make_shared<KeyedEndpoint>()).isOk());
        const auto refused = host.acceptInbound("/media/stream?token=bad");
        CPPUNIT_ASSERT(host.inbound(refused).state == FakeHostServices::SocketState::Refused);
        CPPUNIT_ASSERT_EQUAL(401, host.inbound(refused).refuseStatus);
        CPPUNIT_ASSERT_EQUAL(404, host.inbound(host.acceptInbound("/elsewhere")).refuseStatus);

        const auto i = host.acceptInbound("/media/stream?token=ok");
        auto& socket = host.inbound(i);
        CPPUNIT_ASSERT(socket.state == FakeHostServices::SocketState::Open);
        CPPUNIT_ASSERT_EQUAL(std::string("CA1"), socket.affinityKey);
        CPPUNIT_ASSERT_EQUAL(std::string("hello"), socket.connection->sentTexts().at(0));
        socket.connection->setQueueFull(true);
        CPPUNIT_ASSERT(!socket.connection->sendText("dropped"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), socket.connection->droppedMessages());
        host.closeInbound(i, sdk::CloseCode::GoingAway);
        CPPUNIT_ASSERT(socket.state == FakeHostServices::SocketState::Closed);
    }

    void testLoopTimersAndPosts()
    {
        FakeHostServices host;
        auto& loop = host.loop();
        std::string trace;
        loop.runAfter(10, [&] { trace += "t10 "; });
        const auto cancelled = loop.runAfter(7, [&] { trace += "t7 "; });
        loop.runAfter(5, [&] {
            trace += "t5 ";
            loop.post([&] { trace += "p "; });
        });
        loop.cancelTimer(cancelled);
        loop.post([&] { trace += "first "; });
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), loop.runPending());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), loop.advance(6));
        CPPUNIT_ASSERT_EQUAL(std::string("first t5 p "), trace);
        host.advanceTime(4);
        CPPUNIT_ASSERT_EQUAL(std::string("first t5 p t10 "), trace);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(10), loop.nowMs());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1700000000004), host.nowUnixMs());
        CPPUNIT_ASSERT(loop.isInLoopThread());
    }

    void testBlockingWorkAndFaults()
    {
        FakeHostServices host;
        int value = 0;
        host.runBlocking([&] { host.loop().post([&] { value = 42; }); });
        host.runBlocking([] { throw std::runtime_error("db down"); });
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), host.pendingBlockingTasks());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), host.runUntilIdle());
        CPPUNIT_ASSERT_EQUAL(42, value);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), host.pluginFaults());
    }

    void testMetricsAndLogger()
    {
        FakeHostServices host;
        host.metrics().counter("frames_total", "frames", {{"dir", "in"}, {"plugin", "kit"}}).inc();
        host.metrics().counter("patchbay_frames_total", "frames", {{"plugin", "kit"}, {"dir", "in"}}).inc(2);
        host.metrics().gauge("calls", "calls").set(3);
        host.metrics().histogram("latency_ms", "ms", {1, 10}).observe(4);
        auto& m = host.fakeMetrics();
        CPPUNIT_ASSERT_EQUAL(3.0, m.counterValue("frames_total", {{"plugin", "kit"}, {"dir", "in"}}));
        CPPUNIT_ASSERT_EQUAL(3.0, m.gaugeValue("calls"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), m.observations("latency_ms").size());
        CPPUNIT_ASSERT(!m.has("frames_total"));

        host.logger().warn("agent slow", "CA9");
        host.logger().debug("detail");
        auto& log = host.recordingLogger();
        CPPUNIT_ASSERT(log.contains("slow"));
        CPPUNIT_ASSERT(log.contains(sdk::LogLevel::Warn, "agent"));
        CPPUNIT_ASSERT_EQUAL(std::string("CA9"), log.lines().at(0).callSid);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), log.size());
    }

    void testRouterAndChannel()
    {
        FakeHostServices host;
        auto& router = host.fakeRouter();
        sdk::Admission busy;
        busy.outcome = sdk::AdmissionOutcome::OverLimit;
        router.setAdmission("CA2", busy);
        sdk::CallInfo call;
        call.callSid = "CA1";
        CPPUNIT_ASSERT(host.router().admit(call).outcome == sdk::AdmissionOutcome::Accepted);
        call.callSid = "CA2";
        CPPUNIT_ASSERT(host.router().admit(call).outcome == sdk::AdmissionOutcome::OverLimit);

        sdk::testing::RecordingInboundLeg leg;
        CPPUNIT_ASSERT(host.router().attachInbound("CA2", leg, {}, host.loop()).status().code() == sdk::StatusCode::NotFound);
        auto attached = host.router().attachInbound("CA1", leg, {}, host.loop());
        CPPUNIT_ASSERT(attached.isOk());
        CPPUNIT_ASSERT(host.router().attachInbound("CA1", leg, {}, host.loop()).status().code() == sdk::StatusCode::AlreadyExists);

        sdk::AudioFrame frame;
        frame.payload = "abc";
        attached.value()->onAudio(frame);
        attached.value()->onMark("m1");
        attached.value()->onLegEnded(sdk::EndReason::Completed, "caller hung up");
        attached.value()->onDtmf('5');
        auto* channel = router.channel("CA1");
        CPPUNIT_ASSERT(channel);
        CPPUNIT_ASSERT_EQUAL(std::string("abc"), channel->audioPayloads());
        CPPUNIT_ASSERT_EQUAL(std::string("caller hung up"), channel->endDetail());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), channel->callsAfterEnd());
        CPPUNIT_ASSERT_EQUAL(std::string("audio mark:m1 ended:completed dtmf:5 "), joined(channel->events()));
        CPPUNIT_ASSERT(router.attachments().at(0).leg == &leg);
    }

    void testHttpClientScript()
    {
        FakeHostServices host;
        auto& client = host.fakeHttpClient();
        client.respond("https://api.example/", 500, "first");
        client.respond("https://api.example/", 200, "then");
        client.respond("https://api.example/v2/", 201, "longer prefix");
        client.fail("https://down.example/", sdk::Status::unavailable("timeout"));
        sdk::HttpClientRequest request;
        request.url = "https://api.example/x";
        CPPUNIT_ASSERT_EQUAL(500, host.httpClient().send(request)->status);
        CPPUNIT_ASSERT_EQUAL(200, host.httpClient().send(request)->status);
        CPPUNIT_ASSERT_EQUAL(200, host.httpClient().send(request)->status);
        request.url = "https://api.example/v2/y";
        CPPUNIT_ASSERT_EQUAL(201, host.httpClient().send(request)->status);
        request.url = "https://down.example/";
        CPPUNIT_ASSERT(host.httpClient().send(request).status().code() == sdk::StatusCode::Unavailable);
        request.url = "ftp://nope";
        CPPUNIT_ASSERT(host.httpClient().send(request).status().code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), client.requestCount());
    }

    void testTenantStore()
    {
        FakeHostServices host;
        auto& store = host.fakeTenantStore();
        sdk::Tenant tenant;
        tenant.id = "t1";
        store.addTenant(tenant);
        store.addNumber("+15550001", "t1", "AC1");
        CPPUNIT_ASSERT(host.tenantStore() == &store);
        CPPUNIT_ASSERT_EQUAL(std::string("t1"), host.tenantStore()->findTenantByNumber("+15550001")->id);
        CPPUNIT_ASSERT(host.tenantStore()->findTenantByNumber("+1999").status().code() == sdk::StatusCode::NotFound);
        sdk::CallRecord a, b;
        a.call.callSid = "CA1";
        a.receivedAtMs = 1;
        b.call.callSid = "CA2";
        b.receivedAtMs = 2;
        CPPUNIT_ASSERT(store.saveCall(a).isOk() && store.saveCall(b).isOk());
        auto calls = store.listCalls({});
        CPPUNIT_ASSERT_EQUAL(std::string("CA2"), calls->at(0).call.callSid);
        store.setUnavailable(true);
        CPPUNIT_ASSERT(store.ping().code() == sdk::StatusCode::Unavailable);
        host.setTenantStore(nullptr);
        CPPUNIT_ASSERT(host.tenantStore() == nullptr);
    }

private:
    static std::string joined(const std::vector<std::string>& items)
    {
        std::string out;
        for (const auto& item : items) out += item + " ";
        return out;
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FakeHostKitTest);
