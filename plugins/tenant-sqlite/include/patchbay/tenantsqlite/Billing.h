// Billing.h: the usage arithmetic of finishCall — billed seconds, cost from the tenant's rate, month of a call.
#ifndef PATCHBAY_TENANTSQLITE_BILLING_H
#define PATCHBAY_TENANTSQLITE_BILLING_H

#include <cstdint>
#include <string>

namespace patchbay::tenantsqlite {

/// Integer arithmetic only, so totals over many calls never drift. Documented for operators in
/// docs/operator/tenant-sqlite.md ("Usage and cost"); FakeTenantStore mirrors it.
class Billing
{
public:
    /// Every started second is billed: ceil(durationMs / 1000); 0 for no or negative duration.
    static std::int64_t billedSeconds(std::int64_t durationMs) noexcept;

    /// ceil(seconds * perMinuteMicros / 60), saturating instead of overflowing.
    static std::int64_t costMicros(std::int64_t seconds, std::int64_t perMinuteMicros) noexcept;

    /// The UTC calendar month of a Unix-millisecond time, "YYYY-MM".
    static std::string monthOf(std::int64_t unixMs);
};

} // namespace patchbay::tenantsqlite

#endif
