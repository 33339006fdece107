// AccountTable.h: SQL for the accounts table — carrier accounts and their webhook-signing tokens.
#ifndef PATCHBAY_TENANTSQLITE_ACCOUNT_TABLE_H
#define PATCHBAY_TENANTSQLITE_ACCOUNT_TABLE_H

#include <Poco/Data/Session.h>

#include <cstdint>
#include <optional>
#include <string>

#include "patchbay/sdk/Tenant.h"

namespace patchbay::tenantsqlite {

/// Every value is bound, never spliced into SQL text, so tokens cannot leak into an error message.
/// THREAD: the thread holding the session. Methods throw Poco::Exception; callers classify.
class AccountTable
{
public:
    static std::optional<sdk::CarrierAccount> find(Poco::Data::Session& session, const std::string& sid);

    /// Inserts, or updates every field of an existing account (references to it stay valid).
    static void upsert(Poco::Data::Session& session, const sdk::CarrierAccount& account);

    static std::int64_t count(Poco::Data::Session& session);
};

} // namespace patchbay::tenantsqlite

#endif
