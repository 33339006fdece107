// ElevenLabsPostCallWebhookTest.cpp: the post-call route of the real plugin on the SDK's fake host — signature gate, limits, correlation and what is attached (transcript, agent report).
#include <cppunit/extensions/HelperMacros.h>

#include "WebhookFixture.h"
#include "patchbay/sdk/support/JsonDocument.h"
#include "protocol/PostCallEvent.h"

using namespace patchbay;
using namespace patchbay::elevenlabs::test;
using patchbay::elevenlabs::WebhookSignature;

namespace {

std::string transcription(const std::string& conversationId, const std::string& callSid, const std::string& extraData = "")
{
    return R"({"type":"post_call_transcription","event_timestamp":1739537297,"data":{"agent_id":"agent-acme",)"
           R"("conversation_id":")" + conversationId + R"(","status":"done","transcript":[)"
           R"({"role":"agent","message":"Hello from Acme","time_in_call_secs":0},)"
           R"({"role":"agent","message":null,"tool_calls":[{"tool_name":"end_call"}],"time_in_call_secs":1},)"
           R"({"role":"user","message":"I need help \"now\" ☎","time_in_call_secs":2.5}],)"
           R"("metadata":{"start_time_unix_secs":1739537000,"call_duration_secs":42,"termination_reason":"end_call tool"},)"
           R"("conversation_initiation_client_data":{"dynamic_variables":{"call_sid":")" + callSid + R"(","plan":"gold"}})"
           + extraData + "}}";
}

/// A post_call_transcription as ElevenLabs sends it for an analysed conversation (fields per
/// elevenlabs.md §8.2 and elevenlabs-js ConversationHistoryAnalysisCommonModel /
/// ConversationHistoryMetadataCommonModel), with extras the gateway ignores.
std::string analysed(const std::string& conversationId, const std::string& callSid)
{
    return R"({"type":"post_call_transcription","event_timestamp":1739537297,"data":{"agent_id":"agent-acme",)"
           R"("conversation_id":")" + conversationId + R"(","status":"done","user_id":null,"transcript":[)"
           R"({"role":"agent","message":"Hello from Acme","time_in_call_secs":0},)"
           R"({"role":"user","message":"Tuesday for two, please","time_in_call_secs":3}],)"
           R"("metadata":{"start_time_unix_secs":1739537000,"call_duration_secs":42,"cost":518,)"
           R"("deletion_settings":{},"feedback":{"overall_score":null,"likes":0,"dislikes":0},)"
           R"("authorization_method":"signed_url","charging":{"dev_discount":false},)"
           R"("termination_reason":"end_call tool was called.",)"
           R"("phone_call":{"type":"twilio","direction":"inbound","call_sid":")" + callSid + R"("}},)"
           R"("analysis":{"evaluation_criteria_results":{"booked":{"criteria_id":"booked","result":"success",)"
           R"("rationale":"The caller got a table."}},)"
           R"("data_collection_results":{"party_size":{"data_collection_id":"party_size","value":2,)"
           R"("json_schema":{"type":"integer","description":"How many"},"rationale":"Caller said \"two\"."},)"
           R"("day":{"data_collection_id":"day","value":"Tuesday","rationale":"Stated."},)"
           R"("budget":{"data_collection_id":"budget","value":12.50,"rationale":""}},)"
           R"("call_successful":"success","transcript_summary":"The caller booked a table for two on Tuesday ☎."},)"
           R"("conversation_initiation_client_data":{"dynamic_variables":{"call_sid":")" + callSid + R"("}},)"
           R"("has_audio":true,"has_user_audio":true,"has_response_audio":true}})";
}

/// A store built before ABI 1.3: saveAgentReport() is the SDK's default.
class PreReportStore : public sdk::testing::FakeTenantStore
{
public:
    sdk::Status saveAgentReport(std::string_view callSid, const sdk::AgentCallReport& report) noexcept override
    {
        return sdk::TenantStore::saveAgentReport(callSid, report);
    }
};

} // namespace

class ElevenLabsPostCallWebhookTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ElevenLabsPostCallWebhookTest);
    CPPUNIT_TEST(routesFollowTheConfiguredSecrets);
    CPPUNIT_TEST(validSignatureStoresTheTranscript);
    CPPUNIT_TEST(badSignatureIs401AndLogged);
    CPPUNIT_TEST(missingOrMalformedHeaderIs401);
    CPPUNIT_TEST(expiredTimestampIs401);
    CPPUNIT_TEST(futureTimestampIs401);
    CPPUNIT_TEST(oversizedBodyIs413BeforeAnyHashing);
    CPPUNIT_TEST(badJsonIs400);
    CPPUNIT_TEST(unknownCallIs200WithALogLine);
    CPPUNIT_TEST(existingTranscriptIsNotDuplicated);
    CPPUNIT_TEST(redeliveryIsIdempotent);
    CPPUNIT_TEST(conversationMismatchAttachesNothing);
    CPPUNIT_TEST(twilioCallSidFromNativeTelephonyMetadata);
    CPPUNIT_TEST(initiationFailureIsStoredAsTheAgentReport);
    CPPUNIT_TEST(audioKeepsOnlyItsSize);
    CPPUNIT_TEST(storeDownIs503);
    CPPUNIT_TEST(unknownTypeIs200);
    CPPUNIT_TEST(transcriptionStoresTheAgentReport);
    CPPUNIT_TEST(reportWithoutAnalysisKeepsUnknowns);
    CPPUNIT_TEST(reportIsStoredBesideALiveTranscript);
    CPPUNIT_TEST(decliningStoreStillAnswers200);
    CPPUNIT_TEST(parseBoundsTheAnalysis);
    CPPUNIT_TEST(parseBoundsTheSummaryAndVerdict);
    CPPUNIT_TEST_SUITE_END();

