// Billing.cpp: ceiling divisions and a civil-calendar month without locale or time-zone state.
#include "patchbay/tenantsqlite/Billing.h"

#include <cstdio>
#include <limits>

namespace patchbay::tenantsqlite {

std::int64_t Billing::billedSeconds(std::int64_t durationMs) noexcept
{
    if (durationMs <= 0)
        return 0;
    return durationMs / 1000 + (durationMs % 1000 != 0 ? 1 : 0);
}

std::int64_t Billing::costMicros(std::int64_t seconds, std::int64_t perMinuteMicros) noexcept
{
    if (seconds <= 0 || perMinuteMicros <= 0)
        return 0;
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    // Whole minutes and the remaining seconds separately, so the product stays in range for any
    // realistic rate; saturate beyond that rather than wrap to a negative bill.
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

std::string Billing::monthOf(std::int64_t unixMs)
{
    // Floor division, so times before 1970 fall into the right day.
    std::int64_t days = unixMs / 86400000;
    if (unixMs % 86400000 < 0)
        --days;
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

} // namespace patchbay::tenantsqlite
