// JsonDocument.h: strict RFC 8259 JSON parser into a reusable flat value tree; no allocation once warmed up.
#ifndef PATCHBAY_SDK_SUPPORT_JSON_DOCUMENT_H
#define PATCHBAY_SDK_SUPPORT_JSON_DOCUMENT_H

#include "patchbay/sdk/support/Hex.h"
#include "patchbay/sdk/support/JsonValue.h"
#include "patchbay/sdk/support/Utf8.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace patchbay::sdk::support {

/// Parses one JSON text at a time. Keep one instance per connection and call parse() for
/// every message: the node array and the escape arena keep their capacity, so after the
/// first few messages parsing allocates nothing.
///
/// Strings without escapes are views into the parsed text, so the text must outlive every
/// use of the values obtained from root(). A new parse() (or clear()) invalidates them all.
///
/// Strictness: exactly one value with optional surrounding whitespace; no comments, no
/// trailing commas, no leading zeros, no NaN/Infinity, no raw control characters or
/// invalid UTF-8 in strings, no unpaired surrogate escapes, at most kMaxDepth nested
/// containers. Duplicate member names are accepted; find() returns the first.
class JsonDocument
{
public:
    static constexpr int kMaxDepth = 64;

    JsonDocument() = default;
    JsonDocument(const JsonDocument&) = delete;
    JsonDocument& operator=(const JsonDocument&) = delete;

    // Views handed out by the source stay valid: the node array and arena buffers move along.
    JsonDocument(JsonDocument&& other) noexcept
    {
        *this = std::move(other);
    }

    JsonDocument& operator=(JsonDocument&& other) noexcept
    {
        if (this != &other)
        {
            _nodes = std::move(other._nodes);
            _arena = std::move(other._arena);
            _ok = other._ok;
            _error = other._error;
            _errorOffset = other._errorOffset;
            other._nodes.clear();
            other._arena.clear();
            other.clear();
        }
        return *this;
    }

    /// Returns false on any syntax error; `error` (if given) receives "<reason> at offset <n>".
    bool parse(std::string_view text, std::string* error = nullptr)
    {
        clear();
        if (text.size() >= std::numeric_limits<std::uint32_t>::max())
            return failAt(text.data(), "document too large", error);
        reserveArena(text.size());
        _begin = text.data();
        _p = text.data();
        _end = text.data() + text.size();
        skipWhitespace();
        if (!parseValue(0))
            return report(error);
        skipWhitespace();
        if (_p != _end)
        {
            _error = "unexpected characters after the document";
            _errorAt = _p;
            return report(error);
        }
        _ok = true;
        return true;
    }

    /// The parsed root, or the missing value when nothing was parsed successfully.
    const JsonValue& root() const noexcept
    {
        return _ok ? _nodes.front() : JsonValue::missing();
    }

    bool ok() const noexcept
    {
        return _ok;
    }

    /// Reason of the last failure (a static string), or nullptr after success.
    const char* errorMessage() const noexcept
    {
        return _error;
    }

    /// Byte offset of the last failure in the parsed text.
    std::size_t errorOffset() const noexcept
    {
        return _errorOffset;
    }

    void clear() noexcept
    {
        _nodes.clear();
        _arenaUsed = 0;
        _ok = false;
        _error = nullptr;
        _errorOffset = 0;
    }

private:
    enum CharClass : std::uint8_t
    {
        Plain = 0,
        Quote,
        Backslash,
        Control,
        High
    };

    static const std::array<std::uint8_t, 256>& stringClasses() noexcept
    {
        static constexpr std::array<std::uint8_t, 256> table = [] {
            std::array<std::uint8_t, 256> t{};
            for (std::size_t c = 0; c < 0x20; ++c)
                t[c] = Control;
            t['"'] = Quote;
            t['\\'] = Backslash;
            for (std::size_t c = 0x80; c < 0x100; ++c)
                t[c] = High;
            return t;
        }();
        return table;
    }

