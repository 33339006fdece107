// AdminRouteTable.h: the admin API's method + path-template table ("/v1/tenants/{}") with 404/405 resolution.
#ifndef PATCHBAY_HOST_ADMIN_ADMIN_ROUTE_TABLE_H
#define PATCHBAY_HOST_ADMIN_ADMIN_ROUTE_TABLE_H

#include <functional>
#include <string>
#include <vector>

#include <patchbay/sdk/Http.h>

#include "admin/AdminRequest.h"

namespace patchbay::host {

/// Operator: only the operator token. Tenant: any valid token; the endpoint confines a tenant token
/// to its own tenant.
enum class AdminAccess { Operator, Tenant };

using AdminEndpoint = std::function<void(AdminRequest&, sdk::HttpResponse&)>;

struct AdminRoute
{
    std::string method;
    std::string pattern; ///< "/v1/tenants/{id}", also the metrics label
    std::vector<std::string> segments;
    AdminAccess access = AdminAccess::Operator;
    AdminEndpoint endpoint;
};

/// Filled once before the listener starts, then only read (no locking needed).
/// The host's RouteTable only knows exact and prefix paths; the admin API needs templates, so the
/// admin listener registers one prefix route and resolves the rest here.
class AdminRouteTable
{
public:
    struct Match
    {
        const AdminRoute* route = nullptr;
        std::vector<std::string> params; ///< one per "{...}", in order
        bool pathKnown = false;          ///< some route has this path with another method (-> 405)
        std::string allow;               ///< those methods, for the Allow header
    };

    /// @param pattern segments in braces ("{id}") match any one non-empty segment.
    void add(std::string method, std::string pattern, AdminAccess access, AdminEndpoint endpoint);
    /// HEAD matches GET routes. `segments` are already percent-decoded.
    Match match(const std::string& method, const std::vector<std::string>& segments) const;

private:
    std::vector<AdminRoute> _routes;
};

} // namespace patchbay::host

#endif
