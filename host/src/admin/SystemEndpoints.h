// SystemEndpoints.h: /v1/health and /v1/keys/rotate — store reachability and re-encryption of stored secrets.
#ifndef PATCHBAY_HOST_ADMIN_SYSTEM_ENDPOINTS_H
#define PATCHBAY_HOST_ADMIN_SYSTEM_ENDPOINTS_H

#include "admin/AdminContext.h"
#include "admin/AdminRouteTable.h"

namespace patchbay::host {

class SystemEndpoints
{
public:
    static void addRoutes(AdminRouteTable& routes, const AdminContext& ctx);

private:
    static void health(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
    static void rotateKeys(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
};

} // namespace patchbay::host

#endif
