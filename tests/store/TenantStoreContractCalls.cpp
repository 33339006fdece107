// TenantStoreContractCalls.cpp: the contract test methods for call records — listing, finishCall usage arithmetic, status history, transcripts, agent reports.
#include "TenantStoreContract.h"

namespace patchbay::tenantsqlite::test {

void TenantStoreContract::testCallRecordNewFields()
{
    sdk::CallRecord record = endedCall("CA1", "acme", 1000, 5000);
    record.variant = "control";
    record.costMicros = 777;
    ASSERT_OK(store().saveCall(record));
    sdk::Result<sdk::CallRecord> found = store().findCall("CA1");
    CPPUNIT_ASSERT(found.isOk());
    CPPUNIT_ASSERT_EQUAL(std::string("control"), found->variant);
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1100), found->answeredAtMs);
    CPPUNIT_ASSERT_EQUAL(std::int64_t(777), found->costMicros);
    CPPUNIT_ASSERT_EQUAL(std::int64_t(5000), found->durationMs);
    ASSERT_CODE(NotFound, store().findCall("CA404").status());
}

void TenantStoreContract::testListCallsFilters()
{
    ASSERT_OK(store().saveCall(sampleCall("CA1", "acme", 1000)));
    ASSERT_OK(store().saveCall(endedCall("CA2", "acme", 2000, 10)));
    ASSERT_OK(store().saveCall(endedCall("CA3", "beta", 3000, 10)));
    ASSERT_OK(store().saveCall(endedCall("CA4", "acme", 4000, 10)));

    sdk::CallQuery ended;
    ended.status = "ended";
    CPPUNIT_ASSERT((sidsOf(ended) == std::vector<std::string>{"CA4", "CA3", "CA2"}));
    ended.tenantId = "acme";
    CPPUNIT_ASSERT((sidsOf(ended) == std::vector<std::string>{"CA4", "CA2"}));

    sdk::CallQuery window;
    window.sinceMs = 2000; // inclusive
    window.untilMs = 4000; // exclusive
    CPPUNIT_ASSERT((sidsOf(window) == std::vector<std::string>{"CA3", "CA2"}));
    window.untilMs = 0; // no upper bound
    CPPUNIT_ASSERT((sidsOf(window) == std::vector<std::string>{"CA4", "CA3", "CA2"}));

    sdk::CallQuery received;
    received.status = "received";
    CPPUNIT_ASSERT((sidsOf(received) == std::vector<std::string>{"CA1"}));
    received.status = "nonsense";
    CPPUNIT_ASSERT(sidsOf(received).empty());
}

void TenantStoreContract::testListCallsPagination()
{
    // Two share a time: CallSid (descending) breaks the tie, so pages neither repeat nor skip.
    for (const char* sid : {"CA5", "CA1", "CA3a", "CA2", "CA3b", "CA4"})
    {
        const std::int64_t at = sid[2] == '3' ? 3000 : (sid[2] - '0') * 1000;
        ASSERT_OK(store().saveCall(sampleCall(sid, "acme", at)));
    }
    sdk::CallQuery page;
    page.limit = 2;
    CPPUNIT_ASSERT((sidsOf(page) == std::vector<std::string>{"CA5", "CA4"}));
    page.offset = 2;
    CPPUNIT_ASSERT((sidsOf(page) == std::vector<std::string>{"CA3b", "CA3a"}));
    page.offset = 4;
    CPPUNIT_ASSERT((sidsOf(page) == std::vector<std::string>{"CA2", "CA1"}));
    page.offset = 6;
    CPPUNIT_ASSERT(sidsOf(page).empty());
    page.offset = 1;
    page.limit = 0;
    CPPUNIT_ASSERT(sidsOf(page).empty());
}

void TenantStoreContract::testFinishCallCountsUsageOnce()
{
    seedBasics();
    sdk::CallRecord record = endedCall("CA1", "acme", kFeb2024, 61000);
    ASSERT_OK(store().finishCall(record));
    record.endDetail = "updated after the fact";
    record.durationMs = 999999; // a later update changes the record, never the usage
    ASSERT_OK(store().finishCall(record));
    ASSERT_OK(store().finishCall(record));

    CPPUNIT_ASSERT_EQUAL(std::string("updated after the fact"), store().findCall("CA1")->endDetail);
    std::vector<sdk::MonthlyUsage> rows = store().usage("acme", "2024-02").value();
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), rows.size());
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), rows[0].calls);
    CPPUNIT_ASSERT_EQUAL(std::int64_t(61), rows[0].seconds);
    CPPUNIT_ASSERT_EQUAL(std::int64_t(61000), rows[0].costMicros);
}

