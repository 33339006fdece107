// FormData.h: strict application/x-www-form-urlencoded (and URL query) parser keeping parameter order and repeats.
#ifndef PATCHBAY_TWILIO_PROTOCOL_FORM_DATA_H
#define PATCHBAY_TWILIO_PROTOCOL_FORM_DATA_H

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace patchbay::twilio {

/// Decoded name/value pairs of a form body or query string, in wire order, repeats kept
/// (signature validation needs every parameter exactly as sent, including repeated names).
///
/// Parsing is strict because the result feeds an HMAC: a lenient decoder that silently
/// "repairs" input would validate something other than what Twilio signed, so malformed
/// %-escapes and invalid UTF-8 are rejected with a reason instead.
class FormData
{
public:
    using Pairs = std::vector<std::pair<std::string, std::string>>;

    FormData() = default;

    /// Parses a whole form body. '+' means space, %XX a byte; empty segments ("a=1&&b=2",
    /// a trailing '&') are skipped; a segment without '=' is a name with an empty value.
    /// On failure the object is left empty and `error` (if given) says why.
    bool parse(std::string_view body, std::string* error = nullptr);

    /// Parses the query of a URL (text after the first '?', up to any '#'); a string
    /// without '?' is taken as the query itself.
    bool parseQuery(std::string_view urlOrQuery, std::string* error = nullptr);

    const Pairs& pairs() const noexcept
    {
        return _pairs;
    }

    Pairs& pairs() noexcept
    {
        return _pairs;
    }

    /// Value of the first parameter called `name`, or nullptr.
    const std::string* find(std::string_view name) const noexcept;

    /// Value of the first parameter called `name`, or `fallback`.
    std::string_view get(std::string_view name, std::string_view fallback = {}) const noexcept;

    bool has(std::string_view name) const noexcept
    {
        return find(name) != nullptr;
    }

    std::size_t size() const noexcept
    {
        return _pairs.size();
    }

    bool empty() const noexcept
    {
        return _pairs.empty();
    }

    void add(std::string name, std::string value);

    void clear() noexcept
    {
        _pairs.clear();
    }

    /// Serialises the pairs as a form body (RFC 3986 unreserved bytes kept, ' ' as '+', rest %XX).
    std::string encode() const;

    /// Decodes one form component ('+' and %XX) and appends it to `out`; false on a malformed escape.
    static bool decodeComponent(std::string_view component, std::string& out);

    /// Appends the form encoding of `text` to `out`.
    static void encodeComponent(std::string_view text, std::string& out);

private:
    Pairs _pairs;
};

} // namespace patchbay::twilio

#endif // PATCHBAY_TWILIO_PROTOCOL_FORM_DATA_H
