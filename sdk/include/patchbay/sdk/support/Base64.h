// Base64.h: header-only, table-driven base64 (RFC 4648 §4, padded) and base64url (§5, unpadded) codec.
#ifndef PATCHBAY_SDK_SUPPORT_BASE64_H
#define PATCHBAY_SDK_SUPPORT_BASE64_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace patchbay::sdk::support {

/// Standard base64 with '=' padding, and base64url without padding.
///
/// Encoders append to the output string. Decoders append too, and on failure leave the
/// output exactly as it was, so callers can reuse one buffer without clearing it first.
/// Decoding is strict: no whitespace, no stray characters, correct padding, and the
/// unused low bits of the last symbol must be zero (so every byte string has exactly
/// one accepted encoding, which matters when encodings are compared or used as keys).
class Base64
{
public:
    static constexpr std::size_t encodedSize(std::size_t byteCount) noexcept
    {
        return (byteCount + 2) / 3 * 4;
    }

    static constexpr std::size_t encodedUrlSize(std::size_t byteCount) noexcept
    {
        return byteCount / 3 * 4 + (byteCount % 3 == 0 ? 0 : byteCount % 3 + 1);
    }

    static void encode(const void* data, std::size_t size, std::string& out)
    {
        encodeWith(kStandardAlphabet, static_cast<const unsigned char*>(data), size, true, out);
    }

    static void encode(std::string_view bytes, std::string& out)
    {
        encode(bytes.data(), bytes.size(), out);
    }

    static std::string encode(std::string_view bytes)
    {
        std::string out;
        encode(bytes, out);
        return out;
    }

    static void encodeUrl(const void* data, std::size_t size, std::string& out)
    {
        encodeWith(kUrlAlphabet, static_cast<const unsigned char*>(data), size, false, out);
    }

    static void encodeUrl(std::string_view bytes, std::string& out)
    {
        encodeUrl(bytes.data(), bytes.size(), out);
    }

    static std::string encodeUrl(std::string_view bytes)
    {
        std::string out;
        encodeUrl(bytes, out);
        return out;
    }

    /// Decodes padded standard base64; the input length must be a multiple of 4.
    static bool decode(std::string_view text, std::string& out)
    {
        if (text.size() % 4 != 0)
            return false;
        std::size_t padding = 0;
        if (!text.empty() && text.back() == '=')
        {
            padding = 1;
            if (text[text.size() - 2] == '=')
                padding = 2;
        }
        return decodeWith(standardTable(), text.substr(0, text.size() - padding), out);
    }

    /// Decodes unpadded base64url; '=' is rejected like any other foreign character.
    static bool decodeUrl(std::string_view text, std::string& out)
    {
        return decodeWith(urlTable(), text, out);
    }

private:
    static constexpr char kStandardAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    static constexpr char kUrlAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    static constexpr std::uint8_t kInvalid = 0xFF;

    using DecodeTable = std::array<std::uint8_t, 256>;

    static constexpr DecodeTable makeTable(const char* alphabet) noexcept
    {
        DecodeTable table{};
        for (auto& entry : table)
            entry = kInvalid;
        for (std::uint8_t i = 0; i < 64; ++i)
            table[static_cast<unsigned char>(alphabet[i])] = i;
        return table;
    }

    static const DecodeTable& standardTable() noexcept
    {
        static constexpr DecodeTable table = makeTable(kStandardAlphabet);
        return table;
    }

    static const DecodeTable& urlTable() noexcept
    {
        static constexpr DecodeTable table = makeTable(kUrlAlphabet);
        return table;
    }

    static void encodeWith(const char* alphabet, const unsigned char* in, std::size_t size, bool pad, std::string& out)
    {
        const std::size_t start = out.size();
        out.resize(start + (pad ? encodedSize(size) : encodedUrlSize(size)));
        char* dst = &out[start];
        std::size_t i = 0;
        for (; i + 3 <= size; i += 3)
        {
            const std::uint32_t v = (std::uint32_t(in[i]) << 16) | (std::uint32_t(in[i + 1]) << 8) | in[i + 2];
            *dst++ = alphabet[(v >> 18) & 0x3F];
            *dst++ = alphabet[(v >> 12) & 0x3F];
            *dst++ = alphabet[(v >> 6) & 0x3F];
            *dst++ = alphabet[v & 0x3F];
        }
        const std::size_t rest = size - i;
        if (rest == 1)
        {
            const std::uint32_t v = std::uint32_t(in[i]) << 16;
            *dst++ = alphabet[(v >> 18) & 0x3F];
            *dst++ = alphabet[(v >> 12) & 0x3F];
            if (pad)
            {
                *dst++ = '=';
                *dst++ = '=';
            }
        }
        else if (rest == 2)
        {
            const std::uint32_t v = (std::uint32_t(in[i]) << 16) | (std::uint32_t(in[i + 1]) << 8);
            *dst++ = alphabet[(v >> 18) & 0x3F];
            *dst++ = alphabet[(v >> 12) & 0x3F];
            *dst++ = alphabet[(v >> 6) & 0x3F];
            if (pad)
                *dst++ = '=';
        }
    }

    // Decodes symbols only (padding already removed by the caller).
    static bool decodeWith(const DecodeTable& table, std::string_view text, std::string& out)
    {
        const std::size_t rest = text.size() % 4;
        if (rest == 1)
            return false;
        const std::size_t start = out.size();
        out.resize(start + text.size() / 4 * 3 + (rest == 0 ? 0 : rest - 1));
        char* dst = &out[start];
        const auto* src = reinterpret_cast<const unsigned char*>(text.data());
        const std::size_t full = text.size() - rest;
        for (std::size_t i = 0; i < full; i += 4)
        {
            const std::uint32_t a = table[src[i]], b = table[src[i + 1]], c = table[src[i + 2]], d = table[src[i + 3]];
            if ((a | b | c | d) & 0x80)
                return fail(out, start);
            const std::uint32_t v = (a << 18) | (b << 12) | (c << 6) | d;
            *dst++ = static_cast<char>(v >> 16);
            *dst++ = static_cast<char>((v >> 8) & 0xFF);
            *dst++ = static_cast<char>(v & 0xFF);
        }
        if (rest >= 2)
        {
            const std::uint32_t a = table[src[full]], b = table[src[full + 1]];
            const std::uint32_t c = rest == 3 ? table[src[full + 2]] : 0;
            if ((a | b | c) & 0x80)
                return fail(out, start);
            // Non-zero leftover bits mean a second spelling of the same bytes: reject it.
            if (rest == 2 ? (b & 0x0F) != 0 : (c & 0x03) != 0)
                return fail(out, start);
            const std::uint32_t v = (a << 18) | (b << 12) | (c << 6);
            *dst++ = static_cast<char>(v >> 16);
            if (rest == 3)
                *dst++ = static_cast<char>((v >> 8) & 0xFF);
        }
        return true;
    }

    static bool fail(std::string& out, std::size_t start)
    {
        out.resize(start);
        return false;
    }
};

} // namespace patchbay::sdk::support

#endif // PATCHBAY_SDK_SUPPORT_BASE64_H
