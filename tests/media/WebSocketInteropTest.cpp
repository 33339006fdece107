// WebSocketInteropTest.cpp: interop with the npm `ws` package in both directions (ws and wss), driven through node scripts.
#include "LoopTestHelpers.h"
#include "NodeProcess.h"
#include "RecordingListener.h"
#include "TestCertificate.h"
#include "TestWebSocketServer.h"

#include <patchbay/media/EventLoop.h>
#include <patchbay/media/WebSocketClient.h>
#include <patchbay/media/WebSocketConnector.h>

#include <Poco/Net/NetSSL.h>

#include <cppunit/extensions/HelperMacros.h>

using namespace patchbay::media;
using namespace patchbay::media::test;
using namespace std::chrono_literals;

class WebSocketInteropTest: public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(WebSocketInteropTest);
    CPPUNIT_TEST(testWsClientAgainstOurServer);
    CPPUNIT_TEST(testWsClientAgainstOurServerTls);
    CPPUNIT_TEST(testOurClientAgainstWsServer);
    CPPUNIT_TEST(testOurClientAgainstWsServerTls);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        Poco::Net::initializeSSL();
        _loop = std::make_unique<EventLoop>("interop");
        _loop->start();
    }

    void tearDown() override
    {
        _loop->stop();
        _loop.reset();
        Poco::Net::uninitializeSSL();
    }

    void testWsClientAgainstOurServer() { wsClient(false); }
    void testWsClientAgainstOurServerTls() { wsClient(true); }
    void testOurClientAgainstWsServer() { ourClient(false); }
    void testOurClientAgainstWsServerTls() { ourClient(true); }

private:
    static void requireNode()
    {
        std::string missing = NodeProcess::missingDependencies();
        if (!missing.empty())
            CPPUNIT_FAIL(missing); // never skip silently: interop is part of the contract
    }

    void wsClient(bool tls)
    {
        requireNode();
        auto echo = std::make_shared<EchoListener>();
        TestWebSocketServer server(*_loop, echo, WebSocketOptions(), tls ? TestCertificate::instance().serverContext() : nullptr);
        NodeProcess node("ws-client.js", {server.url()});
        int rc = node.waitExit(30s);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(node.transcript(), 0, rc);
        for (const char* step : {"text-echo", "fragmented-text", "fragmented-binary-with-ping", "one-mebibyte", "ping-pong",
                 "server-close-4000", "client-close-4001", "invalid-utf8-closes-1007", "stalled-peer-does-not-block"})
            CPPUNIT_ASSERT_MESSAGE(std::string(step) + "\n" + node.transcript(),
                !node.waitForLine(std::string("OK ") + step, 1s).empty());
        CPPUNIT_ASSERT(!node.waitForLine("DONE", 1s).empty());
        // What our side saw of the same conversation.
        CPPUNIT_ASSERT(!echo->waitFor("text:Hello \xE2\x82\xAC").empty());
        CPPUNIT_ASSERT(!echo->waitFor("close:4000:server-bye").empty());
        CPPUNIT_ASSERT(!echo->waitFor("close:4001:client-bye").empty());
        CPPUNIT_ASSERT(!echo->waitFor("close:1007:").empty());
    }

    void ourClient(bool tls)
    {
        requireNode();
        const auto& cert = TestCertificate::instance();
        std::vector<std::string> args;
        if (tls)
            args = {"--tls", cert.certFile(), cert.keyFile()};
        NodeProcess node("ws-server.js", args);
        std::string listening = node.waitForLine("LISTENING ");
        CPPUNIT_ASSERT_MESSAGE(node.transcript(), !listening.empty());
        std::string url = std::string(tls ? "wss" : "ws") + "://127.0.0.1:" + listening.substr(10) + "/media?call=CA1";

        WebSocketConnector connector(2);
        WebSocketOptions opts;
        opts.maxMessageSize = 2 << 20;
        opts.pingInterval = 100ms;
        auto client = std::make_shared<RecordingListener>();
        auto conn = WebSocketClient::connect(url, {{"X-Test", "interop"}}, *_loop, client, opts,
            tls ? cert.clientContext() : nullptr, connector);
        CPPUNIT_ASSERT_MESSAGE(client->dump(), !client->waitFor("open").empty());
        CPPUNIT_ASSERT_MESSAGE(node.transcript(), !node.waitForLine("CONNECTED /media?call=CA1 x-test=interop").empty());

        auto send = [&](const std::string& text) { onLoop(*_loop, [&] { return conn->sendText(text); }); };
        send("hello");
        CPPUNIT_ASSERT(!client->waitFor("text:hello").empty());
        send("fragments");
        CPPUNIT_ASSERT_MESSAGE(client->dump(), !client->waitFor("text:frag-men-ted").empty());
        send("fragments-binary");
        CPPUNIT_ASSERT_MESSAGE(client->dump(), !client->waitFor(std::string("binary:\x01\x02\x03\x04\x05")).empty());
        CPPUNIT_ASSERT_MESSAGE(client->dump(), !client->waitFor("text:pong-received:between").empty());

        std::string big(1 << 20, '\0');
        for (std::size_t i = 0; i < big.size(); ++i)
            big[i] = static_cast<char>((i * 2654435761u) >> 13);
        onLoop(*_loop, [&] { return conn->sendBinary(big); });
        CPPUNIT_ASSERT_MESSAGE(client->dump(), !client->waitFor("binary#" + RecordingListener::digest(big), 10s).empty());

        send("ping:abc");
        CPPUNIT_ASSERT(!client->waitFor("text:pong-received:abc").empty());
        CPPUNIT_ASSERT_MESSAGE(node.transcript(), !node.waitForLine("PING").empty()); // our keepalive
        // node logs the ping before its pong is back on our side: poll for it
        CPPUNIT_ASSERT(waitUntil([&] { return onLoop(*_loop, [&] { return conn->stats().pongsIn; }) > 0; }));

        send("close:4000:server-bye");
        CPPUNIT_ASSERT_EQUAL(std::string("close:4000:server-bye"), client->waitFor("close:"));
        CPPUNIT_ASSERT(!node.waitForLine("CLOSED 4000 server-bye").empty());

        auto client2 = std::make_shared<RecordingListener>();
        auto conn2 = WebSocketClient::connect(url, {}, *_loop, client2, opts, tls ? cert.clientContext() : nullptr, connector);
        CPPUNIT_ASSERT(!client2->waitFor("open").empty());
        onLoop(*_loop, [&] { conn2->close(4002, "client-bye"); });
        CPPUNIT_ASSERT_EQUAL(std::string("close:4002:client-bye"), client2->waitFor("close:"));
        CPPUNIT_ASSERT_MESSAGE(node.transcript(), !node.waitForLine("CLOSED 4002 client-bye").empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), node.waitForLine("ERROR", 10ms).size());
    }

    std::unique_ptr<EventLoop> _loop;
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebSocketInteropTest);
