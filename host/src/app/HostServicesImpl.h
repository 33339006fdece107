// HostServicesImpl.h: the HostServices one plugin receives — every route, log line and socket it makes is attributed to it.
#ifndef PATCHBAY_HOST_APP_HOST_SERVICES_IMPL_H
#define PATCHBAY_HOST_APP_HOST_SERVICES_IMPL_H

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include <patchbay/sdk/HostServices.h>

#include "app/BlockingPool.h"
#include "core/CallRouterImpl.h"
#include "engine/MediaEngine.h"
#include "http/RouteTable.h"

namespace patchbay::host {

/// What all plugins share; owned by the application.
struct HostContext
{
    sdk::Metrics& metrics;
    RouteTable& routes;
    MediaEngine& engine;
    BlockingPool& blocking;
    sdk::HttpClient& httpClient;
    CallRouterImpl& router;
    sdk::TenantStore* store = nullptr; ///< bound after the store plugin's init
};

class HostServicesImpl final : public sdk::HostServices
{
public:
    HostServicesImpl(std::string pluginId, sdk::Logger& logger, HostContext& context);

    /// The plugin's library handle; every object the plugin hands the host is made to hold it.
    void setKeepAlive(std::shared_ptr<const void> keepAlive) { _keepAlive = std::move(keepAlive); }

    std::string_view pluginId() const noexcept override { return _pluginId; }
    sdk::Logger& logger() noexcept override { return _logger; }
    sdk::Metrics& metrics() noexcept override { return _ctx.metrics; }
    sdk::Status addHttpRoute(const std::string& method, const std::string& path, std::shared_ptr<sdk::HttpHandler> handler,
                             bool prefix) noexcept override;
    void removeHttpRoute(const std::string& method, const std::string& path) noexcept override;
    sdk::Status addWebSocketEndpoint(const std::string& pathPrefix, std::shared_ptr<sdk::WebSocketEndpoint> endpoint) noexcept override;
    void removeWebSocketEndpoint(const std::string& pathPrefix) noexcept override;
    sdk::Status connectWebSocket(const sdk::WebSocketConnectOptions& options, sdk::EventLoop& loop,
                                 std::shared_ptr<sdk::WebSocketHandler> handler) noexcept override;
    sdk::EventLoop& loopForKey(std::string_view key) noexcept override { return _ctx.engine.loopForKey(key); }
    void runBlocking(std::function<void()> task) noexcept override;
    sdk::HttpClient& httpClient() noexcept override { return _ctx.httpClient; }
    sdk::TenantStore* tenantStore() noexcept override { return _ctx.store; }
    sdk::CallRouter& router() noexcept override { return _ctx.router; }
    std::int64_t nowUnixMs() const noexcept override;

    /// Removes whatever the plugin left registered after its shutdown(), and says so.
    void removeLeftovers();

private:
    template <typename T>
    std::shared_ptr<T> holdLibrary(std::shared_ptr<T> object) const;

    std::string _pluginId;
    sdk::Logger& _logger;
    HostContext& _ctx;
    std::shared_ptr<const void> _keepAlive;
    std::mutex _mutex;
    std::set<std::pair<std::string, std::string>> _httpRoutes;
    std::set<std::string> _wsEndpoints;
};

} // namespace patchbay::host

#endif
