// Units.cpp: time and money formatting/parsing for patchbayctl.
#include "Units.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>
#include <Poco/Timestamp.h>

#include <cctype>
#include <charconv>
#include <cinttypes>
#include <cstdio>

namespace patchbay {
namespace ctl {

std::string Units::timestamp(std::int64_t ms, bool withMillis)
{
    if (ms <= 0)
        return std::string();
    const Poco::Timestamp ts(static_cast<Poco::Timestamp::TimeVal>(ms) * 1000);
    return Poco::DateTimeFormatter::format(ts, withMillis ? "%Y-%m-%dT%H:%M:%S.%iZ" : "%Y-%m-%dT%H:%M:%SZ");
}

std::string Units::duration(std::int64_t ms)
{
    if (ms < 0)
        return std::string();
    const std::int64_t total = (ms + 500) / 1000;
    char out[48];
    if (total < 60)
        std::snprintf(out, sizeof out, "%" PRId64 "s", total);
    else if (total < 3600)
        std::snprintf(out, sizeof out, "%" PRId64 "m%02" PRId64 "s", total / 60, total % 60);
    else
        std::snprintf(out, sizeof out, "%" PRId64 "h%02" PRId64 "m%02" PRId64 "s", total / 3600, total / 60 % 60,
                      total % 60);
    return out;
}

std::string Units::money(std::int64_t micros)
{
    const bool negative = micros < 0;
    const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(micros) : static_cast<std::uint64_t>(micros);
    char fraction[8];
    std::snprintf(fraction, sizeof fraction, "%06" PRIu64, magnitude % 1000000);
    std::string frac(fraction);
    while (frac.size() > 2 && frac.back() == '0')
        frac.pop_back();
    return (negative ? "-" : "") + std::to_string(magnitude / 1000000) + "." + frac;
}

std::string Units::minutes(std::int64_t seconds)
{
    if (seconds < 0)
        seconds = 0;
    const std::int64_t hundredths = (seconds * 100 + 30) / 60;
    char out[32];
    std::snprintf(out, sizeof out, "%" PRId64 ".%02" PRId64, hundredths / 100, hundredths % 100);
    return out;
}

std::optional<std::int64_t> Units::parseMicros(const std::string& text)
{
    const auto dot = text.find('.');
    const std::string whole = text.substr(0, dot);
    std::string fraction = dot == std::string::npos ? std::string() : text.substr(dot + 1);
    if (whole.empty() && fraction.empty())
        return std::nullopt;
    if (fraction.size() > 6 || whole.size() > 12)
        return std::nullopt;
    for (const char c : whole + fraction)
        if (!std::isdigit(static_cast<unsigned char>(c)))
            return std::nullopt;
    fraction.resize(6, '0');
    std::int64_t units = 0;
    std::int64_t micros = 0;
    if (!whole.empty())
        std::from_chars(whole.data(), whole.data() + whole.size(), units);
    std::from_chars(fraction.data(), fraction.data() + fraction.size(), micros);
    return units * 1000000 + micros;
}

std::optional<std::int64_t> Units::parseTime(const std::string& text)
{
    if (text.empty())
        return std::nullopt;
    std::int64_t ms = 0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), ms);
    if (result.ec == std::errc() && result.ptr == text.data() + text.size())
        return ms >= 0 ? std::optional<std::int64_t>(ms) : std::nullopt;
    // Poco's ISO parser is lenient about what follows; insist on the date part at least.
    if (text.size() < 10 || text[4] != '-' || text[7] != '-')
        return std::nullopt;
    for (const std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (!std::isdigit(static_cast<unsigned char>(text[i])))
            return std::nullopt;
    // A bare date is the start of that day, UTC.
    std::string iso = text;
    if (iso.size() == 10)
        iso += "T00:00:00Z";
    int tzd = 0;
    Poco::DateTime parsed;
    for (const std::string& format : {Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, Poco::DateTimeFormat::ISO8601_FORMAT})
    {
        if (Poco::DateTimeParser::tryParse(format, iso, parsed, tzd))
        {
            parsed.makeUTC(tzd);
            return parsed.timestamp().epochMicroseconds() / 1000;
        }
    }
    return std::nullopt;
}

bool Units::isMonth(const std::string& text)
{
    if (text.size() != 7 || text[4] != '-')
        return false;
    for (std::size_t i = 0; i < text.size(); ++i)
        if (i != 4 && !std::isdigit(static_cast<unsigned char>(text[i])))
            return false;
    const int month = (text[5] - '0') * 10 + (text[6] - '0');
    return month >= 1 && month <= 12;
}

} // namespace ctl
} // namespace patchbay
