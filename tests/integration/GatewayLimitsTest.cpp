// GatewayLimitsTest.cpp: tenant admission limits end to end — the real gateway refusing calls with TwiML,
// counting the refusals in /metrics and recording them, while other tenants' calls go on untouched.
#include "GatewayHarness.h"
#include "GatewayTestFixture.h"
#include "GatewayRecords.h"

#include <cppunit/extensions/HelperMacros.h>

#include <Poco/Exception.h>

#include <chrono>
#include <functional>
#include <map>
#include <thread>

#include <signal.h>

using namespace patchbay::integration;

namespace {

// Every tenant below owns one of these; the default "demo" tenant keeps GatewayHarness::kNumber.
constexpr const char* kLimitedNumber = "+15005550101";
constexpr const char* kOtherNumber = "+15005550102";
constexpr const char* kThirdNumber = "+15005550103";
constexpr const char* kFourthNumber = "+15005550104";
constexpr const char* kFifthNumber = "+15005550105";
constexpr const char* kUnknownNumber = "+15005550199";

} // namespace

// Outside any named namespace: ctest runs the suite as plain `GatewayLimitsTest`.
class GatewayLimitsTest : public patchbay::integration::GatewayTestFixture
{
    CPPUNIT_TEST_SUITE(GatewayLimitsTest);
    CPPUNIT_TEST(concurrencyLimitAdmitsExactlyItsSlotsAndSparesOtherTenants);
    CPPUNIT_TEST(abnormallyEndedCallGivesItsSlotBack);
    CPPUNIT_TEST(callsPerMinuteRefusesTheRestOfTheMinute);
    CPPUNIT_TEST(usedUpMonthlyQuotaRefusesCalls);
    CPPUNIT_TEST(suspendedTenantGetsItsFallback);
    CPPUNIT_TEST(maxCallDurationEndsTheCallCleanly);
    CPPUNIT_TEST(refusalsAreCountedByReasonAndRecordedAsCalls);
    CPPUNIT_TEST_SUITE_END();

public:
    // 1. Slots are taken at admission, so 5 simultaneous offers to a 2-slot tenant give exactly 2
    //    calls and 3 busy signals, while another tenant's 4 calls at the same moment all go through.
    void concurrencyLimitAdmitsExactlyItsSlotsAndSparesOtherTenants()
    {
        tenant("limited", kLimitedNumber, [](TenantSeed& t) { t.maxConcurrentCalls = 2; });
        tenant("free", kOtherNumber);
        start();

        auto limited = _harness->startCallsim({"--to", kLimitedNumber, "--calls", "5", "--duration-ms", "4000"});
        auto free = _harness->startCallsim({"--to", kOtherNumber, "--calls", "4", "--duration-ms", "4000", "--expect", "echo"});
        const CallsimRun a = GatewayHarness::collect(*limited, std::chrono::seconds(60));
        const CallsimRun b = GatewayHarness::collect(*free, std::chrono::seconds(60));
        requireReport(a);
        requireReport(b);
        const auto aCalls = outcomesOf(a);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("calls of the limited tenant that streamed" + context(a), std::size_t(2),
            countOutcome(aCalls, "completed", ""));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("calls of the limited tenant refused with <Reject reason=\"busy\">" + context(a),
            std::size_t(3), countOutcome(aCalls, "rejected", "busy"));
        for (const auto& c : aCalls)
            if (c.outcome == "completed")
                CPPUNIT_ASSERT_MESSAGE("admitted call " + c.callSid + " got no echo" + context(a), c.echoed > 0);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("the other tenant's calls (--expect echo)" + context(b), 0, b.exitCode);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("the other tenant's completed calls" + context(b), std::size_t(4),
            countOutcome(outcomesOf(b), "completed", ""));

        // Once every call has ended the slots are free again.
        waitUntilIdle();
        const CallsimRun again = calls({"--to", kLimitedNumber, "--calls", "2", "--duration-ms", "1500", "--expect", "echo"});
        requireReport(again);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("2 calls to the limited tenant after the first ones ended" + context(again), 0,
            again.exitCode);

        assertRefusals({{"max_concurrent", 3}});
        const auto busy = sidsWith(aCalls, "rejected");
        std::map<std::string, std::string> expected;
        for (const auto& sid : busy)
            expected[sid] = "limited|rejected|max_concurrent";
        for (const auto& sid : sidsWith(aCalls, "completed"))
            expected[sid] = "limited|ended|completed";
        for (const auto& sid : sidsWith(outcomesOf(b), "completed"))
            expected[sid] = "free|ended|completed";
        for (const auto& sid : sidsWith(outcomesOf(again), "completed"))
            expected[sid] = "limited|ended|completed";
        assertRows(expected);
    }

