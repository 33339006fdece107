// TenantLimiter.h: per-tenant admission counters — concurrent calls counted exactly, calls per minute over a sliding window.
#ifndef PATCHBAY_HOST_CORE_TENANT_LIMITER_H
#define PATCHBAY_HOST_CORE_TENANT_LIMITER_H

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include <patchbay/sdk/Tenant.h>

namespace patchbay::host {

/// A slot is taken when a call is admitted and given back exactly once: when its media leg ends, or
/// when it never got a stream (expired), or when its admission could not be recorded. Counts live in
/// this process (a multi-node deployment would keep them in the shared store, DESIGN §8).
/// THREAD: Any (one mutex, control path only — never per frame).
class TenantLimiter
{
public:
    enum class Verdict { Admitted, MaxConcurrent, CallsPerMinute };

    /// Takes a slot when the tenant is within its limits (0 = unlimited).
    Verdict tryAdmit(const std::string& tenantId, const sdk::TenantLimits& limits, std::int64_t nowMs);
    /// Gives back the slot of an admitted call. Unknown tenants or extra releases are ignored.
    void release(const std::string& tenantId);
    std::uint32_t active(const std::string& tenantId) const;

    static const char* verdictName(Verdict v);

private:
    struct Counters
    {
        std::uint32_t active = 0;
        std::deque<std::int64_t> recentAdmissions; ///< admission times within the last minute
    };

    mutable std::mutex _mutex;
    std::unordered_map<std::string, Counters> _tenants;
};

} // namespace patchbay::host

#endif
