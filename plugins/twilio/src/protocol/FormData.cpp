// FormData.cpp: form-urlencoded decoding and encoding.
#include "protocol/FormData.h"

#include "patchbay/sdk/support/Hex.h"
#include "patchbay/sdk/support/Utf8.h"

namespace patchbay::twilio {

namespace {

bool isUnreserved(unsigned char c) noexcept
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

// "scheme://..." or an absolute path: a URL without a query, as opposed to a bare query string.
bool looksLikeUrl(std::string_view text) noexcept
{
    if (!text.empty() && text.front() == '/')
        return true;
    const std::size_t sep = text.find("://");
    if (sep == std::string_view::npos || sep == 0)
        return false;
    for (std::size_t i = 0; i < sep; ++i)
    {
        const char c = text[i];
        const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        if (!alpha && (i == 0 || !((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')))
            return false;
    }
    return true;
}

} // namespace

bool FormData::decodeComponent(std::string_view component, std::string& out)
{
    out.reserve(out.size() + component.size());
    for (std::size_t i = 0; i < component.size(); ++i)
    {
        const char c = component[i];
        if (c == '+')
            out += ' ';
        else if (c == '%')
        {
            if (i + 2 >= component.size())
                return false;
            const int hi = sdk::support::Hex::digitValue(component[i + 1]);
            const int lo = sdk::support::Hex::digitValue(component[i + 2]);
            if (hi < 0 || lo < 0)
                return false;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        }
        else
            out += c;
    }
    return true;
}

void FormData::encodeComponent(std::string_view text, std::string& out)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (const char ch : text)
    {
        const auto c = static_cast<unsigned char>(ch);
        if (isUnreserved(c))
            out += ch;
        else if (c == ' ')
            out += '+';
        else
        {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0x0F];
        }
    }
}

bool FormData::parse(std::string_view body, std::string* error)
{
    _pairs.clear();
    std::size_t start = 0;
    while (start <= body.size())
    {
        std::size_t stop = body.find('&', start);
        if (stop == std::string_view::npos)
            stop = body.size();
        const std::string_view segment = body.substr(start, stop - start);
        start = stop + 1;
        if (segment.empty())
            continue;
        const std::size_t eq = segment.find('=');
        const std::string_view rawName = segment.substr(0, eq);
        const std::string_view rawValue = eq == std::string_view::npos ? std::string_view() : segment.substr(eq + 1);
        std::string name, value;
        if (!decodeComponent(rawName, name) || !decodeComponent(rawValue, value))
        {
            if (error)
                *error = "malformed percent-escape in parameter '" + std::string(rawName.substr(0, 64)) + "'";
            _pairs.clear();
            return false;
        }
        if (!sdk::support::Utf8::isValid(name) || !sdk::support::Utf8::isValid(value))
        {
            if (error)
                *error = "invalid UTF-8 in parameter '" + std::string(rawName.substr(0, 64)) + "'";
            _pairs.clear();
            return false;
        }
        _pairs.emplace_back(std::move(name), std::move(value));
    }
    return true;
}

bool FormData::parseQuery(std::string_view urlOrQuery, std::string* error)
{
    std::string_view query = urlOrQuery;
    const std::size_t hash = query.find('#');
    if (hash != std::string_view::npos)
        query = query.substr(0, hash);
    const std::size_t question = query.find('?');
    if (question != std::string_view::npos)
        query = query.substr(question + 1);
    else if (looksLikeUrl(query))
        query = {};
    return parse(query, error);
}

const std::string* FormData::find(std::string_view name) const noexcept
{
    for (const auto& [key, value] : _pairs)
    {
        if (key == name)
            return &value;
    }
    return nullptr;
}

std::string_view FormData::get(std::string_view name, std::string_view fallback) const noexcept
{
    const std::string* value = find(name);
    return value ? std::string_view(*value) : fallback;
}

void FormData::add(std::string name, std::string value)
{
    _pairs.emplace_back(std::move(name), std::move(value));
}

std::string FormData::encode() const
{
    std::string out;
    for (const auto& [name, value] : _pairs)
    {
        if (!out.empty())
            out += '&';
        encodeComponent(name, out);
        out += '=';
        encodeComponent(value, out);
    }
    return out;
}

} // namespace patchbay::twilio
