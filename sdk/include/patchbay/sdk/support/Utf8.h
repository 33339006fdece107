// Utf8.h: header-only strict UTF-8 validation (RFC 3629) and code point encoding, shared by the JSON and text helpers.
#ifndef PATCHBAY_SDK_SUPPORT_UTF8_H
#define PATCHBAY_SDK_SUPPORT_UTF8_H

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace patchbay::sdk::support {

/// Strict UTF-8: no overlong forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
class Utf8
{
public:
    /// Length (1..4) of the well-formed sequence starting at `p`, or 0 when it is malformed or truncated.
    static std::size_t sequenceLength(const unsigned char* p, const unsigned char* end) noexcept
    {
        const unsigned char c = p[0];
        if (c < 0x80)
            return 1;
        const std::size_t avail = static_cast<std::size_t>(end - p);
        // Second-byte ranges follow RFC 3629's table; they exclude overlongs and surrogates.
        unsigned char lo = 0x80, hi = 0xBF;
        std::size_t len = 0;
        if (c >= 0xC2 && c <= 0xDF)
            len = 2;
        else if (c >= 0xE0 && c <= 0xEF)
        {
            len = 3;
            if (c == 0xE0)
                lo = 0xA0;
            else if (c == 0xED)
                hi = 0x9F;
        }
        else if (c >= 0xF0 && c <= 0xF4)
        {
            len = 4;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;
        }
        else
            return 0;
        if (avail < len || p[1] < lo || p[1] > hi)
            return 0;
        for (std::size_t i = 2; i < len; ++i)
        {
            if ((p[i] & 0xC0) != 0x80)
                return 0;
        }
        return len;
    }

    static bool isValid(std::string_view text) noexcept
    {
        const auto* p = reinterpret_cast<const unsigned char*>(text.data());
        const auto* end = p + text.size();
        while (p < end)
        {
            if (*p < 0x80)
            {
                ++p;
                continue;
            }
            const std::size_t len = sequenceLength(p, end);
            if (len == 0)
                return false;
            p += len;
        }
        return true;
    }

    /// Writes the UTF-8 form of `cp` (a Unicode scalar value) to `out`, returns the bytes written (1..4).
    static std::size_t encode(std::uint32_t cp, char* out) noexcept
    {
        if (cp < 0x80)
        {
            out[0] = static_cast<char>(cp);
            return 1;
        }
        if (cp < 0x800)
        {
            out[0] = static_cast<char>(0xC0 | (cp >> 6));
            out[1] = static_cast<char>(0x80 | (cp & 0x3F));
            return 2;
        }
        if (cp < 0x10000)
        {
            out[0] = static_cast<char>(0xE0 | (cp >> 12));
            out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out[2] = static_cast<char>(0x80 | (cp & 0x3F));
            return 3;
        }
        out[0] = static_cast<char>(0xF0 | (cp >> 18));
        out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out[3] = static_cast<char>(0x80 | (cp & 0x3F));
        return 4;
    }

    static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
};

} // namespace patchbay::sdk::support

#endif // PATCHBAY_SDK_SUPPORT_UTF8_H
