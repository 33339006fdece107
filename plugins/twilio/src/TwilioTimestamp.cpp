// TwilioTimestamp.cpp: RFC 2822 and ISO 8601 timestamps to Unix milliseconds, without the C library's locale or time zone.
#include "TwilioTimestamp.h"

#include <cstring>

namespace patchbay::twilio {

namespace {

/// A cursor over the text; every reader fails (returns false) without moving past bad input.
struct Cursor
{
    std::string_view text;
    std::size_t pos = 0;

    bool done() const { return pos >= text.size(); }
    char peek() const { return done() ? '\0' : text[pos]; }
    bool accept(char c)
    {
        if (peek() != c) return false;
        ++pos;
        return true;
    }
    void skipSpaces()
    {
        while (peek() == ' ' || peek() == '\t') ++pos;
    }
    /// Exactly `min`..`max` digits.
    bool digits(std::size_t min, std::size_t max, std::int64_t& out)
    {
        std::size_t n = 0;
        out = 0;
        while (n < max && peek() >= '0' && peek() <= '9')
        {
            out = out * 10 + (peek() - '0');
            ++pos;
            ++n;
        }
        return n >= min;
    }
    bool word(std::string_view& out)
    {
        const std::size_t start = pos;
        while ((peek() >= 'A' && peek() <= 'Z') || (peek() >= 'a' && peek() <= 'z')) ++pos;
        out = text.substr(start, pos - start);
        return !out.empty();
    }
};

bool equalsIgnoreCase(std::string_view a, const char* b)
{
    if (a.size() != std::strlen(b)) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
    {
        char x = a[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        char y = b[i];
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

bool validDate(std::int64_t year, std::int64_t month, std::int64_t day, std::int64_t h, std::int64_t m, std::int64_t s)
{
    static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 || day > kDays[month - 1]) return false;
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (month == 2 && day == 29 && !leap) return false;
    return h <= 23 && m <= 59 && s <= 60; // 60: a leap second, as RFC 2822 allows
}

std::int64_t toMs(std::int64_t year, std::int64_t month, std::int64_t day, std::int64_t h, std::int64_t m, std::int64_t s,
                  std::int64_t ms, std::int64_t offsetMinutes)
{
    const std::int64_t days = TwilioTimestamp::daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    return ((days * 86400 + h * 3600 + m * 60 + s) - offsetMinutes * 60) * 1000 + ms;
}

/// "+hhmm", "-hh:mm" or "Z"-like names. @param colon whether ISO's "+hh:mm" form is expected.
bool zone(Cursor& c, bool iso, std::int64_t& offsetMinutes)
{
    offsetMinutes = 0;
    if (c.peek() == '+' || c.peek() == '-')
    {
        const bool negative = c.peek() == '-';
        ++c.pos;
        std::int64_t hh = 0, mm = 0;
        if (!c.digits(2, 2, hh)) return false;
        if (iso) c.accept(':');
        if (!c.digits(2, 2, mm) || hh > 23 || mm > 59) return false;
        offsetMinutes = (negative ? -1 : 1) * (hh * 60 + mm);
        return true;
    }
    std::string_view name;
    if (!c.word(name)) return false;
    return equalsIgnoreCase(name, "Z") || equalsIgnoreCase(name, "GMT") || equalsIgnoreCase(name, "UT") ||
           equalsIgnoreCase(name, "UTC");
}

} // namespace

std::int64_t TwilioTimestamp::daysFromCivil(std::int64_t year, unsigned month, unsigned day) noexcept
{
    year -= month <= 2;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto yoe = static_cast<unsigned>(year - era * 400);
    const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::optional<std::int64_t> TwilioTimestamp::parseRfc2822(std::string_view text) noexcept
{
    static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    Cursor c{text};
    c.skipSpaces();
    std::string_view word;
    const std::size_t start = c.pos;
    if (c.word(word))
    {
        if (!c.accept(',')) return std::nullopt; // a day name must be followed by ','
        c.skipSpaces();
    }
    else
        c.pos = start;
    std::int64_t day = 0, year = 0, h = 0, m = 0, s = 0, offset = 0;
    if (!c.digits(1, 2, day)) return std::nullopt;
    c.skipSpaces();
    if (!c.word(word)) return std::nullopt;
    std::int64_t month = 0;
    for (int i = 0; i < 12; ++i)
        if (equalsIgnoreCase(word, kMonths[i])) month = i + 1;
    if (month == 0) return std::nullopt;
    c.skipSpaces();
    if (!c.digits(4, 4, year)) return std::nullopt;
    c.skipSpaces();
    if (!c.digits(2, 2, h) || !c.accept(':') || !c.digits(2, 2, m)) return std::nullopt;
    if (c.accept(':') && !c.digits(2, 2, s)) return std::nullopt;
    c.skipSpaces();
    if (!zone(c, false, offset)) return std::nullopt;
    c.skipSpaces();
    if (!c.done() || !validDate(year, month, day, h, m, s)) return std::nullopt;
    return toMs(year, month, day, h, m, s, 0, offset);
}

std::optional<std::int64_t> TwilioTimestamp::parseIso8601(std::string_view text) noexcept
{
    Cursor c{text};
    c.skipSpaces();
    std::int64_t year = 0, month = 0, day = 0, h = 0, m = 0, s = 0, ms = 0, offset = 0;
    if (!c.digits(4, 4, year) || !c.accept('-') || !c.digits(2, 2, month) || !c.accept('-') || !c.digits(2, 2, day))
        return std::nullopt;
    if (!c.accept('T') && !c.accept('t') && !c.accept(' ')) return std::nullopt;
    if (!c.digits(2, 2, h) || !c.accept(':') || !c.digits(2, 2, m) || !c.accept(':') || !c.digits(2, 2, s))
        return std::nullopt;
    if (c.accept('.') || c.accept(','))
    {
        // Keep milliseconds; finer digits are read and dropped.
        std::int64_t fraction = 0;
        const std::size_t start = c.pos;
        if (!c.digits(1, 9, fraction)) return std::nullopt;
        std::size_t n = c.pos - start;
        while (n > 3)
        {
            fraction /= 10;
            --n;
        }
        while (n < 3)
        {
            fraction *= 10;
            ++n;
        }
        ms = fraction;
    }
    if (!zone(c, true, offset)) return std::nullopt;
    c.skipSpaces();
    if (!c.done() || !validDate(year, month, day, h, m, s)) return std::nullopt;
    return toMs(year, month, day, h, m, s, ms, offset);
}

std::optional<std::int64_t> TwilioTimestamp::parse(std::string_view text) noexcept
{
    if (auto iso = parseIso8601(text)) return iso;
    return parseRfc2822(text);
}

} // namespace patchbay::twilio
