// FakeHostServices.h: an sdk::HostServices for plugin unit tests — records routes and sockets and lets the test drive them.
#ifndef PATCHBAY_SDK_TESTING_FAKE_HOST_SERVICES_H
#define PATCHBAY_SDK_TESTING_FAKE_HOST_SERVICES_H

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "patchbay/sdk/HostServices.h"
#include "patchbay/sdk/testing/FakeCallRouter.h"
#include "patchbay/sdk/testing/FakeEventLoop.h"
#include "patchbay/sdk/testing/FakeHttpClient.h"
#include "patchbay/sdk/testing/FakeMetrics.h"
#include "patchbay/sdk/testing/FakeTenantStore.h"
#include "patchbay/sdk/testing/FakeWebSocketConnection.h"
#include "patchbay/sdk/testing/RecordingLogger.h"

namespace patchbay::sdk::testing {

/// Ties the fakes together: one FakeEventLoop (every loopForKey() answer), a RecordingLogger,
/// FakeMetrics, FakeHttpClient, FakeCallRouter and FakeTenantStore (tenantStore() returns it unless
/// setTenantStore() says otherwise). Nothing runs by itself: runBlocking() queues for
/// runBlockingTasks(), posts wait for loop().runPending(), and socket events happen when the test
/// calls openOutbound()/deliverText()/... (handlers are invoked synchronously, as if on the loop).
/// Like the host, it catches what a handler or task throws and counts it (pluginFaults()).
class FakeHostServices : public sdk::HostServices
{
public:
    enum class SocketState { Connecting, Open, Closed, Failed, Refused };

    struct HttpRoute
    {
        std::string method;
        std::string path;
        bool prefix = false;
        std::shared_ptr<sdk::HttpHandler> handler;
    };

    /// One connectWebSocket() call. `connection` exists from openOutbound() on.
    struct OutboundSocket
    {
        sdk::WebSocketConnectOptions options;
        std::shared_ptr<sdk::WebSocketHandler> handler;
        FakeEventLoop* loop = nullptr;
        std::unique_ptr<FakeWebSocketConnection> connection;
        SocketState state = SocketState::Connecting;
    };

    /// One upgrade offered to an endpoint through acceptInbound().
    struct InboundSocket
    {
        sdk::HttpRequest request;
        std::string affinityKey;
        int refuseStatus = 0;
        std::string refuseReason;
        std::shared_ptr<sdk::WebSocketHandler> handler;
        std::unique_ptr<FakeWebSocketConnection> connection;
        SocketState state = SocketState::Refused;
    };

    explicit FakeHostServices(std::string pluginId = "test-plugin") : _pluginId(std::move(pluginId)) {}
    FakeHostServices(const FakeHostServices&) = delete;
    FakeHostServices& operator=(const FakeHostServices&) = delete;
    virtual ~FakeHostServices() = default;

    // ---- sdk::HostServices ----

    std::string_view pluginId() const noexcept override { return _pluginId; }
    sdk::Logger& logger() noexcept override { return _logger; }
    sdk::Metrics& metrics() noexcept override { return _metrics; }

    sdk::Status addHttpRoute(const std::string& method, const std::string& path, std::shared_ptr<sdk::HttpHandler> handler,
                             bool prefix = false) noexcept override
    {
        try
        {
            if (method.empty() || path.empty() || path[0] != '/' || !handler)
                return sdk::Status::invalidArgument("bad route " + method + " " + path);
            std::lock_guard<std::mutex> lock(_mutex);
            for (const auto& r : _routes)
                if (r.method == method && r.path == path) return sdk::Status::alreadyExists(method + " " + path + " is taken");
            _routes.push_back(HttpRoute{method, path, prefix, std::move(handler)});
            return sdk::Status::ok();
        }
        catch (const std::exception& e)
        {
            return sdk::Status::internal(e.what());
        }
    }

    void removeHttpRoute(const std::string& method, const std::string& path) noexcept override
    {
        std::lock_guard<std::mutex> lock(_mutex);
        for (auto it = _routes.begin(); it != _routes.end(); ++it)
            if (it->method == method && it->path == path)
            {
                _routes.erase(it);
                return;
            }
    }

    sdk::Status addWebSocketEndpoint(const std::string& pathPrefix, std::shared_ptr<sdk::WebSocketEndpoint> endpoint) noexcept override
    {
        try
        {
            if (pathPrefix.empty() || pathPrefix[0] != '/' || !endpoint)
                return sdk::Status::invalidArgument("bad WebSocket endpoint " + pathPrefix);
            std::lock_guard<std::mutex> lock(_mutex);
            for (const auto& e : _endpoints)
                if (e.first == pathPrefix) return sdk::Status::alreadyExists(pathPrefix + " is taken");
            _endpoints.emplace_back(pathPrefix, std::move(endpoint));
            return sdk::Status::ok();
        }
        catch (const std::exception& e)
        {
            return sdk::Status::internal(e.what());
        }
    }

