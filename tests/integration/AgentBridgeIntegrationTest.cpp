// AgentBridgeIntegrationTest.cpp: the gateway's bridge to the agent — transcripts, client tools, agent
// failure and audio conversion — against the real patchbay, patchbay-mock-agent and patchbay-callsim.
#include "GatewayHarness.h"
#include "GatewayTestFixture.h"
#include "GatewayRecords.h"

#include <cppunit/extensions/HelperMacros.h>

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/JSON/Array.h>

#include <chrono>
#include <iostream>
#include <sstream>
#include <thread>

using patchbay::integration::CallRow;
using patchbay::integration::contains;
using patchbay::integration::jsonText;
using patchbay::integration::toolResultOf;
using patchbay::integration::TranscriptRow;
using patchbay::integration::CallsimRun;
using patchbay::integration::GatewayHarness;
using Poco::JSON::Array;
using Poco::JSON::Object;

// Outside any named namespace: ctest runs the suite as plain `AgentBridgeIntegrationTest`.
class AgentBridgeIntegrationTest : public patchbay::integration::GatewayTestFixture
{
    CPPUNIT_TEST_SUITE(AgentBridgeIntegrationTest);
    CPPUNIT_TEST(transcriptsAreStoredInOrder);
    CPPUNIT_TEST(endCallToolEndsTheCallAfterPlayout);
    CPPUNIT_TEST(sendDtmfAndUnknownToolsAreAnsweredWithErrors);
    CPPUNIT_TEST(agentErrorMidCallEndsCallAsAgentFailed);
    CPPUNIT_TEST(pcmAgentAudioIsConvertedBothWays);
    CPPUNIT_TEST_SUITE_END();

public:
    // 1. user_transcript / agent_response → transcripts rows for the CallSid, in order.
    void transcriptsAreStoredInOrder()
    {
        start({"--transcripts", "--transcript-every-ms", "1000"});
        const CallsimRun run = calls({"--calls", "1", "--duration-ms", "4000"});
        requireReport(run);
        assertCalls(run, "completed", 1);
        const std::string sid = onlySid(run);
        const CallRow row = waitForEndedRow(sid, run);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("end_reason" + context(run), std::string("completed"), row.endReason);

        const Object::Ptr stats = _harness->stopMockAgent();
        const std::int64_t userSent = numberAt(stats, "userTranscriptsSent");
        const std::int64_t agentSent = numberAt(stats, "agentResponsesSent");
        CPPUNIT_ASSERT_MESSAGE("mock sent no user transcripts: " + jsonText(stats), userSent >= 1);
        CPPUNIT_ASSERT_MESSAGE("mock sent no agent responses: " + jsonText(stats), agentSent >= 1);

        // Transcript lines are written asynchronously by the recorder, like the call record: poll.
        std::vector<TranscriptRow> lines;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        do
        {
            lines = patchbay::integration::readTranscriptRows(_harness->dbPath(), sid);
            std::int64_t users = 0;
            std::int64_t agents = 0;
            for (const auto& l : lines)
                (l.role == "user" ? users : agents) += 1;
            if (users >= userSent && agents >= agentSent)
                break;
            if (users >= 1 && agents >= 1 && users >= userSent - 1 && agents >= agentSent - 1 &&
                std::chrono::steady_clock::now() + std::chrono::seconds(12) > deadline)
                break; // the last line may have crossed the call's end; give it 3 s, then accept
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        } while (std::chrono::steady_clock::now() < deadline);

        const std::string dump = "\ntranscript: " + transcriptText(lines) + "\nmock stats: " + jsonText(stats) +
            "\ngateway log:\n" + _harness->gatewayLog();
        std::int64_t users = 0;
        std::int64_t agents = 0;
        for (const auto& l : lines)
            (l.role == "user" ? users : agents) += 1;
        std::cerr << "\n[transcripts] rows " << users << " user / " << agents << " agent; mock sent " << userSent << " / "
                  << agentSent << "\n";
        // Every line the mock sent, except perhaps the last of each kind crossing the end of the call.
        CPPUNIT_ASSERT_MESSAGE("user rows vs user_transcripts the mock sent" + dump, users >= 1 && users >= userSent - 1 && users <= userSent);
        CPPUNIT_ASSERT_MESSAGE("agent rows vs agent_responses the mock sent" + dump,
            agents >= 1 && agents >= agentSent - 1 && agents <= agentSent);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("first row is the caller's" + dump, std::string("user"), lines.front().role);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("first user row text" + dump, std::string("caller segment 1"), lines.front().text);
        // In order: user segments count up, every "echo of caller segment N" follows "caller segment N",
        // and at_ms never goes backwards in row order.
        int nextUser = 1;
        for (std::size_t i = 0; i < lines.size(); ++i)
        {
            const TranscriptRow& l = lines[i];
            if (i > 0)
                CPPUNIT_ASSERT_MESSAGE("at_ms goes backwards at row " + std::to_string(i) + dump, l.atMs >= lines[i - 1].atMs);
            if (l.role == "user")
            {
                CPPUNIT_ASSERT_EQUAL_MESSAGE("user row " + std::to_string(i) + dump,
                    "caller segment " + std::to_string(nextUser), l.text);
                ++nextUser;
            }
            else
            {
                const std::string prefix = "echo of caller segment ";
                CPPUNIT_ASSERT_MESSAGE("agent row text " + l.text + dump, l.text.rfind(prefix, 0) == 0);
                const int segment = std::stoi(l.text.substr(prefix.size()));
                CPPUNIT_ASSERT_MESSAGE("agent row for segment " + std::to_string(segment) +
                        " precedes the user row it answers" + dump,
                    segment < nextUser);
            }
        }
    }

