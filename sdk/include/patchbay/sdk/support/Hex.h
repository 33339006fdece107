// Hex.h: header-only hexadecimal digits — one digit's value, and lower-case encoding of bytes.
#ifndef PATCHBAY_SDK_SUPPORT_HEX_H
#define PATCHBAY_SDK_SUPPORT_HEX_H

#include <cstddef>
#include <string>
#include <string_view>

namespace patchbay::sdk::support {

/// THREAD: any (pure functions).
class Hex
{
public:
    /// @return 0..15 for '0'-'9', 'a'-'f' and 'A'-'F'; -1 for any other character.
    static int digitValue(char c) noexcept
    {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    }

    /// Appends two lower-case digits per byte of `bytes` to `out` (digests, ids).
    static void encode(std::string_view bytes, std::string& out)
    {
        static constexpr char kDigits[] = "0123456789abcdef";
        out.reserve(out.size() + 2 * bytes.size());
        for (const char c : bytes)
        {
            const auto b = static_cast<unsigned char>(c);
            out += kDigits[b >> 4];
            out += kDigits[b & 0x0F];
        }
    }

    /// @return `bytes` as lower-case hex.
    static std::string encode(std::string_view bytes)
    {
        std::string out;
        encode(bytes, out);
        return out;
    }
};

} // namespace patchbay::sdk::support

#endif
