// AccountTable.h: SQL for the accounts table — carrier accounts and their (sealed) webhook-signing tokens.
#ifndef PATCHBAY_TENANTSQLITE_ACCOUNT_TABLE_H
#define PATCHBAY_TENANTSQLITE_ACCOUNT_TABLE_H

#include <Poco/Data/Session.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "patchbay/sdk/Tenant.h"
#include "patchbay/tenantsqlite/SecretCipher.h"

namespace patchbay::tenantsqlite {

/// Every value is bound, never spliced into SQL text, so tokens cannot leak into an error message.
/// Secret columns (auth_token, secondary_token, api_key_secret) go through the cipher both ways.
/// THREAD: the thread holding the session. Methods throw Poco::Exception or SecretError; callers classify.
class AccountTable
{
public:
    static std::optional<sdk::CarrierAccount> find(Poco::Data::Session& session, const SecretCipher& cipher,
                                                   const std::string& sid);
    static bool exists(Poco::Data::Session& session, const std::string& sid);

    /// Every account, by SID.
    static std::vector<sdk::CarrierAccount> list(Poco::Data::Session& session, const SecretCipher& cipher);

    /// Inserts, or updates every field of an existing account (references to it stay valid).
    static void upsert(Poco::Data::Session& session, const SecretCipher& cipher, const sdk::CarrierAccount& account);

    /// @return whether a row was deleted.
    static bool remove(Poco::Data::Session& session, const std::string& sid);

    /// Re-seals every secret not under the active key, or with legacyOnly only the "plain:" ones
    /// schema v1 left. @return how many values were re-sealed.
    static std::uint64_t reseal(Poco::Data::Session& session, const SecretCipher& cipher, bool legacyOnly);

    static std::int64_t count(Poco::Data::Session& session);
};

} // namespace patchbay::tenantsqlite

#endif
