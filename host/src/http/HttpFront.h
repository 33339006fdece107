// HttpFront.h: the public HTTP(S) listener — dispatches webhooks to plugin routes and hands WebSocket upgrades to the media engine.
#ifndef PATCHBAY_HOST_HTTP_HTTP_FRONT_H
#define PATCHBAY_HOST_HTTP_HTTP_FRONT_H

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include <patchbay/sdk/Logger.h>
#include <patchbay/sdk/Metrics.h>

#include "engine/MediaEngine.h"
#include "http/RouteTable.h"

namespace patchbay::host {

struct HttpFrontOptions
{
    std::string host = "0.0.0.0";
    std::uint16_t port = 8080;
    int threads = 16;
    int maxQueued = 256;
    int backlog = 1024;
    std::size_t maxBodyBytes = 1u << 20;
    Poco::Net::Context::Ptr tls; ///< null = plain HTTP
};

class HttpFront
{
public:
    HttpFront(HttpFrontOptions options, RouteTable& routes, MediaEngine& engine, sdk::Logger& logger, sdk::Metrics& metrics);
    ~HttpFront();

    /// Binds and starts serving. THREAD: Control. Throws Poco::Exception when the port cannot be bound.
    void start();
    /// Stops accepting and waits for in-flight requests. THREAD: Control.
    void stop();
    /// The bound port (useful with port 0).
    std::uint16_t port() const { return _boundPort; }
    bool secure() const { return !_options.tls.isNull(); }

private:
    class Factory;
    class RequestHandler;

    HttpFrontOptions _options;
    RouteTable& _routes;
    MediaEngine& _engine;
    sdk::Logger& _logger;
    sdk::Metrics& _metrics;
    std::unique_ptr<Poco::ThreadPool> _pool;
    std::unique_ptr<Poco::Net::HTTPServer> _server;
    std::uint16_t _boundPort = 0;
};

} // namespace patchbay::host

#endif
