// AdminContext.h: what every admin endpoint works with — the tenant store, the clock, the logger — and the store-result helpers.
#ifndef PATCHBAY_HOST_ADMIN_ADMIN_CONTEXT_H
#define PATCHBAY_HOST_ADMIN_ADMIN_CONTEXT_H

#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include <patchbay/sdk/Http.h>
#include <patchbay/sdk/Logger.h>
#include <patchbay/sdk/TenantStore.h>
#include <patchbay/sdk/support/JsonWriter.h>

#include "admin/AdminProblem.h"
#include "core/InboundProviders.h"

namespace patchbay::host {

/// Unix milliseconds (token creation and revocation times).
using AdminClock = std::function<std::int64_t()>;

/// What the admin API reaches of the core for carrier work (numbers, outbound calls, call control,
/// doctor). Both may be unset (tests without carriers): requests that need a carrier then answer 503.
struct AdminCarrier
{
    const InboundProviders* providers = nullptr; ///< read-only after startup
    /// Admitted calls of a tenant that hold a limiter slot (CallRouterImpl::tenantCalls); unset = 0.
    std::function<std::uint32_t(const std::string& tenantId)> tenantCalls;
};

/// Shared by the endpoints of one AdminApi. THREAD: Any (the store is thread-safe).
struct AdminContext
{
    sdk::TenantStore* store = nullptr; ///< null while no tenant store runs: every store call is then 503
    AdminClock clock;
    sdk::Logger* logger = nullptr;
    AdminCarrier carrier;

    sdk::TenantStore& requireStore() const
    {
        if (!store) throw AdminProblem::unavailable("no tenant store is running");
        return *store;
    }

    /// Throws the API's form of a failed store call.
    static void check(const sdk::Status& status)
    {
        if (!status.isOk()) throw AdminProblem::fromStatus(status);
    }

    template <typename T>
    static T unwrap(sdk::Result<T> result)
    {
        if (!result.isOk()) throw AdminProblem::fromStatus(result.status());
        return std::move(result).value();
    }

    /// A JSON answer built by `fill`.
    template <typename Fill>
    static void reply(sdk::HttpResponse& response, int status, Fill&& fill)
    {
        response.status = status;
        response.contentType = "application/json";
        response.body.clear();
        sdk::support::JsonWriter w(response.body);
        fill(w);
    }

    static void noContent(sdk::HttpResponse& response)
    {
        response.status = 204;
        response.contentType = "application/json";
        response.body.clear();
    }
};

} // namespace patchbay::host

#endif
