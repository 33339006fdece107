// TenantTable.h: SQL for the tenants table (with its variants) — routing lookups, management CRUD, seed upserts.
#ifndef PATCHBAY_TENANTSQLITE_TENANT_TABLE_H
#define PATCHBAY_TENANTSQLITE_TENANT_TABLE_H

#include <Poco/Data/Session.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "patchbay/sdk/Tenant.h"
#include "patchbay/tenantsqlite/SecretCipher.h"

namespace patchbay::tenantsqlite {

/// A tenant row plus its tenant_variants rows; the agent API key is sealed.
/// THREAD: the thread holding the session. Methods throw Poco::Exception or SecretError; callers classify.
class TenantTable
{
public:
    static std::optional<sdk::Tenant> find(Poco::Data::Session& session, const SecretCipher& cipher,
                                           const std::string& tenantId);

    /// The tenant owning `number`, matched exactly (the caller has checked it is E.164).
    static std::optional<sdk::Tenant> findByNumber(Poco::Data::Session& session, const SecretCipher& cipher,
                                                   const std::string& number);

    /// Every tenant, by id.
    static std::vector<sdk::Tenant> list(Poco::Data::Session& session, const SecretCipher& cipher);

    /// The tenant's per-minute rate in micros, or nullopt for an unknown tenant.
    static std::optional<std::int64_t> ratePerMinuteMicros(Poco::Data::Session& session, const std::string& tenantId);

    static bool exists(Poco::Data::Session& session, const std::string& tenantId);

    /// Inserts, or updates every field of an existing tenant and replaces its variants (its numbers
    /// stay assigned). Run inside a transaction so the variants never show half-replaced.
    static void upsert(Poco::Data::Session& session, const SecretCipher& cipher, const sdk::Tenant& tenant);

    /// Deletes the tenant; its variants and tokens go with it (ON DELETE CASCADE).
    /// @return whether a row was deleted.
    static bool remove(Poco::Data::Session& session, const std::string& tenantId);

    /// Re-seals every secret not under the active key, or with legacyOnly only the "plain:" ones
    /// schema v1 left. @return how many values were re-sealed.
    static std::uint64_t reseal(Poco::Data::Session& session, const SecretCipher& cipher, bool legacyOnly);

    static std::int64_t countTenants(Poco::Data::Session& session);

    /// "active" / "suspended", as stored.
    static const char* statusName(sdk::TenantStatus status) noexcept;
};

} // namespace patchbay::tenantsqlite

#endif
