// AgentTimeoutIntegrationTest.cpp: a hung agent (socket open, nothing sent) ends the call as agent-failed after the
// elevenlabs plugin's silenceTimeoutMs, through the real gateway, patchbay-mock-agent and patchbay-callsim.
#include "GatewayHarness.h"
#include "GatewayRecords.h"
#include "GatewayTestFixture.h"

#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Array.h>

#include <chrono>
#include <iostream>
#include <sstream>
#include <thread>

using patchbay::integration::CallRow;
using patchbay::integration::contains;
using patchbay::integration::jsonText;
using patchbay::integration::CallsimRun;
using Poco::JSON::Array;
using Poco::JSON::Object;

// Outside any named namespace: ctest runs the suite as plain `AgentTimeoutIntegrationTest`.
class AgentTimeoutIntegrationTest : public patchbay::integration::GatewayTestFixture
{
    CPPUNIT_TEST_SUITE(AgentTimeoutIntegrationTest);
    CPPUNIT_TEST(silentAgentEndsCallAsAgentFailed);
    CPPUNIT_TEST_SUITE_END();

public:
    // The mock answers (metadata, echoes) and then, 500 ms into the conversation, goes quiet with the
    // socket still open and still reading. With silenceTimeoutMs 1500 the gateway must give up on it
    // about 2 s into a call whose audio lasts 10 s, and send the caller to the fallback.
    void silentAgentEndsCallAsAgentFailed()
    {
        constexpr std::int64_t kCallAudioMs = 10000;
        _harness->setElevenLabsConfig("\"silenceTimeoutMs\": 1500");
        start({"--silent-after-ms", "500"});
        const auto began = std::chrono::steady_clock::now();
        const CallsimRun run = calls({"--calls", "1", "--duration-ms", std::to_string(kCallAudioMs)});
        const auto runMs = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began).count();
        requireReport(run);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("callsim run timed out (call hung)" + context(run), std::int64_t(0),
            numberAt(run.report, "calls.pending"));
        const std::string sid = onlySid(run);
        const CallRow row = waitForEndedRow(sid, run);
        std::cerr << "\n[agent-silence] end_detail: " << row.endDetail << "; duration_ms " << row.durationMs
                  << "; callsim run " << runMs << " ms\n";

        CPPUNIT_ASSERT_EQUAL_MESSAGE("end_reason" + context(run), std::string("agent-failed"), row.endReason);
        CPPUNIT_ASSERT_MESSAGE("end_detail '" + row.endDetail + "' does not name the silence" + context(run),
            contains(row.endDetail, "agent sent nothing for 1500 ms"));
        CPPUNIT_ASSERT_MESSAGE("end_detail '" + row.endDetail + "' does not mention the fallback" + context(run),
            contains(row.endDetail, "fallback"));
        // Not waited on forever: the record ends near 500 + 1500 ms, far before the caller's 10 s of audio.
        CPPUNIT_ASSERT_MESSAGE("call lasted " + std::to_string(row.durationMs) + " ms" + context(run),
            row.durationMs >= 1500 && row.durationMs < kCallAudioMs / 2);
        CPPUNIT_ASSERT_MESSAGE("callsim ran " + std::to_string(runMs) + " ms, as long as the call's audio" + context(run),
            runMs < kCallAudioMs);

        const std::string metrics = _harness->httpGetBody("/metrics");
        double silenceTimeouts = 0;
        for (const auto& [labels, value] : patchbay::integration::samplesOf(metrics, "patchbay_elevenlabs_agent_timeouts_total"))
            if (contains(labels, "reason=\"silence\""))
                silenceTimeouts += value;
        CPPUNIT_ASSERT_EQUAL_MESSAGE("silence timeouts in /metrics\n" + metrics.substr(0, 6000), 1.0, silenceTimeouts);
        CPPUNIT_ASSERT_MESSAGE("gateway did not log the silence" + context(run),
            contains(_harness->gateway().err(), "agent sent nothing for 1500 ms"));

        const Object::Ptr stats = _harness->stopMockAgent();
        const std::string dump = "\nmock stats: " + jsonText(stats) + context(run);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("conversations silenced" + dump, std::int64_t(1), numberAt(stats, "silenced"));
        // It kept reading while quiet: more caller chunks than the 25 of its first 500 ms (20 ms frames).
        CPPUNIT_ASSERT_MESSAGE("mock stopped reading when it went quiet" + dump, numberAt(stats, "chunksIn") > 40);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("the mock must not have closed the conversation itself" + dump, std::int64_t(0),
            numberAt(stats, "closesByUs"));
        CPPUNIT_ASSERT_MESSAGE("gateway died after the agent timeout:\n" + _harness->gatewayLog(), _harness->gateway().running());
    }

};

CPPUNIT_TEST_SUITE_REGISTRATION(AgentTimeoutIntegrationTest);
