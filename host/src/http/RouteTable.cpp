// RouteTable.cpp: route registration and lookup.
#include "http/RouteTable.h"

#include <algorithm>
#include <mutex>

namespace patchbay::host {

bool RouteTable::validPath(const std::string& path)
{
    if (path.empty() || path[0] != '/' || path.size() > 512) return false;
    return std::all_of(path.begin(), path.end(), [](char c) { return c > 0x20 && c < 0x7f && c != '?' && c != '#'; });
}

sdk::Status RouteTable::addHttp(HttpRoute route)
{
    if (!validPath(route.path)) return sdk::Status::invalidArgument("route path '" + route.path + "' must start with '/' and hold no spaces, '?' or '#'");
    if (route.method.empty()) return sdk::Status::invalidArgument("route method is empty");
    if (!route.handler) return sdk::Status::invalidArgument("route handler is null");
    std::unique_lock<std::shared_mutex> lock(_mutex);
    for (const auto& r : _http)
        if (r->method == route.method && r->path == route.path && r->prefix == route.prefix)
            return sdk::Status::alreadyExists(route.method + " " + route.path + " is already registered by '" + r->owner + "'");
    _http.push_back(std::make_shared<const HttpRoute>(std::move(route)));
    return sdk::Status::ok();
}

void RouteTable::removeHttp(const std::string& owner, const std::string& method, const std::string& path)
{
    std::unique_lock<std::shared_mutex> lock(_mutex);
    _http.erase(std::remove_if(_http.begin(), _http.end(),
                               [&](const auto& r) { return r->owner == owner && r->method == method && r->path == path; }),
                _http.end());
}

sdk::Status RouteTable::addWebSocket(WebSocketRoute route)
{
    if (!validPath(route.pathPrefix))
        return sdk::Status::invalidArgument("endpoint path '" + route.pathPrefix + "' must start with '/' and hold no spaces, '?' or '#'");
    if (!route.endpoint) return sdk::Status::invalidArgument("endpoint is null");
    std::unique_lock<std::shared_mutex> lock(_mutex);
    for (const auto& r : _ws)
        if (r->pathPrefix == route.pathPrefix)
            return sdk::Status::alreadyExists("WebSocket endpoint " + route.pathPrefix + " is already registered by '" + r->owner + "'");
    _ws.push_back(std::make_shared<const WebSocketRoute>(std::move(route)));
    return sdk::Status::ok();
}

void RouteTable::removeWebSocket(const std::string& owner, const std::string& pathPrefix)
{
    std::unique_lock<std::shared_mutex> lock(_mutex);
    _ws.erase(std::remove_if(_ws.begin(), _ws.end(),
                             [&](const auto& r) { return r->owner == owner && r->pathPrefix == pathPrefix; }),
              _ws.end());
}

void RouteTable::removeOwner(const std::string& owner)
{
    std::unique_lock<std::shared_mutex> lock(_mutex);
    _http.erase(std::remove_if(_http.begin(), _http.end(), [&](const auto& r) { return r->owner == owner; }), _http.end());
    _ws.erase(std::remove_if(_ws.begin(), _ws.end(), [&](const auto& r) { return r->owner == owner; }), _ws.end());
}

std::shared_ptr<const HttpRoute> RouteTable::findHttp(const std::string& method, const std::string& path,
                                                      bool& pathExists) const
{
    std::shared_lock<std::shared_mutex> lock(_mutex);
    pathExists = false;
    std::shared_ptr<const HttpRoute> best;
    for (const auto& r : _http)
    {
        const bool matches = r->prefix ? path.compare(0, r->path.size(), r->path) == 0 : path == r->path;
        if (!matches) continue;
        if (r->method != method && !(method == "HEAD" && r->method == "GET"))
        {
            pathExists = true;
            continue;
        }
        if (!best || (!r->prefix && best->prefix) || (r->prefix == best->prefix && r->path.size() > best->path.size())) best = r;
    }
    return best;
}

std::shared_ptr<const WebSocketRoute> RouteTable::findWebSocket(const std::string& path) const
{
    std::shared_lock<std::shared_mutex> lock(_mutex);
    std::shared_ptr<const WebSocketRoute> best;
    for (const auto& r : _ws)
        if (path.compare(0, r->pathPrefix.size(), r->pathPrefix) == 0 && (!best || r->pathPrefix.size() > best->pathPrefix.size()))
            best = r;
    return best;
}

} // namespace patchbay::host