void TenantStoreContract::testFinishCallBilledSeconds()
{
    seedBasics();
    // ceil(durationMs / 1000): every started second is billed.
    const std::int64_t durations[] = {0, 1, 999, 1000, 1001, 59999, -5};
    std::int64_t expected = 0;
    int n = 0;
    for (std::int64_t duration : durations)
    {
        ASSERT_OK(store().finishCall(endedCall("CA-d" + std::to_string(n++), "beta", kFeb2024, duration)));
        expected += duration <= 0 ? 0 : (duration + 999) / 1000;
    }
    CPPUNIT_ASSERT_EQUAL(std::int64_t(0 + 1 + 1 + 1 + 2 + 60 + 0), expected);
    std::vector<sdk::MonthlyUsage> rows = store().usage("beta", "").value();
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), rows.size());
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(7), rows[0].calls);
    CPPUNIT_ASSERT_EQUAL(expected, rows[0].seconds);
    CPPUNIT_ASSERT_EQUAL(std::int64_t(0), rows[0].costMicros); // beta has no rate
}

void TenantStoreContract::testFinishCallCost()
{
    seedBasics();
    // acme: 60000 micros per minute. 90.5 s -> 91 s -> 91000 micros, recorded on the call too.
    ASSERT_OK(store().finishCall(endedCall("CA1", "acme", kFeb2024, 90500)));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(91000), store().findCall("CA1")->costMicros);
    // A cost the caller already computed is kept.
    sdk::CallRecord priced = endedCall("CA2", "acme", kFeb2024, 1000);
    priced.costMicros = 5;
    ASSERT_OK(store().finishCall(priced));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(5), store().findCall("CA2")->costMicros);
    // Fractions of a micro round up: 1 s at 7 micros per minute costs 1 micro.
    sdk::Tenant odd = sampleTenant("odd");
    odd.rates.perMinuteMicros = 7;
    ASSERT_OK(store().saveTenant(odd));
    ASSERT_OK(store().finishCall(endedCall("CA3", "odd", kFeb2024, 1000)));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1), store().findCall("CA3")->costMicros);

    std::vector<sdk::MonthlyUsage> rows = store().usage("acme", "2024-02").value();
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), rows.size());
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), rows[0].calls);
    CPPUNIT_ASSERT_EQUAL(std::int64_t(92), rows[0].seconds);
    CPPUNIT_ASSERT_EQUAL(std::int64_t(91005), rows[0].costMicros);
}

void TenantStoreContract::testFinishCallMonthIsUtc()
{
    seedBasics();
    ASSERT_OK(store().finishCall(endedCall("CA-jan", "beta", kFeb2024 - 1, 1000)));
    ASSERT_OK(store().finishCall(endedCall("CA-feb", "beta", kFeb2024, 1000)));
    ASSERT_OK(store().finishCall(endedCall("CA-1969", "beta", -3600000, 1000)));
    std::vector<sdk::MonthlyUsage> rows = store().usage("beta", "").value();
    CPPUNIT_ASSERT_EQUAL(std::size_t(3), rows.size());
    CPPUNIT_ASSERT_EQUAL(std::string("1969-12"), rows[0].month);
    CPPUNIT_ASSERT_EQUAL(std::string("2024-01"), rows[1].month);
    CPPUNIT_ASSERT_EQUAL(std::string("2024-02"), rows[2].month);
}

void TenantStoreContract::testFinishCallPerVariant()
{
    seedBasics();
    sdk::CallRecord a = endedCall("CA1", "acme", kFeb2024, 1000);
    a.variant = "control";
    sdk::CallRecord b = endedCall("CA2", "acme", kFeb2024, 2000);
    b.variant = "new";
    sdk::CallRecord c = endedCall("CA3", "acme", kFeb2024, 3000);
    c.variant = "control";
    for (const auto& record : {a, b, c})
        ASSERT_OK(store().finishCall(record));
    std::vector<sdk::MonthlyUsage> rows = store().usage("acme", "2024-02").value();
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), rows.size());
    CPPUNIT_ASSERT_EQUAL(std::string("control"), rows[0].variant);
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), rows[0].calls);
    CPPUNIT_ASSERT_EQUAL(std::int64_t(4), rows[0].seconds);
    CPPUNIT_ASSERT_EQUAL(std::string("new"), rows[1].variant);
    CPPUNIT_ASSERT_EQUAL(std::int64_t(2), rows[1].seconds);
    CPPUNIT_ASSERT_EQUAL(std::string("acme"), rows[1].tenantId);
    CPPUNIT_ASSERT_EQUAL(std::string("2024-02"), rows[1].month);
}

