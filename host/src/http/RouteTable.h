// RouteTable.h: the HTTP routes and WebSocket endpoints plugins (and the host) registered, looked up per request.
#ifndef PATCHBAY_HOST_HTTP_ROUTE_TABLE_H
#define PATCHBAY_HOST_HTTP_ROUTE_TABLE_H

#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include <patchbay/sdk/Http.h>
#include <patchbay/sdk/Status.h>
#include <patchbay/sdk/WebSocket.h>

namespace patchbay::host {

struct HttpRoute
{
    std::string owner; ///< plugin id, or "host"
    std::string method;
    std::string path;
    bool prefix = false;
    std::shared_ptr<sdk::HttpHandler> handler;
    std::shared_ptr<const void> keepAlive; ///< the owning plugin's library
};

struct WebSocketRoute
{
    std::string owner;
    std::string pathPrefix;
    std::shared_ptr<sdk::WebSocketEndpoint> endpoint;
    /// The owning plugin's library: every connection handler the endpoint creates holds it too.
    std::shared_ptr<const void> keepAlive;
};

/// Registration happens at startup (Control); lookups run on every request (I/O) under a shared lock.
/// Exact routes win over prefix routes; among prefixes the longest wins.
class RouteTable
{
public:
    sdk::Status addHttp(HttpRoute route);
    void removeHttp(const std::string& owner, const std::string& method, const std::string& path);
    sdk::Status addWebSocket(WebSocketRoute route);
    void removeWebSocket(const std::string& owner, const std::string& pathPrefix);
    /// Removes everything an owner registered (a plugin that forgot its shutdown symmetry).
    void removeOwner(const std::string& owner);

    /// The route for method+path; when only the method differs, `pathExists` is set (→ 405).
    std::shared_ptr<const HttpRoute> findHttp(const std::string& method, const std::string& path, bool& pathExists) const;
    std::shared_ptr<const WebSocketRoute> findWebSocket(const std::string& path) const;

    static bool validPath(const std::string& path);

private:
    mutable std::shared_mutex _mutex;
    std::vector<std::shared_ptr<const HttpRoute>> _http;
    std::vector<std::shared_ptr<const WebSocketRoute>> _ws;
};

} // namespace patchbay::host

#endif