    // The decoded form of a string is never longer than its escaped source, so an arena as
    // large as the input never reallocates mid-parse and views into it stay valid.
    void reserveArena(std::size_t size)
    {
        if (size > _arena.size())
            _arena.resize(size);
    }

    bool report(std::string* error)
    {
        _errorOffset = static_cast<std::size_t>(_errorAt - _begin);
        _nodes.clear();
        if (error)
        {
            *error = _error;
            *error += " at offset ";
            *error += std::to_string(_errorOffset);
        }
        return false;
    }

    bool failAt(const char* at, const char* message, std::string* error)
    {
        _begin = at;
        _errorAt = at;
        _error = message;
        return report(error);
    }

    bool fail(const char* message) noexcept
    {
        _error = message;
        _errorAt = _p;
        return false;
    }

    void skipWhitespace() noexcept
    {
        while (_p < _end && (*_p == ' ' || *_p == '\n' || *_p == '\r' || *_p == '\t'))
            ++_p;
    }

    std::size_t newNode(JsonValue::Type type)
    {
        _nodes.emplace_back();
        _nodes.back()._type = type;
        return _nodes.size() - 1;
    }

    bool parseValue(int depth)
    {
        if (_p == _end)
            return fail("unexpected end of input");
        switch (*_p)
        {
        case '{':
            return parseObject(depth + 1);
        case '[':
            return parseArray(depth + 1);
        case '"':
        {
            const std::size_t index = newNode(JsonValue::Type::String);
            const char* text = nullptr;
            std::uint32_t length = 0;
            if (!parseString(text, length))
                return false;
            _nodes[index]._text = text;
            _nodes[index]._textLen = length;
            return true;
        }
        case 't':
            return parseLiteral("true", JsonValue::Type::Bool, 1);
        case 'f':
            return parseLiteral("false", JsonValue::Type::Bool, 0);
        case 'n':
            return parseLiteral("null", JsonValue::Type::Null, 0);
        default:
            if (*_p == '-' || (*_p >= '0' && *_p <= '9'))
                return parseNumber();
            return fail("unexpected character");
        }
    }

    bool parseLiteral(std::string_view word, JsonValue::Type type, std::int64_t value)
    {
        if (static_cast<std::size_t>(_end - _p) < word.size() || std::memcmp(_p, word.data(), word.size()) != 0)
            return fail("invalid literal");
        const std::size_t index = newNode(type);
        _nodes[index]._int = value;
        _p += word.size();
        return true;
    }

    bool parseObject(int depth)
    {
        if (depth > kMaxDepth)
            return fail("nesting too deep");
        const std::size_t index = newNode(JsonValue::Type::Object);
        ++_p;
        skipWhitespace();
        std::uint32_t count = 0;
        if (_p < _end && *_p == '}')
        {
            ++_p;
            return finishContainer(index, count);
        }
        for (;;)
        {
            if (_p == _end)
                return fail("unterminated object");
            if (*_p != '"')
                return fail("expected a member name");
            const char* name = nullptr;
            std::uint32_t nameLen = 0;
            if (!parseString(name, nameLen))
                return false;
            skipWhitespace();
            if (_p == _end || *_p != ':')
                return fail("expected ':' after member name");
            ++_p;
            skipWhitespace();
            const std::size_t child = _nodes.size();
            if (!parseValue(depth))
                return false;
            _nodes[child]._key = name;
            _nodes[child]._keyLen = nameLen;
            ++count;
            skipWhitespace();
            if (_p == _end)
                return fail("unterminated object");
            if (*_p == '}')
            {
                ++_p;
                return finishContainer(index, count);
            }
            if (*_p != ',')
                return fail("expected ',' or '}' in object");
            ++_p;
            skipWhitespace();
        }
    }

