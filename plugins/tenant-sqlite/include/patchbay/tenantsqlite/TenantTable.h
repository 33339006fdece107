// TenantTable.h: SQL for the tenants and phone_numbers tables — routing lookups and seed upserts.
#ifndef PATCHBAY_TENANTSQLITE_TENANT_TABLE_H
#define PATCHBAY_TENANTSQLITE_TENANT_TABLE_H

#include <Poco/Data/Session.h>

#include <cstdint>
#include <optional>
#include <string>

#include "patchbay/sdk/Tenant.h"

namespace patchbay::tenantsqlite {

/// dynamic_variables is stored as a JSON object of strings, in the order given.
/// THREAD: the thread holding the session. Methods throw Poco::Exception; callers classify.
class TenantTable
{
public:
    static std::optional<sdk::Tenant> find(Poco::Data::Session& session, const std::string& tenantId);

    /// The tenant owning `number`, matched exactly (the caller has checked it is E.164).
    static std::optional<sdk::Tenant> findByNumber(Poco::Data::Session& session, const std::string& number);

    /// Inserts, or updates every field of an existing tenant (its numbers stay assigned).
    static void upsert(Poco::Data::Session& session, const sdk::Tenant& tenant);

    /// Assigns a number; an existing number moves to the given tenant and account.
    /// An empty accountSid stores NULL (no account). Foreign keys must be on.
    static void upsertNumber(Poco::Data::Session& session, const sdk::NumberRoute& route);

    static std::int64_t countTenants(Poco::Data::Session& session);
    static std::int64_t countNumbers(Poco::Data::Session& session);

    /// "active" / "suspended", as stored.
    static const char* statusName(sdk::TenantStatus status) noexcept;
};

} // namespace patchbay::tenantsqlite

#endif
