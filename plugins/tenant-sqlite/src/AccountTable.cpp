// AccountTable.cpp: reads, lists, upserts, deletes and re-seals rows of the accounts table.
#include "patchbay/tenantsqlite/AccountTable.h"

#include <Poco/Data/Statement.h>

namespace patchbay::tenantsqlite {

using namespace Poco::Data::Keywords;
namespace kw = Poco::Data::Keywords;

namespace {

// The associated data of each secret: a value sealed for one account's column opens nowhere else.
std::string placeOf(const char* column, const std::string& sid)
{
    return std::string("accounts.") + column + ":" + sid;
}

std::vector<sdk::CarrierAccount> select(Poco::Data::Session& session, const SecretCipher& cipher,
                                        const std::string* sid)
{
    std::vector<std::string> sids, parents, tokens, secondaries, names, keySids, keySecrets;
    Poco::Data::Statement statement(session);
    statement << "SELECT sid, parent_sid, auth_token, secondary_token, friendly_name, api_key_sid, api_key_secret"
                 " FROM accounts"
              << (sid ? " WHERE sid = ?" : " ORDER BY sid"),
        into(sids), into(parents), into(tokens), into(secondaries), into(names), into(keySids), into(keySecrets);
    if (sid)
        statement, kw::bind(*sid);
    statement.execute();

    std::vector<sdk::CarrierAccount> accounts(sids.size());
    for (std::size_t i = 0; i < sids.size(); ++i)
    {
        sdk::CarrierAccount& account = accounts[i];
        account.sid = std::move(sids[i]);
        account.parentSid = std::move(parents[i]);
        account.authToken = cipher.open(tokens[i], placeOf("auth_token", account.sid));
        account.secondaryToken = cipher.open(secondaries[i], placeOf("secondary_token", account.sid));
        account.friendlyName = std::move(names[i]);
        account.apiKeySid = std::move(keySids[i]);
        account.apiKeySecret = cipher.open(keySecrets[i], placeOf("api_key_secret", account.sid));
    }
    return accounts;
}

} // namespace

std::optional<sdk::CarrierAccount> AccountTable::find(Poco::Data::Session& session, const SecretCipher& cipher,
                                                      const std::string& sid)
{
    std::vector<sdk::CarrierAccount> accounts = select(session, cipher, &sid);
    if (accounts.empty())
        return std::nullopt;
    return std::move(accounts.front());
}

bool AccountTable::exists(Poco::Data::Session& session, const std::string& sid)
{
    int n = 0;
    session << "SELECT count(*) FROM accounts WHERE sid = ?", into(n), kw::bind(sid), now;
    return n > 0;
}

std::vector<sdk::CarrierAccount> AccountTable::list(Poco::Data::Session& session, const SecretCipher& cipher)
{
    return select(session, cipher, nullptr);
}

void AccountTable::upsert(Poco::Data::Session& session, const SecretCipher& cipher, const sdk::CarrierAccount& account)
{
    const std::string token = cipher.seal(account.authToken, placeOf("auth_token", account.sid));
    const std::string secondary = cipher.seal(account.secondaryToken, placeOf("secondary_token", account.sid));
    const std::string keySecret = cipher.seal(account.apiKeySecret, placeOf("api_key_secret", account.sid));
    // ON CONFLICT ... DO UPDATE rather than INSERT OR REPLACE: REPLACE deletes the row first, which
    // would trip the foreign keys of the numbers that belong to the account.
    session << "INSERT INTO accounts (sid, parent_sid, auth_token, secondary_token, friendly_name, api_key_sid,"
               " api_key_secret) VALUES (?, ?, ?, ?, ?, ?, ?)"
               " ON CONFLICT (sid) DO UPDATE SET parent_sid = excluded.parent_sid,"
               " auth_token = excluded.auth_token, secondary_token = excluded.secondary_token,"
               " friendly_name = excluded.friendly_name, api_key_sid = excluded.api_key_sid,"
               " api_key_secret = excluded.api_key_secret",
        kw::bind(account.sid), kw::bind(account.parentSid), kw::bind(token), kw::bind(secondary),
        kw::bind(account.friendlyName), kw::bind(account.apiKeySid), kw::bind(keySecret), now;
}

bool AccountTable::remove(Poco::Data::Session& session, const std::string& sid)
{
    Poco::Data::Statement statement(session);
    statement << "DELETE FROM accounts WHERE sid = ?", kw::bind(sid);
    return statement.execute() > 0;
}

std::uint64_t AccountTable::reseal(Poco::Data::Session& session, const SecretCipher& cipher, bool legacyOnly)
{
    std::vector<std::string> sids, tokens, secondaries, keySecrets;
    session << "SELECT sid, auth_token, secondary_token, api_key_secret FROM accounts", into(sids), into(tokens),
        into(secondaries), into(keySecrets), now;
    std::uint64_t resealed = 0;
    for (std::size_t i = 0; i < sids.size(); ++i)
    {
        const struct
        {
            const char* column;
            const std::string& stored;
        } secrets[] = {{"auth_token", tokens[i]}, {"secondary_token", secondaries[i]}, {"api_key_secret", keySecrets[i]}};
        for (const auto& secret : secrets)
        {
            if (legacyOnly ? !SecretCipher::isLegacy(secret.stored) : cipher.isCurrent(secret.stored))
                continue;
            const std::string place = placeOf(secret.column, sids[i]);
            const std::string sealed = cipher.seal(cipher.open(secret.stored, place), place);
            // The column name is one of ours, never input.
            session << std::string("UPDATE accounts SET ") + secret.column + " = ? WHERE sid = ?", kw::bind(sealed),
                kw::bind(sids[i]), now;
            ++resealed;
        }
    }
    return resealed;
}

std::int64_t AccountTable::count(Poco::Data::Session& session)
{
    Poco::Int64 n = 0;
    session << "SELECT count(*) FROM accounts", into(n), now;
    return n;
}

} // namespace patchbay::tenantsqlite
