// TokenEndpoints.h: /v1/tenants/{id}/tokens — issuing, listing and revoking tenant API tokens (operator only).
#ifndef PATCHBAY_HOST_ADMIN_TOKEN_ENDPOINTS_H
#define PATCHBAY_HOST_ADMIN_TOKEN_ENDPOINTS_H

#include "admin/AdminContext.h"
#include "admin/AdminRouteTable.h"

namespace patchbay::host {

/// A token is shown once, in the 201 that issues it; the store keeps only its SHA-256. Listings
/// carry neither token nor hash.
class TokenEndpoints
{
public:
    static void addRoutes(AdminRouteTable& routes, const AdminContext& ctx);

private:
    static void issue(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
    static void list(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
    static void revoke(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
};

} // namespace patchbay::host

#endif