    bool parseArray(int depth)
    {
        if (depth > kMaxDepth)
            return fail("nesting too deep");
        const std::size_t index = newNode(JsonValue::Type::Array);
        ++_p;
        skipWhitespace();
        std::uint32_t count = 0;
        if (_p < _end && *_p == ']')
        {
            ++_p;
            return finishContainer(index, count);
        }
        for (;;)
        {
            if (!parseValue(depth))
                return false;
            ++count;
            skipWhitespace();
            if (_p == _end)
                return fail("unterminated array");
            if (*_p == ']')
            {
                ++_p;
                return finishContainer(index, count);
            }
            if (*_p != ',')
                return fail("expected ',' or ']' in array");
            ++_p;
            skipWhitespace();
        }
    }

    bool finishContainer(std::size_t index, std::uint32_t count) noexcept
    {
        _nodes[index]._count = count;
        _nodes[index]._span = static_cast<std::uint32_t>(_nodes.size() - index);
        return true;
    }

    bool parseNumber() noexcept
    {
        const char* start = _p;
        const bool negative = *_p == '-';
        if (negative)
            ++_p;
        if (_p == _end || *_p < '0' || *_p > '9')
            return fail("invalid number");
        // Accumulate as unsigned magnitude; int64's most negative value needs one more than max.
        const std::uint64_t limit = negative ? std::uint64_t(1) << 63 : (std::uint64_t(1) << 63) - 1;
        std::uint64_t magnitude = 0;
        bool fits = true;
        if (*_p == '0')
        {
            ++_p;
            if (_p < _end && *_p >= '0' && *_p <= '9')
                return fail("leading zeros are not allowed");
        }
        else
        {
            for (; _p < _end && *_p >= '0' && *_p <= '9'; ++_p)
            {
                const unsigned digit = static_cast<unsigned>(*_p - '0');
                if (fits && magnitude <= (limit - digit) / 10)
                    magnitude = magnitude * 10 + digit;
                else
                    fits = false;
            }
        }
        bool integral = true;
        if (_p < _end && *_p == '.')
        {
            integral = false;
            ++_p;
            if (_p == _end || *_p < '0' || *_p > '9')
                return fail("invalid number: digit expected after '.'");
            while (_p < _end && *_p >= '0' && *_p <= '9')
                ++_p;
        }
        if (_p < _end && (*_p == 'e' || *_p == 'E'))
        {
            integral = false;
            ++_p;
            if (_p < _end && (*_p == '+' || *_p == '-'))
                ++_p;
            if (_p == _end || *_p < '0' || *_p > '9')
                return fail("invalid number: digit expected in exponent");
            while (_p < _end && *_p >= '0' && *_p <= '9')
                ++_p;
        }
        const std::size_t index = newNode(JsonValue::Type::Number);
        JsonValue& node = _nodes[index];
        node._text = start;
        node._textLen = static_cast<std::uint32_t>(_p - start);
        node._isInteger = integral && fits;
        if (node._isInteger)
            node._int = negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
        return true;
    }

    // Reads "XXXX" at _p (after "\u"); returns -1 on bad hex.
    long readHex4() noexcept
    {
        if (_end - _p < 4)
            return -1;
        long value = 0;
        for (int i = 0; i < 4; ++i)
        {
            const int h = Hex::digitValue(_p[i]);
            if (h < 0)
                return -1;
            value = value * 16 + h;
        }
        _p += 4;
        return value;
    }

    // On entry _p is at the opening quote; on success it is just past the closing quote.
    bool parseString(const char*& out, std::uint32_t& outLen) noexcept
    {
        const auto& classes = stringClasses();
        ++_p;
        const char* start = _p;
        for (;;)
        {
            while (_p < _end && classes[static_cast<unsigned char>(*_p)] == Plain)
                ++_p;
            if (_p == _end)
                return fail("unterminated string");
            const std::uint8_t cls = classes[static_cast<unsigned char>(*_p)];
            if (cls == Quote)
            {
                out = start;
                outLen = static_cast<std::uint32_t>(_p - start);
                ++_p;
                return true;
            }
            if (cls == Backslash)
                return parseEscapedString(start, out, outLen);
            if (cls == Control)
                return fail("control character in string");
            if (!skipUtf8())
                return false;
        }
    }

