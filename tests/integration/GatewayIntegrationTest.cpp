// GatewayIntegrationTest.cpp: the real gateway, mock agent and call simulator on loopback, checked on outcomes only.
#include "GatewayHarness.h"
#include "GatewayTestFixture.h"

#include <cppunit/extensions/HelperMacros.h>

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/JSON/Array.h>

#include <chrono>
#include <iostream>
#include <sstream>
#include <thread>

#include <signal.h>

using patchbay::integration::CallsimRun;
using patchbay::integration::GatewayHarness;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

void printRtt(const char* test, const CallsimRun& run)
{
    if (!run.report || !run.report->has("rttMs"))
        return;
    Object::Ptr rtt = run.report->getObject("rttMs");
    std::cerr << "\n[" << test << "] rtt ms p50 " << rtt->getValue<double>("p50") << " p90 "
              << rtt->getValue<double>("p90") << " p99 " << rtt->getValue<double>("p99") << " max "
              << rtt->getValue<double>("max") << " (" << rtt->getValue<std::int64_t>("samples") << " samples)\n";
}

} // namespace

// Outside any named namespace: CppUnit names the suite after the qualified type, and ctest runs it
// as plain `GatewayIntegrationTest`.
class GatewayIntegrationTest : public patchbay::integration::GatewayTestFixture
{
    CPPUNIT_TEST_SUITE(GatewayIntegrationTest);
    CPPUNIT_TEST(echoCallsReturnEveryFrameIntact);
    CPPUNIT_TEST(interruptionClearsAndStaleAgentAudioNeverReachesCaller);
    CPPUNIT_TEST(callRecordIsWrittenForEveryCall);
    CPPUNIT_TEST(unknownNumberIsRejected);
    CPPUNIT_TEST(badSignatureIsForbiddenAndGatewayKeepsServing);
    CPPUNIT_TEST(agentSeesInitiationDataFirstAndPongsMatchPings);
    CPPUNIT_TEST(sigtermDrainsActiveCallsAndExitsZero);
    CPPUNIT_TEST_SUITE_END();

public:
    // (a)
    void echoCallsReturnEveryFrameIntact()
    {
        start();
        const CallsimRun run = calls({"--calls", "3", "--duration-ms", "3000", "--expect", "echo"});
        printRtt("echo", run);
        requireReport(run);
        assertCalls(run, "connected", 3);
        assertCalls(run, "completed", 3);
        CPPUNIT_ASSERT_MESSAGE("no echoes at all" + context(run), numberAt(run.report, "frames.echoed") > 0);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("frames lost after the first second" + context(run), std::int64_t(0),
            numberAt(run.report, "frames.lost"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("echoes differing from the sent frame" + context(run), std::int64_t(0),
            numberAt(run.report, "frames.corrupted"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("duplicated echoes" + context(run), std::int64_t(0), numberAt(run.report, "frames.duplicates"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("callsim --expect echo verdict" + context(run), 0, run.exitCode);
    }

    // (b)
    void interruptionClearsAndStaleAgentAudioNeverReachesCaller()
    {
        start({"--interrupt-after", "50", "--stale-audio-after-interrupt"});
        const CallsimRun run = calls({"--calls", "3", "--duration-ms", "3000"});
        requireReport(run);
        assertCalls(run, "completed", 3);
        Array::Ptr perCall = run.report->getArray("perCall");
        for (std::size_t i = 0; i < perCall->size(); ++i)
        {
            Object::Ptr call = perCall->getObject(static_cast<unsigned>(i));
            CPPUNIT_ASSERT_MESSAGE("call " + call->getValue<std::string>("callSid") + " received no clear" + context(run),
                call->getValue<std::int64_t>("clears") >= 1);
        }
        // The mock re-sent the last echoed chunk under an old event_id right after each interruption;
        // the caller must never see a frame at or before the one echoed just before the clear.
        CPPUNIT_ASSERT_EQUAL_MESSAGE("stale agent audio (event_id <= interruption) reached the caller after the clear" +
                context(run),
            std::int64_t(0), numberAt(run.report, "frames.staleAfterClear"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("frames lost" + context(run), std::int64_t(0), numberAt(run.report, "frames.lost"));
        const Object::Ptr stats = _harness->stopMockAgent();
        CPPUNIT_ASSERT_EQUAL_MESSAGE("mock interruptions sent", std::int64_t(3), numberAt(stats, "interruptionsSent"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("mock stale audio sent (the check above is not vacuous)", std::int64_t(3),
            numberAt(stats, "staleAudioSent"));
    }

    // (c)
    void callRecordIsWrittenForEveryCall()
    {
        start();
        const CallsimRun run = calls({"--calls", "2", "--duration-ms", "2000", "--expect", "echo"});
        requireReport(run);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("callsim --expect echo verdict" + context(run), 0, run.exitCode);
        Array::Ptr perCall = run.report->getArray("perCall");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), perCall->size());

        Poco::Data::SQLite::Connector::registerConnector();
        // Records are written asynchronously after the call ends: poll, read-only, for a few seconds.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        std::string problem;
        do
        {
            problem.clear();
            try
            {
                Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY, "file:" + _harness->dbPath() + "?mode=ro");
                for (std::size_t i = 0; i < perCall->size(); ++i)
                    problem += checkRecord(session, perCall->getObject(static_cast<unsigned>(i))->getValue<std::string>("callSid"));
            }
            catch (const Poco::Exception& e)
            {
                problem = "cannot read " + _harness->dbPath() + ": " + e.displayText();
            }
            if (problem.empty())
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        } while (std::chrono::steady_clock::now() < deadline);
        CPPUNIT_ASSERT_MESSAGE("call records:\n" + problem + "\ngateway log:\n" + _harness->gatewayLog(), problem.empty());
    }

    // (d)
    void unknownNumberIsRejected()
    {
        start();
        const CallsimRun run = calls({"--calls", "1", "--to", "+15550009999", "--expect", "reject"});
        requireReport(run);
        assertCalls(run, "rejected", 1);
        Object::Ptr call = run.report->getArray("perCall")->getObject(0);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("reject reason" + context(run), std::string("rejected"), call->getValue<std::string>("detail"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("callsim --expect reject verdict" + context(run), 0, run.exitCode);
    }

    // (e)
    void badSignatureIsForbiddenAndGatewayKeepsServing()
    {
        start();
        const CallsimRun forged = calls({"--calls", "2", "--bad-signature", "--expect", "forbidden"});
        requireReport(forged);
        assertCalls(forged, "forbidden", 2);
        Object::Ptr call = forged.report->getArray("perCall")->getObject(0);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("webhook status" + context(forged), std::int64_t(403), call->getValue<std::int64_t>("webhookStatus"));
        CPPUNIT_ASSERT_MESSAGE("gateway died after forged webhooks:\n" + _harness->gatewayLog(), _harness->gateway().running());

        const CallsimRun good = calls({"--calls", "1", "--duration-ms", "2000", "--expect", "echo"});
        requireReport(good);
        assertCalls(good, "completed", 1);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("a genuine call after the forged ones" + context(good), 0, good.exitCode);
    }

    // (f)
    void agentSeesInitiationDataFirstAndPongsMatchPings()
    {
        start({"--ping-interval-ms", "200"});
        const CallsimRun run = calls({"--calls", "2", "--duration-ms", "3000", "--expect", "echo"});
        requireReport(run);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("callsim --expect echo verdict" + context(run), 0, run.exitCode);
        const Object::Ptr stats = _harness->stopMockAgent();
        const std::string dump = "\nmock stats: " + statsText(stats);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("agent conversations" + dump, std::int64_t(2), numberAt(stats, "connections"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("conversations whose first message was conversation_initiation_client_data" + dump,
            std::int64_t(2), numberAt(stats, "initFirst"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("conversations that started with something else" + dump, std::int64_t(0),
            numberAt(stats, "firstNotInit"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("protocol errors seen by the agent" + dump, std::int64_t(0), numberAt(stats, "protocolErrors"));
        const std::int64_t pings = numberAt(stats, "pingsSent");
        const std::int64_t matched = numberAt(stats, "pongsMatched");
        CPPUNIT_ASSERT_MESSAGE("the mock sent no pings" + dump, pings > 0);
        // At most the last ping of each conversation may still be unanswered when the call ends.
        CPPUNIT_ASSERT_MESSAGE("pongs matching the pings' event_id" + dump, matched >= pings - 2 && matched <= pings);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("pongs that matched no ping" + dump, numberAt(stats, "pongsReceived"), matched);
        Object::Ptr init = stats->getObject("lastInit");
        CPPUNIT_ASSERT_MESSAGE("initiation data recorded" + dump, !init.isNull());
        CPPUNIT_ASSERT_EQUAL(std::string("conversation_initiation_client_data"), init->getValue<std::string>("type"));
    }

    // (g)
    void sigtermDrainsActiveCallsAndExitsZero()
    {
        start();
        auto callsim = _harness->startCallsim({"--calls", "3", "--duration-ms", "4000", "--grace-ms", "500"});
        // SIGTERM only once every call is streaming, so the drain has live calls to wait for.
        const auto streamingBy = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        while (countOf(_harness->gateway().err(), "media stream started") < 3 && std::chrono::steady_clock::now() < streamingBy)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("streams started before SIGTERM:\n" + _harness->gatewayLog(), std::size_t(3),
            countOf(_harness->gateway().err(), "media stream started"));

        const auto signalled = std::chrono::steady_clock::now();
        _harness->gateway().signal(SIGTERM);
        const auto code = _harness->gateway().waitExit(std::chrono::milliseconds(GatewayHarness::kDrainTimeoutMs + 5000));
        const auto tookMs =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - signalled).count();
        std::cerr << "\n[drain] patchbay exited " << tookMs << " ms after SIGTERM\n";
        CPPUNIT_ASSERT_MESSAGE("patchbay still running " + std::to_string(tookMs) + " ms after SIGTERM (drain timeout " +
                std::to_string(GatewayHarness::kDrainTimeoutMs) + " ms):\n" + _harness->gatewayLog(),
            code.has_value());
        CPPUNIT_ASSERT_EQUAL_MESSAGE("patchbay exit code after SIGTERM:\n" + _harness->gatewayLog(), 0, *code);
        // Exit within the drain timeout plus the 2 s the host allows for forced ends and shutdown.
        CPPUNIT_ASSERT_MESSAGE("patchbay needed " + std::to_string(tookMs) + " ms to stop:\n" + _harness->gatewayLog(),
            tookMs <= GatewayHarness::kDrainTimeoutMs + 3000);

        const CallsimRun run = GatewayHarness::collect(*callsim, std::chrono::seconds(30));
        requireReport(run);
        // The drain lets calls in progress finish rather than cutting them.
        assertCalls(run, "completed", 3);
    }

private:
    static std::string checkRecord(Poco::Data::Session& session, std::string callSid)
    {
        using namespace Poco::Data::Keywords;
        std::vector<std::string> status;
        std::vector<std::string> endReason;
        std::vector<std::string> conversation;
        std::vector<Poco::Int64> streamStarted;
        session << "SELECT status, end_reason, agent_conversation_id, stream_started_at_ms FROM calls WHERE call_sid = ?",
            into(status), into(endReason), into(conversation), into(streamStarted), use(callSid), now;
        if (status.size() != 1)
            return callSid + ": " + std::to_string(status.size()) + " rows (want 1)\n";
        std::string problem;
        if (status[0] != "ended")
            problem += callSid + ": status '" + status[0] + "' (want ended)\n";
        if (endReason[0] != "completed")
            problem += callSid + ": end_reason '" + endReason[0] + "' (want completed)\n";
        if (streamStarted[0] <= 0)
            problem += callSid + ": no stream_started_at_ms\n";
        if (conversation[0].rfind("conv_mock_", 0) != 0)
            problem += callSid + ": agent_conversation_id '" + conversation[0] + "' (want the mock's conv_mock_...)\n";
        return problem;
    }

    static std::size_t countOf(const std::string& text, const std::string& needle)
    {
        std::size_t n = 0;
        for (std::size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
            ++n;
        return n;
    }

    static std::string statsText(const Object::Ptr& stats)
    {
        std::ostringstream out;
        stats->stringify(out);
        return out.str();
    }

};

CPPUNIT_TEST_SUITE_REGISTRATION(GatewayIntegrationTest);
