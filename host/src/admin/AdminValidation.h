// AdminValidation.h: the formats the admin API accepts for ids, numbers, SIDs, names and secrets.
#ifndef PATCHBAY_HOST_ADMIN_ADMIN_VALIDATION_H
#define PATCHBAY_HOST_ADMIN_ADMIN_VALIDATION_H

#include <string_view>

namespace patchbay::host {

/// Pure predicates; the callers phrase the 400. THREAD: Any.
class AdminValidation
{
public:
    /// [a-z0-9-]{1,64}
    static bool isTenantId(std::string_view s) noexcept;
    /// "+" then 2 to 15 digits, the first not 0.
    static bool isE164(std::string_view s) noexcept;
    /// `prefix` then 32 hex digits ("AC…" accounts, "SK…" API keys, "PN…" numbers).
    static bool isSid(std::string_view s, std::string_view prefix) noexcept;
    /// [a-z0-9_-]{1,32}
    static bool isVariantName(std::string_view s) noexcept;
    /// [a-z0-9-]{1,32}, a plugin id.
    static bool isProviderId(std::string_view s) noexcept;
    /// [A-Za-z0-9_.-]{1,64}
    static bool isVariableName(std::string_view s) noexcept;
    /// [A-Z]{3}, ISO 4217 style.
    static bool isCurrency(std::string_view s) noexcept;
    /// A BCP 47-ish tag: [A-Za-z0-9-]{1,35}.
    static bool isLanguage(std::string_view s) noexcept;
    /// http://, https://, ws:// or wss:// and no whitespace.
    static bool isBaseUrl(std::string_view s) noexcept;
    /// A secret or token: 1..256 printable ASCII characters without spaces.
    static bool isSecret(std::string_view s) noexcept;
    /// "YYYY-MM" with a month 01..12.
    static bool isMonth(std::string_view s) noexcept;
    /// No control characters (names, labels, messages shown in tables and logs).
    static bool isPlainText(std::string_view s) noexcept;
};

} // namespace patchbay::host

#endif