    void removeWebSocketEndpoint(const std::string& pathPrefix) noexcept override
    {
        std::lock_guard<std::mutex> lock(_mutex);
        for (auto it = _endpoints.begin(); it != _endpoints.end(); ++it)
            if (it->first == pathPrefix)
            {
                _endpoints.erase(it);
                return;
            }
    }

    sdk::Status connectWebSocket(const sdk::WebSocketConnectOptions& options, sdk::EventLoop& loop,
                                 std::shared_ptr<sdk::WebSocketHandler> handler) noexcept override
    {
        try
        {
            if (options.url.rfind("ws://", 0) != 0 && options.url.rfind("wss://", 0) != 0)
                return sdk::Status::invalidArgument("not a ws(s) URL: " + options.url);
            if (!handler) return sdk::Status::invalidArgument("no handler");
            auto socket = std::make_unique<OutboundSocket>();
            socket->options = options;
            socket->handler = std::move(handler);
            auto* fake = dynamic_cast<FakeEventLoop*>(&loop);
            socket->loop = fake ? fake : &_loop;
            std::lock_guard<std::mutex> lock(_mutex);
            _outbound.push_back(std::move(socket));
            return sdk::Status::ok();
        }
        catch (const std::exception& e)
        {
            return sdk::Status::internal(e.what());
        }
    }

    sdk::EventLoop& loopForKey(std::string_view key) noexcept override
    {
        try
        {
            std::lock_guard<std::mutex> lock(_mutex);
            _loopKeys.emplace_back(key);
        }
        catch (...)
        {
        }
        return _loop;
    }

    void runBlocking(std::function<void()> task) noexcept override
    {
        try
        {
            std::lock_guard<std::mutex> lock(_mutex);
            _blocking.push_back(std::move(task));
        }
        catch (...)
        {
        }
    }

    sdk::HttpClient& httpClient() noexcept override { return _httpClient; }
    sdk::TenantStore* tenantStore() noexcept override { return _tenantStore; }
    sdk::CallRouter& router() noexcept override { return _router; }
    std::int64_t nowUnixMs() const noexcept override { return _nowUnixMs; }

    // ---- the fakes ----

    RecordingLogger& recordingLogger() noexcept { return _logger; }
    FakeMetrics& fakeMetrics() noexcept { return _metrics; }
    FakeEventLoop& loop() noexcept { return _loop; }
    FakeHttpClient& fakeHttpClient() noexcept { return _httpClient; }
    FakeCallRouter& fakeRouter() noexcept { return _router; }
    FakeTenantStore& fakeTenantStore() noexcept { return _store; }

    /// What tenantStore() returns; nullptr models "no store configured".
    void setTenantStore(sdk::TenantStore* store) noexcept { _tenantStore = store; }
    void setNowUnixMs(std::int64_t nowMs) noexcept { _nowUnixMs = nowMs; }
    /// Moves the wall clock and the loop's clock together (firing due timers).
    void advanceTime(std::uint64_t ms)
    {
        _nowUnixMs += static_cast<std::int64_t>(ms);
        _loop.advance(ms);
    }

    /// Keys passed to loopForKey(), in order.
    std::vector<std::string> loopKeys() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _loopKeys;
    }

    // ---- blocking work ----

    /// Runs queued runBlocking() tasks, including those they queue. @return how many ran.
    std::size_t runBlockingTasks()
    {
        std::size_t count = 0;
        for (;;)
        {
            std::function<void()> task;
            {
                std::lock_guard<std::mutex> lock(_mutex);
                if (_blocking.empty()) return count;
                task = std::move(_blocking.front());
                _blocking.pop_front();
            }
            guard([&] { task(); });
            ++count;
        }
    }

