// Billing.h: header-only usage arithmetic shared by the core and every tenant store — billed seconds, cost, usage month.
#ifndef PATCHBAY_SDK_SUPPORT_BILLING_H
#define PATCHBAY_SDK_SUPPORT_BILLING_H

#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>

namespace patchbay::sdk::support {

/// Integer arithmetic only, so totals over many calls never drift and every store bills a call
/// exactly as the core priced it. Operators read the rules in docs/operator/tenant-sqlite.md
/// ("Usage and cost"). THREAD: any (pure functions).
class Billing
{
public:
    /// Every started second is billed.
    /// @return ceil(durationMs / 1000); 0 for no or a negative duration.
    static std::int64_t billedSeconds(std::int64_t durationMs) noexcept
    {
        if (durationMs <= 0)
            return 0;
        return durationMs / 1000 + (durationMs % 1000 != 0 ? 1 : 0);
    }

    /// Cost in millionths of the tenant's currency; rounds up so a call is never undercharged.
    /// @return ceil(seconds * perMinuteMicros / 60), saturating at INT64_MAX instead of wrapping;
    ///         0 when either argument is not positive.
    static std::int64_t costMicros(std::int64_t seconds, std::int64_t perMinuteMicros) noexcept
    {
        if (seconds <= 0 || perMinuteMicros <= 0)
            return 0;
        constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
        // Whole minutes and the remaining seconds apart, so the product stays in range for any
        // realistic rate.
        const std::int64_t minutes = seconds / 60;
        const std::int64_t rest = seconds % 60;
        if (minutes > 0 && perMinuteMicros > kMax / minutes)
            return kMax;
        const std::int64_t whole = minutes * perMinuteMicros;
        if (rest > 0 && perMinuteMicros > kMax / rest)
            return kMax;
        const std::int64_t partial = (rest * perMinuteMicros + 59) / 60;
        return whole > kMax - partial ? kMax : whole + partial;
    }

    /// The UTC calendar month a Unix-millisecond time falls in — the key of monthly usage.
    /// Pure arithmetic (no gmtime, locale or time-zone state), correct before 1970 too.
    /// @return "YYYY-MM".
    static std::string monthOf(std::int64_t unixMs)
    {
        std::int64_t days = unixMs / 86400000;
        if (unixMs % 86400000 < 0)
            --days; // floor division
        // Howard Hinnant's civil_from_days.
        days += 719468;
        const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
        const std::int64_t dayOfEra = days - era * 146097;
        const std::int64_t yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
        const std::int64_t dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        const std::int64_t mp = (5 * dayOfYear + 2) / 153;
        const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
        const std::int64_t year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        char text[32];
        std::snprintf(text, sizeof(text), "%04lld-%02lld", static_cast<long long>(year), static_cast<long long>(month));
        return text;
    }
};

} // namespace patchbay::sdk::support

#endif
