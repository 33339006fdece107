// JsonValue.h: one read-only node of a parsed JsonDocument; lookups never throw and yield a "missing" value instead.
#ifndef PATCHBAY_SDK_SUPPORT_JSON_VALUE_H
#define PATCHBAY_SDK_SUPPORT_JSON_VALUE_H

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <string_view>
#include <system_error>

namespace patchbay::sdk::support {

/// A node of the flat, pre-order node array owned by a JsonDocument.
///
/// Children of a container follow it directly in that array and each node knows the size of
/// its subtree, so walking and lookups need no pointers and no allocation. Consequently a
/// JsonValue should be bound by const reference; a copy keeps its scalar value but has no
/// children (see the copy constructor).
///
/// Strings (and member names) are views into the parsed text, or into the document's arena
/// when they contained escapes. They stay valid until the document is parsed again or
/// destroyed, and only while the parsed text itself is alive.
class JsonValue
{
public:
    enum class Type : std::uint8_t
    {
        Missing, ///< Returned for absent members / out-of-range indexes / lookups on non-containers.
        Null,
        Bool,
        Number,
        String,
        Array,
        Object
    };

    class Iterator
    {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = JsonValue;
        using difference_type = std::ptrdiff_t;
        using pointer = const JsonValue*;
        using reference = const JsonValue&;

        explicit Iterator(const JsonValue* node = nullptr) noexcept: _node(node)
        {
        }

        reference operator*() const noexcept
        {
            return *_node;
        }

        pointer operator->() const noexcept
        {
            return _node;
        }

        Iterator& operator++() noexcept
        {
            _node += _node->_span;
            return *this;
        }

        Iterator operator++(int) noexcept
        {
            Iterator before = *this;
            ++*this;
            return before;
        }

        bool operator==(const Iterator& other) const noexcept
        {
            return _node == other._node;
        }

        bool operator!=(const Iterator& other) const noexcept
        {
            return _node != other._node;
        }

    private:
        const JsonValue* _node;
    };

    JsonValue() = default;

    // A copy lives outside the node array, so it cannot reach children: it is "detached"
    // (scalars work fully, containers look empty) instead of walking off into memory.
    // Moves are exact; the document's vector relies on them when it grows.
    JsonValue(const JsonValue& other) noexcept
    {
        copyDetached(other);
    }

    JsonValue& operator=(const JsonValue& other) noexcept
    {
        copyDetached(other);
        return *this;
    }

    JsonValue(JsonValue&&) noexcept = default;
    JsonValue& operator=(JsonValue&&) noexcept = default;

    Type type() const noexcept
    {
        return _type;
    }

    bool exists() const noexcept
    {
        return _type != Type::Missing;
    }

    explicit operator bool() const noexcept
    {
        return exists();
    }

    bool isNull() const noexcept
    {
        return _type == Type::Null;
    }

    bool isBool() const noexcept
    {
        return _type == Type::Bool;
    }

    bool isNumber() const noexcept
    {
        return _type == Type::Number;
    }

    /// A number written without fraction or exponent that fits in an int64.
    bool isInteger() const noexcept
    {
        return _type == Type::Number && _isInteger;
    }

    bool isString() const noexcept
    {
        return _type == Type::String;
    }

    bool isArray() const noexcept
    {
        return _type == Type::Array;
    }

    bool isObject() const noexcept
    {
        return _type == Type::Object;
    }

    /// Member name when this value sits in an object, empty otherwise.
    std::string_view key() const noexcept
    {
        return {_key, _keyLen};
    }

    std::string_view asString(std::string_view fallback = {}) const noexcept
    {
        return _type == Type::String ? std::string_view(_text, _textLen) : fallback;
    }

    bool asBool(bool fallback = false) const noexcept
    {
        return _type == Type::Bool ? _int != 0 : fallback;
    }

    /// Integers as written; other numbers only when integral and in range; otherwise `fallback`.
    std::int64_t asInt64(std::int64_t fallback = 0) const noexcept
    {
        if (_type != Type::Number)
            return fallback;
        if (_isInteger)
            return _int;
        const double d = asDouble();
        // 2^63 is exactly representable, so the comparison is exact at both ends.
        if (d >= -9223372036854775808.0 && d < 9223372036854775808.0 && std::trunc(d) == d)
            return static_cast<std::int64_t>(d);
        return fallback;
    }