    std::size_t pendingBlockingTasks() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _blocking.size();
    }

    /// Alternates blocking tasks and loop tasks until neither has work. @return tasks run.
    std::size_t runUntilIdle()
    {
        std::size_t total = 0;
        for (;;)
        {
            const std::size_t n = runBlockingTasks() + _loop.runPending();
            if (n == 0) return total;
            total += n;
        }
    }

    /// Exceptions the fake caught from handlers and blocking tasks (each one a plugin bug).
    std::size_t pluginFaults() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _faults;
    }

    // ---- HTTP routes ----

    std::vector<HttpRoute> httpRoutes() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _routes;
    }

    bool hasHttpRoute(const std::string& method, const std::string& path) const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        for (const auto& r : _routes)
            if (r.method == method && r.path == path) return true;
        return false;
    }

    /// The handler the host would pick for method + path: an exact route, else the longest prefix route.
    std::shared_ptr<sdk::HttpHandler> httpHandler(const std::string& method, const std::string& path) const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        const HttpRoute* best = nullptr;
        for (const auto& r : _routes)
        {
            if (r.method != method) continue;
            if (r.path == path) return r.handler;
            if (r.prefix && path.rfind(r.path, 0) == 0 && (!best || r.path.size() > best->path.size())) best = &r;
        }
        return best ? best->handler : nullptr;
    }

    /// Dispatches like the host: 404 without a route, 500 if the handler throws.
    sdk::HttpResponse invokeHttp(const sdk::HttpRequest& request)
    {
        sdk::HttpResponse response;
        auto handler = httpHandler(request.method, request.path);
        if (!handler)
        {
            response.status = 404;
            return response;
        }
        if (!guard([&] { handler->handle(request, response); }))
        {
            response = sdk::HttpResponse{};
            response.status = 500;
        }
        return response;
    }

    /// Shorthand: pathAndQuery may carry "?query"; remoteAddress is 127.0.0.1:50000.
    sdk::HttpResponse invokeHttp(const std::string& method, const std::string& pathAndQuery, std::string body = {},
                                 sdk::HttpHeaders headers = {})
    {
        return invokeHttp(makeRequest(method, pathAndQuery, std::move(body), std::move(headers)));
    }

    // ---- WebSocket endpoints (inbound) ----

    bool hasWebSocketEndpoint(const std::string& pathPrefix) const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        for (const auto& e : _endpoints)
            if (e.first == pathPrefix) return true;
        return false;
    }

    /// The endpoint the host would pick for path (longest registered prefix), or nullptr.
    std::shared_ptr<sdk::WebSocketEndpoint> webSocketEndpoint(const std::string& path) const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        const std::pair<std::string, std::shared_ptr<sdk::WebSocketEndpoint>>* best = nullptr;
        for (const auto& e : _endpoints)
            if (path.rfind(e.first, 0) == 0 && (!best || e.first.size() > best->first.size())) best = &e;
        return best ? best->second : nullptr;
    }

    /// Offers an upgrade to the matching endpoint; if accepted, opens a FakeWebSocketConnection and
    /// calls onOpen. @return the index for inbound(i)/deliverInboundText(i)/...; check its state
    /// (Open, or Refused with refuseStatus — 404 when no endpoint matched, 500 when accept threw).
    std::size_t acceptInbound(const sdk::HttpRequest& request)
    {
        auto socket = std::make_unique<InboundSocket>();
        socket->request = request;
        auto endpoint = webSocketEndpoint(request.path);
        if (!endpoint)
            socket->refuseStatus = 404;
        else
        {
            sdk::WebSocketUpgrade upgrade{socket->request, {}, 403, {}};
            std::shared_ptr<sdk::WebSocketHandler> handler;
            if (!guard([&] { handler = endpoint->accept(upgrade); }))
                socket->refuseStatus = 500;
            else if (!handler)
            {
                socket->refuseStatus = upgrade.refuseStatus;
                socket->refuseReason = upgrade.refuseReason;
            }
            socket->affinityKey = upgrade.affinityKey;
            socket->handler = std::move(handler);
        }
        InboundSocket* raw = socket.get();
        std::size_t index = 0;
        {
            std::lock_guard<std::mutex> lock(_mutex);
            index = _inbound.size();
            if (raw->handler)
            {
                raw->connection = std::make_unique<FakeWebSocketConnection>(_loop, ++_lastConnectionId);
                raw->state = SocketState::Open;
            }
            _inbound.push_back(std::move(socket));
        }
        if (raw->handler) guard([&] { raw->handler->onOpen(*raw->connection); });
        return index;
    }

    /// Shorthand: a GET upgrade of pathAndQuery with the usual upgrade headers.
    std::size_t acceptInbound(const std::string& pathAndQuery, sdk::HttpHeaders headers = {})
    {
        headers.emplace_back("Upgrade", "websocket");
        headers.emplace_back("Connection", "Upgrade");
        return acceptInbound(makeRequest("GET", pathAndQuery, {}, std::move(headers)));
    }

    std::size_t inboundCount() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _inbound.size();
    }

    /// PRECONDITION: i < inboundCount().
    InboundSocket& inbound(std::size_t i)
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return *_inbound.at(i);
    }

    void deliverInboundText(std::size_t i, std::string_view text) { deliver(inbound(i).handler, inbound(i).connection, text, false); }
    void deliverInboundBinary(std::size_t i, std::string_view data) { deliver(inbound(i).handler, inbound(i).connection, data, true); }
    void closeInbound(std::size_t i, std::uint16_t code = sdk::CloseCode::Normal, std::string_view reason = {})
    {
        InboundSocket& s = inbound(i);
        finish(s.handler, s.connection, s.state, code, reason);
    }

    // ---- outbound WebSockets ----

    std::size_t outboundCount() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _outbound.size();
    }

    /// PRECONDITION: i < outboundCount().
    OutboundSocket& outbound(std::size_t i)
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return *_outbound.at(i);
    }

    /// Completes the i-th connectWebSocket(): creates its connection and calls onOpen.
    FakeWebSocketConnection& openOutbound(std::size_t i)
    {
        OutboundSocket& s = outbound(i);
        if (!s.connection)
        {
            std::lock_guard<std::mutex> lock(_mutex);
            s.connection = std::make_unique<FakeWebSocketConnection>(*s.loop, ++_lastConnectionId);
            s.state = SocketState::Open;
        }
        guard([&] { s.handler->onOpen(*s.connection); });
        return *s.connection;
    }

    void deliverText(std::size_t i, std::string_view text) { deliver(outbound(i).handler, outbound(i).connection, text, false); }
    void deliverBinary(std::size_t i, std::string_view data) { deliver(outbound(i).handler, outbound(i).connection, data, true); }

    /// Tells the handler its queue drained (after a FakeWebSocketConnection::setQueueFull(false)).
    void writableOutbound(std::size_t i)
    {
        OutboundSocket& s = outbound(i);
        if (s.connection) guard([&] { s.handler->onWritable(*s.connection); });
    }

    /// The peer (or the close handshake) ended the i-th connection: onClose(code, reason).
    void closeOutbound(std::size_t i, std::uint16_t code = sdk::CloseCode::Normal, std::string_view reason = {})
    {
        OutboundSocket& s = outbound(i);
        finish(s.handler, s.connection, s.state, code, reason);
    }

    /// The i-th connection never opened: onConnectFailed(why).
    void failOutbound(std::size_t i, std::string_view why)
    {
        OutboundSocket& s = outbound(i);
        if (s.state != SocketState::Connecting) return;
        s.state = SocketState::Failed;
        guard([&] { s.handler->onConnectFailed(why); });
    }

    /// The i-th outbound connection, or nullptr before openOutbound(i).
    FakeWebSocketConnection* outboundConnection(std::size_t i) { return outbound(i).connection.get(); }

