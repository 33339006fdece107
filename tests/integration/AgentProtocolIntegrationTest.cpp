// AgentProtocolIntegrationTest.cpp: the ElevenLabs conversation protocol end to end — pings honouring
// ping_ms, ignorable events, barge-in with a transcript correction, an abrupt agent close (fallback through
// Prism as Twilio), private agents behind signed URLs, and caller DTMF as contextual updates — against the
// real patchbay, patchbay-mock-agent and patchbay-callsim.
#include "GatewayHarness.h"
#include "GatewayTestFixture.h"
#include "GatewayRecords.h"
#include "PrismMock.h"

#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Array.h>

#include <chrono>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

using patchbay::integration::CallRow;
using patchbay::integration::CallsimRun;
using patchbay::integration::contains;
using patchbay::integration::GatewayHarness;
using patchbay::integration::jsonText;
using patchbay::integration::TranscriptRow;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

/// The workspace key of the private-agent tests: distinctive, so a leak into the log is unmistakable.
const std::string kApiKey = "xi-integration-key-7d41c09e5b";

/// What the mock's --correction sends after its scripted interruption: the first half of the last
/// agent_response ("echo of caller segment 1") plus "...", stored by the gateway as a new agent row
/// prefixed "[correction] " (plugins/elevenlabs/src/ConversationConnectionTools.cpp).
const std::string kCorrectionRow = "[correction] echo of call...";

std::string transcriptText(const std::vector<TranscriptRow>& rows)
{
    std::string out;
    for (const TranscriptRow& r : rows)
        out += "\n  " + r.role + ": " + r.text;
    return out.empty() ? std::string(" (none)") : out;
}

/// One sample of a Prometheus family by its exact label text; -1 when the gateway does not export it.
double sampleOf(const std::string& metrics, const std::string& family, const std::string& labels)
{
    const auto samples = patchbay::integration::samplesOf(metrics, family);
    const auto it = samples.find(labels);
    return it == samples.end() ? -1.0 : it->second;
}

} // namespace