    // 2. end_call: the gateway ends the call itself. It waits until the caller has heard the agent's
    // audio after the tool call (marks); the mock echoes for as long as the caller speaks, so that is
    // when callsim's 6 s of audio have been echoed — before callsim's own hang-up, which comes only
    // after a 4 s grace period.
    void endCallToolEndsTheCallAfterPlayout()
    {
        start({"--tool-call", "end_call@1500"});
        const CallsimRun run = calls({"--calls", "1", "--duration-ms", "6000", "--grace-ms", "4000"});
        requireReport(run);
        const std::string sid = onlySid(run);
        const CallRow row = waitForEndedRow(sid, run);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("end_reason" + context(run), std::string("completed"), row.endReason);
        CPPUNIT_ASSERT_MESSAGE("end_detail '" + row.endDetail + "' does not mention the agent" + context(run),
            contains(row.endDetail, "agent ended the call"));
        CPPUNIT_ASSERT_MESSAGE("end_detail '" + row.endDetail + "': the playout was not confirmed by marks" + context(run),
            !contains(row.endDetail, "not confirmed"));
        // Ended by the gateway, not by callsim's stop: callsim saw the stream closed under it.
        Object::Ptr call = run.report->getArray("perCall")->getObject(0);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("callsim outcome (the gateway must close first)" + context(run), std::string("failed"),
            call->getValue<std::string>("outcome"));
        CPPUNIT_ASSERT_MESSAGE("callsim detail" + context(run),
            contains(call->getValue<std::string>("detail"), "gateway closed the stream"));
        CPPUNIT_ASSERT_MESSAGE("the gateway's hang-up mark was never placed" + context(run),
            call->getValue<std::int64_t>("marksEchoed") > 0);

        const Object::Ptr stats = _harness->stopMockAgent();
        const std::string dump = "\nmock stats: " + jsonText(stats);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("tool calls sent" + dump, std::int64_t(1), numberAt(stats, "toolCallsSent"));
        Object::Ptr result = toolResultOf(stats, "end_call");
        CPPUNIT_ASSERT_MESSAGE("no client_tool_result for end_call" + dump, !result.isNull());
        CPPUNIT_ASSERT_MESSAGE("end_call answered with is_error" + dump, !result->getValue<bool>("is_error"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("protocol errors seen by the agent" + dump, std::int64_t(0), numberAt(stats, "protocolErrors"));
    }

    // 3. send_dtmf (impossible on Twilio media streams) and an unknown tool are refused with is_error.
    void sendDtmfAndUnknownToolsAreAnsweredWithErrors()
    {
        start({"--tool-call", "send_dtmf:{\"dtmf_tones\":\"123\"}@500", "--tool-call", "no_such_tool:{\"x\":1}@800"});
        const CallsimRun run = calls({"--calls", "1", "--duration-ms", "3000"});
        requireReport(run);
        assertCalls(run, "completed", 1);
        const CallRow row = waitForEndedRow(onlySid(run), run);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("end_reason (refused tools do not end the call)" + context(run), std::string("completed"),
            row.endReason);

        const Object::Ptr stats = _harness->stopMockAgent();
        const std::string dump = "\nmock stats: " + jsonText(stats) + "\ngateway log:\n" + _harness->gatewayLog();
        CPPUNIT_ASSERT_EQUAL_MESSAGE("tool calls sent" + dump, std::int64_t(2), numberAt(stats, "toolCallsSent"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("tool results received" + dump, std::int64_t(2), numberAt(stats, "toolResults"));
        for (const char* name : {"send_dtmf", "no_such_tool"})
        {
            Object::Ptr result = toolResultOf(stats, name);
            CPPUNIT_ASSERT_MESSAGE(std::string("no client_tool_result for ") + name + dump, !result.isNull());
            CPPUNIT_ASSERT_MESSAGE(std::string(name) + " not answered with is_error" + dump, result->getValue<bool>("is_error"));
            CPPUNIT_ASSERT_MESSAGE(std::string(name) + " answered with an empty result" + dump,
                !result->getValue<std::string>("result").empty());
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE("protocol errors seen by the agent" + dump, std::int64_t(0), numberAt(stats, "protocolErrors"));
    }

    // 4. The agent sends an error event and closes mid-call: the call ends as agent-failed after the
    // fallback attempt (the Twilio REST redirect cannot succeed here), and does not hang.
    void agentErrorMidCallEndsCallAsAgentFailed()
    {
        start({"--error-after", "1000", "--error-message", "mock agent exploded"});
        const CallsimRun run = calls({"--calls", "1", "--duration-ms", "5000"});
        requireReport(run);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("callsim run timed out (call hung)" + context(run), std::int64_t(0), numberAt(run.report, "calls.pending"));
        const std::string sid = onlySid(run);
        const CallRow row = waitForEndedRow(sid, run);
        std::cerr << "\n[agent-error] end_detail: " << row.endDetail << "\n";
        CPPUNIT_ASSERT_EQUAL_MESSAGE("end_reason" + context(run), std::string("agent-failed"), row.endReason);
        CPPUNIT_ASSERT_MESSAGE("end_detail '" + row.endDetail + "' does not mention the fallback" + context(run),
            contains(row.endDetail, "fallback"));

        const Object::Ptr stats = _harness->stopMockAgent();
        CPPUNIT_ASSERT_EQUAL_MESSAGE("errors sent by the mock\nmock stats: " + jsonText(stats), std::int64_t(1),
            numberAt(stats, "errorsSent"));
        CPPUNIT_ASSERT_MESSAGE("gateway died after the agent error:\n" + _harness->gatewayLog(), _harness->gateway().running());
    }

    // 5. An agent speaking pcm_16000 both ways: the gateway converts μ-law 8 kHz ↔ PCM16 16 kHz.
    void pcmAgentAudioIsConvertedBothWays()
    {
        start({"--input-format", "pcm_16000", "--output-format", "pcm_16000"});
        const CallsimRun run = calls({"--calls", "1", "--duration-ms", "3000"});
        requireReport(run);
        assertCalls(run, "completed", 1);
        CPPUNIT_ASSERT_MESSAGE("gateway did not log the conversion" + context(run),
            contains(_harness->gateway().err(), "converting audio"));
        // The round trip through PCM changes bytes, so an echo need not match: any agent audio counts.
        const std::int64_t received = numberAt(run.report, "frames.echoed") + numberAt(run.report, "frames.corrupted") +
            numberAt(run.report, "frames.foreignAudioMessages");
        CPPUNIT_ASSERT_MESSAGE("callsim received no agent audio" + context(run), received > 0);

        const Object::Ptr stats = _harness->stopMockAgent();
        const std::string dump = "\nmock stats: " + jsonText(stats) + "\ngateway log:\n" + _harness->gatewayLog();
        Object::Ptr audioIn = stats->getObject("audioIn");
        std::cerr << "\n[pcm] mock audioIn " << jsonText(audioIn) << "; callsim agent frames received " << received << "\n";
        CPPUNIT_ASSERT_MESSAGE("no audioIn in the mock stats" + dump, !audioIn.isNull());
        CPPUNIT_ASSERT_EQUAL_MESSAGE("audioIn.format" + dump, std::string("pcm_16000"), audioIn->getValue<std::string>("format"));
        const std::int64_t bytes = numberAt(audioIn, "bytes");
        const std::int64_t samples = numberAt(audioIn, "samples");
        const std::int64_t ms = numberAt(audioIn, "ms");
        CPPUNIT_ASSERT_EQUAL_MESSAGE("PCM16 chunks of odd length" + dump, std::int64_t(0), numberAt(audioIn, "oddChunks"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("bytes = 2 × samples (16-bit)" + dump, samples * 2, bytes);
        // 3 s of caller audio (some may be cut at the edges): 32 bytes/ms, 4× μ-law's 8 bytes/ms.
        CPPUNIT_ASSERT_MESSAGE("audioIn.ms " + std::to_string(ms) + " not ≈ 3000" + dump, ms >= 2000 && ms <= 3500);
        CPPUNIT_ASSERT_MESSAGE("audioIn.bytes " + std::to_string(bytes) + " not ≈ 32 per ms" + dump,
            bytes >= ms * 31 && bytes <= ms * 33);
        CPPUNIT_ASSERT_MESSAGE("audioIn.bytes " + std::to_string(bytes) + " not above μ-law's 8 bytes/ms of 3 s" + dump,
            bytes > 3000 * 8);
        // Really converted: callsim's 400 Hz tone reads as a tone near 400 Hz, where μ-law bytes taken as
        // PCM16 would read as noise (zero-crossing estimate; seen ≈ 450 Hz).
        const double toneHz = audioIn->isNull("toneHz") ? -1.0 : audioIn->getValue<double>("toneHz");
        CPPUNIT_ASSERT_MESSAGE("audioIn.toneHz " + std::to_string(toneHz) + " not near callsim's 400 Hz tone" + dump,
            toneHz >= 300.0 && toneHz <= 600.0);
    }

    static std::string transcriptText(const std::vector<TranscriptRow>& lines)
    {
        std::string out;
        for (const auto& l : lines)
            out += "\n  #" + std::to_string(l.id) + " " + l.role + " @" + std::to_string(l.atMs) + " " + l.text;
        return out.empty() ? "(none)" : out;
    }


};

CPPUNIT_TEST_SUITE_REGISTRATION(AgentBridgeIntegrationTest);
