// HostServices.h: everything the host offers a plugin — logging, metrics, routes, sockets, loops, blocking work, the store and the core.
//
// Rule (DESIGN §2.5): the host owns I/O, threads, TLS, timers, logging and metrics. A plugin never
// starts threads, opens listening sockets, initialises OpenSSL or creates loggers of its own.
#ifndef PATCHBAY_SDK_HOST_SERVICES_H
#define PATCHBAY_SDK_HOST_SERVICES_H

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "patchbay/sdk/CallRouter.h"
#include "patchbay/sdk/EventLoop.h"
#include "patchbay/sdk/Http.h"
#include "patchbay/sdk/Logger.h"
#include "patchbay/sdk/Metrics.h"
#include "patchbay/sdk/Status.h"
#include "patchbay/sdk/TenantStore.h"
#include "patchbay/sdk/WebSocket.h"

namespace patchbay::sdk {

/// One instance per loaded plugin (so every route, log line and fault is attributed to it).
/// OWNERSHIP: owned by the host; the reference given to Plugin::init() is valid until
/// Plugin::shutdown() returns.
class HostServices
{
public:
    /// The plugin's id as configured ("twilio"). THREAD: Any.
    virtual std::string_view pluginId() const noexcept = 0;

    /// The plugin's logger ("plugin.<id>"). THREAD: Any.
    virtual Logger& logger() noexcept = 0;

    /// The shared metrics registry. THREAD: Any.
    virtual Metrics& metrics() noexcept = 0;

    /// Registers an HTTP route on the public listener. THREAD: Control (init/start only).
    /// @param method "GET", "POST", ... @param path exact path, or a prefix when `prefix` is true.
    /// @return AlreadyExists if another plugin or the host owns it; InvalidArgument for a bad path.
    virtual Status addHttpRoute(const std::string& method, const std::string& path, std::shared_ptr<HttpHandler> handler,
                                bool prefix = false) noexcept = 0;
    /// Removes a route this plugin registered (shutdown symmetry). THREAD: Control.
    virtual void removeHttpRoute(const std::string& method, const std::string& path) noexcept = 0;

    /// Registers a WebSocket endpoint for every path starting with pathPrefix. Upgrades are completed
    /// by the host, then the socket moves to a media loop; no thread is held per connection.
    /// THREAD: Control. @return AlreadyExists / InvalidArgument as for addHttpRoute.
    virtual Status addWebSocketEndpoint(const std::string& pathPrefix, std::shared_ptr<WebSocketEndpoint> endpoint) noexcept = 0;
    virtual void removeWebSocketEndpoint(const std::string& pathPrefix) noexcept = 0;

    /// Opens an outbound WebSocket (ws or wss) whose socket will live on `loop`. The TCP/TLS/HTTP
    /// handshake runs on a host connector thread, so this never blocks; the handler's onOpen() or
    /// onConnectFailed() then runs on `loop`.
    /// THREAD: Any. @return InvalidArgument for a malformed URL (the handler is then not called).
    virtual Status connectWebSocket(const WebSocketConnectOptions& options, EventLoop& loop,
                                    std::shared_ptr<WebSocketHandler> handler) noexcept = 0;

    /// The media loop that owns sockets with this affinity key (see WebSocketUpgrade::affinityKey).
    /// THREAD: Any.
    virtual EventLoop& loopForKey(std::string_view key) noexcept = 0;

    /// Runs blocking work (database, REST) on the host's worker pool, off every media loop. Post the
    /// result back with EventLoop::post(). Exceptions are caught, logged and counted.
    /// THREAD: Any. Never blocks the caller.
    virtual void runBlocking(std::function<void()> task) noexcept = 0;

    /// The host's outbound HTTP(S) client. THREAD: Any to obtain; see HttpClient for calls.
    virtual HttpClient& httpClient() noexcept = 0;

    /// The configured tenant store, or nullptr when none is configured. Valid from start().
    /// THREAD: Any to obtain; its methods are I/O.
    virtual TenantStore* tenantStore() noexcept = 0;

    /// The routing core. THREAD: Any to obtain; see CallRouter for its methods.
    virtual CallRouter& router() noexcept = 0;

    /// Wall clock, Unix milliseconds. THREAD: Any.
    virtual std::int64_t nowUnixMs() const noexcept = 0;

protected:
    ~HostServices() = default;
};

} // namespace patchbay::sdk

#endif