// Outside any named namespace: ctest runs the suite as plain `AgentProtocolIntegrationTest`.
class AgentProtocolIntegrationTest : public patchbay::integration::GatewayTestFixture
{
    CPPUNIT_TEST_SUITE(AgentProtocolIntegrationTest);
    CPPUNIT_TEST(pingsHonourPingMsAndIgnorableEventsAreIgnored);
    CPPUNIT_TEST(abruptAgentCloseRedirectsTheCallerToTheFallback);
    CPPUNIT_TEST(privateAgentIsReachedThroughASignedUrl);
    CPPUNIT_TEST(wrongApiKeyEndsTheCallAsAgentFailed);
    CPPUNIT_TEST(callerDtmfReachesTheAgentAsContextualUpdates);
    CPPUNIT_TEST_SUITE_END();

public:
    // 1. Every ping is answered with its event_id, never sooner than its ping_ms; vad_score and internal_*
    // events are recognised and dropped (no unknown or malformed count, no protocol error at the agent);
    // the agent's interruption reaches the caller as one clear with nothing stale after it, and its
    // agent_response_correction is stored as a transcript row.
    void pingsHonourPingMsAndIgnorableEventsAreIgnored()
    {
        start({"--ping-interval-ms", "300", "--ping-ms", "150", "--vad-scores", "--internal-events", "--event-interval-ms",
            "200", "--transcripts", "--interrupt-after", "60", "--correction"});
        const CallsimRun run = calls({"--calls", "1", "--duration-ms", "4000"});
        requireReport(run);
        assertCalls(run, "completed", 1);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("clears relayed to the caller (one interruption)" + context(run), std::int64_t(1),
            numberAt(run.report, "clears"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("echoes of the interrupted turn after the clear" + context(run), std::int64_t(0),
            numberAt(run.report, "frames.staleAfterClear"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("bad messages from the gateway" + context(run), std::int64_t(0),
            numberAt(run.report, "badMessages"));
        const std::string sid = onlySid(run);
        const CallRow row = waitForEndedRow(sid, run);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("end_reason" + context(run), std::string("completed"), row.endReason);

        const std::string metrics = _harness->httpGetBody("/metrics");
        const std::string received = "patchbay_elevenlabs_messages_received_total";
        const double vad = sampleOf(metrics, received, "type=\"vad_score\"");
        const double tentative = sampleOf(metrics, received, "type=\"internal_tentative_agent_response\"");
        const double turn = sampleOf(metrics, received, "type=\"internal_turn_probability\"");
        const double pings = sampleOf(metrics, received, "type=\"ping\"");
        const double unknown = sampleOf(metrics, "patchbay_elevenlabs_unknown_message_types_total", "");
        const double malformed = sampleOf(metrics, "patchbay_elevenlabs_malformed_messages_total", "");

        const Object::Ptr stats = _harness->stopMockAgent();
        const std::string dump = "\nmock stats: " + jsonText(stats) + "\nmetrics: vad_score " + std::to_string(vad) +
            ", internal_tentative_agent_response " + std::to_string(tentative) + ", internal_turn_probability " +
            std::to_string(turn) + ", ping " + std::to_string(pings) + ", unknown " + std::to_string(unknown) +
            ", malformed " + std::to_string(malformed) + context(run);
        std::cerr << "\n[pings] sent " << numberAt(stats, "pingsSent") << ", matched " << numberAt(stats, "pongsMatched")
                  << ", early " << numberAt(stats, "pongsEarly") << "; gateway counted vad_score " << vad
                  << ", internal events " << tentative << "+" << turn << "\n";

        // Pings: ~5.5 s of conversation at 300 ms; each pong waits the ping's 150 ms, so at most the ping
        // sent in the last 150 ms before the close is still unanswered.
        const std::int64_t pingsSent = numberAt(stats, "pingsSent");
        const std::int64_t matched = numberAt(stats, "pongsMatched");
        CPPUNIT_ASSERT_MESSAGE("pings sent (expected >= 10)" + dump, pingsSent >= 10);
        CPPUNIT_ASSERT_MESSAGE("pings without their pong (at most the last may be in flight)" + dump,
            pingsSent - matched >= 0 && pingsSent - matched <= 1);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("pongs received vs matched (no unknown or repeated event_id)" + dump, matched,
            numberAt(stats, "pongsReceived"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("pongs sooner than ping_ms" + dump, std::int64_t(0), numberAt(stats, "pongsEarly"));
        Array::Ptr pongs = stats->getArray("pongs");
        for (std::size_t i = 0; pongs && i < pongs->size(); ++i)
        {
            const Object::Ptr pong = pongs->getObject(static_cast<unsigned>(i));
            CPPUNIT_ASSERT_EQUAL_MESSAGE("ping_ms carried by ping " + std::to_string(i) + dump, std::int64_t(150),
                pong->getValue<std::int64_t>("pingMs"));
            CPPUNIT_ASSERT_MESSAGE("pong " + std::to_string(i) + " came before its ping_ms" + dump,
                pong->getValue<std::int64_t>("delayMs") >= 150);
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE("protocol errors seen by the agent" + dump, std::int64_t(0),
            numberAt(stats, "protocolErrors"));

        // Ignorable events: the gateway saw them (counted by type) and nothing it could not place.
        CPPUNIT_ASSERT_MESSAGE("mock sent no vad_score / internal events" + dump,
            numberAt(stats, "vadScoresSent") >= 10 && numberAt(stats, "internalEventsSent") >= 20);
        CPPUNIT_ASSERT_MESSAGE("vad_score messages counted by the gateway" + dump,
            vad >= 1 && vad <= static_cast<double>(numberAt(stats, "vadScoresSent")));
        CPPUNIT_ASSERT_MESSAGE("internal events counted by the gateway" + dump, tentative >= 1 && turn >= 1);
        CPPUNIT_ASSERT_MESSAGE("pings counted by the gateway (between the pongs and the pings sent)" + dump,
            pings >= static_cast<double>(matched) && pings <= static_cast<double>(pingsSent));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("unknown message types" + dump, 0.0, unknown);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("malformed messages" + dump, 0.0, malformed);

        // Barge-in: one interruption and one correction sent; the correction is in the transcript, once,
        // after the agent row it corrects.
        CPPUNIT_ASSERT_EQUAL_MESSAGE("interruptions sent" + dump, std::int64_t(1), numberAt(stats, "interruptionsSent"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("corrections sent" + dump, std::int64_t(1), numberAt(stats, "correctionsSent"));
        const std::vector<TranscriptRow> rows = waitForTranscriptRow(sid, kCorrectionRow);
        const std::string transcript = "\ntranscript:" + transcriptText(rows) + dump;
        std::size_t corrections = 0;
        std::size_t at = rows.size();
        for (std::size_t i = 0; i < rows.size(); ++i)
            if (contains(rows[i].text, "[correction]"))
            {
                ++corrections;
                at = i;
            }
        CPPUNIT_ASSERT_EQUAL_MESSAGE("correction rows" + transcript, std::size_t(1), corrections);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("correction row role" + transcript, std::string("agent"), rows[at].role);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("correction row text" + transcript, kCorrectionRow, rows[at].text);
        bool corrected = false;
        for (std::size_t i = 0; i < at; ++i)
            corrected = corrected || (rows[i].role == "agent" && rows[i].text == "echo of caller segment 1");
        CPPUNIT_ASSERT_MESSAGE("the corrected agent_response is not stored before the correction" + transcript, corrected);
    }

    // 2. The agent drops TCP mid-call (no close frame, 1006): the leg fails, the caller is redirected to the
    // tenant's fallback with one valid Calls update at Prism, and the record names the 1006 close.
    void abruptAgentCloseRedirectsTheCallerToTheFallback()
    {
        patchbay::testsupport::PrismMock prism(_harness->dir() + "/prism", false);
        addPrismCarrierTenant(prism.port());
        start({"--close-after-ms", "1500", "--close-code", "1006"});
        const CallsimRun run = calls(prismTenantCallArgs({"--calls", "1", "--duration-ms", "5000"}));
        requireReport(run);
        // After the code, the gateway's socket layer says how the TCP connection ended: "connection closed
        // by peer without close frame" when it reads the EOF first, the system's error when a write to the
        // dropped socket fails first.
        const CallRow row = expectFallbackAtPrism(prism, run, "agent closed the connection: 1006 ");
        std::cerr << "\n[abrupt close] " << row.endDetail << "\n";
        expectClosedByGateway(run);

        const Object::Ptr stats = _harness->stopMockAgent();
        const std::string dump = "\nmock stats: " + jsonText(stats) + context(run);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("conversations" + dump, std::int64_t(1), numberAt(stats, "connections"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("closes by the mock" + dump, std::int64_t(1), numberAt(stats, "closesByUs"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("of those without a close frame" + dump, std::int64_t(1), numberAt(stats, "abruptCloses"));
    }

    // 3. A private agent: the gateway fetches a signed URL with the workspace key (xi-api-key), opens the one
    // single-use conversation it names, and the call echoes cleanly; the key never reaches the log.
    void privateAgentIsReachedThroughASignedUrl()
    {
        startWithSignedUrls(kApiKey);
        const CallsimRun run = calls({"--calls", "1", "--duration-ms", "3000"});
        requireReport(run);
        assertCalls(run, "completed", 1);
        CPPUNIT_ASSERT_MESSAGE("no echo" + context(run), numberAt(run.report, "frames.echoed") > 0);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("frames lost" + context(run), std::int64_t(0), numberAt(run.report, "frames.lost"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("corrupted echoes" + context(run), std::int64_t(0), numberAt(run.report, "frames.corrupted"));
        const CallRow row = waitForEndedRow(onlySid(run), run);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("end_reason" + context(run), std::string("completed"), row.endReason);

        const std::string log = _harness->gateway().err();
        const Object::Ptr stats = _harness->stopMockAgent();
        const std::string dump = "\nmock stats: " + jsonText(stats) + context(run);
        // One session per call, though the routing core pre-warms it at the webhook.
        CPPUNIT_ASSERT_EQUAL_MESSAGE("signed URLs issued" + dump, std::int64_t(1), numberAt(stats, "signedUrlsIssued"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("signed URLs refused" + dump, std::int64_t(0), numberAt(stats, "signedUrlsRefused"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("conversations" + dump, std::int64_t(1), numberAt(stats, "connections"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("upgrades refused (unsigned or reused URL)" + dump, std::int64_t(0),
            numberAt(stats, "upgradesRefused"));
        CPPUNIT_ASSERT_MESSAGE("the gateway did not take the signed-URL path" + dump, contains(log, "(signed URL)"));
        CPPUNIT_ASSERT_MESSAGE("the API key reached the gateway log" + dump, !contains(log, kApiKey));
    }

    // 4. The gateway's key is refused (401) at get-signed-url: no conversation opens, the call ends
    // agent-failed naming the refusal, and the fallback redirect fails against the harness's closed REST port.
    void wrongApiKeyEndsTheCallAsAgentFailed()
    {
        const std::string wrongKey = "xi-not-the-workspace-key-0c3a";
        startWithSignedUrls(kApiKey, wrongKey);
        // Ringing long enough for the pre-warmed session to fail first: the stream's own attempt is the second.
        const CallsimRun run = calls({"--calls", "1", "--ring-ms", "500", "--duration-ms", "3000"});
        requireReport(run);
        expectClosedByGateway(run);
        const CallRow row = waitForEndedRow(onlySid(run), run);
        const std::string log = _harness->gateway().err();
        const Object::Ptr stats = _harness->stopMockAgent();
        const std::string dump = "\nend_detail: " + row.endDetail + "\nmock stats: " + jsonText(stats) + context(run);
        std::cerr << "\n[wrong key] " << row.endDetail << "\n";
        CPPUNIT_ASSERT_EQUAL_MESSAGE("end_reason" + dump, std::string("agent-failed"), row.endReason);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("end_detail" + dump,
            "signed-URL request refused: HTTP 401 (check the ElevenLabs API key and the agent's workspace); fallback "
            "redirect failed: unavailable: Twilio POST /2010-04-01/Accounts/" + std::string(GatewayHarness::kAccountSid) +
                "/Calls/" + onlySid(run) + ".json: http://127.0.0.1:1: connection refused (1 attempt)",
            row.endDetail);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("signed URLs refused (the pre-warmed session's, then the stream's)" + dump,
            std::int64_t(2), numberAt(stats, "signedUrlsRefused"));
        CPPUNIT_ASSERT_MESSAGE("no pre-warm failure while ringing in the log" + dump,
            contains(log, "pre-warmed agent session ended while ringing (signed-URL request refused: HTTP 401"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("signed URLs issued" + dump, std::int64_t(0), numberAt(stats, "signedUrlsIssued"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("conversations" + dump, std::int64_t(0), numberAt(stats, "connections"));
        CPPUNIT_ASSERT_MESSAGE("an API key reached the gateway log" + dump, !contains(log, wrongKey) && !contains(log, kApiKey));
    }

    // 5. Caller key presses (Media Streams dtmf events) reach the agent as one contextual_update each, in order.
    void callerDtmfReachesTheAgentAsContextualUpdates()
    {
        start();
        const CallsimRun run = calls({"--calls", "1", "--duration-ms", "3000", "--dtmf", "5#*@1000"});
        requireReport(run);
        assertCalls(run, "completed", 1);
        Object::Ptr call = run.report->getArray("perCall")->getObject(0);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("digits callsim sent" + context(run), std::int64_t(3), numberAt(call, "dtmfSent"));
        const CallRow row = waitForEndedRow(onlySid(run), run);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("end_reason" + context(run), std::string("completed"), row.endReason);

        const Object::Ptr stats = _harness->stopMockAgent();
        const std::string dump = "\nmock stats: " + jsonText(stats) + context(run);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("contextual updates" + dump, std::int64_t(3), numberAt(stats, "contextualUpdates"));
        Array::Ptr texts = stats->getArray("contextualUpdateTexts");
        CPPUNIT_ASSERT_MESSAGE("no contextualUpdateTexts" + dump, texts && texts->size() == 3);
        const char* const expected[] = {"The caller pressed 5 on the keypad.", "The caller pressed # on the keypad.",
            "The caller pressed * on the keypad."};
        for (unsigned i = 0; i < 3; ++i)
            CPPUNIT_ASSERT_EQUAL_MESSAGE("contextual update " + std::to_string(i) + dump, std::string(expected[i]),
                texts->getElement<std::string>(i));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("protocol errors seen by the agent" + dump, std::int64_t(0),
            numberAt(stats, "protocolErrors"));

        // A digit Twilio never sends is a usage error of callsim, not a silent no-op.
        const CallsimRun bad = calls({"--calls", "1", "--dtmf", "5x@100"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE("callsim exit for --dtmf 5x@100" + context(bad), 2, bad.exitCode);
    }

private:
    /// callsim's only call was ended by the gateway (after the agent failed), not by its own stop.
    void expectClosedByGateway(const CallsimRun& run)
    {
        const Object::Ptr call = run.report->getArray("perCall")->getObject(0);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("callsim outcome" + context(run), std::string("failed"), call->getValue<std::string>("outcome"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("callsim detail" + context(run),
            std::string("gateway closed the stream while streaming: 1000 agent-failed"), call->getValue<std::string>("detail"));
    }

    /// The mock serves signed URLs for mockKey only; the gateway's elevenlabs plugin uses gatewayKey
    /// (default: the same) with the mock as its signedUrlBase.
    void startWithSignedUrls(const std::string& mockKey, const std::string& gatewayKey = std::string())
    {
        _harness->startMockAgent({"--signed-url", "--api-key", mockKey});
        _harness->setElevenLabsConfig("\"apiKey\": \"" + (gatewayKey.empty() ? mockKey : gatewayKey) +
            "\", \"signedUrlBase\": \"http://127.0.0.1:" + std::to_string(_harness->mockPort()) + "\"");
        _harness->startGateway();
    }

    /// The call's transcript once a row with exactly `text` is there (the recorder writes
    /// asynchronously); after 15 s whatever is stored.
    std::vector<TranscriptRow> waitForTranscriptRow(const std::string& sid, const std::string& text)
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        std::vector<TranscriptRow> rows;
        do
        {
            rows = patchbay::integration::readTranscriptRows(_harness->dbPath(), sid);
            for (const TranscriptRow& r : rows)
                if (r.text == text)
                    return rows;
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        } while (std::chrono::steady_clock::now() < deadline);
        return rows;
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AgentProtocolIntegrationTest);
