// AccountTable.cpp: reads and upserts rows of the accounts table.
#include "patchbay/tenantsqlite/AccountTable.h"

#include <Poco/Data/Statement.h>

#include <vector>

namespace patchbay::tenantsqlite {

using namespace Poco::Data::Keywords;
namespace kw = Poco::Data::Keywords;

std::optional<sdk::CarrierAccount> AccountTable::find(Poco::Data::Session& session, const std::string& sid)
{
    std::vector<std::string> sids, parents, tokens, secondaries;
    session << "SELECT sid, parent_sid, auth_token, secondary_token FROM accounts WHERE sid = ?", into(sids),
        into(parents), into(tokens), into(secondaries), kw::bind(sid), now;
    if (sids.empty())
        return std::nullopt;
    sdk::CarrierAccount account;
    account.sid = std::move(sids.front());
    account.parentSid = std::move(parents.front());
    account.authToken = std::move(tokens.front());
    account.secondaryToken = std::move(secondaries.front());
    return account;
}

void AccountTable::upsert(Poco::Data::Session& session, const sdk::CarrierAccount& account)
{
    // ON CONFLICT ... DO UPDATE rather than INSERT OR REPLACE: REPLACE deletes the row first, which
    // would trip the foreign keys of the numbers that belong to the account.
    session << "INSERT INTO accounts (sid, parent_sid, auth_token, secondary_token) VALUES (?, ?, ?, ?)"
               " ON CONFLICT (sid) DO UPDATE SET parent_sid = excluded.parent_sid,"
               " auth_token = excluded.auth_token, secondary_token = excluded.secondary_token",
        kw::bind(account.sid), kw::bind(account.parentSid),
        kw::bind(account.authToken), kw::bind(account.secondaryToken), now;
}

std::int64_t AccountTable::count(Poco::Data::Session& session)
{
    Poco::Int64 n = 0;
    session << "SELECT count(*) FROM accounts", into(n), now;
    return n;
}

} // namespace patchbay::tenantsqlite
