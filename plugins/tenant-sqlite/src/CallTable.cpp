// CallTable.cpp: upserts, reads and lists rows of the calls table, and writes their agent-report columns.
#include "patchbay/tenantsqlite/CallTable.h"

#include <Poco/Data/Statement.h>

namespace patchbay::tenantsqlite {

using namespace Poco::Data::Keywords;
namespace kw = Poco::Data::Keywords;

namespace {

// The column order below is the order CallColumns binds its into() vectors in.
const char* const kCallColumns =
    "call_sid, tenant_id, account_sid, direction, from_number, to_number, inbound_provider, status,"
    " received_at_ms, stream_started_at_ms, ended_at_ms, duration_ms, end_reason, end_detail,"
    " agent_conversation_id, frames_from_caller, frames_to_caller, variant, answered_at_ms, cost_micros,"
    " agent_report_conversation_id, agent_report_status, agent_report_termination_reason,"
    " agent_report_duration_seconds, agent_report_cost, agent_report_call_successful, agent_report_summary,"
    " agent_report_analysis, agent_report_received_at_ms";

/// One result set of call rows, column by column.
struct CallColumns
{
    std::vector<std::string> callSid, tenantId, accountSid, direction, from, to, provider, status, endReason,
        endDetail, conversationId, variant;
    std::vector<Poco::Int64> receivedAt, streamStartedAt, endedAt, duration, framesFrom, framesTo, answeredAt, cost;
    std::vector<std::string> reportConversationId, reportStatus, reportTermination, reportSuccessful, reportSummary,
        reportAnalysis;
    std::vector<Poco::Int64> reportDuration, reportCost, reportReceivedAt;

    void bindTo(Poco::Data::Statement& statement)
    {
        statement, into(callSid), into(tenantId), into(accountSid), into(direction), into(from), into(to),
            into(provider), into(status), into(receivedAt), into(streamStartedAt), into(endedAt), into(duration),
            into(endReason), into(endDetail), into(conversationId), into(framesFrom), into(framesTo), into(variant), into(answeredAt),
            into(cost), into(reportConversationId), into(reportStatus), into(reportTermination), into(reportDuration),
            into(reportCost), into(reportSuccessful), into(reportSummary), into(reportAnalysis), into(reportReceivedAt);
    }

    std::size_t size() const noexcept { return callSid.size(); }

