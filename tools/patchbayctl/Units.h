// Units.h: conversions between what operators type/read (ISO 8601 times, decimal money) and what the API carries (ms, micros).
#ifndef PATCHBAY_TOOLS_PATCHBAYCTL_UNITS_H
#define PATCHBAY_TOOLS_PATCHBAYCTL_UNITS_H

#include <cstdint>
#include <optional>
#include <string>

namespace patchbay {
namespace ctl {

/// Money stays integer (millionths) end to end, like the store; a double would turn "0.07" into
/// 69999 micros.
class Units
{
public:
    /// "2024-05-01T12:00:00Z" (UTC); "" for 0 (not happened).
    static std::string timestamp(std::int64_t ms, bool withMillis = false);
    /// "42s", "3m05s", "1h02m03s"; "" for a negative value.
    static std::string duration(std::int64_t ms);
    /// 50000 -> "0.05", 1234567 -> "1.234567" (at least two decimals).
    static std::string money(std::int64_t micros);

    /// Seconds as minutes with two decimals, rounded half up like the API: 90 -> "1.50".
    static std::string minutes(std::int64_t seconds);

    /// "0.05" -> 50000; nullopt for anything that is not a non-negative decimal with at most 6 decimals.
    static std::optional<std::int64_t> parseMicros(const std::string& text);
    /// Unix milliseconds from an integer (already ms) or ISO 8601 ("2024-05-01", "2024-05-01T12:00:00Z",
    /// with offset or fraction); nullopt when neither.
    static std::optional<std::int64_t> parseTime(const std::string& text);
    static bool isMonth(const std::string& text);
};

} // namespace ctl
} // namespace patchbay

#endif
