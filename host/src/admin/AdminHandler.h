// AdminHandler.h: the admin listener's one HTTP handler — authenticate, route, authorise, run the endpoint, answer problems.
#ifndef PATCHBAY_HOST_ADMIN_ADMIN_HANDLER_H
#define PATCHBAY_HOST_ADMIN_ADMIN_HANDLER_H

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <patchbay/sdk/Http.h>
#include <patchbay/sdk/Logger.h>
#include <patchbay/sdk/Metrics.h>

#include "admin/AdminAuthenticator.h"
#include "admin/AdminRouteTable.h"

namespace patchbay::host {

/// Registered on the admin RouteTable as a prefix route for "/", so every path — known or not —
/// answers with a problem+json body. Order: 401 before anything else (an unauthenticated client
/// learns nothing about routes), then 413, 404/405, 403, then the endpoint.
/// One log line per request: method, path, status, principal, time. Never a token or a body.
/// THREAD: I/O, concurrently from the admin listener's workers.
class AdminHandler final : public sdk::HttpHandler
{
public:
    static constexpr std::size_t kMaxBodyBytes = 256 * 1024;

    AdminHandler(const AdminRouteTable& routes, const AdminAuthenticator& authenticator, sdk::Logger& logger,
                 sdk::Metrics& metrics);

    void handle(const sdk::HttpRequest& request, sdk::HttpResponse& response) override;

    /// "/v1/numbers/%2B1500" -> {"v1", "numbers", "+1500"}; one trailing slash is ignored.
    /// @return nullopt for a malformed percent escape.
    static std::optional<std::vector<std::string>> splitPath(const std::string& path);

private:
    /// @return the route pattern for metrics, or "unmatched".
    std::string serve(const sdk::HttpRequest& request, sdk::HttpResponse& response, std::string& principal);

    const AdminRouteTable& _routes;
    const AdminAuthenticator& _authenticator;
    sdk::Logger& _logger;
    sdk::Metrics& _metrics;
};

} // namespace patchbay::host

#endif