    bool skipUtf8() noexcept
    {
        const auto* p = reinterpret_cast<const unsigned char*>(_p);
        const std::size_t len = Utf8::sequenceLength(p, reinterpret_cast<const unsigned char*>(_end));
        if (len == 0)
            return fail("invalid UTF-8 in string");
        _p += len;
        return true;
    }

    // Slow path: copies what was scanned so far into the arena and decodes escapes there.
    bool parseEscapedString(const char* start, const char*& out, std::uint32_t& outLen) noexcept
    {
        const auto& classes = stringClasses();
        char* base = _arena.data() + _arenaUsed;
        char* dst = base;
        std::memcpy(dst, start, static_cast<std::size_t>(_p - start));
        dst += _p - start;
        for (;;)
        {
            const char* run = _p;
            while (_p < _end && classes[static_cast<unsigned char>(*_p)] == Plain)
                ++_p;
            std::memcpy(dst, run, static_cast<std::size_t>(_p - run));
            dst += _p - run;
            if (_p == _end)
                return fail("unterminated string");
            const std::uint8_t cls = classes[static_cast<unsigned char>(*_p)];
            if (cls == Quote)
            {
                ++_p;
                break;
            }
            if (cls == Control)
                return fail("control character in string");
            if (cls == High)
            {
                const char* seq = _p;
                if (!skipUtf8())
                    return false;
                std::memcpy(dst, seq, static_cast<std::size_t>(_p - seq));
                dst += _p - seq;
                continue;
            }
            const char* escapeStart = _p;
            ++_p;
            if (_p == _end)
                return fail("unterminated string");
            switch (*_p++)
            {
            case '"': *dst++ = '"'; break;
            case '\\': *dst++ = '\\'; break;
            case '/': *dst++ = '/'; break;
            case 'b': *dst++ = '\b'; break;
            case 'f': *dst++ = '\f'; break;
            case 'n': *dst++ = '\n'; break;
            case 'r': *dst++ = '\r'; break;
            case 't': *dst++ = '\t'; break;
            case 'u':
            {
                long cp = readHex4();
                if (cp < 0)
                    return failEscape(escapeStart, "invalid \\u escape");
                if (cp >= 0xDC00 && cp <= 0xDFFF)
                    return failEscape(escapeStart, "unpaired low surrogate escape");
                if (cp >= 0xD800 && cp <= 0xDBFF)
                {
                    if (_end - _p < 2 || _p[0] != '\\' || _p[1] != 'u')
                        return failEscape(escapeStart, "unpaired high surrogate escape");
                    _p += 2;
                    const long low = readHex4();
                    if (low < 0xDC00 || low > 0xDFFF)
                        return failEscape(escapeStart, "unpaired high surrogate escape");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                }
                dst += Utf8::encode(static_cast<std::uint32_t>(cp), dst);
                break;
            }
            default:
                return failEscape(escapeStart, "invalid escape sequence");
            }
        }
        out = base;
        outLen = static_cast<std::uint32_t>(dst - base);
        _arenaUsed += outLen;
        return true;
    }

    bool failEscape(const char* at, const char* message) noexcept
    {
        _error = message;
        _errorAt = at;
        return false;
    }

    std::vector<JsonValue> _nodes;
    std::vector<char> _arena;
    std::size_t _arenaUsed = 0;
    const char* _begin = nullptr;
    const char* _p = nullptr;
    const char* _end = nullptr;
    const char* _errorAt = nullptr;
    const char* _error = nullptr;
    std::size_t _errorOffset = 0;
    bool _ok = false;
};

} // namespace patchbay::sdk::support

#endif // PATCHBAY_SDK_SUPPORT_JSON_DOCUMENT_H
