// TestWebSocketServer.h: a Poco HTTPServer (own thread pool, port 0, plain or TLS) that upgrades every request into an EventLoop.
#pragma once

#include <patchbay/media/EventLoop.h>
#include <patchbay/media/WebSocketUpgrade.h>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>

#include <memory>
#include <string>

namespace patchbay {
namespace media {
namespace test {

class TestWebSocketServer
{
public:
    TestWebSocketServer(EventLoop& loop, std::shared_ptr<WebSocketListener> listener, WebSocketOptions options,
        Poco::Net::Context::Ptr tls = nullptr):
        _pool(2, 8),
        _tls(tls)
    {
        Poco::Net::SocketAddress any("127.0.0.1", 0);
        Poco::Net::ServerSocket socket = tls ? Poco::Net::SecureServerSocket(any, 64, tls) : Poco::Net::ServerSocket(any, 64);
        _port = socket.address().port();
        auto* params = new Poco::Net::HTTPServerParams;
        params->setMaxThreads(8);
        _server = std::make_unique<Poco::Net::HTTPServer>(new Factory(loop, std::move(listener), std::move(options)), _pool,
            socket, params);
        _server->start();
    }

    ~TestWebSocketServer()
    {
        _server->stopAll(true);
        _pool.joinAll();
    }

    Poco::UInt16 port() const { return _port; }
    std::string url(const std::string& path = "/ws") const
    {
        return std::string(_tls ? "wss" : "ws") + "://127.0.0.1:" + std::to_string(_port) + path;
    }

private:
    class Handler: public Poco::Net::HTTPRequestHandler
    {
    public:
        Handler(EventLoop& loop, std::shared_ptr<WebSocketListener> listener, const WebSocketOptions& options):
            _loop(loop), _listener(std::move(listener)), _options(options)
        {
        }
        void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) override
        {
            if (req.getURI().rfind("/ws", 0) == 0)
            {
                WebSocketUpgrade::accept(req, resp, _loop, _listener, _options);
                return;
            }
            resp.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
            resp.send() << "not here";
        }

    private:
        EventLoop& _loop;
        std::shared_ptr<WebSocketListener> _listener;
        WebSocketOptions _options;
    };

    class Factory: public Poco::Net::HTTPRequestHandlerFactory
    {
    public:
        Factory(EventLoop& loop, std::shared_ptr<WebSocketListener> listener, WebSocketOptions options):
            _loop(loop), _listener(std::move(listener)), _options(std::move(options))
        {
        }
        Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override
        {
            return new Handler(_loop, _listener, _options);
        }

    private:
        EventLoop& _loop;
        std::shared_ptr<WebSocketListener> _listener;
        WebSocketOptions _options;
    };

    Poco::ThreadPool _pool;
    Poco::Net::Context::Ptr _tls;
    std::unique_ptr<Poco::Net::HTTPServer> _server;
    Poco::UInt16 _port = 0;
};

} // namespace test
} // namespace media
} // namespace patchbay