    /// Nearest double; magnitudes beyond double's range give ±infinity or ±0 like strtod.
    double asDouble(double fallback = 0.0) const noexcept
    {
        if (_type != Type::Number)
            return fallback;
        if (_isInteger)
            return static_cast<double>(_int);
        double d = 0.0;
        const auto result = std::from_chars(_text, _text + _textLen, d);
        if (result.ec == std::errc::result_out_of_range)
            return outOfRange();
        return d;
    }

    /// The number exactly as written in the document (empty for non-numbers).
    std::string_view numberText() const noexcept
    {
        return _type == Type::Number ? std::string_view(_text, _textLen) : std::string_view();
    }

    /// Members of an object / items of an array; 0 for anything else.
    std::size_t size() const noexcept
    {
        return _count;
    }

    bool empty() const noexcept
    {
        return _count == 0;
    }

    /// First member named `name` (objects only), or nullptr.
    const JsonValue* find(std::string_view name) const noexcept
    {
        if (_type != Type::Object)
            return nullptr;
        for (const JsonValue& member : *this)
        {
            if (member.key() == name)
                return &member;
        }
        return nullptr;
    }

    const JsonValue& operator[](std::string_view name) const noexcept
    {
        const JsonValue* found = find(name);
        return found ? *found : missing();
    }

    const JsonValue& operator[](const char* name) const noexcept
    {
        return (*this)[std::string_view(name)];
    }

    /// Item `index` of an array (linear walk), or the missing value.
    const JsonValue& operator[](std::size_t index) const noexcept
    {
        if (_type != Type::Array || index >= _count)
            return missing();
        Iterator it = begin();
        for (std::size_t i = 0; i < index; ++i)
            ++it;
        return *it;
    }

    const JsonValue& operator[](int index) const noexcept
    {
        return index < 0 ? missing() : (*this)[static_cast<std::size_t>(index)];
    }

    /// Iterates members (objects) or items (arrays); empty for scalars.
    Iterator begin() const noexcept
    {
        return Iterator(this + 1);
    }

    Iterator end() const noexcept
    {
        return Iterator(this + _span);
    }

    static const JsonValue& missing() noexcept
    {
        static const JsonValue value;
        return value;
    }

private:
    friend class JsonDocument;

    void copyDetached(const JsonValue& other) noexcept
    {
        _text = other._text;
        _key = other._key;
        _textLen = other._textLen;
        _keyLen = other._keyLen;
        _int = other._int;
        _type = other._type;
        _isInteger = other._isInteger;
        _span = 1;
        _count = 0;
    }

    // Classifies an out-of-range literal by its decimal magnitude: overflow or underflow.
    double outOfRange() const noexcept
    {
        const char* p = _text;
        const char* end = _text + _textLen;
        const bool negative = *p == '-';
        if (negative)
            ++p;
        long long magnitude = 0;
        bool seenNonZero = false;
        for (; p < end && *p >= '0' && *p <= '9'; ++p)
        {
            if (*p != '0')
                seenNonZero = true;
            if (seenNonZero)
                ++magnitude;
        }
        if (p < end && *p == '.')
        {
            for (++p; p < end && *p >= '0' && *p <= '9'; ++p)
            {
                if (seenNonZero)
                    continue;
                if (*p != '0')
                    seenNonZero = true;
                else
                    --magnitude;
            }
        }
        if (p < end && (*p == 'e' || *p == 'E'))
        {
            ++p;
            const bool negativeExponent = *p == '-';
            if (*p == '-' || *p == '+')
                ++p;
            long long exponent = 0;
            for (; p < end; ++p)
            {
                if (exponent < 100000000)
                    exponent = exponent * 10 + (*p - '0');
            }
            magnitude += negativeExponent ? -exponent : exponent;
        }
        const double value = magnitude > 0 ? std::numeric_limits<double>::infinity() : 0.0;
        return negative ? -value : value;
    }

    const char* _text = nullptr;
    const char* _key = nullptr;
    std::uint32_t _textLen = 0;
    std::uint32_t _keyLen = 0;
    std::uint32_t _span = 1;
    std::uint32_t _count = 0;
    std::int64_t _int = 0;
    Type _type = Type::Missing;
    bool _isInteger = false;
};

} // namespace patchbay::sdk::support

#endif // PATCHBAY_SDK_SUPPORT_JSON_VALUE_H
