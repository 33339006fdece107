// AccountEndpoints.h: /v1/accounts — carrier accounts and auth-token rotation (operator only).
#ifndef PATCHBAY_HOST_ADMIN_ACCOUNT_ENDPOINTS_H
#define PATCHBAY_HOST_ADMIN_ACCOUNT_ENDPOINTS_H

#include <string>

#include <patchbay/sdk/Tenant.h>

#include "admin/AdminContext.h"
#include "admin/AdminRouteTable.h"

namespace patchbay::host {

class AccountEndpoints
{
public:
    static void addRoutes(AdminRouteTable& routes, const AdminContext& ctx);

private:
    static sdk::CarrierAccount existing(const AdminContext& ctx, const std::string& sid);
    static void checkParent(const AdminContext& ctx, const sdk::CarrierAccount& account);
    static void list(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
    static void create(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
    static void get(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
    static void replace(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
    static void remove(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
    static void rotateToken(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
};

} // namespace patchbay::host

#endif