public:
    void routesFollowTheConfiguredSecrets()
    {
        WebhookFixture on;
        CPPUNIT_ASSERT_MESSAGE(on.status.toString(), on.status.isOk());
        CPPUNIT_ASSERT(on.host.hasHttpRoute("POST", "/elevenlabs/post-call"));
        CPPUNIT_ASSERT(on.host.hasHttpRoute("POST", "/elevenlabs/initiation"));
        // Secrets never reach the log.
        for (const auto& line : on.host.recordingLogger().lines())
        {
            CPPUNIT_ASSERT(line.message.find(kWebhookSecret) == std::string::npos);
            CPPUNIT_ASSERT(line.message.find(kInitiationSecret) == std::string::npos);
        }
        WebhookFixture off("{}");
        CPPUNIT_ASSERT(off.status.isOk());
        CPPUNIT_ASSERT(off.host.httpRoutes().empty());
        CPPUNIT_ASSERT(off.host.recordingLogger().contains(sdk::LogLevel::Info, "post-call webhooks disabled: no webhookSecret"));
        CPPUNIT_ASSERT(off.host.recordingLogger().contains(sdk::LogLevel::Info, "initiation webhook disabled"));
        WebhookFixture moved(pluginConfig(R"(,"postCallPath":"/hooks/el")"));
        CPPUNIT_ASSERT(moved.host.hasHttpRoute("POST", "/hooks/el"));
        moved.plugin.shutdown();
        CPPUNIT_ASSERT(moved.host.httpRoutes().empty());
    }

    void validSignatureStoresTheTranscript()
    {
        WebhookFixture f;
        f.addCall("CA1", "conv_1");
        const sdk::HttpResponse r = f.postCall(transcription("conv_1", "CA1"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        const auto stored = f.host.fakeTenantStore().transcript("CA1");
        CPPUNIT_ASSERT(stored.isOk());
        // The tool-call-only turn (null message) is not a line anyone said.
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), stored.value().size());
        CPPUNIT_ASSERT_EQUAL(std::string("agent"), stored.value()[0].role);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1739537000000), stored.value()[0].atMs);
        CPPUNIT_ASSERT_EQUAL(std::string("I need help \"now\" ☎"), stored.value()[1].text);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1739537002500), stored.value()[1].atMs);
        CPPUNIT_ASSERT(f.host.recordingLogger().contains("stored 2 transcript entries"));
        CPPUNIT_ASSERT_EQUAL(1.0, f.webhookCount("post_call", "transcript"));
    }

    void badSignatureIs401AndLogged()
    {
        WebhookFixture f;
        f.addCall("CA1", "conv_1");
        const sdk::HttpResponse r = f.postCall(transcription("conv_1", "CA1"), kNowMs / 1000, "another-secret-0123456789");
        CPPUNIT_ASSERT_EQUAL(401, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), r.contentType);
        CPPUNIT_ASSERT(f.host.recordingLogger().contains(sdk::LogLevel::Warn, "post-call webhook refused (401): bad-signature"));
        CPPUNIT_ASSERT(f.host.fakeTenantStore().transcript("CA1").value().empty());
        CPPUNIT_ASSERT_EQUAL(1.0, f.webhookCount("post_call", "bad-signature"));
        // Signed body, then altered: refused too.
        const std::string body = transcription("conv_1", "CA1");
        std::string altered = body;
        altered.replace(altered.find("I need help"), 1, "U");
        CPPUNIT_ASSERT_EQUAL(401, f.postCallWithHeader(altered, WebhookSignature::header(kNowMs / 1000, body, kWebhookSecret)).status);
        for (const auto& line : f.host.recordingLogger().lines())
            CPPUNIT_ASSERT(line.message.find(kWebhookSecret) == std::string::npos);
    }

    void missingOrMalformedHeaderIs401()
    {
        WebhookFixture f;
        const std::string body = transcription("conv_1", "CA1");
        CPPUNIT_ASSERT_EQUAL(401, f.postCallWithHeader(body, "").status);
        CPPUNIT_ASSERT(f.host.recordingLogger().contains("missing-signature"));
        CPPUNIT_ASSERT_EQUAL(401, f.postCallWithHeader(body, "t=abc,v0=00").status);
        CPPUNIT_ASSERT_EQUAL(401, f.postCallWithHeader(body, "sha256=0011").status);
        CPPUNIT_ASSERT(f.host.recordingLogger().contains("malformed-signature"));
        CPPUNIT_ASSERT_EQUAL(2.0, f.webhookCount("post_call", "malformed-signature"));
    }

    void expiredTimestampIs401()
    {
        WebhookFixture f;
        f.addCall("CA1", "conv_1");
        const std::int64_t old = kNowMs / 1000 - 30 * 60 - 1;
        CPPUNIT_ASSERT_EQUAL(401, f.postCall(transcription("conv_1", "CA1"), old).status);
        CPPUNIT_ASSERT(f.host.recordingLogger().contains(sdk::LogLevel::Warn, "expired-timestamp"));
        CPPUNIT_ASSERT(f.host.recordingLogger().contains("t=" + std::to_string(old)));
        CPPUNIT_ASSERT_EQUAL(200, f.postCall(transcription("conv_1", "CA1"), kNowMs / 1000 - 29 * 60).status);
    }

    void futureTimestampIs401()
    {
        WebhookFixture f;
        CPPUNIT_ASSERT_EQUAL(401, f.postCall(transcription("conv_1", "CA1"), kNowMs / 1000 + 5 * 60 + 1).status);
        CPPUNIT_ASSERT(f.host.recordingLogger().contains(sdk::LogLevel::Warn, "future-timestamp"));
        // A little clock skew is fine.
        CPPUNIT_ASSERT_EQUAL(200, f.postCall(transcription("conv_1", "CA1"), kNowMs / 1000 + 60).status);
    }

    void oversizedBodyIs413BeforeAnyHashing()
    {
        WebhookFixture f(pluginConfig(R"(,"postCallMaxBodyBytes":2048)"));
        const std::string big = transcription("conv_1", "CA1", ",\"pad\":\"" + std::string(4096, 'x') + "\"");
        // Even correctly signed: the limit applies first.
        const sdk::HttpResponse r = f.postCall(big);
        CPPUNIT_ASSERT_EQUAL(413, r.status);
        CPPUNIT_ASSERT(f.host.recordingLogger().contains(sdk::LogLevel::Warn, "over postCallMaxBodyBytes 2048"));
        CPPUNIT_ASSERT_EQUAL(200, f.postCall(transcription("conv_1", "CA1")).status);
    }

    void badJsonIs400()
    {
        WebhookFixture f;
        for (const std::string& body : {std::string("{\"type\":"), std::string("[1,2]"), std::string("{\"type\":\"x\"}"),
                                       std::string("{\"type\":1,\"data\":{}}")})
        {
            const sdk::HttpResponse r = f.postCall(body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(body, 400, r.status);
        }
        CPPUNIT_ASSERT(f.host.recordingLogger().contains(sdk::LogLevel::Warn, "post-call webhook refused (400)"));
    }

    void unknownCallIs200WithALogLine()
    {
        // ElevenLabs counts anything but 200 as a failed delivery and disables the webhook after
        // 10+ in a row; a conversation this gateway never bridged must not count against it.
        WebhookFixture f;
        const sdk::HttpResponse r = f.postCall(transcription("conv_x", "CAunknown"));
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT(f.host.recordingLogger().contains(sdk::LogLevel::Info, "no record of"));
        const std::string noSid = R"({"type":"post_call_transcription","data":{"conversation_id":"conv_y","transcript":[]}})";
        CPPUNIT_ASSERT_EQUAL(200, f.postCall(noSid).status);
        CPPUNIT_ASSERT(f.host.recordingLogger().contains("names no CallSid"));
        CPPUNIT_ASSERT_EQUAL(2.0, f.webhookCount("post_call", "unknown-call"));
    }

    void existingTranscriptIsNotDuplicated()
    {
        WebhookFixture f;
        f.addCall("CA1", "conv_1");
        sdk::TranscriptEntry live{"user", "said live", kNowMs - 1000};
        CPPUNIT_ASSERT(f.host.fakeTenantStore().addTranscript("CA1", live).isOk());
        CPPUNIT_ASSERT_EQUAL(200, f.postCall(transcription("conv_1", "CA1")).status);
        const auto stored = f.host.fakeTenantStore().transcript("CA1").value();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), stored.size());
        CPPUNIT_ASSERT_EQUAL(std::string("said live"), stored[0].text);
        CPPUNIT_ASSERT(f.host.recordingLogger().contains("already has 1 transcript entries"));
    }

    void redeliveryIsIdempotent()
    {
        WebhookFixture f;
        f.addCall("CA1", "conv_1");
        const std::string body = transcription("conv_1", "CA1");
        CPPUNIT_ASSERT_EQUAL(200, f.postCall(body).status);
        CPPUNIT_ASSERT_EQUAL(200, f.postCall(body).status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), f.host.fakeTenantStore().transcript("CA1").value().size());
    }

    void conversationMismatchAttachesNothing()
    {
        WebhookFixture f;
        f.addCall("CA1", "conv_real");
        CPPUNIT_ASSERT_EQUAL(200, f.postCall(transcription("conv_other", "CA1")).status);
        CPPUNIT_ASSERT(f.host.fakeTenantStore().transcript("CA1").value().empty());
        CPPUNIT_ASSERT(f.host.recordingLogger().contains(sdk::LogLevel::Warn, "not attached"));
        // A record without a conversation id yet (session still starting) accepts it.
        f.addCall("CA2", "");
        CPPUNIT_ASSERT_EQUAL(200, f.postCall(transcription("conv_2", "CA2")).status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), f.host.fakeTenantStore().transcript("CA2").value().size());
    }

    void twilioCallSidFromNativeTelephonyMetadata()
    {
        WebhookFixture f;
        f.addCall("CAnative", "conv_n");
        const std::string body = R"({"type":"post_call_transcription","data":{"conversation_id":"conv_n",)"
                                 R"("transcript":[{"role":"user","message":"hi","time_in_call_secs":1}],)"
                                 R"("metadata":{"phone_call":{"type":"twilio","call_sid":"CAnative"}}}})";
        CPPUNIT_ASSERT_EQUAL(200, f.postCall(body).status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.host.fakeTenantStore().transcript("CAnative").value().size());
    }

    void initiationFailureIsStoredAsTheAgentReport()
    {
        WebhookFixture f;
        f.addCall("CA1", "");
        const std::string body = R"({"type":"call_initiation_failure","data":{"agent_id":"agent-acme","conversation_id":"conv_f",)"
                                 R"("failure_reason":"busy","metadata":{"call_sid":"CA1"}}})";
        CPPUNIT_ASSERT_EQUAL(200, f.postCall(body).status);
        CPPUNIT_ASSERT(f.host.recordingLogger().contains(sdk::LogLevel::Warn, "ElevenLabs could not start call_initiation_failure"));
        CPPUNIT_ASSERT(f.host.recordingLogger().contains("busy"));
        const sdk::CallRecord stored = f.host.fakeTenantStore().findCall("CA1").value();
        CPPUNIT_ASSERT_EQUAL(std::string("initiation-failed"), stored.agentReport.status);
        CPPUNIT_ASSERT_EQUAL(std::string("elevenlabs call initiation failed: busy"), stored.agentReport.terminationReason);
        CPPUNIT_ASSERT_EQUAL(std::string("conv_f"), stored.agentReport.conversationId);
        CPPUNIT_ASSERT(stored.agentReport.receivedAtMs > 0);
        // The record itself is the core's: the webhook never rewrites it.
        CPPUNIT_ASSERT(stored.endDetail.empty());
        f.addCall("CA2", "", "caller_hangup");
        const std::string second = R"({"type":"call_initiation_failure","data":{"reason":"no-answer","metadata":{"call_sid":"CA2"}}})";
        CPPUNIT_ASSERT_EQUAL(200, f.postCall(second).status);
        const sdk::CallRecord ended = f.host.fakeTenantStore().findCall("CA2").value();
        CPPUNIT_ASSERT_EQUAL(std::string("caller_hangup"), ended.endReason);
        CPPUNIT_ASSERT(ended.endDetail.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("initiation-failed"), ended.agentReport.status);
    }

    void audioKeepsOnlyItsSize()
    {
        WebhookFixture f;
        f.addCall("CA1", "conv_1");
        const std::string body = R"({"type":"post_call_audio","data":{"agent_id":"a","conversation_id":"conv_1","full_audio":"SUQzBAAAAA=="}})";
        CPPUNIT_ASSERT_EQUAL(200, f.postCall(body).status);
        CPPUNIT_ASSERT(f.host.recordingLogger().contains("7 bytes of audio (not stored)"));
        CPPUNIT_ASSERT(f.host.fakeTenantStore().transcript("CA1").value().empty());
        CPPUNIT_ASSERT_EQUAL(1.0, f.webhookCount("post_call", "audio"));
    }

    void storeDownIs503()
    {
        WebhookFixture f;
        f.host.fakeTenantStore().setUnavailable(true);
        CPPUNIT_ASSERT_EQUAL(503, f.postCall(transcription("conv_1", "CA1")).status);
        f.host.fakeTenantStore().setUnavailable(false);
        f.host.setTenantStore(nullptr);
        CPPUNIT_ASSERT_EQUAL(503, f.postCall(transcription("conv_1", "CA1")).status);
    }

    void unknownTypeIs200()
    {
        WebhookFixture f;
        CPPUNIT_ASSERT_EQUAL(200, f.postCall(R"({"type":"answering_machine_detection","data":{"conversation_id":"c"}})").status);
        CPPUNIT_ASSERT(f.host.recordingLogger().contains("type not handled"));
    }

    void transcriptionStoresTheAgentReport()
    {
        WebhookFixture f;
        f.addCall("CA1", "conv_1");
        const sdk::HttpResponse r = f.postCall(analysed("conv_1", "CA1"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("{\"status\":\"ok\"}"), r.body); // the answer is as before
        const sdk::CallRecord record = f.host.fakeTenantStore().findCall("CA1").value();
        const sdk::AgentCallReport& report = record.agentReport;
        CPPUNIT_ASSERT_EQUAL(std::string("conv_1"), report.conversationId);
        CPPUNIT_ASSERT_EQUAL(std::string("done"), report.status);
        CPPUNIT_ASSERT_EQUAL(std::string("end_call tool was called."), report.terminationReason);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(42), report.durationSeconds);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(518), report.cost);
        CPPUNIT_ASSERT_EQUAL(std::string("success"), report.callSuccessful);
        CPPUNIT_ASSERT_EQUAL(std::string("The caller booked a table for two on Tuesday ☎."), report.summary);
        CPPUNIT_ASSERT_EQUAL(kNowMs, report.receivedAtMs);
        // Both result maps, as sent (numbers keep their text), under our own names.
        CPPUNIT_ASSERT_EQUAL(
            std::string(R"({"dataCollection":{"party_size":{"data_collection_id":"party_size","value":2,)"
                        R"("json_schema":{"type":"integer","description":"How many"},"rationale":"Caller said \"two\"."},)"
                        R"("day":{"data_collection_id":"day","value":"Tuesday","rationale":"Stated."},)"
                        R"("budget":{"data_collection_id":"budget","value":12.50,"rationale":""}},)"
                        R"("evaluation":{"booked":{"criteria_id":"booked","result":"success","rationale":"The caller got a table."}}})"),
            report.analysisJson);
        // The core's fields are untouched and the transcript logic runs as before.
        CPPUNIT_ASSERT_EQUAL(std::string("streaming"), record.status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), f.host.fakeTenantStore().transcript("CA1").value().size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.host.fakeTenantStore().agentReportCount());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.host.recordingLogger().count("agent report of"));
        CPPUNIT_ASSERT(f.host.recordingLogger().contains(sdk::LogLevel::Info, "stored: call_successful success, cost 518"));
        // The summary is the caller's business, not the log's.
        CPPUNIT_ASSERT(!f.host.recordingLogger().contains("booked a table"));
        CPPUNIT_ASSERT_EQUAL(1.0, f.webhookCount("post_call", "transcript"));

        // A redelivery replaces the report with the same one; a mismatching conversation stores none.
        CPPUNIT_ASSERT_EQUAL(200, f.postCall(analysed("conv_1", "CA1")).status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), f.host.fakeTenantStore().agentReportCount());
        f.addCall("CA2", "conv_real");
        CPPUNIT_ASSERT_EQUAL(200, f.postCall(analysed("conv_other", "CA2")).status);
        CPPUNIT_ASSERT(f.host.fakeTenantStore().findCall("CA2").value().agentReport.empty());
    }

    void reportWithoutAnalysisKeepsUnknowns()
    {
        WebhookFixture f;
        f.addCall("CA1", "conv_1");
        CPPUNIT_ASSERT_EQUAL(200, f.postCall(transcription("conv_1", "CA1")).status);
        const sdk::AgentCallReport report = f.host.fakeTenantStore().findCall("CA1").value().agentReport;
        CPPUNIT_ASSERT(!report.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("done"), report.status);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(42), report.durationSeconds);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(-1), report.cost);
        CPPUNIT_ASSERT(report.callSuccessful.empty());
        CPPUNIT_ASSERT(report.summary.empty());
        CPPUNIT_ASSERT(report.analysisJson.empty());
        CPPUNIT_ASSERT(f.host.recordingLogger().contains("stored: call_successful not evaluated, cost unknown"));

        // The barest envelope still yields a report, every number unknown.
        f.addCall("CA2", "conv_2");
        const std::string bare = R"({"type":"post_call_transcription","data":{"conversation_id":"conv_2",)"
                                 R"("metadata":{"call_sid":"CA2","cost":null},"analysis":null}})";
        CPPUNIT_ASSERT_EQUAL(200, f.postCall(bare).status);
        const sdk::AgentCallReport second = f.host.fakeTenantStore().findCall("CA2").value().agentReport;
        CPPUNIT_ASSERT_EQUAL(std::string("conv_2"), second.conversationId);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(-1), second.durationSeconds);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(-1), second.cost);
        CPPUNIT_ASSERT(second.status.empty());
    }

    void reportIsStoredBesideALiveTranscript()
    {
        // The live session already stored the transcript: that is kept, and the report still lands.
        WebhookFixture f;
        f.addCall("CA1", "conv_1");
        CPPUNIT_ASSERT(f.host.fakeTenantStore().addTranscript("CA1", sdk::TranscriptEntry{"user", "said live", kNowMs}).isOk());
        CPPUNIT_ASSERT_EQUAL(200, f.postCall(analysed("conv_1", "CA1")).status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), f.host.fakeTenantStore().transcript("CA1").value().size());
        CPPUNIT_ASSERT_EQUAL(std::string("success"), f.host.fakeTenantStore().findCall("CA1").value().agentReport.callSuccessful);
        // The core finishing the call afterwards does not drop it.
        sdk::CallRecord ended = f.host.fakeTenantStore().findCall("CA1").value();
        ended.agentReport = {};
        ended.status = "ended";
        CPPUNIT_ASSERT(f.host.fakeTenantStore().finishCall(ended).isOk());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(518), f.host.fakeTenantStore().findCall("CA1").value().agentReport.cost);
    }

    void decliningStoreStillAnswers200()
    {
        WebhookFixture f;
        PreReportStore store;
        sdk::CallRecord record;
        record.call.callSid = "CA1";
        record.agentConversationId = "conv_1";
        record.receivedAtMs = kNowMs - 60000;
        CPPUNIT_ASSERT(store.saveCall(record).isOk());
        f.host.setTenantStore(&store);
        const sdk::HttpResponse r = f.postCall(analysed("conv_1", "CA1"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("{\"status\":\"ok\"}"), r.body);
        CPPUNIT_ASSERT(f.host.recordingLogger().contains(sdk::LogLevel::Warn, "agent report of post_call_transcription for conversation conv_1 not stored: declined"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), store.transcript("CA1").value().size()); // the transcript still is
        CPPUNIT_ASSERT(store.findCall("CA1").value().agentReport.empty());
        CPPUNIT_ASSERT_EQUAL(1.0, f.webhookCount("post_call", "transcript"));
        f.host.setTenantStore(&f.host.fakeTenantStore());
    }

    void parseBoundsTheAnalysis()
    {
        using elevenlabs::PostCallEvent;
        constexpr std::size_t kCap = sdk::AgentCallReport::kMaxAnalysisJsonBytes;
        // 40 evaluation criteria of ~1 KiB each: more than the cap, so some are left out whole.
        std::string results;
        for (int i = 0; i < 40; ++i)
            results += (i ? "," : "") + std::string("\"e") + std::to_string(i) + "\":{\"rationale\":\"" + std::string(1000, 'r') + "\"}";
        const std::string body = R"({"type":"post_call_transcription","data":{"conversation_id":"c","analysis":{)"
                                 R"("evaluation_criteria_results":{)" + results + "},"
                                 R"("data_collection_results":{"day":{"value":"Tuesday"}}}}})";
        PostCallEvent event;
        std::string error;
        CPPUNIT_ASSERT_MESSAGE(error, PostCallEvent::parse(body, event, &error));
        CPPUNIT_ASSERT(event.analysisJson.size() <= kCap);
        CPPUNIT_ASSERT(event.analysisJson.size() > kCap - 1100); // filled, not given up on
        sdk::support::JsonDocument document;
        CPPUNIT_ASSERT_MESSAGE(event.analysisJson.substr(event.analysisJson.size() - 80), document.parse(event.analysisJson));
        CPPUNIT_ASSERT(document.root().isObject());
        CPPUNIT_ASSERT(document.root()["truncated"].asBool());
        CPPUNIT_ASSERT_EQUAL(std::string("Tuesday"), std::string(document.root()["dataCollection"]["day"]["value"].asString()));
        CPPUNIT_ASSERT(document.root()["evaluation"]["e0"].isObject());
        CPPUNIT_ASSERT(!document.root()["evaluation"]["e39"].exists());

        // Within the cap: nothing is marked.
        PostCallEvent small;
        CPPUNIT_ASSERT(PostCallEvent::parse(
            R"({"type":"post_call_transcription","data":{"analysis":{"evaluation_criteria_results":{},"data_collection_results":null}}})",
            small));
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"evaluation":{}})"), small.analysisJson);
    }

    void parseBoundsTheSummaryAndVerdict()
    {
        using elevenlabs::PostCallEvent;
        // A long summary made of 3-byte characters: the cut falls on a character boundary.
        std::string summary;
        while (summary.size() < PostCallEvent::kMaxSummaryBytes + 100)
            summary += "☎";
        PostCallEvent event;
        CPPUNIT_ASSERT(PostCallEvent::parse(R"({"type":"post_call_transcription","data":{"metadata":{"cost":-3,"call_duration_secs":"x"},)"
                                            R"("analysis":{"call_successful":"maybe","transcript_summary":")" + summary + R"("}}})",
                                            event));
        CPPUNIT_ASSERT(event.summary.size() <= PostCallEvent::kMaxSummaryBytes);
        CPPUNIT_ASSERT(event.summary.size() > PostCallEvent::kMaxSummaryBytes - 3);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), event.summary.size() % 3);
        CPPUNIT_ASSERT_EQUAL(summary.substr(0, event.summary.size()), event.summary);
        CPPUNIT_ASSERT(event.callSuccessful.empty());           // not one of ElevenLabs' three verdicts
        CPPUNIT_ASSERT_EQUAL(std::int64_t(-1), event.cost);     // negative is no cost
        CPPUNIT_ASSERT_EQUAL(std::int64_t(-1), event.durationSeconds);
        for (const char* verdict : {"success", "failure", "unknown"})
        {
            PostCallEvent v;
            CPPUNIT_ASSERT(PostCallEvent::parse(std::string(R"({"type":"post_call_transcription","data":{"analysis":{"call_successful":")")
                                                    + verdict + "\"}}}",
                                                v));
            CPPUNIT_ASSERT_EQUAL(std::string(verdict), v.callSuccessful);
        }
        // A fractional cost is cut to its integer part.
        PostCallEvent fractional;
        CPPUNIT_ASSERT(PostCallEvent::parse(R"({"type":"post_call_transcription","data":{"metadata":{"cost":518.9}}})", fractional));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(518), fractional.cost);
        const sdk::AgentCallReport report = fractional.agentReport(kNowMs);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(518), report.cost);
        CPPUNIT_ASSERT_EQUAL(kNowMs, report.receivedAtMs);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ElevenLabsPostCallWebhookTest);