void TenantStoreContract::testFinishCallWithoutTenant()
{
    // A call refused before any tenant was known is recorded, and bills nobody.
    ASSERT_OK(store().finishCall(endedCall("CA-unknown", "", kFeb2024, 5000)));
    CPPUNIT_ASSERT(store().findCall("CA-unknown").isOk());
    CPPUNIT_ASSERT(store().usage("", "").value().empty());
    sdk::CallRecord noSid = endedCall("", "acme", kFeb2024, 5000);
    ASSERT_CODE(InvalidArgument, store().finishCall(noSid));
}

void TenantStoreContract::testSaveCallDoesNotResetUsage()
{
    seedBasics();
    sdk::CallRecord record = sampleCall("CA1", "acme", kFeb2024);
    ASSERT_OK(store().saveCall(record)); // received: not billed
    CPPUNIT_ASSERT(store().usage("acme", "").value().empty());
    record = endedCall("CA1", "acme", kFeb2024, 2000);
    ASSERT_OK(store().finishCall(record));
    ASSERT_OK(store().saveCall(record)); // a late intermediate save
    ASSERT_OK(store().finishCall(record));
    std::vector<sdk::MonthlyUsage> rows = store().usage("acme", "").value();
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), rows.size());
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), rows[0].calls);
}

void TenantStoreContract::testUsageFilters()
{
    seedBasics();
    ASSERT_OK(store().finishCall(endedCall("CA1", "acme", kFeb2024, 1000)));
    ASSERT_OK(store().finishCall(endedCall("CA2", "acme", kFeb2024 - 1, 1000)));
    ASSERT_OK(store().finishCall(endedCall("CA3", "beta", kFeb2024, 1000)));
    CPPUNIT_ASSERT_EQUAL(std::size_t(3), store().usage("", "").value().size());
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), store().usage("acme", "").value().size());
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), store().usage("", "2024-02").value().size());
    std::vector<sdk::MonthlyUsage> one = store().usage("beta", "2024-02").value();
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), one.size());
    CPPUNIT_ASSERT_EQUAL(std::string("beta"), one[0].tenantId);
    CPPUNIT_ASSERT(store().usage("acme", "2023-12").value().empty());
    // Ordered by tenant, then month.
    std::vector<sdk::MonthlyUsage> all = store().usage("", "").value();
    CPPUNIT_ASSERT_EQUAL(std::string("2024-01"), all[0].month);
    CPPUNIT_ASSERT_EQUAL(std::string("acme"), all[1].tenantId);
    CPPUNIT_ASSERT_EQUAL(std::string("beta"), all[2].tenantId);
}

void TenantStoreContract::testStatusHistoryOrdering()
{
    // Arrival order differs from the carrier's: history follows SequenceNumber, then time.
    const struct
    {
        const char* status;
        std::int64_t sequence;
        std::int64_t at;
    } arrivals[] = {{"completed", 3, 4000}, {"ringing", 1, 2000}, {"initiated", 0, 1000},
                    {"in-progress", 2, 3000}, {"queued", -1, 500}, {"answered", 2, 2500}};
    for (const auto& a : arrivals)
        ASSERT_OK(store().addCallStatus(sdk::CallStatusEvent{"CA1", a.status, a.sequence, a.at}));
    ASSERT_OK(store().addCallStatus(sdk::CallStatusEvent{"CA2", "ringing", 0, 1}));

    std::vector<sdk::CallStatusEvent> history = store().callStatusHistory("CA1").value();
    std::vector<std::string> order;
    for (const auto& event : history)
        order.push_back(event.status);
    CPPUNIT_ASSERT((order == std::vector<std::string>{"queued", "initiated", "ringing", "answered", "in-progress",
                                                      "completed"}));
    CPPUNIT_ASSERT_EQUAL(std::string("CA1"), history[0].callSid);
    CPPUNIT_ASSERT_EQUAL(std::int64_t(-1), history[0].sequenceNumber);
    CPPUNIT_ASSERT_EQUAL(std::int64_t(4000), history[5].atMs);
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), store().callStatusHistory("CA2").value().size());
    CPPUNIT_ASSERT(store().callStatusHistory("CA-none").value().empty()); // need not exist
}

