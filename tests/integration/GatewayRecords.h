// GatewayRecords.h: reading what a test run left behind — callsim's per-call report, the gateway's
// Prometheus text and the tenant-sqlite file.
#pragma once

#include "GatewayHarness.h"

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace patchbay {
namespace integration {

/// One entry of callsim's --per-call report.
struct CallOutcome
{
    std::string callSid;
    std::string outcome; ///< callsim's: completed, rejected, fallback, failed, ...
    std::string detail;  ///< reject reason ("busy"), fallback kind, failure text
    std::int64_t closeCode = 0;
    std::int64_t echoed = 0;
    bool connected = false;
};

std::vector<CallOutcome> outcomesOf(const CallsimRun& run);
/// Calls with this outcome (and this detail, unless detail is empty).
std::size_t countOutcome(const std::vector<CallOutcome>& calls, const std::string& outcome, const std::string& detail);
std::vector<std::string> sidsWith(const std::vector<CallOutcome>& calls, const std::string& outcome);

/// The samples of one metric family in Prometheus text: label text (inside the braces, "" for none) → value.
std::map<std::string, double> samplesOf(const std::string& text, const std::string& family);

/// One row of the calls table.
struct CallRow
{
    std::string tenantId;
    std::string status;
    std::string endReason;
    std::string endDetail;
    std::int64_t durationMs = 0;
    // The agent's report (post-call webhook); receivedAtMs 0 = none.
    std::string agentReportStatus;
    std::string agentReportVerdict; ///< call_successful
    std::string agentReportSummary;
    std::int64_t agentReportReceivedAtMs = 0;
};

/// Every row of the calls table by CallSid, read through a read-only connection.
std::map<std::string, CallRow> readCallRows(const std::string& dbPath);

/// One row of the transcripts table.
struct TranscriptRow
{
    std::int64_t id = 0;
    std::string role;
    std::string text;
    std::int64_t atMs = 0;
};

/// The call's transcript rows in row order; empty when the file cannot be read (a test polls).
std::vector<TranscriptRow> readTranscriptRows(const std::string& dbPath, const std::string& callSid);

/// The mock agent's stats entry of the client_tool_result it got for tool `name`, or null.
Poco::JSON::Object::Ptr toolResultOf(const Poco::JSON::Object::Ptr& stats, const std::string& name);

/// Compact JSON text of an object ("(null)" for none), for failure messages.
std::string jsonText(const Poco::JSON::Object::Ptr& object);

inline bool contains(const std::string& text, const std::string& needle)
{
    return text.find(needle) != std::string::npos;
}

/// Adds seconds to the tenant's monthly_usage of the current UTC month, as the store does when a
/// call finishes (safe while the gateway runs: SQLite serialises the writers).
void addUsageSeconds(const std::string& dbPath, const std::string& tenantId, std::int64_t seconds);

} // namespace integration
} // namespace patchbay
