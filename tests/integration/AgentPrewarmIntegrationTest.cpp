// AgentPrewarmIntegrationTest.cpp: the agent session opened while the phone rings, with the real patchbay, patchbay-mock-agent and patchbay-callsim.
#include "GatewayHarness.h"
#include "GatewayRecords.h"
#include "GatewayTestFixture.h"

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>

using patchbay::integration::CallRow;
using patchbay::integration::CallsimRun;
using patchbay::integration::GatewayHarness;

namespace {

/// patchbay_agent_prewarm_total by outcome, from /metrics (absent outcomes read 0).
double prewarms(const std::map<std::string, double>& samples, const std::string& outcome)
{
    const auto it = samples.find("outcome=\"" + outcome + "\"");
    return it == samples.end() ? 0.0 : it->second;
}

} // namespace

// Outside any named namespace: ctest runs the suite as plain `AgentPrewarmIntegrationTest`.
class AgentPrewarmIntegrationTest : public patchbay::integration::GatewayTestFixture
{
    CPPUNIT_TEST_SUITE(AgentPrewarmIntegrationTest);
    CPPUNIT_TEST(greetingHeldWhileRingingReachesTheCallerWhole);
    CPPUNIT_TEST(sessionWithoutAStreamIsClosed);
    CPPUNIT_TEST(prewarmCanBeSwitchedOff);
    CPPUNIT_TEST_SUITE_END();

public:
    /// The mock agent speaks a 1 s greeting (8000 μ-law bytes) as soon as its conversation opens;
    /// the caller's stream starts 1.5 s after the webhook, long after that.
    void greetingHeldWhileRingingReachesTheCallerWhole()
    {
        start({"--greeting-ms", "1000", "--connect-delay-ms", "100", "--metadata-delay-ms", "100"});
        const CallsimRun run = calls({"--calls", "1", "--ring-ms", "1500", "--duration-ms", "2000", "--per-call"});
        requireReport(run);
        assertCalls(run, "completed", 1);
        const std::string sid = onlySid(run);
        // All of it, in order and nothing else: callsim counts bytes that are not its own echo.
        CPPUNIT_ASSERT_EQUAL_MESSAGE("greeting bytes" + context(run), std::int64_t(8000),
                                     numberAt(run.report, "frames.foreignAudioBytes"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("calls with a first agent audio" + context(run), std::int64_t(1),
                                     numberAt(run.report, "firstAudioMs.count"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("echo lost" + context(run), std::int64_t(0), numberAt(run.report, "frames.lost"));

        const auto samples = patchbay::integration::samplesOf(_harness->httpGetBody("/metrics"), "patchbay_agent_prewarm_total");
        CPPUNIT_ASSERT_EQUAL_MESSAGE("pre-warm found ready" + context(run), 1.0, prewarms(samples, "ready"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("pre-warm reopened" + context(run), 0.0, prewarms(samples, "reopened"));
        const std::string log = _harness->gatewayLog();
        CPPUNIT_ASSERT_MESSAGE("no ringing-ready line" + context(run), log.find("agent ready while ringing") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE("no hand-over line" + context(run), log.find("held while ringing") != std::string::npos);

        const CallRow row = waitForEndedRow(sid, run);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("end_reason" + context(run), std::string("completed"), row.endReason);
        const auto stats = _harness->stopMockAgent();
        CPPUNIT_ASSERT_EQUAL_MESSAGE("one conversation per call", std::int64_t(1), numberAt(stats, "connections"));
    }

    /// The webhook is answered but no stream ever comes: the session opened for it must not linger.
    void sessionWithoutAStreamIsClosed()
    {
        _harness->setRoutingConfig("\"streamStartTimeoutMs\": 1500");
        start({"--greeting-ms", "500"});
        const auto reply = _harness->postVoiceWebhook(GatewayHarness::kNumber, "CA0123456789abcdef0123456789abcd01");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(reply.body, 200, reply.status);
        CPPUNIT_ASSERT_MESSAGE(reply.body, reply.body.find("<Stream") != std::string::npos);

        // Expiry runs once a second after the 1.5 s window.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        double expired = 0;
        while (std::chrono::steady_clock::now() < deadline)
        {
            const auto samples = patchbay::integration::samplesOf(_harness->httpGetBody("/metrics"), "patchbay_agent_prewarm_total");
            if ((expired = prewarms(samples, "expired")) > 0) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE("pre-warm expired\n" + _harness->gatewayLog(), 1.0, expired);
        CPPUNIT_ASSERT_MESSAGE(_harness->gatewayLog(),
                               _harness->gatewayLog().find("closing the pre-warmed agent session") != std::string::npos);
        // The mock saw its conversation open and then closed by the gateway.
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        const auto stats = _harness->stopMockAgent();
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1), numberAt(stats, "connections"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(0), numberAt(stats, "active"));
        const auto rows = patchbay::integration::readCallRows(_harness->dbPath());
        const auto it = rows.find("CA0123456789abcdef0123456789abcd01");
        CPPUNIT_ASSERT(it != rows.end());
        CPPUNIT_ASSERT_EQUAL(std::string("timeout"), it->second.endReason);
    }

    void prewarmCanBeSwitchedOff()
    {
        _harness->setRoutingConfig("\"prewarmAgent\": false");
        start({"--greeting-ms", "1000"});
        const CallsimRun run = calls({"--calls", "1", "--ring-ms", "1000", "--duration-ms", "2000", "--per-call"});
        requireReport(run);
        assertCalls(run, "completed", 1);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("greeting bytes" + context(run), std::int64_t(8000),
                                     numberAt(run.report, "frames.foreignAudioBytes"));
        const auto samples = patchbay::integration::samplesOf(_harness->httpGetBody("/metrics"), "patchbay_agent_prewarm_total");
        CPPUNIT_ASSERT_MESSAGE("pre-warm counted although off" + context(run), samples.empty());
        CPPUNIT_ASSERT_MESSAGE(context(run), _harness->gatewayLog().find("agent ready while ringing") == std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AgentPrewarmIntegrationTest);
