// UsageTable.h: SQL for monthly_usage — calls, billed seconds and cost per tenant, month and A/B variant.
#ifndef PATCHBAY_TENANTSQLITE_USAGE_TABLE_H
#define PATCHBAY_TENANTSQLITE_USAGE_TABLE_H

#include <Poco/Data/Session.h>

#include <string>
#include <vector>

#include "patchbay/sdk/Tenant.h"

namespace patchbay::tenantsqlite {

/// THREAD: the thread holding the session. Methods throw Poco::Exception; callers classify.
class UsageTable
{
public:
    /// Adds one call of `seconds` and `costMicros` to the row of (tenant, month, variant).
    static void add(Poco::Data::Session& session, const std::string& tenantId, const std::string& month,
                    const std::string& variant, std::int64_t seconds, std::int64_t costMicros);

    /// Empty tenantId = all tenants, empty month = all months; by tenant, month, variant.
    static std::vector<sdk::MonthlyUsage> list(Poco::Data::Session& session, const std::string& tenantId,
                                               const std::string& month);
};

} // namespace patchbay::tenantsqlite

#endif
