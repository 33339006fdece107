// AgentCarrierIntegrationTest.cpp: what the agent makes the gateway do beyond the call's audio — transfer_to_number
// through the twilio plugin's REST client (Prism mocking Twilio) and signed post-call webhooks — against the real
// patchbay, patchbay-mock-agent and patchbay-callsim.
#include "GatewayHarness.h"
#include "GatewayTestFixture.h"
#include "GatewayRecords.h"
#include "PrismMock.h"

#include <cppunit/extensions/HelperMacros.h>

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/JSON/Array.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

using patchbay::integration::CallRow;
using patchbay::integration::contains;
using patchbay::integration::jsonText;
using patchbay::integration::toolResultOf;
using patchbay::integration::CallsimRun;
using patchbay::integration::GatewayHarness;
using patchbay::integration::TenantSeed;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

/// The number the agent asks to be transferred to.
const std::string kTransferTarget = "+15005550099";
const std::string kTransferToolCall = R"(transfer_to_number:{"transfer_number":")" + kTransferTarget + R"("}@1000)";

/// At least ElevenLabsConfig::kMinSecretLength (16) characters.
const std::string kWebhookSecret = "integration-post-call-secret-0123456789";

/// The first line of text containing needle, "" when none.
std::string lineWith(const std::string& text, const std::string& needle)
{
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        if (contains(line, needle))
            return line;
    return std::string();
}

} // namespace