void TenantStoreContract::testStatusValidation()
{
    ASSERT_CODE(InvalidArgument, store().addCallStatus(sdk::CallStatusEvent{"", "ringing", 0, 1}));
    ASSERT_CODE(InvalidArgument, store().addCallStatus(sdk::CallStatusEvent{"CA1", "", 0, 1}));
    CPPUNIT_ASSERT(store().callStatusHistory("CA1").value().empty());
}

void TenantStoreContract::testTranscriptOrder()
{
    ASSERT_OK(store().addTranscript("CA1", sdk::TranscriptEntry{"user", "second", 2000}));
    ASSERT_OK(store().addTranscript("CA1", sdk::TranscriptEntry{"agent", "first", 1000}));
    ASSERT_OK(store().addTranscript("CA1", sdk::TranscriptEntry{"agent", "third, same time", 2000}));
    ASSERT_OK(store().addTranscript("CA2", sdk::TranscriptEntry{"agent", "other call", 1}));
    std::vector<sdk::TranscriptEntry> lines = store().transcript("CA1").value();
    CPPUNIT_ASSERT_EQUAL(std::size_t(3), lines.size());
    CPPUNIT_ASSERT_EQUAL(std::string("first"), lines[0].text);
    CPPUNIT_ASSERT_EQUAL(std::string("agent"), lines[0].role);
    CPPUNIT_ASSERT_EQUAL(std::string("second"), lines[1].text);
    CPPUNIT_ASSERT_EQUAL(std::string("third, same time"), lines[2].text);
    CPPUNIT_ASSERT_EQUAL(std::int64_t(2000), lines[2].atMs);
    CPPUNIT_ASSERT(store().transcript("CA-none").value().empty());
}

void TenantStoreContract::testTranscriptValidation()
{
    ASSERT_CODE(InvalidArgument, store().addTranscript("CA1", sdk::TranscriptEntry{"system", "x", 1}));
    ASSERT_CODE(InvalidArgument, store().addTranscript("", sdk::TranscriptEntry{"user", "x", 1}));
    CPPUNIT_ASSERT(store().transcript("CA1").value().empty());
}

sdk::AgentCallReport TenantStoreContract::fullReport()
{
    sdk::AgentCallReport report;
    report.conversationId = "conv_1";
    report.status = "done";
    report.terminationReason = "end_call tool was called";
    report.durationSeconds = 42;
    report.cost = 518;
    report.callSuccessful = "success";
    report.summary = "The caller booked a table for two \"tonight\" ☎";
    report.analysisJson = R"({"dataCollection":{"party_size":{"value":2}},"evaluation":{"polite":{"result":"success"}}})";
    report.receivedAtMs = kFeb2024 + 90000;
    return report;
}

void TenantStoreContract::assertSameReport(const sdk::AgentCallReport& expected, const sdk::AgentCallReport& actual)
{
    CPPUNIT_ASSERT_EQUAL(expected.conversationId, actual.conversationId);
    CPPUNIT_ASSERT_EQUAL(expected.status, actual.status);
    CPPUNIT_ASSERT_EQUAL(expected.terminationReason, actual.terminationReason);
    CPPUNIT_ASSERT_EQUAL(expected.durationSeconds, actual.durationSeconds);
    CPPUNIT_ASSERT_EQUAL(expected.cost, actual.cost);
    CPPUNIT_ASSERT_EQUAL(expected.callSuccessful, actual.callSuccessful);
    CPPUNIT_ASSERT_EQUAL(expected.summary, actual.summary);
    CPPUNIT_ASSERT_EQUAL(expected.analysisJson, actual.analysisJson);
    CPPUNIT_ASSERT_EQUAL(expected.receivedAtMs, actual.receivedAtMs);
}

void TenantStoreContract::testAgentReportRoundTrip()
{
    ASSERT_OK(store().saveCall(sampleCall("CA1", "acme", kFeb2024)));
    ASSERT_OK(store().saveCall(sampleCall("CA2", "acme", kFeb2024 + 1)));
    // No report yet: the SDK's "unknown" values, not zeros.
    sdk::CallRecord before = store().findCall("CA1").value();
    CPPUNIT_ASSERT(before.agentReport.empty());
    CPPUNIT_ASSERT_EQUAL(std::int64_t(-1), before.agentReport.durationSeconds);
    CPPUNIT_ASSERT_EQUAL(std::int64_t(-1), before.agentReport.cost);

    const sdk::AgentCallReport report = fullReport();
    ASSERT_OK(store().saveAgentReport("CA1", report));
    assertSameReport(report, store().findCall("CA1")->agentReport);
    // listCalls carries it too, and only on its own call.
    sdk::CallQuery all;
    std::vector<sdk::CallRecord> listed = store().listCalls(all).value();
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), listed.size());
    CPPUNIT_ASSERT(listed[0].agentReport.empty());
    assertSameReport(report, listed[1].agentReport);

    // A redelivery replaces it whole; unknown values stay unknown.
    sdk::AgentCallReport sparse;
    sparse.conversationId = "conv_1";
    sparse.status = "failed";
    sparse.receivedAtMs = kFeb2024 + 95000;
    ASSERT_OK(store().saveAgentReport("CA1", sparse));
    assertSameReport(sparse, store().findCall("CA1")->agentReport);
}

