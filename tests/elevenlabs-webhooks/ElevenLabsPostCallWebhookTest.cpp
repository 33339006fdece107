// ElevenLabsPostCallWebhookTest.cpp: the post-call route of the real plugin on the SDK's fake host — signature gate, limits, correlation and what is attached.
#include <cppunit/extensions/HelperMacros.h>

#include "WebhookFixture.h"

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
    CPPUNIT_TEST(initiationFailureFillsEndDetailOnce);
    CPPUNIT_TEST(audioKeepsOnlyItsSize);
    CPPUNIT_TEST(storeDownIs503);
    CPPUNIT_TEST(unknownTypeIs200);
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

    void initiationFailureFillsEndDetailOnce()
    {
        WebhookFixture f;
        f.addCall("CA1", "");
        const std::string body = R"({"type":"call_initiation_failure","data":{"agent_id":"agent-acme","conversation_id":"conv_f",)"
                                 R"("failure_reason":"busy","metadata":{"call_sid":"CA1"}}})";
        CPPUNIT_ASSERT_EQUAL(200, f.postCall(body).status);
        CPPUNIT_ASSERT(f.host.recordingLogger().contains(sdk::LogLevel::Warn, "ElevenLabs could not start call_initiation_failure"));
        CPPUNIT_ASSERT(f.host.recordingLogger().contains("busy"));
        CPPUNIT_ASSERT_EQUAL(std::string("elevenlabs call initiation failed: busy"),
                             f.host.fakeTenantStore().findCall("CA1").value().endDetail);
        // A call that already ended keeps the core's account.
        f.addCall("CA2", "", "caller_hangup");
        const std::string second = R"({"type":"call_initiation_failure","data":{"reason":"no-answer","metadata":{"call_sid":"CA2"}}})";
        CPPUNIT_ASSERT_EQUAL(200, f.postCall(second).status);
        CPPUNIT_ASSERT(f.host.fakeTenantStore().findCall("CA2").value().endDetail.empty());
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
};

CPPUNIT_TEST_SUITE_REGISTRATION(ElevenLabsPostCallWebhookTest);
