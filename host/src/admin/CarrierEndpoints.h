// CarrierEndpoints.h: /v1/calls actions that go to the carrier — place an outbound call, hang up, transfer — and the carrier helpers numbers and doctor share.
#ifndef PATCHBAY_HOST_ADMIN_CARRIER_ENDPOINTS_H
#define PATCHBAY_HOST_ADMIN_CARRIER_ENDPOINTS_H

#include <string>

#include <patchbay/sdk/Status.h>
#include <patchbay/sdk/Tenant.h>

#include "admin/AdminContext.h"
#include "admin/AdminRouteTable.h"

namespace patchbay::host {

/// Carrier calls block (REST with retries): they run on the admin worker that serves the request,
/// within the carrier plugin's own timeouts. A tenant token places, hangs up and transfers only its
/// own tenant's calls; another tenant's call is an unknown call (404), another tenant in a body too.
class CarrierEndpoints
{
public:
    static void addRoutes(AdminRouteTable& routes, const AdminContext& ctx);

    /// The inbound provider for numbers and outbound calls, or nullptr with `why`.
    static const InboundBinding* numbersProvider(const AdminContext& ctx, std::string* why);

    /// A carrier failure as the API reports it (never with a secret: plugins keep them out of Status):
    /// InvalidArgument 400 on `field`, NotFound 404 when `notFoundIs404` (else 502), AlreadyExists 409,
    /// Declined 501 (the plugin does not do that), anything else 502 naming the carrier's message.
    static AdminProblem carrierProblem(const sdk::Status& status, const std::string& pluginId, const std::string& action,
                                       const std::string& field = {}, bool notFoundIs404 = false);

private:
    static void place(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
    static void hangup(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
    static void transfer(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);

    /// The live call `request` names (path parameter 0) as its principal may see it, and its provider.
    static sdk::CallRecord liveCall(const AdminContext& ctx, const AdminRequest& request, const InboundBinding*& provider);
};

} // namespace patchbay::host

#endif