// Outside any named namespace: ctest runs the suite as plain `AgentCarrierIntegrationTest`.
class AgentCarrierIntegrationTest : public patchbay::integration::GatewayTestFixture
{
    CPPUNIT_TEST_SUITE(AgentCarrierIntegrationTest);
    CPPUNIT_TEST(transferToNumberEndsCallAsTransferred);
    CPPUNIT_TEST(failedTransferIsAnsweredWithErrorAndCallGoesOn);
    CPPUNIT_TEST(signedPostCallWebhookIsAttachedToItsCall);
    CPPUNIT_TEST(postCallWebhookWithWrongSecretIsRefused);
    CPPUNIT_TEST(agentErrorRedirectsTheCallerToTheFallback);
    CPPUNIT_TEST(unreachableAgentGetsTheFallbackAtStreamStart);
    CPPUNIT_TEST_SUITE_END();

public:
    // 1. transfer_to_number with Prism as Twilio: one valid Calls update, the agent told it worked, and
    // the gateway itself ends the call as transferred (Prism never closes the stream as Twilio would).
    void transferToNumberEndsCallAsTransferred()
    {
        patchbay::testsupport::PrismMock prism(_harness->dir() + "/prism", false);
        addPrismCarrierTenant(prism.port());
        start({"--tool-call", kTransferToolCall});
        // The 4 s grace keeps callsim's own hang-up well after the transfer.
        const CallsimRun run = calls(prismTenantCallArgs({"--calls", "1", "--duration-ms", "6000", "--grace-ms", "4000"}));
        requireReport(run);
        const std::string sid = onlySid(run);
        const CallRow row = waitForEndedRow(sid, run);
        const std::string dump = context(run) + "\nprism log:\n" + prism.log();
        CPPUNIT_ASSERT_EQUAL_MESSAGE("tenant" + dump, std::string("carrier"), row.tenantId);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("end_reason" + dump, std::string("transferred"), row.endReason);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("end_detail" + dump, "transferred to " + kTransferTarget, row.endDetail);
        // Ended by the gateway: callsim saw the stream closed under it before its own stop.
        Object::Ptr call = run.report->getArray("perCall")->getObject(0);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("callsim outcome (the gateway must close first)" + dump, std::string("failed"),
            call->getValue<std::string>("outcome"));
        CPPUNIT_ASSERT_MESSAGE("callsim detail" + dump, contains(call->getValue<std::string>("detail"), "gateway closed the stream"));

        // Exactly one request reached "Twilio", and it was valid for Twilio's spec.
        const std::string prismLog = prism.log();
        CPPUNIT_ASSERT_EQUAL_MESSAGE("requests Prism received" + dump, std::size_t(1), occurrencesIn(prismLog, "Request received"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("requests that passed Prism's validation" + dump, std::size_t(1),
            occurrencesIn(prismLog, "The request passed the validation rules"));
        const std::string gatewayLog = _harness->gateway().err();
        CPPUNIT_ASSERT_MESSAGE("no REST confirmation in the gateway log" + dump,
            contains(gatewayLog, "transfer to " + kTransferTarget + " done at Twilio"));

        const Object::Ptr stats = _harness->stopMockAgent();
        const std::string statsDump = "\nmock stats: " + jsonText(stats) + dump;
        CPPUNIT_ASSERT_EQUAL_MESSAGE("tool calls sent" + statsDump, std::int64_t(1), numberAt(stats, "toolCallsSent"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("tool results received" + statsDump, std::int64_t(1), numberAt(stats, "toolResults"));
        const Object::Ptr result = toolResultOf(stats, "transfer_to_number");
        CPPUNIT_ASSERT_MESSAGE("no client_tool_result for transfer_to_number" + statsDump, !result.isNull());
        const std::string conversation = result->getValue<std::string>("conversation_id");
        CPPUNIT_ASSERT_EQUAL_MESSAGE("tool_call_id (the one the mock sent)" + statsDump, "toolcall_1_" + conversation,
            result->getValue<std::string>("tool_call_id"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("is_error" + statsDump, false, result->getValue<bool>("is_error"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("result" + statsDump, std::string("the call is being transferred"),
            result->getValue<std::string>("result"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("the call's agent conversation" + statsDump, conversation, conversationOf(sid));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("protocol errors seen by the agent" + statsDump, std::int64_t(0),
            numberAt(stats, "protocolErrors"));
    }

    // 2. The same tool call with Twilio unreachable (the harness's closed REST port): the agent gets an
    // error naming the failed request, and the call goes on until callsim ends it.
    void failedTransferIsAnsweredWithErrorAndCallGoesOn()
    {
        start({"--tool-call", kTransferToolCall});
        const CallsimRun run = calls({"--calls", "1", "--duration-ms", "4000"});
        requireReport(run);
        assertCalls(run, "completed", 1);
        const std::string sid = onlySid(run);
        const CallRow row = waitForEndedRow(sid, run);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("end_reason (a failed transfer does not end the call)" + context(run),
            std::string("completed"), row.endReason);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("end_detail (callsim's stop, no transfer)" + context(run),
            std::string("stream stopped by Twilio"), row.endDetail);
        const std::string warning = lineWith(_harness->gateway().err(), "transfer to " + kTransferTarget + " failed: ");
        CPPUNIT_ASSERT_MESSAGE("no warning about the failed transfer" + context(run), !warning.empty());
        std::cerr << "\n[transfer-failed] " << warning << "\n";

        const Object::Ptr stats = _harness->stopMockAgent();
        const std::string dump = "\nmock stats: " + jsonText(stats) + context(run);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("tool calls sent" + dump, std::int64_t(1), numberAt(stats, "toolCallsSent"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("tool results received" + dump, std::int64_t(1), numberAt(stats, "toolResults"));
        const Object::Ptr result = toolResultOf(stats, "transfer_to_number");
        CPPUNIT_ASSERT_MESSAGE("no client_tool_result for transfer_to_number" + dump, !result.isNull());
        const std::string conversation = result->getValue<std::string>("conversation_id");
        CPPUNIT_ASSERT_EQUAL_MESSAGE("tool_call_id (the one the mock sent)" + dump, "toolcall_1_" + conversation,
            result->getValue<std::string>("tool_call_id"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("is_error" + dump, true, result->getValue<bool>("is_error"));
        // The reason names the request that failed and why: the host HTTP client's text for the
        // closed port, after the one attempt rest.maxRetries 0 allows.
        CPPUNIT_ASSERT_EQUAL_MESSAGE("result" + dump,
            "transfer failed: Twilio POST /2010-04-01/Accounts/" + std::string(GatewayHarness::kAccountSid) + "/Calls/" + sid +
                ".json: http://127.0.0.1:1: connection refused (1 attempt)",
            result->getValue<std::string>("result"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("the call's agent conversation" + dump, conversation, conversationOf(sid));
    }

    // 3. The mock posts a signed post_call_transcription after the conversation: the gateway answers 200
    // and attaches it to the call named by its dynamic variables — the live transcript is kept, not doubled.
    void signedPostCallWebhookIsAttachedToItsCall()
    {
        const PostCallDelivery d = deliverPostCall(kWebhookSecret, 200);
        const std::string& sid = d.sid;
        const std::string& dump = d.dump;
        const Object::Ptr& delivery = d.delivery;
        const std::map<std::string, double>& results = d.results;
        const std::string conversation = delivery->getValue<std::string>("conversation_id");
        CPPUNIT_ASSERT_EQUAL_MESSAGE("the call's agent conversation" + dump, conversation, conversationOf(sid));
        // "transcript": the signature held, the CallSid named a call of this gateway and the conversation matched.
        CPPUNIT_ASSERT_EQUAL_MESSAGE("post_call webhooks by result" + dump, std::string("transcript=1"), resultsText(results));
        // The agent's own report of the call is on the record (the mock's analysis: success + summary).
        const CallRow reported = patchbay::integration::readCallRows(_harness->dbPath()).at(sid);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("agent report status" + dump, std::string("done"), reported.agentReportStatus);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("agent report verdict" + dump, std::string("success"), reported.agentReportVerdict);
        CPPUNIT_ASSERT_MESSAGE("agent report summary: " + reported.agentReportSummary + dump,
            contains(reported.agentReportSummary, "Mock conversation of "));
        CPPUNIT_ASSERT_MESSAGE("agent report time" + dump, reported.agentReportReceivedAtMs > 0);

        // The live session stored the transcript while the call ran; the webhook's copy of it must not
        // be appended a second time.
        const std::vector<std::string> lines = readTranscript(sid);
        std::set<std::string> distinct(lines.begin(), lines.end());
        const std::string transcript = "\ntranscript rows: " + std::to_string(lines.size()) + dump;
        CPPUNIT_ASSERT_MESSAGE("no live transcript stored" + transcript, !lines.empty());
        CPPUNIT_ASSERT_EQUAL_MESSAGE("transcript rows repeated" + transcript, distinct.size(), lines.size());
        const std::string gatewayLog = _harness->gateway().err();
        const std::string attached = lineWith(gatewayLog, "post-call webhook: post_call_transcription for conversation " + conversation);
        std::cerr << "\n[post-call] " << attached << "\n";
        CPPUNIT_ASSERT_MESSAGE("no post-call line for the conversation" + transcript, !attached.empty());
        CPPUNIT_ASSERT_MESSAGE("post-call line without the CallSid: " + attached + transcript, contains(attached, sid));
        CPPUNIT_ASSERT_MESSAGE("post-call line: " + attached + transcript,
            contains(attached, ": status done, ") &&
                contains(attached, "; the call already has " + std::to_string(lines.size()) + " transcript entries, keeping those"));
    }

    // 4. A webhook signed with another secret: 401, nothing attached, and one log line saying why.
    void postCallWebhookWithWrongSecretIsRefused()
    {
        const PostCallDelivery d = deliverPostCall("not-the-gateway-secret-0123456789", 401);
        const std::string& sid = d.sid;
        const std::string& dump = d.dump;
        const std::map<std::string, double>& results = d.results;
        const Object::Ptr& stats = d.stats;
        CPPUNIT_ASSERT_EQUAL_MESSAGE("post_call webhooks by result" + dump, std::string("bad-signature=1"), resultsText(results));

        const std::string gatewayLog = _harness->gateway().err();
        const std::string refused = lineWith(gatewayLog, "post-call webhook refused (401): bad-signature from 127.0.0.1");
        std::cerr << "\n[post-call refused] " << refused << "\n";
        CPPUNIT_ASSERT_MESSAGE("no log line about the bad signature" + dump,
            contains(refused, "(wrong webhookSecret, or the body was altered)"));
        CPPUNIT_ASSERT_MESSAGE("the secret reached the log" + dump,
            !contains(gatewayLog, kWebhookSecret) && !contains(gatewayLog, "not-the-gateway-secret"));
        CPPUNIT_ASSERT_MESSAGE("a refused webhook was attached" + dump,
            !contains(gatewayLog, "post-call webhook: post_call_transcription"));
        // The record holds only what the live session stored.
        CPPUNIT_ASSERT_EQUAL_MESSAGE("a refused webhook left an agent report" + dump, std::int64_t(0),
            patchbay::integration::readCallRows(_harness->dbPath()).at(sid).agentReportReceivedAtMs);
        const std::vector<std::string> lines = readTranscript(sid);
        const std::set<std::string> distinct(lines.begin(), lines.end());
        CPPUNIT_ASSERT_EQUAL_MESSAGE("transcript rows repeated" + dump, distinct.size(), lines.size());
        CPPUNIT_ASSERT_EQUAL_MESSAGE("user transcript rows vs the mock's live user_transcripts" + dump,
            numberAt(stats, "userTranscriptsSent"),
            static_cast<std::int64_t>(std::count_if(lines.begin(), lines.end(),
                [](const std::string& l) { return l.rfind("user:", 0) == 0; })));
    }

    // 5. An agent error mid-call: the caller is redirected to the tenant's fallback through Twilio's
    // REST API (one valid Calls update at Prism), and the record says why.
    void agentErrorRedirectsTheCallerToTheFallback()
    {
        patchbay::testsupport::PrismMock prism(_harness->dir() + "/prism", false);
        addPrismCarrierTenant(prism.port());
        start({"--error-after", "1500", "--error-message", "quota exceeded (mock)"});
        const CallsimRun run = calls(prismTenantCallArgs({"--calls", "1", "--duration-ms", "5000", "--per-call"}));
        requireReport(run);
        expectFallbackAtPrism(prism, run, "agent error 1011 unknown: quota exceeded (mock)");
    }

    // 6. The agent refuses every conversation (HTTP 404 on the upgrade): the session pre-warmed while
    // ringing fails, a fresh one at stream start fails too, and the caller gets the fallback.
    void unreachableAgentGetsTheFallbackAtStreamStart()
    {
        patchbay::testsupport::PrismMock prism(_harness->dir() + "/prism", false);
        addPrismCarrierTenant(prism.port());
        start({"--require-agent-id", "agent_nobody"});
        const CallsimRun run = calls(prismTenantCallArgs({"--calls", "1", "--ring-ms", "500", "--duration-ms", "4000", "--per-call"}));
        requireReport(run);
        const CallRow row = expectFallbackAtPrism(prism, run, "agent connect failed: ");
        CPPUNIT_ASSERT_MESSAGE("end_detail: " + row.endDetail, contains(row.endDetail, "upgrade refused: HTTP 404"));
        const auto samples = patchbay::integration::samplesOf(_harness->httpGetBody("/metrics"), "patchbay_agent_prewarm_total");
        CPPUNIT_ASSERT_EQUAL_MESSAGE("pre-warm replaced at stream start" + context(run), 1.0,
            samples.count("outcome=\"reopened\"") ? samples.at("outcome=\"reopened\"") : 0.0);
        const Object::Ptr stats = _harness->stopMockAgent();
        CPPUNIT_ASSERT_EQUAL_MESSAGE("upgrades refused: " + jsonText(stats), std::int64_t(2), numberAt(stats, "upgradesRefused"));
    }

private:
    struct PostCallDelivery
    {
        std::string sid;
        std::map<std::string, double> results; ///< post_call webhooks counted by the gateway, by result
        Object::Ptr stats;                     ///< the mock's, after it stopped
        Object::Ptr delivery;                  ///< the mock's record of its one delivery
        std::string dump;                      ///< everything above, for failure messages
    };

    /// One completed call whose mock agent then posts its webhook signed with mockSecret, answered
    /// with expectedStatus (and counted by the mock as delivered or failed accordingly).
    PostCallDelivery deliverPostCall(const std::string& mockSecret, std::int64_t expectedStatus)
    {
        const CallsimRun run = callWithPostCallWebhook(mockSecret);
        PostCallDelivery d;
        d.sid = onlySid(run);
        const CallRow row = waitForEndedRow(d.sid, run);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("end_reason" + context(run), std::string("completed"), row.endReason);
        d.results = waitForPostCallResults(run);
        d.stats = _harness->stopMockAgent();
        d.dump = "\nmock stats: " + jsonText(d.stats) + "\npost_call results: " + resultsText(d.results) + context(run);
        const bool ok = expectedStatus / 100 == 2;
        CPPUNIT_ASSERT_EQUAL_MESSAGE("webhooks delivered with 2xx" + d.dump, std::int64_t(ok ? 1 : 0), numberAt(d.stats, "webhooksSent"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("webhooks failed" + d.dump, std::int64_t(ok ? 0 : 1), numberAt(d.stats, "webhooksFailed"));
        d.delivery = d.stats->getArray("webhooks")->getObject(0);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("webhook status" + d.dump, expectedStatus, d.delivery->getValue<std::int64_t>("status"));
        return d;
    }

    /// One call with the gateway's post-call route on kWebhookSecret and the mock signing with
    /// mockSecret. The mock names the gateway, so the gateway's port is chosen before either starts.
    CallsimRun callWithPostCallWebhook(const std::string& mockSecret)
    {
        const std::uint16_t port = _harness->reserveGatewayPort();
        _harness->setElevenLabsConfig("\"webhookSecret\": \"" + kWebhookSecret + "\"");
        start({"--transcripts", "--transcript-every-ms", "1000", "--post-call-url",
            "http://127.0.0.1:" + std::to_string(port) + "/elevenlabs/post-call", "--webhook-secret", mockSecret});
        const CallsimRun run = calls({"--calls", "1", "--duration-ms", "3000"});
        requireReport(run);
        assertCalls(run, "completed", 1);
        return run;
    }

    /// patchbay_elevenlabs_webhooks_total{webhook="post_call"} by result, once one has been counted (the
    /// mock posts after its conversation closed, which is after the call's record may read ended).
    std::map<std::string, double> waitForPostCallResults(const CallsimRun& run)
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        std::map<std::string, double> results;
        do
        {
            results.clear();
            const auto samples = patchbay::integration::samplesOf(_harness->httpGetBody("/metrics"),
                "patchbay_elevenlabs_webhooks_total");
            for (const auto& [labels, value] : samples)
            {
                if (!contains(labels, "webhook=\"post_call\""))
                    continue;
                const auto at = labels.find("result=\"");
                const auto end = at == std::string::npos ? at : labels.find('"', at + 8);
                if (end != std::string::npos)
                    results[labels.substr(at + 8, end - at - 8)] += value;
            }
            if (!results.empty())
                return results;
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        } while (std::chrono::steady_clock::now() < deadline);
        CPPUNIT_FAIL("no post_call webhook counted in /metrics within 15 s" + context(run) + "\nmetrics:\n" +
            _harness->httpGetBody("/metrics").substr(0, 6000));
        return results;
    }

    static std::string resultsText(const std::map<std::string, double>& results)
    {
        std::string out;
        for (const auto& [result, count] : results)
            out += (out.empty() ? "" : ",") + result + "=" + std::to_string(static_cast<long long>(count));
        return out;
    }

    /// calls.agent_conversation_id: how the gateway ties a call to the agent's conversation (and so to
    /// its tool calls and post-call webhook). "" when the row cannot be read.
    std::string conversationOf(std::string sid)
    {
        using namespace Poco::Data::Keywords;
        try
        {
            Poco::Data::SQLite::Connector::registerConnector();
            Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY, "file:" + _harness->dbPath() + "?mode=ro");
            std::vector<std::string> ids;
            session << "SELECT agent_conversation_id FROM calls WHERE call_sid = ?", into(ids), use(sid), now;
            return ids.size() == 1 ? ids.front() : std::string();
        }
        catch (const Poco::Exception& e)
        {
            return "(cannot read: " + e.displayText() + ")";
        }
    }

    /// The call's transcript rows as "role: text", in row order.
    std::vector<std::string> readTranscript(const std::string& sid)
    {
        std::vector<std::string> lines;
        for (const auto& row : patchbay::integration::readTranscriptRows(_harness->dbPath(), sid))
            lines.push_back(row.role + ": " + row.text);
        return lines;
    }

};

CPPUNIT_TEST_SUITE_REGISTRATION(AgentCarrierIntegrationTest);
