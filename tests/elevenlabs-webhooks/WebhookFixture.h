// WebhookFixture.h: the elevenlabs plugin initialised on the SDK's FakeHostServices with webhook secrets and seed tenants, for the webhook suites.
#ifndef PATCHBAY_TESTS_ELEVENLABS_WEBHOOK_FIXTURE_H
#define PATCHBAY_TESTS_ELEVENLABS_WEBHOOK_FIXTURE_H

#include <memory>
#include <string>

#include <cppunit/TestAssert.h>

#include "ElevenLabsPlugin.h"
#include "patchbay/sdk/testing/FakeHostServices.h"
#include "protocol/WebhookSignature.h"

namespace patchbay::elevenlabs::test {

// Test values, not secrets.
constexpr const char* kWebhookSecret = "wsec_gateway_test_secret_0123456789"; ///< elevenlabs.md §8.3's vector secret
constexpr const char* kInitiationSecret = "init-token-for-tests-0123456789";
constexpr const char* kNumber = "+15005550006";          ///< tenant "acme"
constexpr const char* kVariantNumber = "+15005550007";   ///< tenant "ab" with two variants
constexpr const char* kSuspendedNumber = "+15005550010"; ///< tenant "closed"
constexpr std::int64_t kNowMs = 1739537297000;            ///< the §8.3 vectors' timestamp, as our clock

inline std::string pluginConfig(const std::string& extra = "")
{
    return std::string("{\"webhookSecret\":\"") + kWebhookSecret + "\",\"initiationSecret\":\"" + kInitiationSecret
           + "\"" + extra + "}";
}

/// One plugin on one fake host; the store holds acme (agent-acme, first message, a tenant
/// variable), ab (two weighted variants) and closed (suspended), and no calls.
class WebhookFixture
{
public:
    explicit WebhookFixture(const std::string& config = pluginConfig()) : host("elevenlabs")
    {
        host.setNowUnixMs(kNowMs);
        sdk::Tenant acme;
        acme.id = "acme";
        acme.name = "Acme & Co";
        acme.agent.agentId = "agent-acme";
        acme.agent.firstMessage = "Hello from Acme";
        acme.agent.language = "de";
        acme.agent.apiKey = "sk-secret-never-sent";
        acme.agent.dynamicVariables = {{"plan", "gold"}, {"call_sid", "spoofed"}};
        host.fakeTenantStore().addTenant(acme);
        host.fakeTenantStore().addNumber(kNumber, "acme");
        sdk::Tenant ab;
        ab.id = "ab";
        ab.name = "AB";
        ab.agent.agentId = "agent-base";
        ab.variants = {{"red", 1, {}}, {"blue", 3, {}}};
        ab.variants[0].agent.agentId = "agent-red";
        ab.variants[1].agent.firstMessage = "Blue says hi";
        host.fakeTenantStore().addTenant(ab);
        host.fakeTenantStore().addNumber(kVariantNumber, "ab");
        sdk::Tenant closed;
        closed.id = "closed";
        closed.status = sdk::TenantStatus::Suspended;
        host.fakeTenantStore().addTenant(closed);
        host.fakeTenantStore().addNumber(kSuspendedNumber, "closed");
        status = plugin.init(host, config);
    }
    ~WebhookFixture() { plugin.shutdown(); }

    /// A call record as the core leaves it once the session reported its conversation id.
    void addCall(const std::string& callSid, const std::string& conversationId, const std::string& endReason = "")
    {
        sdk::CallRecord record;
        record.call.callSid = callSid;
        record.call.tenantId = "acme";
        record.status = endReason.empty() ? "streaming" : "ended";
        record.receivedAtMs = kNowMs - 60000;
        record.streamStartedAtMs = kNowMs - 59000;
        record.agentConversationId = conversationId;
        record.endReason = endReason;
        CPPUNIT_ASSERT(host.fakeTenantStore().saveCall(record).isOk());
    }

    /// POSTs `body` to the post-call route signed at `timestamp` (seconds) with `secret`.
    sdk::HttpResponse postCall(const std::string& body, std::int64_t timestamp = kNowMs / 1000,
                               const std::string& secret = kWebhookSecret)
    {
        return postCallWithHeader(body, WebhookSignature::header(timestamp, body, secret));
    }

    sdk::HttpResponse postCallWithHeader(const std::string& body, const std::string& signatureHeader)
    {
        sdk::HttpHeaders headers = {{"Content-Type", "application/json"}};
        if (!signatureHeader.empty())
            headers.emplace_back("ElevenLabs-Signature", signatureHeader);
        return host.invokeHttp("POST", "/elevenlabs/post-call", body, headers);
    }

    sdk::HttpResponse initiation(const std::string& body, const std::string& token = kInitiationSecret)
    {
        sdk::HttpHeaders headers = {{"Content-Type", "application/json"}};
        if (!token.empty())
            headers.emplace_back("Authorization", "Bearer " + token);
        return host.invokeHttp("POST", "/elevenlabs/initiation", body, headers);
    }

    double webhookCount(const char* webhook, const char* result)
    {
        return host.fakeMetrics().counterValue("elevenlabs_webhooks_total", {{"webhook", webhook}, {"result", result}});
    }

    sdk::testing::FakeHostServices host;
    ElevenLabsPlugin plugin;
    sdk::Status status;
};

} // namespace patchbay::elevenlabs::test

#endif
