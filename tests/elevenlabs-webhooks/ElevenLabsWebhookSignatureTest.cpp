// ElevenLabsWebhookSignatureTest.cpp: WebhookSignature against elevenlabs.md §8.3's fixed vectors, its window edges and malformed headers.
#include <cppunit/extensions/HelperMacros.h>

#include "ElevenLabsConfig.h"
#include "protocol/WebhookSignature.h"

using patchbay::elevenlabs::ElevenLabsConfig;
using patchbay::elevenlabs::WebhookSignature;
using Verdict = WebhookSignature::Verdict;

namespace {

// elevenlabs.md §8.3 (computed with Python hmac, cross-checked with openssl).
const std::string kSecret = "wsec_gateway_test_secret_0123456789";
const std::string kBody1 = "{\"type\":\"post_call_transcription\",\"event_timestamp\":1739537297,\"data\":{\"agent_id\":\"agent_test\",\"conversation_id\":\"conv_test\"}}";
const std::string kHeader1 = "t=1739537297,v0=29644a0b2c730a15c573999eea49999a4883904b376dfc6672ceb1bcf30800b7";
const std::string kBody2 = "{\"type\":\"post_call_audio\",\"data\":{\"agent_id\":\"a\",\"conversation_id\":\"c\",\"full_audio\":\"SUQz\"}}\n";
const std::string kHeader2 = "t=1739537297,v0=a9e0ae3d8358634954bc7d7d49e5a59bd83ab9237fdfd867141ae68603196a58";
const std::string kBodyOnlyHmac = "2885b4adfe40cd50e737cffa9d33830353431987424f420ac508e76191e24738";
constexpr std::int64_t kT = 1739537297;
constexpr std::int64_t kNowMs = kT * 1000;

} // namespace

class ElevenLabsWebhookSignatureTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ElevenLabsWebhookSignatureTest);
    CPPUNIT_TEST(documentVectorsVerify);
    CPPUNIT_TEST(computeMatchesTheDocument);
    CPPUNIT_TEST(hmacOverBodyAloneIsRefused);
    CPPUNIT_TEST(thirtyMinuteWindowMatchesTheSdks);
    CPPUNIT_TEST(futureTimestampsBeyondToleranceAreRefused);
    CPPUNIT_TEST(malformedHeadersAreRefused);
    CPPUNIT_TEST(alteredBodyTimestampOrSecretIsRefused);
    CPPUNIT_TEST(firstElementsWinLikeTheJsSdk);
    CPPUNIT_TEST(constantTimeEqualsCompares);
    CPPUNIT_TEST(configRequiresLongSecretsAndValidPaths);
    CPPUNIT_TEST_SUITE_END();