private:
    static sdk::HttpRequest makeRequest(const std::string& method, const std::string& pathAndQuery, std::string body,
                                        sdk::HttpHeaders headers)
    {
        sdk::HttpRequest request;
        request.method = method;
        const auto q = pathAndQuery.find('?');
        request.path = pathAndQuery.substr(0, q);
        if (q != std::string::npos) request.query = pathAndQuery.substr(q + 1);
        request.body = std::move(body);
        request.headers = std::move(headers);
        request.remoteAddress = "127.0.0.1:50000";
        return request;
    }

    /// Runs fn the way the host calls into a plugin: an escaping exception is a counted fault.
    template <class Fn>
    bool guard(Fn&& fn)
    {
        try
        {
            fn();
            return true;
        }
        catch (...)
        {
            std::lock_guard<std::mutex> lock(_mutex);
            ++_faults;
            return false;
        }
    }

    void deliver(const std::shared_ptr<sdk::WebSocketHandler>& handler, const std::unique_ptr<FakeWebSocketConnection>& connection,
                 std::string_view data, bool binary)
    {
        if (!handler || !connection) return;
        guard([&] {
            if (binary)
                handler->onBinary(*connection, data);
            else
                handler->onText(*connection, data);
        });
    }

    void finish(const std::shared_ptr<sdk::WebSocketHandler>& handler, const std::unique_ptr<FakeWebSocketConnection>& connection,
                SocketState& state, std::uint16_t code, std::string_view reason)
    {
        if (!handler || !connection || state != SocketState::Open) return;
        state = SocketState::Closed;
        connection->setOpen(false);
        guard([&] { handler->onClose(*connection, code, reason); });
    }

    std::string _pluginId;
    mutable std::mutex _mutex;
    RecordingLogger _logger;
    FakeMetrics _metrics;
    FakeEventLoop _loop;
    FakeHttpClient _httpClient;
    FakeCallRouter _router;
    FakeTenantStore _store;
    sdk::TenantStore* _tenantStore = &_store;
    std::int64_t _nowUnixMs = 1700000000000;
    std::vector<HttpRoute> _routes;
    std::vector<std::pair<std::string, std::shared_ptr<sdk::WebSocketEndpoint>>> _endpoints;
    std::vector<std::unique_ptr<OutboundSocket>> _outbound;
    std::vector<std::unique_ptr<InboundSocket>> _inbound;
    std::vector<std::string> _loopKeys;
    std::deque<std::function<void()>> _blocking;
    std::uint64_t _lastConnectionId = 0;
    std::size_t _faults = 0;
};

} // namespace patchbay::sdk::testing

#endif