void TenantStoreContract::testRecordWritesKeepAgentReport()
{
    seedBasics();
    sdk::CallRecord record = sampleCall("CA1", "acme", kFeb2024);
    ASSERT_OK(store().saveCall(record));
    const sdk::AgentCallReport report = fullReport();
    ASSERT_OK(store().saveAgentReport("CA1", report));

    // The core's later writes carry no report (or a stale one); neither may touch the stored one.
    record.status = "streaming";
    ASSERT_OK(store().saveCall(record));
    assertSameReport(report, store().findCall("CA1")->agentReport);
    sdk::CallRecord ended = endedCall("CA1", "acme", kFeb2024, 61000);
    ended.agentReport.conversationId = "conv_stale";
    ended.agentReport.receivedAtMs = 1;
    ASSERT_OK(store().finishCall(ended));
    const sdk::CallRecord after = store().findCall("CA1").value();
    CPPUNIT_ASSERT_EQUAL(std::string("ended"), after.status);
    CPPUNIT_ASSERT_EQUAL(std::int64_t(61000), after.durationMs);
    assertSameReport(report, after.agentReport);

    // And the report write leaves the record alone.
    ASSERT_OK(store().saveAgentReport("CA1", report));
    const sdk::CallRecord again = store().findCall("CA1").value();
    CPPUNIT_ASSERT_EQUAL(std::string("ended"), again.status);
    CPPUNIT_ASSERT_EQUAL(after.costMicros, again.costMicros);
    CPPUNIT_ASSERT_EQUAL(std::int64_t(61000), again.durationMs);

    // A record written for the first time with a report in it does not get one either.
    sdk::CallRecord fresh = sampleCall("CA2", "acme", kFeb2024);
    fresh.agentReport = report;
    ASSERT_OK(store().saveCall(fresh));
    CPPUNIT_ASSERT(store().findCall("CA2")->agentReport.empty());
}

void TenantStoreContract::testAgentReportUnknownCall()
{
    // A report never creates a record.
    ASSERT_CODE(NotFound, store().saveAgentReport("CA404", fullReport()));
    ASSERT_CODE(NotFound, store().findCall("CA404").status());
}

void TenantStoreContract::testAgentReportValidation()
{
    ASSERT_OK(store().saveCall(sampleCall("CA1", "acme", kFeb2024)));
    ASSERT_CODE(InvalidArgument, store().saveAgentReport("", fullReport()));
    for (const char* bad : {"[1,2]", "{\"unterminated\":", "\"text\"", "not json"})
    {
        sdk::AgentCallReport report = fullReport();
        report.analysisJson = bad;
        ASSERT_CODE(InvalidArgument, store().saveAgentReport("CA1", report));
    }
    sdk::AgentCallReport huge = fullReport();
    huge.analysisJson = "{\"x\":\"" + std::string(sdk::AgentCallReport::kMaxAnalysisJsonBytes, 'a') + "\"}";
    ASSERT_CODE(InvalidArgument, store().saveAgentReport("CA1", huge));
    CPPUNIT_ASSERT(store().findCall("CA1")->agentReport.empty());
    // At the cap exactly is fine.
    sdk::AgentCallReport full = fullReport();
    full.analysisJson = "{\"x\":\"" + std::string(sdk::AgentCallReport::kMaxAnalysisJsonBytes - 8, 'a') + "\"}";
    CPPUNIT_ASSERT_EQUAL(sdk::AgentCallReport::kMaxAnalysisJsonBytes, full.analysisJson.size());
    ASSERT_OK(store().saveAgentReport("CA1", full));
    CPPUNIT_ASSERT_EQUAL(full.analysisJson, store().findCall("CA1")->agentReport.analysisJson);
}

} // namespace patchbay::tenantsqlite::test
