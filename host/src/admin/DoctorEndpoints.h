// DoctorEndpoints.h: GET /v1/doctor — every assigned number and the public endpoints checked at the carrier, one finding each.
#ifndef PATCHBAY_HOST_ADMIN_DOCTOR_ENDPOINTS_H
#define PATCHBAY_HOST_ADMIN_DOCTOR_ENDPOINTS_H

#include <vector>

#include <patchbay/sdk/InboundProvider.h>

#include "admin/AdminContext.h"
#include "admin/AdminRouteTable.h"

namespace patchbay::host {

/// Operator only: it names every tenant's numbers and accounts. Nothing is changed; what cannot be
/// checked (no carrier plugin, a number without an account, a carrier that cannot be asked) is a
/// finding too, so the answer is always 200 with {"ok", "checks"}. Blocks for as long as the carrier
/// plugin's REST calls and self-requests take (one admin worker).
class DoctorEndpoints
{
public:
    static void addRoutes(AdminRouteTable& routes, const AdminContext& ctx);

    /// The findings, in order: one per assigned number, then the provider's public-endpoint checks.
    static std::vector<sdk::SetupCheck> run(const AdminContext& ctx);

private:
    static void doctor(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
};

} // namespace patchbay::host

#endif
