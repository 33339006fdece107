// NumberTable.cpp: reads, lists, assigns and releases rows of the phone_numbers table.
#include "patchbay/tenantsqlite/NumberTable.h"

#include <Poco/Data/Statement.h>

namespace patchbay::tenantsqlite {

using namespace Poco::Data::Keywords;
namespace kw = Poco::Data::Keywords;

namespace {

std::vector<sdk::NumberRoute> select(Poco::Data::Session& session, const char* where, const std::string* key)
{
    std::vector<std::string> numbers, tenants, accounts, sids;
    Poco::Data::Statement statement(session);
    statement << "SELECT number, tenant_id, coalesce(account_sid, ''), phone_number_sid FROM phone_numbers" << where
              << " ORDER BY number",
        into(numbers), into(tenants), into(accounts), into(sids);
    if (key)
        statement, kw::bind(*key);
    statement.execute();
    std::vector<sdk::NumberRoute> routes(numbers.size());
    for (std::size_t i = 0; i < numbers.size(); ++i)
    {
        routes[i].number = std::move(numbers[i]);
        routes[i].tenantId = std::move(tenants[i]);
        routes[i].accountSid = std::move(accounts[i]);
        routes[i].phoneNumberSid = std::move(sids[i]);
    }
    return routes;
}

} // namespace

std::optional<sdk::NumberRoute> NumberTable::find(Poco::Data::Session& session, const std::string& number)
{
    std::vector<sdk::NumberRoute> routes = select(session, " WHERE number = ?", &number);
    if (routes.empty())
        return std::nullopt;
    return std::move(routes.front());
}

std::vector<sdk::NumberRoute> NumberTable::list(Poco::Data::Session& session, const std::string& tenantId)
{
    return tenantId.empty() ? select(session, "", nullptr) : select(session, " WHERE tenant_id = ?", &tenantId);
}

void NumberTable::upsert(Poco::Data::Session& session, const sdk::NumberRoute& route)
{
    session << "INSERT INTO phone_numbers (number, tenant_id, account_sid, phone_number_sid)"
               " VALUES (?, ?, NULLIF(?, ''), ?)"
               " ON CONFLICT (number) DO UPDATE SET tenant_id = excluded.tenant_id,"
               " account_sid = excluded.account_sid, phone_number_sid = excluded.phone_number_sid",
        kw::bind(route.number), kw::bind(route.tenantId), kw::bind(route.accountSid), kw::bind(route.phoneNumberSid),
        now;
}

bool NumberTable::remove(Poco::Data::Session& session, const std::string& number)
{
    Poco::Data::Statement statement(session);
    statement << "DELETE FROM phone_numbers WHERE number = ?", kw::bind(number);
    return statement.execute() > 0;
}

std::int64_t NumberTable::countForTenant(Poco::Data::Session& session, const std::string& tenantId)
{
    Poco::Int64 n = 0;
    session << "SELECT count(*) FROM phone_numbers WHERE tenant_id = ?", into(n), kw::bind(tenantId), now;
    return n;
}

std::int64_t NumberTable::countForAccount(Poco::Data::Session& session, const std::string& accountSid)
{
    Poco::Int64 n = 0;
    session << "SELECT count(*) FROM phone_numbers WHERE account_sid = ?", into(n), kw::bind(accountSid), now;
    return n;
}

std::int64_t NumberTable::count(Poco::Data::Session& session)
{
    Poco::Int64 n = 0;
    session << "SELECT count(*) FROM phone_numbers", into(n), now;
    return n;
}

} // namespace patchbay::tenantsqlite
