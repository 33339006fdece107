// NumberTable.h: SQL for the phone_numbers table — which tenant and account own each E.164 number.
#ifndef PATCHBAY_TENANTSQLITE_NUMBER_TABLE_H
#define PATCHBAY_TENANTSQLITE_NUMBER_TABLE_H

#include <Poco/Data/Session.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "patchbay/sdk/Tenant.h"

namespace patchbay::tenantsqlite {

/// account_sid is NULL for "no account" (a foreign key on '' would fail); it reads back as "".
/// THREAD: the thread holding the session. Methods throw Poco::Exception; callers classify.
class NumberTable
{
public:
    static std::optional<sdk::NumberRoute> find(Poco::Data::Session& session, const std::string& number);

    /// Numbers of one tenant, or all numbers when tenantId is empty; by number.
    static std::vector<sdk::NumberRoute> list(Poco::Data::Session& session, const std::string& tenantId);

    /// Assigns a number; an existing number moves to the given tenant and account. Foreign keys must be on.
    static void upsert(Poco::Data::Session& session, const sdk::NumberRoute& route);

    /// @return whether a row was deleted.
    static bool remove(Poco::Data::Session& session, const std::string& number);

    static std::int64_t countForTenant(Poco::Data::Session& session, const std::string& tenantId);
    static std::int64_t countForAccount(Poco::Data::Session& session, const std::string& accountSid);
    static std::int64_t count(Poco::Data::Session& session);
};

} // namespace patchbay::tenantsqlite

#endif