public:
    void documentVectorsVerify()
    {
        CPPUNIT_ASSERT(WebhookSignature::verify(kHeader1, kBody1, kSecret, kNowMs) == Verdict::Valid);
        // The trailing newline is part of the signed bytes.
        CPPUNIT_ASSERT(WebhookSignature::verify(kHeader2, kBody2, kSecret, kNowMs) == Verdict::Valid);
        CPPUNIT_ASSERT(WebhookSignature::verify(kHeader2, kBody2.substr(0, kBody2.size() - 1), kSecret, kNowMs) == Verdict::Mismatch);
    }

    void computeMatchesTheDocument()
    {
        CPPUNIT_ASSERT_EQUAL(kHeader1, WebhookSignature::header(kT, kBody1, kSecret));
        CPPUNIT_ASSERT_EQUAL(kHeader2, WebhookSignature::header(kT, kBody2, kSecret));
    }

    void hmacOverBodyAloneIsRefused()
    {
        CPPUNIT_ASSERT(WebhookSignature::verify("t=1739537297,v0=" + kBodyOnlyHmac, kBody1, kSecret, kNowMs) == Verdict::Mismatch);
    }

    void thirtyMinuteWindowMatchesTheSdks()
    {
        const std::int64_t window = 30 * 60 * 1000;
        // t*1000 < now - 30 min is expired; exactly 30 minutes old still passes (the SDKs' `<`).
        CPPUNIT_ASSERT(WebhookSignature::verify(kHeader1, kBody1, kSecret, kNowMs + window) == Verdict::Valid);
        std::int64_t parsed = 0;
        CPPUNIT_ASSERT(WebhookSignature::verify(kHeader1, kBody1, kSecret, kNowMs + window + 1, &parsed) == Verdict::Expired);
        CPPUNIT_ASSERT_EQUAL(kT, parsed);
        CPPUNIT_ASSERT(WebhookSignature::verify(kHeader1, kBody1, kSecret, kNowMs + 24 * 3600 * 1000LL) == Verdict::Expired);
    }

    void futureTimestampsBeyondToleranceAreRefused()
    {
        const std::int64_t tolerance = WebhookSignature::kFutureToleranceSeconds * 1000;
        CPPUNIT_ASSERT(WebhookSignature::verify(kHeader1, kBody1, kSecret, kNowMs - tolerance) == Verdict::Valid);
        CPPUNIT_ASSERT(WebhookSignature::verify(kHeader1, kBody1, kSecret, kNowMs - tolerance - 1) == Verdict::FromFuture);
        const std::string future = WebhookSignature::header(kT + 3600, kBody1, kSecret);
        CPPUNIT_ASSERT(WebhookSignature::verify(future, kBody1, kSecret, kNowMs) == Verdict::FromFuture);
    }

    void malformedHeadersAreRefused()
    {
        const std::string v0 = kHeader1.substr(kHeader1.find("v0="));
        CPPUNIT_ASSERT(WebhookSignature::verify("", kBody1, kSecret, kNowMs) == Verdict::MissingHeader);
        for (const std::string& header :
             {std::string("garbage"), v0, std::string("t=1739537297"), "t=," + v0, "t=17395x7297," + v0, "t=-1739537297," + v0,
              "t=1e9," + v0, "t=0x67af," + v0, "t=1739537297000000000," + v0, "t=1739537297,v1=" + v0.substr(3),
              "T=1739537297," + v0, "t=1739537297, " + v0})
        {
            CPPUNIT_ASSERT_MESSAGE(header, WebhookSignature::verify(header, kBody1, kSecret, kNowMs) == Verdict::Malformed);
        }
    }

    void alteredBodyTimestampOrSecretIsRefused()
    {
        std::string body = kBody1;
        body[body.find("conv_test")] = 'C';
        CPPUNIT_ASSERT(WebhookSignature::verify(kHeader1, body, kSecret, kNowMs) == Verdict::Mismatch);
        std::string header = kHeader1;
        header.replace(0, 12, "t=1739537296");
        CPPUNIT_ASSERT(WebhookSignature::verify(header, kBody1, kSecret, kNowMs) == Verdict::Mismatch);
        CPPUNIT_ASSERT(WebhookSignature::verify(kHeader1, kBody1, kSecret + "x", kNowMs) == Verdict::Mismatch);
        // Hex is compared as sent: the SDKs produce lowercase, and so must ElevenLabs.
        std::string upper = kHeader1;
        for (std::size_t i = upper.find("v0=") + 3; i < upper.size(); ++i)
            upper[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[i])));
        CPPUNIT_ASSERT(WebhookSignature::verify(upper, kBody1, kSecret, kNowMs) == Verdict::Mismatch);
        CPPUNIT_ASSERT(WebhookSignature::verify(kHeader1 + "00", kBody1, kSecret, kNowMs) == Verdict::Mismatch);
    }

    void firstElementsWinLikeTheJsSdk()
    {
        const std::string v0 = kHeader1.substr(kHeader1.find("v0="));
        CPPUNIT_ASSERT(WebhookSignature::verify(v0 + ",t=1739537297", kBody1, kSecret, kNowMs) == Verdict::Valid);
        CPPUNIT_ASSERT(WebhookSignature::verify("t=1739537297,x=1," + v0 + ",v0=deadbeef", kBody1, kSecret, kNowMs) == Verdict::Valid);
        CPPUNIT_ASSERT(WebhookSignature::verify("t=1739537297,v0=deadbeef," + v0, kBody1, kSecret, kNowMs) == Verdict::Mismatch);
    }

    void constantTimeEqualsCompares()
    {
        // verify() compares with this function (CRYPTO_memcmp: no early exit on the first differing byte).
        CPPUNIT_ASSERT(WebhookSignature::constantTimeEquals("v0=abc", "v0=abc"));
        CPPUNIT_ASSERT(!WebhookSignature::constantTimeEquals("v0=abc", "v0=abd"));
        CPPUNIT_ASSERT(!WebhookSignature::constantTimeEquals("v0=abc", "v0=ab"));
        CPPUNIT_ASSERT(WebhookSignature::constantTimeEquals("", ""));
    }

    void configRequiresLongSecretsAndValidPaths()
    {
        ElevenLabsConfig config;
        CPPUNIT_ASSERT(ElevenLabsConfig::parse("{}", config).isOk());
        CPPUNIT_ASSERT(config.webhookSecret.empty() && config.initiationSecret.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("/elevenlabs/post-call"), config.postCallPath);
        CPPUNIT_ASSERT_EQUAL(std::string("/elevenlabs/initiation"), config.initiationPath);
        CPPUNIT_ASSERT(ElevenLabsConfig::parse(R"({"webhookSecret":"0123456789abcdef","postCallPath":"/x/pc",)"
                                               R"("initiationSecret":"fedcba9876543210","initiationPath":"/x/in",)"
                                               R"("postCallMaxBodyBytes":4096})",
                                               config)
                           .isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("0123456789abcdef"), config.webhookSecret);
        CPPUNIT_ASSERT_EQUAL(std::string("/x/in"), config.initiationPath);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4096), config.postCallMaxBodyBytes);
        for (const char* bad : {R"({"webhookSecret":"short-secret"})", R"({"webhookSecret":1234567890123456789})",
                                R"({"initiationSecret":""})", R"({"postCallPath":"no-slash"})", R"({"postCallPath":"/a b"})",
                                R"({"initiationPath":"/a?b=1"})", R"({"postCallMaxBodyBytes":10})",
                                R"({"webhookSecret":"0123456789abcdef","initiationSecret":"0123456789abcdef","postCallPath":"/same","initiationPath":"/same"})"})
        {
            const patchbay::sdk::Status st = ElevenLabsConfig::parse(bad, config);
            CPPUNIT_ASSERT_MESSAGE(bad, !st.isOk());
            // A secret is never echoed in the message.
            CPPUNIT_ASSERT_MESSAGE(st.toString(), st.toString().find("short-secret") == std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(st.toString(), st.toString().find("0123456789abcdef") == std::string::npos);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ElevenLabsWebhookSignatureTest);
