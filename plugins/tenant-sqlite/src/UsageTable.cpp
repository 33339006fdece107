// UsageTable.cpp: upserting additions to, and filtered reads of, monthly_usage.
#include "patchbay/tenantsqlite/UsageTable.h"

#include <Poco/Data/Statement.h>

namespace patchbay::tenantsqlite {

using namespace Poco::Data::Keywords;
namespace kw = Poco::Data::Keywords;

void UsageTable::add(Poco::Data::Session& session, const std::string& tenantId, const std::string& month,
                     const std::string& variant, std::int64_t seconds, std::int64_t costMicros)
{
    const Poco::Int64 addSeconds = seconds;
    const Poco::Int64 addCost = costMicros;
    session << "INSERT INTO monthly_usage (tenant_id, month, variant, calls, seconds, cost_micros)"
               " VALUES (?, ?, ?, 1, ?, ?)"
               " ON CONFLICT (tenant_id, month, variant) DO UPDATE SET calls = calls + 1,"
               " seconds = seconds + excluded.seconds, cost_micros = cost_micros + excluded.cost_micros",
        kw::bind(tenantId), kw::bind(month), kw::bind(variant), kw::bind(addSeconds), kw::bind(addCost), now;
}

std::vector<sdk::MonthlyUsage> UsageTable::list(Poco::Data::Session& session, const std::string& tenantId,
                                                const std::string& month)
{
    std::vector<std::string> tenants, months, variants;
    std::vector<Poco::Int64> calls, seconds, costs;
    Poco::Data::Statement statement(session);
    statement << "SELECT tenant_id, month, variant, calls, seconds, cost_micros FROM monthly_usage WHERE 1 = 1"
              << (tenantId.empty() ? "" : " AND tenant_id = ?") << (month.empty() ? "" : " AND month = ?")
              << " ORDER BY tenant_id, month, variant",
        into(tenants), into(months), into(variants), into(calls), into(seconds), into(costs);
    if (!tenantId.empty())
        statement, kw::bind(tenantId);
    if (!month.empty())
        statement, kw::bind(month);
    statement.execute();
    std::vector<sdk::MonthlyUsage> rows(tenants.size());
    for (std::size_t i = 0; i < tenants.size(); ++i)
    {
        rows[i].tenantId = std::move(tenants[i]);
        rows[i].month = std::move(months[i]);
        rows[i].variant = std::move(variants[i]);
        rows[i].calls = static_cast<std::uint64_t>(calls[i] < 0 ? 0 : calls[i]);
        rows[i].seconds = seconds[i];
        rows[i].costMicros = costs[i];
    }
    return rows;
}

} // namespace patchbay::tenantsqlite
