// GatewayRecords.cpp: parsing of callsim reports and Prometheus text, and direct SQLite access.
#include "GatewayRecords.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/JSON/Array.h>

#include <ctime>
#include <sstream>

namespace patchbay {
namespace integration {

std::vector<CallOutcome> outcomesOf(const CallsimRun& run)
{
    std::vector<CallOutcome> out;
    if (!run.report || !run.report->has("perCall"))
        return out;
    Poco::JSON::Array::Ptr perCall = run.report->getArray("perCall");
    for (std::size_t i = 0; i < perCall->size(); ++i)
    {
        Poco::JSON::Object::Ptr c = perCall->getObject(static_cast<unsigned>(i));
        CallOutcome o;
        o.callSid = c->getValue<std::string>("callSid");
        o.outcome = c->getValue<std::string>("outcome");
        o.detail = c->getValue<std::string>("detail");
        o.closeCode = c->getValue<std::int64_t>("closeCode");
        o.echoed = c->getValue<std::int64_t>("echoed");
        o.connected = c->getValue<bool>("connected");
        out.push_back(o);
    }
    return out;
}

std::size_t countOutcome(const std::vector<CallOutcome>& calls, const std::string& outcome, const std::string& detail)
{
    std::size_t n = 0;
    for (const auto& c : calls)
        if (c.outcome == outcome && (detail.empty() || c.detail == detail))
            ++n;
    return n;
}

std::vector<std::string> sidsWith(const std::vector<CallOutcome>& calls, const std::string& outcome)
{
    std::vector<std::string> sids;
    for (const auto& c : calls)
        if (c.outcome == outcome)
            sids.push_back(c.callSid);
    return sids;
}

std::map<std::string, double> samplesOf(const std::string& text, const std::string& family)
{
    std::map<std::string, double> samples;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line))
    {
        if (line.compare(0, family.size(), family) != 0 || line.size() <= family.size())
            continue;
        std::string labels;
        std::size_t valueAt = 0;
        if (line[family.size()] == '{')
        {
            const auto close = line.find("} ", family.size());
            if (close == std::string::npos)
                continue;
            labels = line.substr(family.size() + 1, close - family.size() - 1);
            valueAt = close + 2;
        }
        else if (line[family.size()] == ' ')
            valueAt = family.size() + 1;
        else
            continue; // another family whose name starts like this one
        samples[labels] = std::stod(line.substr(valueAt));
    }
    return samples;
}

std::map<std::string, CallRow> readCallRows(const std::string& dbPath)
{
    using namespace Poco::Data::Keywords;
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY, "file:" + dbPath + "?mode=ro");
    std::vector<std::string> sids, tenants, status, endReason, endDetail, reportStatus, verdict, summary;
    std::vector<Poco::Int64> duration, reportAt;
    session << "SELECT call_sid, tenant_id, status, end_reason, end_detail, duration_ms, agent_report_status,"
               " agent_report_call_successful, agent_report_summary, agent_report_received_at_ms FROM calls",
        into(sids), into(tenants), into(status), into(endReason), into(endDetail), into(duration), into(reportStatus),
        into(verdict), into(summary), into(reportAt), now;
    std::map<std::string, CallRow> rows;
    for (std::size_t i = 0; i < sids.size(); ++i)
        rows[sids[i]] = CallRow{tenants[i], status[i], endReason[i], endDetail[i], duration[i],
                                reportStatus[i], verdict[i], summary[i], reportAt[i]};
    return rows;
}

void addUsageSeconds(const std::string& dbPath, const std::string& tenantId, std::int64_t seconds)
{
    using namespace Poco::Data::Keywords;
    // The month key the store and the router use: "YYYY-MM" of now, UTC.
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char month[16];
    std::strftime(month, sizeof month, "%Y-%m", &tm);

    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY, dbPath);
    session << "PRAGMA busy_timeout = 10000", now;
    std::string tenant = tenantId;
    std::string monthText = month;
    Poco::Int64 add = seconds;
    session << "INSERT INTO monthly_usage (tenant_id, month, variant, calls, seconds, cost_micros)"
               " VALUES (?, ?, '', 0, ?, 0)"
               " ON CONFLICT (tenant_id, month, variant) DO UPDATE SET seconds = seconds + excluded.seconds",
        use(tenant), use(monthText), use(add), now;
}

std::vector<TranscriptRow> readTranscriptRows(const std::string& dbPath, const std::string& callSid)
{
    using namespace Poco::Data::Keywords;
    std::vector<TranscriptRow> rows;
    try
    {
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY, "file:" + dbPath + "?mode=ro");
        std::vector<Poco::Int64> ids;
        std::vector<std::string> roles;
        std::vector<std::string> texts;
        std::vector<Poco::Int64> ats;
        std::string sid = callSid;
        session << "SELECT id, role, text, at_ms FROM transcripts WHERE call_sid = ? ORDER BY id", into(ids), into(roles),
            into(texts), into(ats), use(sid), now;
        for (std::size_t i = 0; i < ids.size(); ++i)
            rows.push_back(TranscriptRow{ids[i], roles[i], texts[i], ats[i]});
    }
    catch (const Poco::Exception&)
    {
        rows.clear();
    }
    return rows;
}

Poco::JSON::Object::Ptr toolResultOf(const Poco::JSON::Object::Ptr& stats, const std::string& name)
{
    if (!stats || !stats->has("toolResultDetails"))
        return nullptr;
    Poco::JSON::Array::Ptr details = stats->getArray("toolResultDetails");
    for (std::size_t i = 0; i < details->size(); ++i)
    {
        Poco::JSON::Object::Ptr d = details->getObject(static_cast<unsigned>(i));
        if (d->getValue<std::string>("tool_name") == name)
            return d;
    }
    return nullptr;
}

std::string jsonText(const Poco::JSON::Object::Ptr& object)
{
    if (!object)
        return "(null)";
    std::ostringstream out;
    object->stringify(out);
    return out.str();
}

} // namespace integration
} // namespace patchbay
