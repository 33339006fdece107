// NumberEndpoints.h: /v1/numbers — which tenant and account each E.164 number routes to.
#ifndef PATCHBAY_HOST_ADMIN_NUMBER_ENDPOINTS_H
#define PATCHBAY_HOST_ADMIN_NUMBER_ENDPOINTS_H

#include <string>

#include <patchbay/sdk/Tenant.h>

#include "admin/AdminContext.h"
#include "admin/AdminRouteTable.h"

namespace patchbay::host {

/// A tenant token lists, assigns and releases only its own numbers. Another tenant's number looks
/// unknown (404) to it, except when it tries to assign that number to itself: that is the 409 every
/// caller gets for a taken number, without naming the owner.
class NumberEndpoints
{
public:
    static void addRoutes(AdminRouteTable& routes, const AdminContext& ctx);

private:
    static std::string pathNumber(const AdminRequest& request);
    static sdk::NumberRoute visibleNumber(const AdminContext& ctx, const AdminRequest& request, const std::string& number);
    static void list(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
    static void get(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
    static void assign(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
    static void release(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
};

} // namespace patchbay::host

#endif
