// AdminValidation.cpp: character-class checks behind AdminValidation.
#include "admin/AdminValidation.h"

namespace patchbay::host {
namespace {

bool lowerAlnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool alnum(char c)
{
    return lowerAlnum(c) || (c >= 'A' && c <= 'Z');
}

bool isHex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

template <typename Pred>
bool allOf(std::string_view s, std::size_t minLen, std::size_t maxLen, Pred pred)
{
    if (s.size() < minLen || s.size() > maxLen) return false;
    for (char c : s)
        if (!pred(c)) return false;
    return true;
}

} // namespace

bool AdminValidation::isTenantId(std::string_view s) noexcept
{
    return allOf(s, 1, 64, [](char c) { return lowerAlnum(c) || c == '-'; });
}

bool AdminValidation::isE164(std::string_view s) noexcept
{
    return s.size() >= 3 && s[0] == '+' && s[1] != '0' && allOf(s.substr(1), 2, 15, [](char c) { return c >= '0' && c <= '9'; });
}

bool AdminValidation::isSid(std::string_view s, std::string_view prefix) noexcept
{
    return s.size() == prefix.size() + 32 && s.substr(0, prefix.size()) == prefix &&
           allOf(s.substr(prefix.size()), 32, 32, isHex);
}

bool AdminValidation::isVariantName(std::string_view s) noexcept
{
    return allOf(s, 1, 32, [](char c) { return lowerAlnum(c) || c == '-' || c == '_'; });
}

bool AdminValidation::isProviderId(std::string_view s) noexcept
{
    return allOf(s, 1, 32, [](char c) { return lowerAlnum(c) || c == '-'; });
}

bool AdminValidation::isVariableName(std::string_view s) noexcept
{
    return allOf(s, 1, 64, [](char c) { return alnum(c) || c == '_' || c == '-' || c == '.'; });
}

bool AdminValidation::isCurrency(std::string_view s) noexcept
{
    return allOf(s, 3, 3, [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool AdminValidation::isLanguage(std::string_view s) noexcept
{
    return allOf(s, 1, 35, [](char c) { return alnum(c) || c == '-'; });
}

bool AdminValidation::isBaseUrl(std::string_view s) noexcept
{
    bool scheme = false;
    for (std::string_view p : {"http://", "https://", "ws://", "wss://"})
        scheme = scheme || (s.size() > p.size() && s.substr(0, p.size()) == p);
    return scheme && allOf(s, 1, 2048, [](char c) { return c > 0x20 && c < 0x7f; });
}

bool AdminValidation::isSecret(std::string_view s) noexcept
{
    return allOf(s, 1, 256, [](char c) { return c > 0x20 && c < 0x7f; });
}

bool AdminValidation::isMonth(std::string_view s) noexcept
{
    if (s.size() != 7 || s[4] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6})
        if (s[i] < '0' || s[i] > '9') return false;
    const int month = (s[5] - '0') * 10 + (s[6] - '0');
    return month >= 1 && month <= 12;
}

bool AdminValidation::isPlainText(std::string_view s) noexcept
{
    for (char c : s)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
    return true;
}

} // namespace patchbay::host