    sdk::CallRecord take(std::size_t i)
    {
        sdk::CallRecord record;
        record.call.callSid = std::move(callSid[i]);
        record.call.tenantId = std::move(tenantId[i]);
        record.call.accountSid = std::move(accountSid[i]);
        record.call.direction = direction[i] == "outbound" ? sdk::CallDirection::Outbound : sdk::CallDirection::Inbound;
        record.call.from = std::move(from[i]);
        record.call.to = std::move(to[i]);
        record.call.inboundProvider = std::move(provider[i]);
        record.status = std::move(status[i]);
        record.receivedAtMs = receivedAt[i];
        record.streamStartedAtMs = streamStartedAt[i];
        record.endedAtMs = endedAt[i];
        record.durationMs = duration[i];
        record.endReason = std::move(endReason[i]);
        record.endDetail = std::move(endDetail[i]);
        record.agentConversationId = std::move(conversationId[i]);
        // Frame counters are unsigned in the SDK and signed in SQLite; 2^63 frames is out of reach.
        record.framesFromCaller = static_cast<std::uint64_t>(framesFrom[i] < 0 ? 0 : framesFrom[i]);
        record.framesToCaller = static_cast<std::uint64_t>(framesTo[i] < 0 ? 0 : framesTo[i]);
        record.variant = std::move(variant[i]);
        record.answeredAtMs = answeredAt[i];
        record.costMicros = cost[i];
        sdk::AgentCallReport& report = record.agentReport;
        report.conversationId = std::move(reportConversationId[i]);
        report.status = std::move(reportStatus[i]);
        report.terminationReason = std::move(reportTermination[i]);
        report.durationSeconds = reportDuration[i];
        report.cost = reportCost[i];
        report.callSuccessful = std::move(reportSuccessful[i]);
        report.summary = std::move(reportSummary[i]);
        report.analysisJson = std::move(reportAnalysis[i]);
        report.receivedAtMs = reportReceivedAt[i];
        return record;
    }
};

} // namespace

void CallTable::upsert(Poco::Data::Session& session, const sdk::CallRecord& record)
{
    const std::string direction = directionName(record.call.direction);
    const Poco::Int64 receivedAt = record.receivedAtMs;
    const Poco::Int64 streamStartedAt = record.streamStartedAtMs;
    const Poco::Int64 endedAt = record.endedAtMs;
    const Poco::Int64 duration = record.durationMs;
    const Poco::Int64 framesFrom = static_cast<Poco::Int64>(record.framesFromCaller);
    const Poco::Int64 framesTo = static_cast<Poco::Int64>(record.framesToCaller);
    const Poco::Int64 answeredAt = record.answeredAtMs;
    const Poco::Int64 cost = record.costMicros;
    // usage_counted is deliberately not written here: only finishCall sets it, and a later
    // saveCall of the same CallSid must not make the call countable again. Nor are the agent_report_*
    // columns: only updateAgentReport writes them, so a record write never undoes a report.
    session << "INSERT INTO calls (call_sid, tenant_id, account_sid, direction, from_number, to_number,"
               " inbound_provider, status, received_at_ms, stream_started_at_ms, ended_at_ms, duration_ms,"
               " end_reason, end_detail, agent_conversation_id, frames_from_caller, frames_to_caller, variant,"
               " answered_at_ms, cost_micros)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
               " ON CONFLICT (call_sid) DO UPDATE SET tenant_id = excluded.tenant_id,"
               " account_sid = excluded.account_sid, direction = excluded.direction,"
               " from_number = excluded.from_number, to_number = excluded.to_number,"
               " inbound_provider = excluded.inbound_provider, status = excluded.status,"
               " received_at_ms = excluded.received_at_ms, stream_started_at_ms = excluded.stream_started_at_ms,"
               " ended_at_ms = excluded.ended_at_ms, duration_ms = excluded.duration_ms,"
               " end_reason = excluded.end_reason, end_detail = excluded.end_detail,"
               " agent_conversation_id = excluded.agent_conversation_id,"
               " frames_from_caller = excluded.frames_from_caller, frames_to_caller = excluded.frames_to_caller,"
               " variant = excluded.variant, answered_at_ms = excluded.answered_at_ms, cost_micros = excluded.cost_micros",
        kw::bind(record.call.callSid), kw::bind(record.call.tenantId), kw::bind(record.call.accountSid),
        kw::bind(direction), kw::bind(record.call.from), kw::bind(record.call.to),
        kw::bind(record.call.inboundProvider), kw::bind(record.status), kw::bind(receivedAt),
        kw::bind(streamStartedAt), kw::bind(endedAt), kw::bind(duration), kw::bind(record.endReason),
        kw::bind(record.endDetail), kw::bind(record.agentConversationId), kw::bind(framesFrom), kw::bind(framesTo),
        kw::bind(record.variant), kw::bind(answeredAt), kw::bind(cost), now;
}

bool CallTable::updateAgentReport(Poco::Data::Session& session, const std::string& callSid,
                                  const sdk::AgentCallReport& report)
{
    const Poco::Int64 duration = report.durationSeconds;
    const Poco::Int64 cost = report.cost;
    const Poco::Int64 receivedAt = report.receivedAtMs;
    Poco::Data::Statement statement(session);
    statement << "UPDATE calls SET agent_report_conversation_id = ?, agent_report_status = ?,"
                 " agent_report_termination_reason = ?, agent_report_duration_seconds = ?, agent_report_cost = ?,"
                 " agent_report_call_successful = ?, agent_report_summary = ?, agent_report_analysis = ?,"
                 " agent_report_received_at_ms = ? WHERE call_sid = ?",
        kw::bind(report.conversationId), kw::bind(report.status), kw::bind(report.terminationReason),
        kw::bind(duration), kw::bind(cost), kw::bind(report.callSuccessful), kw::bind(report.summary),
        kw::bind(report.analysisJson), kw::bind(receivedAt), kw::bind(callSid);
    return statement.execute() > 0;
}

std::optional<sdk::CallRecord> CallTable::find(Poco::Data::Session& session, const std::string& callSid)
{
    CallColumns columns;
    Poco::Data::Statement statement(session);
    statement << "SELECT " << kCallColumns << " FROM calls WHERE call_sid = ?";
    columns.bindTo(statement);
    statement, kw::bind(callSid);
    statement.execute();
    if (columns.size() == 0)
        return std::nullopt;
    return columns.take(0);
}

std::vector<sdk::CallRecord> CallTable::list(Poco::Data::Session& session, const sdk::CallQuery& query,
                                             std::uint32_t limit)
{
    CallColumns columns;
    const Poco::Int64 since = query.sinceMs;
    const Poco::Int64 until = query.untilMs;
    const Poco::Int64 rows = limit;
    const Poco::Int64 offset = query.offset;
    Poco::Data::Statement statement(session);
    // Optional filters are added as text rather than "(? = '' OR tenant_id = ?)", which would keep
    // SQLite off the tenant and status indexes; every value is still bound.
    statement << "SELECT " << kCallColumns << " FROM calls WHERE "
              << (query.tenantId.empty() ? "" : "tenant_id = ? AND ") << (query.status.empty() ? "" : "status = ? AND ")
              << "received_at_ms >= ?" << (query.untilMs > 0 ? " AND received_at_ms < ?" : "")
              << " ORDER BY received_at_ms DESC, call_sid DESC LIMIT ? OFFSET ?";
    columns.bindTo(statement);
    if (!query.tenantId.empty())
        statement, kw::bind(query.tenantId);
    if (!query.status.empty())
        statement, kw::bind(query.status);
    statement, kw::bind(since);
    if (query.untilMs > 0)
        statement, kw::bind(until);
    statement, kw::bind(rows), kw::bind(offset);
    statement.execute();

    std::vector<sdk::CallRecord> records;
    records.reserve(columns.size());
    for (std::size_t i = 0; i < columns.size(); ++i)
        records.push_back(columns.take(i));
    return records;
}

bool CallTable::usageCounted(Poco::Data::Session& session, const std::string& callSid)
{
    int counted = 0;
    session << "SELECT coalesce(max(usage_counted), 0) FROM calls WHERE call_sid = ?", into(counted),
        kw::bind(callSid), now;
    return counted != 0;
}

void CallTable::markUsageCounted(Poco::Data::Session& session, const std::string& callSid)
{
    session << "UPDATE calls SET usage_counted = 1 WHERE call_sid = ?", kw::bind(callSid), now;
}

std::int64_t CallTable::count(Poco::Data::Session& session)
{
    Poco::Int64 n = 0;
    session << "SELECT count(*) FROM calls", into(n), now;
    return n;
}

const char* CallTable::directionName(sdk::CallDirection direction) noexcept
{
    return direction == sdk::CallDirection::Outbound ? "outbound" : "inbound";
}

} // namespace patchbay::tenantsqlite
