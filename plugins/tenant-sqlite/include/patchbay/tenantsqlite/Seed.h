// Seed.h: accounts, tenants and numbers declared in the plugin config, upserted at every start.
#ifndef PATCHBAY_TENANTSQLITE_SEED_H
#define PATCHBAY_TENANTSQLITE_SEED_H

#include <string>
#include <string_view>
#include <vector>

#include "patchbay/sdk/Status.h"
#include "patchbay/sdk/Tenant.h"
#include "patchbay/sdk/support/JsonValue.h"

namespace patchbay::tenantsqlite {

/// The "seed" object of the plugin config (format in docs/operator/tenant-sqlite.md):
///
///   { "accounts": [{"sid", "authToken", "parentSid"?, "secondaryToken"?, "friendlyName"?,
///                   "apiKeySid"?, "apiKeySecret"?}],
///     "tenants":  [{"id", "name", "status"?, "agent": {"agentId", "provider"?, ...},
///                   "variants"?: [{"name", "weight"?, "agent"}], "limits"?: {...}, "fallback"?: {...},
///                   "rates"?: {"perMinuteMicros"?, "currency"?}}],
///     "numbers":  [{"number", "tenantId", "accountSid"?, "phoneNumberSid"?}] }
///
/// Parsing is strict — unknown keys, wrong types and missing required fields are InvalidArgument
/// naming the field's path (e.g. "seed.tenants[0].agent.agentId is required") and never its value,
/// since values may be tokens. Value type.
class Seed
{
public:
    std::vector<sdk::CarrierAccount> accounts;
    std::vector<sdk::Tenant> tenants;
    std::vector<sdk::NumberRoute> numbers;

    bool empty() const noexcept { return accounts.empty() && tenants.empty() && numbers.empty(); }

    /// @param value the seed object. @param where its path in messages, e.g. "seed".
    static sdk::Result<Seed> fromJson(const sdk::support::JsonValue& value, std::string_view where) noexcept;

    /// True for '+' followed by 2 to 15 digits, the first not 0 (ITU-T E.164). Nothing is normalised.
    static bool isE164(std::string_view number) noexcept;
};

} // namespace patchbay::tenantsqlite

#endif
