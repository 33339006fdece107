// JsonWriter.h: streaming JSON writer appending to a caller-owned std::string; always emits valid JSON text.
#ifndef PATCHBAY_SDK_SUPPORT_JSON_WRITER_H
#define PATCHBAY_SDK_SUPPORT_JSON_WRITER_H

#include "patchbay/sdk/support/Utf8.h"

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace patchbay::sdk::support {

/// Appends JSON to a string the caller owns (and typically reuses, so steady-state writing
/// allocates nothing). Commas are inserted automatically; the caller is responsible for
/// the overall shape (a key() before each value inside an object, matching begin/end).
///
///     JsonWriter w(buffer);
///     w.beginObject().key("event").value("mark").key("mark").beginObject().key("name").value(n).endObject().endObject();
///
/// Strings are escaped per RFC 8259: '"', '\\' and control characters (as \u00XX);
/// valid UTF-8 passes through unchanged and invalid bytes become U+FFFD, so the output is
/// always well-formed. Non-finite doubles are written as null (JSON has no NaN/Infinity).
class JsonWriter
{
public:
    explicit JsonWriter(std::string& out) noexcept: _out(out)
    {
    }

    JsonWriter& beginObject()
    {
        separate();
        _out += '{';
        _needComma = false;
        return *this;
    }

    JsonWriter& endObject()
    {
        _out += '}';
        _needComma = true;
        return *this;
    }

    JsonWriter& beginArray()
    {
        separate();
        _out += '[';
        _needComma = false;
        return *this;
    }

    JsonWriter& endArray()
    {
        _out += ']';
        _needComma = true;
        return *this;
    }

    JsonWriter& key(std::string_view name)
    {
        separate();
        appendQuoted(_out, name);
        _out += ':';
        _needComma = false;
        return *this;
    }

    JsonWriter& value(std::string_view text)
    {
        separate();
        appendQuoted(_out, text);
        _needComma = true;
        return *this;
    }

    // Without this overload a string literal would pick value(bool).
    JsonWriter& value(const char* text)
    {
        return value(std::string_view(text));
    }

    JsonWriter& value(const std::string& text)
    {
        return value(std::string_view(text));
    }

    JsonWriter& value(bool flag)
    {
        return raw(flag ? std::string_view("true") : std::string_view("false"));
    }

    template <typename T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
    JsonWriter& value(T number)
    {
        char buffer[24];
        const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
        return raw(std::string_view(buffer, static_cast<std::size_t>(result.ptr - buffer)));
    }

    JsonWriter& value(double number)
    {
        if (!std::isfinite(number))
            return null();
        char buffer[32];
        const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
        return raw(std::string_view(buffer, static_cast<std::size_t>(result.ptr - buffer)));
    }

    JsonWriter& null()
    {
        return raw("null");
    }

    /// Inserts an already-encoded JSON value verbatim (not checked).
    JsonWriter& raw(std::string_view json)
    {
        separate();
        _out.append(json.data(), json.size());
        _needComma = true;
        return *this;
    }

    std::string& buffer() noexcept
    {
        return _out;
    }

    /// Appends `text` as a quoted, escaped JSON string.
    static void appendQuoted(std::string& out, std::string_view text)
    {
        out += '"';
        appendEscaped(out, text);
        out += '"';
    }

    /// Appends the escaped body of a JSON string (no quotes).
    static void appendEscaped(std::string& out, std::string_view text)
    {
        static constexpr char kHex[] = "0123456789abcdef";
        const auto* p = reinterpret_cast<const unsigned char*>(text.data());
        const auto* end = p + text.size();
        while (p < end)
        {
            const auto* run = p;
            while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
                ++p;
            out.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(p - run));
            if (p == end)
                break;
            const unsigned char c = *p;
            if (c == '"' || c == '\\')
            {
                out += '\\';
                out += static_cast<char>(c);
                ++p;
            }
            else if (c < 0x20)
            {
                const char escape[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0x0F]};
                out.append(escape, sizeof escape);
                ++p;
            }
            else
            {
                const std::size_t len = Utf8::sequenceLength(p, end);
                if (len == 0)
                {
                    out += Utf8::kReplacement;
                    ++p;
                }
                else
                {
                    out.append(reinterpret_cast<const char*>(p), len);
                    p += len;
                }
            }
        }
    }

private:
    void separate()
    {
        if (_needComma)
            _out += ',';
    }

    std::string& _out;
    bool _needComma = false;
};

} // namespace patchbay::sdk::support

#endif // PATCHBAY_SDK_SUPPORT_JSON_WRITER_H
