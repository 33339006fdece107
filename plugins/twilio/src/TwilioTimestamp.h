// TwilioTimestamp.h: the two timestamp formats Twilio callbacks use (RFC 2822 for calls, ISO 8601 for streams) as Unix ms.
#ifndef PATCHBAY_TWILIO_TWILIO_TIMESTAMP_H
#define PATCHBAY_TWILIO_TWILIO_TIMESTAMP_H

#include <cstdint>
#include <optional>
#include <string_view>

namespace patchbay::twilio {

/// Strict, locale-free parsers (no strptime: its %a/%b depend on the C locale of the host process).
class TwilioTimestamp
{
public:
    /// "Fri, 20 Aug 2010 01:13:42 +0000" (the day name is optional; zones +hhmm/-hhmm, GMT, UT, UTC, Z).
    static std::optional<std::int64_t> parseRfc2822(std::string_view text) noexcept;

    /// "2024-05-01T12:34:56Z", "2024-05-01T12:34:56.789Z", "2024-05-01T12:34:56+02:00" (also with a space for T).
    static std::optional<std::int64_t> parseIso8601(std::string_view text) noexcept;

    /// Whichever of the two formats `text` is in.
    static std::optional<std::int64_t> parse(std::string_view text) noexcept;

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    static std::int64_t daysFromCivil(std::int64_t year, unsigned month, unsigned day) noexcept;
};

} // namespace patchbay::twilio

#endif
