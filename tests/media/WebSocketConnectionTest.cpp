// WebSocketConnectionTest.cpp: our client and server over real loopback sockets (ws and wss): echo, adversarial peers, back-pressure, close, timeouts.
#include "AllocationCounter.h"
#include "LoopTestHelpers.h"
#include "RawPeer.h"
#include "RecordingListener.h"
#include "TestCertificate.h"
#include "TestWebSocketServer.h"

#include <patchbay/media/EventLoop.h>
#include <patchbay/media/WebSocketClient.h>
#include <patchbay/media/WebSocketConnector.h>

#include <Poco/DirectoryIterator.h>
#include <Poco/Net/NetSSL.h>

#include <cppunit/extensions/HelperMacros.h>

using namespace patchbay::media;
using namespace patchbay::media::test;
using patchbay::testsupport::threadAllocations;
using namespace std::chrono_literals;

class WebSocketConnectionTest: public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(WebSocketConnectionTest);
    CPPUNIT_TEST(testEchoPlain);
    CPPUNIT_TEST(testEchoTls);
    CPPUNIT_TEST(testCoalescedHandshakePlain);
    CPPUNIT_TEST(testCoalescedHandshakeTls);
    CPPUNIT_TEST(testStalledPeerPlain);
    CPPUNIT_TEST(testStalledPeerTls);
    CPPUNIT_TEST(testBackPressure);
    CPPUNIT_TEST(testCloseHandshakeClientInitiated);
    CPPUNIT_TEST(testCloseHandshakeServerInitiated);
    CPPUNIT_TEST(testProtocolErrorCloses1002);
    CPPUNIT_TEST(testIdleTimeoutAndCloseTimeout);
    CPPUNIT_TEST(testKeepalivePing);
    CPPUNIT_TEST(testLoopStopClosesConnections);
    CPPUNIT_TEST(testConnectFailures);
    CPPUNIT_TEST(testUpgradeRejected);
    CPPUNIT_TEST(testHotPathDoesNotAllocate);
    CPPUNIT_TEST(testHotPathDoesNotAllocateTls);
    CPPUNIT_TEST(testIdleFootprint);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        Poco::Net::initializeSSL();
        _serverLoop = std::make_unique<EventLoop>("srv");
        _clientLoop = std::make_unique<EventLoop>("cli");
        _serverLoop->start();
        _clientLoop->start();
        _echo = std::make_shared<EchoListener>();
    }

    void tearDown() override
    {
        _server.reset();
        _clientLoop->stop();
        _serverLoop->stop();
        _clientLoop.reset();
        _serverLoop.reset();
        Poco::Net::uninitializeSSL();
    }

    void testEchoPlain() { echo(false); }
    void testEchoTls() { echo(true); }

    void testCoalescedHandshakePlain() { coalescedHandshake(false); }
    void testCoalescedHandshakeTls() { coalescedHandshake(true); }

    void testStalledPeerPlain() { stalledPeer(false); }
    void testStalledPeerTls() { stalledPeer(true); }

    void testBackPressure()
    {
        WebSocketOptions opts;
        opts.writeQueueLimit = 256 * 1024;
        startServer(false, opts);
        RawPeer lazy(_server->port());
        lazy.send(RawPeer::handshake());
        CPPUNIT_ASSERT(lazy.readResponseHead().find(" 101 ") != std::string::npos);
        // The peer asks for a flood and then never reads: kernel buffers fill, then our queue, then sends are refused.
        lazy.send(RawPeer::maskedText("flood"));
        std::string flooded = _echo->waitFor("flooded:", 10s);
        CPPUNIT_ASSERT_MESSAGE(_echo->dump(), !flooded.empty());
        auto queuedPos = flooded.find(":queued=");
        std::size_t queued = std::stoul(flooded.substr(queuedPos + 8));
        CPPUNIT_ASSERT_MESSAGE(flooded, queued <= opts.writeQueueLimit);
        CPPUNIT_ASSERT_MESSAGE(flooded, flooded.find(":drops=0") == std::string::npos);

        // Another connection on the same server loop is unaffected.
        auto client = connectClient(false);
        for (int i = 0; i < 5; ++i)
        {
            std::string msg = "still-here-" + std::to_string(i);
            onLoop(*_clientLoop, [&] { return client.second->sendText(msg); });
            CPPUNIT_ASSERT(!client.first->waitFor("text:" + msg, 2s).empty());
        }
        // Once the lazy peer reads, the queue drains and the server is told it may write again.
        lazy.drain(1500ms);
        CPPUNIT_ASSERT_MESSAGE(_echo->dump(), !_echo->waitFor("writable", 5s).empty());
    }

    void testCloseHandshakeClientInitiated()
    {
        startServer(false, WebSocketOptions());
        auto client = connectClient(false);
        onLoop(*_clientLoop, [&] { client.second->close(4000, "bye"); });
        CPPUNIT_ASSERT_EQUAL(std::string("close:4000:bye"), client.first->waitFor("close:"));
        CPPUNIT_ASSERT_EQUAL(std::string("close:4000:bye"), _echo->waitFor("close:"));
        CPPUNIT_ASSERT(!onLoop(*_clientLoop, [&] { return client.second->isOpen(); }));
        CPPUNIT_ASSERT(!onLoop(*_clientLoop, [&] { return client.second->sendText("late"); }));
        CPPUNIT_ASSERT(waitUntil([&] { return _serverLoop->handlerCount() == 0 && _clientLoop->handlerCount() == 0; }));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), client.first->count("close:"));
    }

    void testCloseHandshakeServerInitiated()
    {
        startServer(false, WebSocketOptions());
        auto client = connectClient(false);
        onLoop(*_clientLoop, [&] { client.second->sendText("close:4001:server bye"); });
        CPPUNIT_ASSERT_EQUAL(std::string("close:4001:server bye"), client.first->waitFor("close:"));
        CPPUNIT_ASSERT_EQUAL(std::string("close:4001:server bye"), _echo->waitFor("close:"));
        std::this_thread::sleep_for(100ms);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), client.first->count("close:"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _echo->count("close:"));
    }

    void testProtocolErrorCloses1002()
    {
        startServer(false, WebSocketOptions());
        RawPeer peer(_server->port());
        std::string unmasked;
        WebSocketFrameWriter::appendFrame(unmasked, WebSocketOpcode::Text, "no mask", true, false);
        peer.send(RawPeer::handshake() + unmasked);
        CPPUNIT_ASSERT(peer.readResponseHead().find(" 101 ") != std::string::npos);
        peer.readEvents(1);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), peer.events.size());
        CPPUNIT_ASSERT_EQUAL(std::string("close:1002:client frame not masked"), peer.events[0]);
        CPPUNIT_ASSERT(peer.waitEof());
        CPPUNIT_ASSERT_EQUAL(std::string("close:1002:client frame not masked"), _echo->waitFor("close:"));
    }

    void testIdleTimeoutAndCloseTimeout()
    {
        WebSocketOptions opts;
        opts.idleTimeout = 300ms;
        opts.closeTimeout = 300ms;
        startServer(false, opts);
        RawPeer peer(_server->port());
        peer.send(RawPeer::handshake());
        CPPUNIT_ASSERT(peer.readResponseHead().find(" 101 ") != std::string::npos);
        auto started = std::chrono::steady_clock::now();
        peer.readEvents(1, 5s);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), peer.events.size());
        CPPUNIT_ASSERT_EQUAL(std::string("close:1001:idle timeout"), peer.events[0]);
        CPPUNIT_ASSERT(std::chrono::steady_clock::now() - started >= 250ms);
        // The silent peer never answers the close frame: TCP is closed after closeTimeout.
        CPPUNIT_ASSERT(peer.waitEof(5s));
        CPPUNIT_ASSERT_EQUAL(std::string("close:1001:idle timeout"), _echo->waitFor("close:"));
    }

    void testKeepalivePing()
    {
        startServer(false, WebSocketOptions());
        WebSocketOptions opts;
        opts.pingInterval = 50ms;
        opts.idleTimeout = 400ms; // pongs count as activity, so this must never fire
        auto client = connectClient(false, opts);
        std::this_thread::sleep_for(700ms);
        auto stats = onLoop(*_clientLoop, [&] { return client.second->stats(); });
        CPPUNIT_ASSERT(stats.pingsOut >= 3);
        CPPUNIT_ASSERT(stats.pongsIn >= 3);
        CPPUNIT_ASSERT(onLoop(*_clientLoop, [&] { return client.second->isOpen(); }));
    }

    void testLoopStopClosesConnections()
    {
        startServer(false, WebSocketOptions());
        auto client = connectClient(false);
        CPPUNIT_ASSERT(waitUntil([&] { return _serverLoop->handlerCount() == 1; }));
        _serverLoop->stop();
        CPPUNIT_ASSERT_EQUAL(std::string("close:1001:event loop stopping"), _echo->waitFor("close:"));
        CPPUNIT_ASSERT_EQUAL(std::string("close:1001:event loop stopping"), client.first->waitFor("close:"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _serverLoop->handlerCount());
        _server.reset(); // stop HTTP before the loop it hands sockets to goes away
    }

    void testConnectFailures()
    {
        startServer(false, WebSocketOptions());
        WebSocketConnector connector(2);
        Poco::UInt16 deadPort;
        {
            Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
            deadPort = s.address().port();
        }
        struct Case
        {
            std::string url;
            std::string expect;
        };
        std::vector<Case> cases{{"ws://127.0.0.1:" + std::to_string(deadPort) + "/ws", "refused"},
            {_server->url("/nope"), "404"}, {"http://127.0.0.1:1/", "scheme"}};
        for (const auto& c : cases)
        {
            auto listener = std::make_shared<RecordingListener>();
            auto conn = WebSocketClient::connect(c.url, {}, *_clientLoop, listener, WebSocketOptions(), nullptr, connector);
            std::string failed = listener->waitFor("connectfailed:");
            CPPUNIT_ASSERT_MESSAGE(c.url + " -> " + listener->dump(), failed.find(c.expect) != std::string::npos);
            CPPUNIT_ASSERT_EQUAL(std::size_t(0), listener->count("open"));
        }
        // A wss client that does not trust the server's certificate fails cleanly too.
        _server.reset();
        startServer(true, WebSocketOptions());
        Poco::Net::Context::Params params;
        params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
        params.loadDefaultCAs = false;
        Poco::Net::Context::Ptr strict = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
        auto listener = std::make_shared<RecordingListener>();
        WebSocketClient::connect(_server->url(), {}, *_clientLoop, listener, WebSocketOptions(), strict, connector);
        CPPUNIT_ASSERT_MESSAGE(listener->dump(), !listener->waitFor("connectfailed:").empty());
    }

    void testUpgradeRejected()
    {
        startServer(false, WebSocketOptions());
        RawPeer peer(_server->port());
        peer.send("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n");
        std::string head = peer.readResponseHead();
        CPPUNIT_ASSERT_MESSAGE(head, head.find(" 400 ") != std::string::npos);
        RawPeer peer2(_server->port());
        peer2.send("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n");
        CPPUNIT_ASSERT(peer2.readResponseHead().find(" 400 ") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _echo->count("open"));
    }

    void testHotPathDoesNotAllocate()
    {
        // Server side of "one small text frame in, one out", plain TCP: after warm-up the server loop
        // thread must not touch the heap at all (reused scratch buffer, in-place unmasking, writev).
        CPPUNIT_ASSERT_EQUAL_MESSAGE("heap allocations on the server loop during 200 plain echoes", std::uint64_t(0),
            hotPathAllocations(false));
    }

    void testHotPathDoesNotAllocateTls()
    {
        // Same over TLS: our code adds nothing; OpenSSL/Poco must not allocate per record either.
        CPPUNIT_ASSERT_EQUAL_MESSAGE("heap allocations on the server loop during 200 TLS echoes", std::uint64_t(0),
            hotPathAllocations(true));
    }

    std::uint64_t hotPathAllocations(bool tls)
    {
        auto quiet = std::make_shared<QuietEcho>();
        _server = std::make_unique<TestWebSocketServer>(*_serverLoop, quiet, WebSocketOptions(),
            tls ? TestCertificate::instance().serverContext() : nullptr);
        auto client = connectClient(tls);
        auto roundTrips = [&](int n, int base) {
            for (int i = 0; i < n; ++i)
            {
                std::string msg = "{\"event\":\"media\",\"seq\":" + std::to_string(base + i) + "}";
                onLoop(*_clientLoop, [&] { client.second->sendText(msg); });
                CPPUNIT_ASSERT(!client.first->waitFor("text:" + msg, 2s).empty());
            }
        };
        roundTrips(20, 0);
        auto before = onLoop(*_serverLoop, [] { return threadAllocations(); });
        roundTrips(200, 1000);
        auto after = onLoop(*_serverLoop, [] { return threadAllocations(); });
        return after - before;
    }

    void testIdleFootprint()
    {
        // Guard against someone adding per-connection buffers: the object itself stays small,
        // and an idle connection holds no read buffer (reads use the loop's shared scratch).
        CPPUNIT_ASSERT_MESSAGE(std::to_string(sizeof(WebSocketConnection)), sizeof(WebSocketConnection) <= 1024);
    }

private:
    /// Echoes without recording anything, so the only heap traffic measured is the engine's.
    class QuietEcho: public WebSocketListener
    {
    public:
        void onText(WebSocketConnection& c, std::string_view text) override { c.sendText(text); }
    };

    using Client = std::pair<std::shared_ptr<RecordingListener>, std::shared_ptr<WebSocketConnection>>;

    void startServer(bool tls, const WebSocketOptions& opts)
    {
        _server = std::make_unique<TestWebSocketServer>(*_serverLoop, _echo, opts,
            tls ? TestCertificate::instance().serverContext() : nullptr);
    }

    Client connectClient(bool tls, const WebSocketOptions& opts = WebSocketOptions())
    {
        auto listener = std::make_shared<RecordingListener>();
        auto conn = WebSocketClient::connect(_server->url(), {{"X-Test", "1"}}, *_clientLoop, listener, opts,
            tls ? TestCertificate::instance().clientContext() : nullptr, _connector);
        std::string open = listener->waitFor("open", 5s);
        if (open.empty())
            throw std::runtime_error("client did not open: " + listener->dump());
        return {listener, conn};
    }

    Poco::Net::Context::Ptr rawTlsContext()
    {
        return new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "", Poco::Net::Context::VERIFY_NONE);
    }

    static std::size_t openFds()
    {
        std::size_t n = 0;
        Poco::DirectoryIterator end;
        for (Poco::DirectoryIterator it(std::string("/proc/self/fd")); it != end; ++it)
            ++n;
        return n;
    }

    void echo(bool tls)
    {
        startServer(tls, WebSocketOptions());
        connectClient(tls); // warm-up: TLS contexts, HTTP worker threads
        CPPUNIT_ASSERT(waitUntil([&] { return _serverLoop->handlerCount() == 1; }));
        const std::size_t fdsBefore = openFds();
        auto client = connectClient(tls);
        CPPUNIT_ASSERT(onLoop(*_clientLoop, [&] { return client.second->isTls(); }) == tls);
        std::string big(200000, '\0');
        for (std::size_t i = 0; i < big.size(); ++i)
            big[i] = static_cast<char>(i * 7);
        onLoop(*_clientLoop, [&] {
            CPPUNIT_ASSERT(client.second->sendText("hello"));
            CPPUNIT_ASSERT(client.second->sendBinary(big));
            for (int i = 0; i < 50; ++i)
                client.second->sendText("n" + std::to_string(i));
        });
        CPPUNIT_ASSERT(!client.first->waitFor("text:hello").empty());
        CPPUNIT_ASSERT(!client.first->waitFor("binary#" + RecordingListener::digest(big)).empty());
        CPPUNIT_ASSERT_MESSAGE(client.first->dump(), !client.first->waitFor("text:n49").empty());
        auto stats = onLoop(*_clientLoop, [&] { return client.second->stats(); });
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(52), stats.messagesOut);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(52), stats.messagesIn);
        CPPUNIT_ASSERT(!onLoop(*_clientLoop, [&] { return client.second->remoteAddress(); }).empty());
        onLoop(*_clientLoop, [&] { client.second->close(); });
        CPPUNIT_ASSERT_EQUAL(std::string("close:1000:"), client.first->waitFor("close:"));
        CPPUNIT_ASSERT_EQUAL(std::string("close:1000:"), _echo->waitFor("close:"));
        // Both ends released their sockets (TLS close on a non-blocking socket must not leak the fd).
        CPPUNIT_ASSERT(waitUntil([&] { return _serverLoop->handlerCount() == 1 && _clientLoop->handlerCount() == 1; }));
        CPPUNIT_ASSERT(waitUntil([&] { return openFds() <= fdsBefore; }, 2000ms));
    }

    void coalescedHandshake(bool tls)
    {
        startServer(tls, WebSocketOptions());
        RawPeer peer(_server->port(), tls ? rawTlsContext() : nullptr);
        peer.send(RawPeer::handshake() + RawPeer::maskedText("first") + RawPeer::maskedText("second"));
        std::string head = peer.readResponseHead();
        CPPUNIT_ASSERT_MESSAGE(head, head.find("HTTP/1.1 101") == 0);
        CPPUNIT_ASSERT_MESSAGE(head, head.find("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") != std::string::npos);
        peer.readEvents(2, 3s);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), peer.events.size());
        CPPUNIT_ASSERT_EQUAL(std::string("text:first"), peer.events[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("text:second"), peer.events[1]);
    }

    void stalledPeer(bool tls)
    {
        startServer(tls, WebSocketOptions());
        RawPeer stalled(_server->port(), tls ? rawTlsContext() : nullptr);
        stalled.send(RawPeer::handshake());
        CPPUNIT_ASSERT(stalled.readResponseHead().find(" 101 ") != std::string::npos);
        std::string frame = RawPeer::maskedText("abcdefghij");
        stalled.send(frame.substr(0, 5)); // half a header's worth: the server must not wait for the rest
        auto client = connectClient(tls);
        for (int i = 0; i < 20; ++i)
        {
            std::string msg = "rt" + std::to_string(i);
            onLoop(*_clientLoop, [&] { client.second->sendText(msg); });
            CPPUNIT_ASSERT_MESSAGE(msg + " not answered within 1 s", !client.first->waitFor("text:" + msg, 1s).empty());
        }
        stalled.send(frame.substr(5));
        stalled.readEvents(1);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), stalled.events.size());
        CPPUNIT_ASSERT_EQUAL(std::string("text:abcdefghij"), stalled.events[0]);
    }

    std::unique_ptr<EventLoop> _serverLoop;
    std::unique_ptr<EventLoop> _clientLoop;
    std::shared_ptr<EchoListener> _echo;
    std::unique_ptr<TestWebSocketServer> _server;
    WebSocketConnector _connector{2};
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebSocketConnectionTest);
