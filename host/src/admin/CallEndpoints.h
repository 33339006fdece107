// CallEndpoints.h: /v1/calls and /v1/usage — call records with status history and transcript, monthly usage.
#ifndef PATCHBAY_HOST_ADMIN_CALL_ENDPOINTS_H
#define PATCHBAY_HOST_ADMIN_CALL_ENDPOINTS_H

#include "admin/AdminContext.h"
#include "admin/AdminRouteTable.h"

namespace patchbay::host {

/// A tenant token sees its own calls and usage only; another tenant's call is an unknown call.
class CallEndpoints
{
public:
    static constexpr std::int64_t kDefaultLimit = 100;
    static constexpr std::int64_t kMaxLimit = 1000;

    static void addRoutes(AdminRouteTable& routes, const AdminContext& ctx);

private:
    static void list(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
    static void get(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
    static void usage(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
};

} // namespace patchbay::host

#endif
