// TenantEndpoints.h: /v1/tenants — tenant CRUD, suspend/resume and A/B variants.
#ifndef PATCHBAY_HOST_ADMIN_TENANT_ENDPOINTS_H
#define PATCHBAY_HOST_ADMIN_TENANT_ENDPOINTS_H

#include <string>

#include <patchbay/sdk/Tenant.h>

#include "admin/AdminContext.h"
#include "admin/AdminRouteTable.h"

namespace patchbay::host {

/// Reads are open to a tenant token for its own tenant only; everything else is operator-only.
class TenantEndpoints
{
public:
    static void addRoutes(AdminRouteTable& routes, const AdminContext& ctx);

    /// The tenant `id` as `request`'s principal may see it. Unknown and not-yours give the same 404
    /// (same detail, same field), so a tenant token cannot probe for other tenants.
    static sdk::Tenant visibleTenant(const AdminContext& ctx, const AdminRequest& request, const std::string& id);

private:
    static void list(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
    static void create(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
    static void get(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
    static void replace(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
    static void remove(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
    static void setStatus(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response, sdk::TenantStatus status);
    static void setVariants(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
};

} // namespace patchbay::host

#endif
