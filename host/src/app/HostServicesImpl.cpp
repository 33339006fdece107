// HostServicesImpl.cpp: per-plugin host services.
#include "app/HostServicesImpl.h"

#include <chrono>

namespace patchbay::host {

HostServicesImpl::HostServicesImpl(std::string pluginId, sdk::Logger& logger, HostContext& context)
    : _pluginId(std::move(pluginId)), _logger(logger), _ctx(context)
{
}

template <typename T>
std::shared_ptr<T> HostServicesImpl::holdLibrary(std::shared_ptr<T> object) const
{
    if (!object || !_keepAlive) return object;
    auto keep = _keepAlive;
    T* raw = object.get();
    return std::shared_ptr<T>(raw, [object, keep](T*) mutable {
        object.reset(); // the object goes first, its library after
        keep.reset();
    });
}

sdk::Status HostServicesImpl::addHttpRoute(const std::string& method, const std::string& path,
                                           std::shared_ptr<sdk::HttpHandler> handler, bool prefix) noexcept
{
    try
    {
        HttpRoute r{_pluginId, method, path, prefix, holdLibrary(std::move(handler)), _keepAlive};
        sdk::Status st = _ctx.routes.addHttp(std::move(r));
        if (st.isOk())
        {
            std::lock_guard<std::mutex> lock(_mutex);
            _httpRoutes.emplace(method, path);
        }
        return st;
    }
    catch (const std::exception& e)
    {
        return sdk::Status::internal(e.what());
    }
}

void HostServicesImpl::removeHttpRoute(const std::string& method, const std::string& path) noexcept
{
    try
    {
        _ctx.routes.removeHttp(_pluginId, method, path);
        std::lock_guard<std::mutex> lock(_mutex);
        _httpRoutes.erase({method, path});
    }
    catch (...)
    {
    }
}

sdk::Status HostServicesImpl::addWebSocketEndpoint(const std::string& pathPrefix,
                                                   std::shared_ptr<sdk::WebSocketEndpoint> endpoint) noexcept
{
    try
    {
        WebSocketRoute r{_pluginId, pathPrefix, holdLibrary(std::move(endpoint)), _keepAlive};
        sdk::Status st = _ctx.routes.addWebSocket(std::move(r));
        if (st.isOk())
        {
            std::lock_guard<std::mutex> lock(_mutex);
            _wsEndpoints.insert(pathPrefix);
        }
        return st;
    }
    catch (const std::exception& e)
    {
        return sdk::Status::internal(e.what());
    }
}

void HostServicesImpl::removeWebSocketEndpoint(const std::string& pathPrefix) noexcept
{
    try
    {
        _ctx.routes.removeWebSocket(_pluginId, pathPrefix);
        std::lock_guard<std::mutex> lock(_mutex);
        _wsEndpoints.erase(pathPrefix);
    }
    catch (...)
    {
    }
}

sdk::Status HostServicesImpl::connectWebSocket(const sdk::WebSocketConnectOptions& options, sdk::EventLoop& loop,
                                               std::shared_ptr<sdk::WebSocketHandler> handler) noexcept
{
    try
    {
        return _ctx.engine.connect(options, loop, holdLibrary(std::move(handler)), _pluginId + " client");
    }
    catch (const std::exception& e)
    {
        return sdk::Status::internal(e.what());
    }
}

void HostServicesImpl::runBlocking(std::function<void()> task) noexcept
{
    try
    {
        auto keep = _keepAlive;
        _ctx.blocking.submit([task = std::move(task), keep]() { task(); });
    }
    catch (...)
    {
        _logger.error("runBlocking: task could not be queued");
    }
}

std::int64_t HostServicesImpl::nowUnixMs() const noexcept
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void HostServicesImpl::removeLeftovers()
{
    std::set<std::pair<std::string, std::string>> http;
    std::set<std::string> ws;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        http.swap(_httpRoutes);
        ws.swap(_wsEndpoints);
    }
    for (const auto& r : http)
    {
        _logger.warn("plugin '" + _pluginId + "' left route " + r.first + " " + r.second + " registered after shutdown; removed");
        _ctx.routes.removeHttp(_pluginId, r.first, r.second);
    }
    for (const auto& p : ws)
    {
        _logger.warn("plugin '" + _pluginId + "' left WebSocket endpoint " + p + " registered after shutdown; removed");
        _ctx.routes.removeWebSocket(_pluginId, p);
    }
}

} // namespace patchbay::host
