// NumberEndpoints.h: /v1/numbers — which tenant and account each E.164 number routes to.
#ifndef PATCHBAY_HOST_ADMIN_NUMBER_ENDPOINTS_H
#define PATCHBAY_HOST_ADMIN_NUMBER_ENDPOINTS_H

#include <string>

#include <patchbay/sdk/Tenant.h>

#include "admin/AdminContext.h"
#include "admin/AdminRouteTable.h"
#include "core/InboundProviders.h"

namespace patchbay::host {

/// A tenant token lists, assigns and releases only its own numbers. Another tenant's number looks
/// unknown (404) to it, except when it tries to assign that number to itself: that is the 409 every
/// caller gets for a taken number, without naming the owner.
/// Every assignment also goes to the carrier plugin (InboundProvider::configureNumber): with
/// "configure": true it must succeed (502 otherwise, the assignment stays); without it the plugin's own
/// setting decides and a failure is only reported in the answer's "carrier" object.
class NumberEndpoints
{
public:
    static void addRoutes(AdminRouteTable& routes, const AdminContext& ctx);

private:
    struct CarrierOutcome
    {
        bool configured = false;
        std::string error; ///< a failure of an assignment that did not ask for --configure
    };

    /// Configures `stored` at the carrier and saves the phoneNumberSid it learnt. @throws AdminProblem when requested and failed.
    static CarrierOutcome configureAtCarrier(const AdminContext& ctx, const InboundBinding* carrier, sdk::NumberRoute& stored,
                                             const sdk::CarrierAccount& account, bool requested);
    static std::string pathNumber(const AdminRequest& request);
    static sdk::NumberRoute visibleNumber(const AdminContext& ctx, const AdminRequest& request, const std::string& number);
    static void list(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
    static void get(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
    static void assign(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
    static void release(const AdminContext& ctx, AdminRequest& request, sdk::HttpResponse& response);
};

} // namespace patchbay::host

#endif