    // 2. A caller whose process dies (no stop message, no close frame) still gives back its slot:
    //    the core sees the socket drop and ends the call.
    void abnormallyEndedCallGivesItsSlotBack()
    {
        tenant("single", kLimitedNumber, [](TenantSeed& t) { t.maxConcurrentCalls = 1; });
        start();

        auto victim = _harness->startCallsim({"--to", kLimitedNumber, "--calls", "1", "--duration-ms", "30000"});
        waitForStreams(1);
        // The slot is really held: a second call is busy while the first one streams.
        const CallsimRun probe = calls({"--to", kLimitedNumber, "--calls", "1", "--expect", "busy"});
        requireReport(probe);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("a second call while the first streams (--expect busy)" + context(probe), 0,
            probe.exitCode);
        std::int64_t busy = 1;

        victim->signal(SIGKILL);
        CPPUNIT_ASSERT_MESSAGE("callsim survived SIGKILL", victim->waitExit(std::chrono::seconds(10)).has_value());

        // The gateway learns of the drop asynchronously: retry a bounded number of times.
        std::string attempts;
        CallsimRun admitted;
        for (int attempt = 0; attempt < 10; ++attempt)
        {
            const CallsimRun run = calls({"--to", kLimitedNumber, "--calls", "1", "--duration-ms", "1500"});
            requireReport(run);
            const auto outcome = outcomesOf(run);
            attempts += "\nattempt " + std::to_string(attempt + 1) + ": " +
                (outcome.empty() ? std::string("no call") : outcome[0].outcome + " " + outcome[0].detail);
            if (countOutcome(outcome, "completed", "") == 1)
            {
                admitted = run;
                break;
            }
            if (countOutcome(outcome, "rejected", "busy") == 1)
                ++busy;
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
        CPPUNIT_ASSERT_MESSAGE("no call was admitted after the streaming caller was killed:" + attempts + "\ngateway log:\n" +
                _harness->gatewayLog(),
            !admitted.report.isNull());
        waitUntilIdle();
        assertRefusals({{"max_concurrent", busy}});

        // The killed call is recorded as ended, by the carrier leg failing rather than completing.
        const std::string admittedSid = outcomesOf(admitted)[0].callSid;
        std::string problem;
        waitFor(
            [&] {
                std::string why;
                int victims = 0;
                for (const auto& [sid, row] : readRows())
                {
                    if (row.tenantId != "single" || row.status == "rejected" || sid == admittedSid)
                        continue;
                    ++victims;
                    if (row.status != "ended" || row.endReason != "inbound-failed")
                        why += sid + ": " + row.status + "/" + row.endReason + " (" + row.endDetail +
                            "), want ended/inbound-failed\n";
                }
                if (victims != 1)
                    why += std::to_string(victims) + " records of the killed call (want 1)\n";
                return why;
            },
            problem);
        CPPUNIT_ASSERT_MESSAGE("record of the killed call:\n" + problem + "gateway log:\n" + _harness->gatewayLog(),
            problem.empty());
    }

    // 3. Calls per minute count admissions: the 4th and 5th call of the minute are busy, whatever
    //    happened to the first three; another tenant is not limited by it.
    void callsPerMinuteRefusesTheRestOfTheMinute()
    {
        tenant("paced", kLimitedNumber, [](TenantSeed& t) { t.callsPerMinute = 3; });
        tenant("free", kOtherNumber);
        start();

        std::vector<CallOutcome> sequence;
        std::string trace;
        for (int i = 0; i < 5; ++i)
        {
            const CallsimRun run =
                calls({"--to", kLimitedNumber, "--calls", "1", "--duration-ms", "1000", "--grace-ms", "500"});
            requireReport(run);
            const auto outcome = outcomesOf(run);
            CPPUNIT_ASSERT_EQUAL_MESSAGE("calls in one callsim run" + context(run), std::size_t(1), outcome.size());
            sequence.push_back(outcome[0]);
            trace += "\ncall " + std::to_string(i + 1) + ": " + outcome[0].outcome + " " + outcome[0].detail;
        }
        for (int i = 0; i < 5; ++i)
        {
            const CallOutcome& c = sequence[static_cast<std::size_t>(i)];
            if (i < 3)
                CPPUNIT_ASSERT_EQUAL_MESSAGE("call " + std::to_string(i + 1) + " of the minute" + trace + "\ngateway log:\n" +
                        _harness->gatewayLog(),
                    std::string("completed"), c.outcome);
            else
                CPPUNIT_ASSERT_EQUAL_MESSAGE("call " + std::to_string(i + 1) + " of the minute" + trace,
                    std::string("rejected busy"), c.outcome + " " + c.detail);
        }

        const CallsimRun other = calls({"--to", kOtherNumber, "--calls", "2", "--duration-ms", "1000", "--expect", "echo"});
        requireReport(other);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("the other tenant's calls (--expect echo)" + context(other), 0, other.exitCode);

        assertRefusals({{"calls_per_minute", 2}});
        std::map<std::string, std::string> expected;
        for (std::size_t i = 0; i < sequence.size(); ++i)
            expected[sequence[i].callSid] = i < 3 ? "paced|ended|completed" : "paced|rejected|calls_per_minute";
        for (const auto& sid : sidsWith(outcomesOf(other), "completed"))
            expected[sid] = "free|ended|completed";
        assertRows(expected);
    }

    // 4. A tenant whose month's usage reached its quota is refused (busy); the quota is read from the
    //    store at each offer, so usage added while the gateway runs counts at once.
    void usedUpMonthlyQuotaRefusesCalls()
    {
        tenant("quota", kLimitedNumber, [](TenantSeed& t) { t.monthlyMinutes = 1; });
        tenant("free", kOtherNumber);
        start();

        const CallsimRun first = calls({"--to", kLimitedNumber, "--calls", "1", "--duration-ms", "1000", "--expect", "echo"});
        requireReport(first);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("a call within the quota" + context(first), 0, first.exitCode);

        // Using up a minute through calls would take a minute; usage has no public write path (the
        // store adds a finished call's seconds itself), so the rest of the month's minute is written
        // straight into monthly_usage, as another gateway node sharing the file would.
        addUsageSeconds(_harness->dbPath(), "quota", 60);

        const CallsimRun refused = calls({"--to", kLimitedNumber, "--calls", "2", "--expect", "busy"});
        requireReport(refused);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("calls once the quota is used up (--expect busy)" + context(refused), 0,
            refused.exitCode);
        const CallsimRun other = calls({"--to", kOtherNumber, "--calls", "1", "--duration-ms", "1000", "--expect", "echo"});
        requireReport(other);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("the other tenant's call (--expect echo)" + context(other), 0, other.exitCode);

        assertRefusals({{"monthly_quota", 2}});
        std::map<std::string, std::string> expected;
        expected[outcomesOf(first)[0].callSid] = "quota|ended|completed";
        for (const auto& sid : sidsWith(outcomesOf(refused), "rejected"))
            expected[sid] = "quota|rejected|monthly_quota";
        expected[outcomesOf(other)[0].callSid] = "free|ended|completed";
        assertRows(expected);
    }

    // 5. A suspended tenant's callers hear its own fallback message instead of a stream.
    void suspendedTenantGetsItsFallback()
    {
        const std::string message = "This line is closed for maintenance.";
        tenant("paused", kLimitedNumber, [&](TenantSeed& t) {
            t.status = "suspended";
            t.fallbackMessage = message;
        });
        start();

        const CallsimRun run = calls({"--to", kLimitedNumber, "--calls", "2", "--expect", "fallback"});
        requireReport(run);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("calls to a suspended tenant (--expect fallback)" + context(run), 0, run.exitCode);

        // callsim only says "say"; the TwiML itself must carry the tenant's message and no stream.
        const HttpReply reply = _harness->postVoiceWebhook(kLimitedNumber, "CA0000000000000000000000000000f005");
        CPPUNIT_ASSERT_EQUAL_MESSAGE("webhook status: " + reply.body, 200, reply.status);
        CPPUNIT_ASSERT_MESSAGE("fallback TwiML without the tenant's message: " + reply.body,
            reply.body.find("<Say>" + message + "</Say>") != std::string::npos ||
                reply.body.find(">" + message + "</Say>") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE("fallback TwiML with a stream: " + reply.body, reply.body.find("<Connect") == std::string::npos);

        assertRefusals({{"tenant_suspended", 3}});
        std::map<std::string, std::string> expected;
        for (const auto& sid : sidsWith(outcomesOf(run), "fallback"))
            expected[sid] = "paused|rejected|tenant_suspended";
        expected["CA0000000000000000000000000000f005"] = "paused|rejected|tenant_suspended";
        assertRows(expected);
    }

    // 6. The tenant's maximum call duration ends a longer call from the gateway's side with a normal
    //    close, and the record says why.
    void maxCallDurationEndsTheCallCleanly()
    {
        tenant("short", kLimitedNumber, [](TenantSeed& t) { t.maxCallSeconds = 2; });
        start();

        const CallsimRun run = calls({"--to", kLimitedNumber, "--calls", "1", "--duration-ms", "6000"});
        requireReport(run);
        const auto outcome = outcomesOf(run);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), outcome.size());
        const CallOutcome& c = outcome[0];
        CPPUNIT_ASSERT_MESSAGE("the call never streamed" + context(run), c.connected && c.echoed > 0);
        // callsim counts a stream the gateway closes before the caller hangs up as not completed.
        CPPUNIT_ASSERT_EQUAL_MESSAGE("callsim outcome" + context(run), std::string("failed"), c.outcome);
        CPPUNIT_ASSERT_MESSAGE("the gateway did not close the stream mid-call" + context(run),
            c.detail.find("gateway closed the stream while streaming") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("close code (1000 = a clean end)" + context(run), std::int64_t(1000), c.closeCode);

        std::string problem;
        waitFor(
            [&] {
                const auto rows = readRows();
                const auto it = rows.find(c.callSid);
                if (it == rows.end())
                    return std::string("no record\n");
                const CallRow& r = it->second;
                std::string why;
                if (r.status != "ended" || r.endReason != "timeout")
                    why += "status/end_reason " + r.status + "/" + r.endReason + " (want ended/timeout)\n";
                if (r.endDetail.find("maximum call duration") == std::string::npos)
                    why += "end_detail '" + r.endDetail + "' does not name the maximum call duration\n";
                // The limit is 2 s and the caller wanted 6 s: well under 6 s, however busy the machine.
                if (r.durationMs < 1500 || r.durationMs > 4000)
                    why += "duration_ms " + std::to_string(r.durationMs) + " (want about 2000)\n";
                return why;
            },
            problem);
        CPPUNIT_ASSERT_MESSAGE("record of " + c.callSid + ":\n" + problem + "gateway log:\n" + _harness->gatewayLog(),
            problem.empty());
        const auto ended = samplesOf(metricsText(), "patchbay_calls_total");
        CPPUNIT_ASSERT_EQUAL_MESSAGE("patchbay_calls_total{outcome=\"timeout\"}", 1.0, ended.count("outcome=\"timeout\"") ?
            ended.at("outcome=\"timeout\"") : 0.0);
        assertRefusals({});
    }

    // 7. Every kind of refusal in one gateway at once: each counted under its own reason, each
    //    recorded as a rejected call of its tenant, and the unlimited tenant's calls all normal.
    void refusalsAreCountedByReasonAndRecordedAsCalls()
    {
        tenant("single", kLimitedNumber, [](TenantSeed& t) { t.maxConcurrentCalls = 1; });
        tenant("paced", kThirdNumber, [](TenantSeed& t) { t.callsPerMinute = 1; });
        tenant("quota", kFourthNumber, [](TenantSeed& t) { t.monthlyMinutes = 1; });
        tenant("paused", kOtherNumber, [](TenantSeed& t) {
            t.status = "suspended";
            t.fallbackMessage = "Closed.";
        });
        tenant("free", kFifthNumber);
        start();
        addUsageSeconds(_harness->dbPath(), "quota", 90);

        // All at once; every limit is decided per tenant, so the mix cannot change any tenant's result.
        auto single = _harness->startCallsim({"--to", kLimitedNumber, "--calls", "3", "--duration-ms", "3000"});
        auto paced = _harness->startCallsim({"--to", kThirdNumber, "--calls", "3", "--duration-ms", "3000"});
        auto quota = _harness->startCallsim({"--to", kFourthNumber, "--calls", "1", "--expect", "busy"});
        auto paused = _harness->startCallsim({"--to", kOtherNumber, "--calls", "2", "--expect", "fallback"});
        auto unknown = _harness->startCallsim({"--to", kUnknownNumber, "--calls", "1", "--expect", "reject"});
        auto free = _harness->startCallsim({"--to", kFifthNumber, "--calls", "3", "--duration-ms", "3000", "--expect", "echo"});
        const auto timeout = std::chrono::seconds(60);
        const CallsimRun singleRun = GatewayHarness::collect(*single, timeout);
        const CallsimRun pacedRun = GatewayHarness::collect(*paced, timeout);
        const CallsimRun quotaRun = GatewayHarness::collect(*quota, timeout);
        const CallsimRun pausedRun = GatewayHarness::collect(*paused, timeout);
        const CallsimRun unknownRun = GatewayHarness::collect(*unknown, timeout);
        const CallsimRun freeRun = GatewayHarness::collect(*free, timeout);
        for (const CallsimRun* run : {&singleRun, &pacedRun, &quotaRun, &pausedRun, &unknownRun, &freeRun})
            requireReport(*run);

        const auto singleCalls = outcomesOf(singleRun);
        const auto pacedCalls = outcomesOf(pacedRun);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("max 1 concurrent: busy" + context(singleRun), std::size_t(2),
            countOutcome(singleCalls, "rejected", "busy"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("max 1 concurrent: streamed" + context(singleRun), std::size_t(1),
            countOutcome(singleCalls, "completed", ""));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("1 call per minute: busy" + context(pacedRun), std::size_t(2),
            countOutcome(pacedCalls, "rejected", "busy"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("1 call per minute: streamed" + context(pacedRun), std::size_t(1),
            countOutcome(pacedCalls, "completed", ""));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("quota used up (--expect busy)" + context(quotaRun), 0, quotaRun.exitCode);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("suspended (--expect fallback)" + context(pausedRun), 0, pausedRun.exitCode);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("unknown number (--expect reject)" + context(unknownRun), 0, unknownRun.exitCode);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("unlimited tenant (--expect echo)" + context(freeRun), 0, freeRun.exitCode);

        waitUntilIdle();
        assertRefusals({{"max_concurrent", 2}, {"calls_per_minute", 2}, {"monthly_quota", 1}, {"tenant_suspended", 2},
            {"unknown_number", 1}});
        const auto admissions = samplesOf(metricsText(), "patchbay_admissions_total");
        CPPUNIT_ASSERT_EQUAL_MESSAGE("patchbay_admissions_total{outcome=\"accepted\"}", 5.0,
            admissions.count("outcome=\"accepted\"") ? admissions.at("outcome=\"accepted\"") : 0.0);

        std::map<std::string, std::string> expected;
        for (const auto& c : singleCalls)
            expected[c.callSid] = c.outcome == "completed" ? "single|ended|completed" : "single|rejected|max_concurrent";
        for (const auto& c : pacedCalls)
            expected[c.callSid] = c.outcome == "completed" ? "paced|ended|completed" : "paced|rejected|calls_per_minute";
        for (const auto& c : outcomesOf(quotaRun))
            expected[c.callSid] = "quota|rejected|monthly_quota";
        for (const auto& c : outcomesOf(pausedRun))
            expected[c.callSid] = "paused|rejected|tenant_suspended";
        for (const auto& c : outcomesOf(freeRun))
            expected[c.callSid] = "free|ended|completed";
        // An unknown number belongs to no tenant: counted and logged, never stored.
        const std::string unknownSid = outcomesOf(unknownRun).at(0).callSid;
        assertRows(expected, true);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("records of the call to an unknown number", std::size_t(0), readRows().count(unknownSid));
    }

private:
    void tenant(const std::string& id, const std::string& number, const std::function<void(TenantSeed&)>& edit = {})
    {
        TenantSeed seed;
        seed.id = id;
        seed.number = number;
        if (edit)
            edit(seed);
        _harness->addTenant(seed);
    }

    std::string metricsText() const
    {
        int status = 0;
        const std::string text = _harness->httpGetBody("/metrics", &status);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("GET /metrics", 200, status);
        return text;
    }

    /// patchbay_admission_refusals_total has exactly these reasons, with these counts.
    void assertRefusals(const std::map<std::string, std::int64_t>& expected) const
    {
        const std::string text = metricsText();
        std::map<std::string, std::int64_t> actual;
        for (const auto& [labels, value] : samplesOf(text, "patchbay_admission_refusals_total"))
        {
            const std::string prefix = "reason=\"";
            CPPUNIT_ASSERT_MESSAGE("refusal sample without a reason label: " + labels,
                labels.compare(0, prefix.size(), prefix) == 0 && labels.back() == '"');
            if (value != 0)
                actual[labels.substr(prefix.size(), labels.size() - prefix.size() - 1)] = static_cast<std::int64_t>(value);
        }
        auto show = [](const std::map<std::string, std::int64_t>& m) {
            std::string out;
            for (const auto& [reason, n] : m)
                out += " " + reason + "=" + std::to_string(n);
            return out.empty() ? std::string(" (none)") : out;
        };
        CPPUNIT_ASSERT_EQUAL_MESSAGE("patchbay_admission_refusals_total by reason", show(expected), show(actual));
    }

    /// Waits until every gateway call has ended (records of ended calls are written after this).
    void waitUntilIdle()
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        std::string last;
        while (std::chrono::steady_clock::now() < deadline)
        {
            last = _harness->httpGetBody("/metrics");
            const auto active = samplesOf(last, "patchbay_calls_active");
            const auto pending = samplesOf(last, "patchbay_calls_pending");
            if (active.count("") && active.at("") == 0 && pending.count("") && pending.at("") == 0)
                return;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        CPPUNIT_FAIL("gateway calls still active or pending 15 s after the callers hung up:\n" + last.substr(0, 3000) +
            "\ngateway log:\n" + _harness->gatewayLog());
    }

    void waitForStreams(std::size_t n)
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        while (countOf(_harness->gateway().err(), "media stream started") < n && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("streams started:\n" + _harness->gatewayLog(), n,
            countOf(_harness->gateway().err(), "media stream started"));
    }

    /// Records of ended calls are written asynchronously: re-checks for a while until check() is "".
    static void waitFor(const std::function<std::string()>& check, std::string& problem)
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        do
        {
            try
            {
                problem = check();
            }
            catch (const Poco::Exception& e)
            {
                problem = "cannot read the database: " + e.displayText() + "\n";
            }
            if (problem.empty())
                return;
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        } while (std::chrono::steady_clock::now() < deadline);
    }

    std::map<std::string, CallRow> readRows() const { return readCallRows(_harness->dbPath()); }

    /// Each CallSid has one record reading "tenant|status|end_reason"; a refusal's also has a detail.
    /// With exhaustive, the calls table holds no other rows (for the default tenant neither).
    void assertRows(const std::map<std::string, std::string>& expected, bool exhaustive = false)
    {
        std::string problem;
        waitFor(
            [&] {
                const auto rows = readRows();
                std::string why;
                for (const auto& [sid, want] : expected)
                {
                    const auto it = rows.find(sid);
                    if (it == rows.end())
                    {
                        why += sid + ": no record (want " + want + ")\n";
                        continue;
                    }
                    const CallRow& r = it->second;
                    const std::string got = r.tenantId + "|" + r.status + "|" + r.endReason;
                    if (got != want)
                        why += sid + ": " + got + " (want " + want + ")\n";
                    else if (r.status == "rejected" && r.endDetail.empty())
                        why += sid + ": a refusal recorded without its detail\n";
                }
                if (exhaustive)
                    for (const auto& [sid, r] : rows)
                        if (!expected.count(sid))
                            why += sid + ": unexpected record " + r.tenantId + "|" + r.status + "|" + r.endReason + "\n";
                return why;
            },
            problem);
        CPPUNIT_ASSERT_MESSAGE("call records:\n" + problem + "gateway log:\n" + _harness->gatewayLog(), problem.empty());
    }

    static std::size_t countOf(const std::string& text, const std::string& needle)
    {
        std::size_t n = 0;
        for (std::size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
            ++n;
        return n;
    }

};

CPPUNIT_TEST_SUITE_REGISTRATION(GatewayLimitsTest);
