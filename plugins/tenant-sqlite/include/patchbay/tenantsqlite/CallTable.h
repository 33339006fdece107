// CallTable.h: SQL for the calls table — durable call records, upserted by CallSid and listed newest first.
#ifndef PATCHBAY_TENANTSQLITE_CALL_TABLE_H
#define PATCHBAY_TENANTSQLITE_CALL_TABLE_H

#include <Poco/Data/Session.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "patchbay/sdk/Tenant.h"
#include "patchbay/sdk/TenantStore.h"

namespace patchbay::tenantsqlite {

/// THREAD: the thread holding the session. Methods throw Poco::Exception; callers classify.
class CallTable
{
public:
    /// Creates the record of record.call.callSid or replaces every field of it except the agent
    /// report (record.agentReport is ignored; a stored report stays).
    static void upsert(Poco::Data::Session& session, const sdk::CallRecord& record);

    /// Replaces the agent-report columns of an existing row and nothing else.
    /// @return false when no call has this CallSid (nothing is written).
    static bool updateAgentReport(Poco::Data::Session& session, const std::string& callSid,
                                  const sdk::AgentCallReport& report);

    static std::optional<sdk::CallRecord> find(Poco::Data::Session& session, const std::string& callSid);

    /// Calls matching query (tenant, status, [sinceMs, untilMs)), newest first (ties by CallSid,
    /// descending), skipping query.offset, at most `limit` of them (the caller caps it).
    static std::vector<sdk::CallRecord> list(Poco::Data::Session& session, const sdk::CallQuery& query,
                                             std::uint32_t limit);

    /// Whether finishCall has already added this call to its tenant's usage.
    static bool usageCounted(Poco::Data::Session& session, const std::string& callSid);
    static void markUsageCounted(Poco::Data::Session& session, const std::string& callSid);

    static std::int64_t count(Poco::Data::Session& session);

    /// "inbound" / "outbound", as stored.
    static const char* directionName(sdk::CallDirection direction) noexcept;
};

} // namespace patchbay::tenantsqlite

#endif
