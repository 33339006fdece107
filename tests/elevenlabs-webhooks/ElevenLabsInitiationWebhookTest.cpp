// ElevenLabsInitiationWebhookTest.cpp: the conversation-initiation webhook — bearer secret, tenant lookup, variants chosen like the core, answer shape.
#include <cppunit/extensions/HelperMacros.h>

#include "InitiationWebhook.h"
#include "WebhookFixture.h"
#include <patchbay/sdk/support/VariantPicker.h>
#include "patchbay/sdk/support/JsonDocument.h"

using namespace patchbay;
using namespace patchbay::elevenlabs::test;
using patchbay::elevenlabs::InitiationWebhook;

namespace {

std::string request(const std::string& calledNumber, const std::string& callSid = "CA100")
{
    return R"({"caller_id":"+4915112345678","agent_id":"agent-acme","called_number":")" + calledNumber
           + R"(","call_sid":")" + callSid + R"("})";
}

} // namespace

class ElevenLabsInitiationWebhookTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ElevenLabsInitiationWebhookTest);
    CPPUNIT_TEST(knownNumberGetsTheTenantsData);
    CPPUNIT_TEST(unknownNumberIs404Problem);
    CPPUNIT_TEST(secretIsRequired);
    CPPUNIT_TEST(badRequestsAre400);
    CPPUNIT_TEST(suspendedTenantIs403);
    CPPUNIT_TEST(storeDownIs503);
    CPPUNIT_TEST(variantIsChosenLikeTheCore);
    CPPUNIT_TEST(webhookPicksTheVariantTheCoreWould);
    CPPUNIT_TEST_SUITE_END();

public:
    void knownNumberGetsTheTenantsData()
    {
        WebhookFixture f;
        const sdk::HttpResponse r = f.initiation(request(kNumber));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), r.contentType);
        sdk::support::JsonDocument doc;
        CPPUNIT_ASSERT(doc.parse(r.body));
        const auto& root = doc.root();
        CPPUNIT_ASSERT_EQUAL(std::string_view("conversation_initiation_client_data"), root["type"].asString());
        const auto& vars = root["dynamic_variables"];
        CPPUNIT_ASSERT_EQUAL(std::string_view("+4915112345678"), vars["caller_number"].asString());
        CPPUNIT_ASSERT_EQUAL(std::string_view(kNumber), vars["called_number"].asString());
        // The gateway's facts win over a tenant variable of the same name.
        CPPUNIT_ASSERT_EQUAL(std::string_view("CA100"), vars["call_sid"].asString());
        CPPUNIT_ASSERT_EQUAL(std::string_view("CA100"), vars["twilio_call_sid"].asString());
        CPPUNIT_ASSERT_EQUAL(std::string_view("acme"), vars["tenant_id"].asString());
        CPPUNIT_ASSERT_EQUAL(std::string_view("Acme & Co"), vars["tenant_name"].asString());
        CPPUNIT_ASSERT_EQUAL(std::string_view(""), vars["variant"].asString());
        CPPUNIT_ASSERT_EQUAL(std::string_view("gold"), vars["plan"].asString());
        const auto& agent = root["conversation_config_override"]["agent"];
        CPPUNIT_ASSERT_EQUAL(std::string_view("Hello from Acme"), agent["first_message"].asString());
        CPPUNIT_ASSERT_EQUAL(std::string_view("de"), agent["language"].asString());
        // Overrides the tenant did not set are not sent (ElevenLabs fails the call for disabled ones).
        CPPUNIT_ASSERT(!agent["prompt"].exists());
        CPPUNIT_ASSERT(r.body.find("sk-secret") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(1.0, f.webhookCount("initiation", "ok"));
    }

    void unknownNumberIs404Problem()
    {
        WebhookFixture f;
        const sdk::HttpResponse r = f.initiation(request("+15550000000"));
        CPPUNIT_ASSERT_EQUAL(404, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), r.contentType);
        sdk::support::JsonDocument doc;
        CPPUNIT_ASSERT(doc.parse(r.body));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(404), doc.root()["status"].asInt64());
        CPPUNIT_ASSERT(doc.root()["detail"].isString());
        CPPUNIT_ASSERT(f.host.recordingLogger().contains("no tenant owns +15550000000"));
    }

    void secretIsRequired()
    {
        WebhookFixture f;
        CPPUNIT_ASSERT_EQUAL(401, f.initiation(request(kNumber), "").status);
        CPPUNIT_ASSERT_EQUAL(401, f.initiation(request(kNumber), "init-token-for-tests-012345678").status);
        CPPUNIT_ASSERT_EQUAL(401, f.initiation(request(kNumber), std::string(kInitiationSecret) + "9").status);
        sdk::HttpHeaders basic = {{"Authorization", std::string("Basic ") + kInitiationSecret}};
        CPPUNIT_ASSERT_EQUAL(401, f.host.invokeHttp("POST", "/elevenlabs/initiation", request(kNumber), basic).status);
        CPPUNIT_ASSERT(f.host.recordingLogger().contains(sdk::LogLevel::Warn, "initiation webhook refused (401)"));
        CPPUNIT_ASSERT_EQUAL(4.0, f.webhookCount("initiation", "unauthorized"));
        // Unknown numbers are not disclosed to the unauthenticated either.
        CPPUNIT_ASSERT_EQUAL(401, f.initiation(request("+15550000000"), "wrong-token-0123456789").status);
        for (const auto& line : f.host.recordingLogger().lines())
            CPPUNIT_ASSERT(line.message.find(kInitiationSecret) == std::string::npos);
    }

    void badRequestsAre400()
    {
        WebhookFixture f;
        CPPUNIT_ASSERT_EQUAL(400, f.initiation("not json").status);
        CPPUNIT_ASSERT_EQUAL(400, f.initiation("[]").status);
        CPPUNIT_ASSERT_EQUAL(400, f.initiation(R"({"caller_id":"+1"})").status);
        CPPUNIT_ASSERT_EQUAL(413, f.initiation(std::string(InitiationWebhook::kMaxBodyBytes + 1, ' ')).status);
    }

    void suspendedTenantIs403()
    {
        WebhookFixture f;
        CPPUNIT_ASSERT_EQUAL(403, f.initiation(request(kSuspendedNumber)).status);
    }

    void storeDownIs503()
    {
        WebhookFixture f;
        f.host.fakeTenantStore().setUnavailable(true);
        CPPUNIT_ASSERT_EQUAL(503, f.initiation(request(kNumber)).status);
        f.host.setTenantStore(nullptr);
        CPPUNIT_ASSERT_EQUAL(503, f.initiation(request(kNumber)).status);
    }

    void variantIsChosenLikeTheCore()
    {
        WebhookFixture f;
        const sdk::Tenant tenant = f.host.fakeTenantStore().findTenant("ab").value();
        bool sawRed = false, sawBlue = false;
        for (int i = 0; i < 40; ++i)
        {
            const std::string callSid = "CA" + std::to_string(1000 + i);
            const sdk::HttpResponse r = f.initiation(request(kVariantNumber, callSid));
            CPPUNIT_ASSERT_EQUAL(200, r.status);
            sdk::support::JsonDocument doc;
            CPPUNIT_ASSERT(doc.parse(r.body));
            const sdk::AgentVariant* expected = sdk::support::VariantPicker::pick(tenant, callSid);
            CPPUNIT_ASSERT(expected);
            CPPUNIT_ASSERT_EQUAL(std::string_view(expected->name), doc.root()["dynamic_variables"]["variant"].asString());
            const std::string_view first = doc.root()["conversation_config_override"]["agent"]["first_message"].asString();
            if (expected->name == "blue")
            {
                sawBlue = true;
                CPPUNIT_ASSERT_EQUAL(std::string_view("Blue says hi"), first);
            }
            else
            {
                sawRed = true;
                CPPUNIT_ASSERT(first.empty());
            }
        }
        CPPUNIT_ASSERT(sawRed && sawBlue);
    }

    void webhookPicksTheVariantTheCoreWould()
    {
        sdk::Tenant tenant;
        tenant.agent.agentId = "base";
        tenant.variants = {{"a", 5, {}}, {"b", 0, {}}, {"c", 2, {}}, {"d", 13, {}}};
        tenant.variants[2].agent.agentId = "agent-c";
        for (int i = 0; i < 2000; ++i)
        {
            const std::string callSid = "CA" + std::to_string(i * 7919) + "f00d";
            std::string variant;
            const sdk::AgentSettings agent = InitiationWebhook::agentFor(tenant, callSid, variant);
            const sdk::AgentVariant* core = sdk::support::VariantPicker::pick(tenant, callSid);
            CPPUNIT_ASSERT(core);
            CPPUNIT_ASSERT_EQUAL(core->name, variant);
            CPPUNIT_ASSERT_EQUAL(std::string(variant == "c" ? "agent-c" : "base"), agent.agentId);
        }
        sdk::Tenant plain;
        plain.agent.agentId = "only";
        std::string variant = "stale";
        CPPUNIT_ASSERT_EQUAL(std::string("only"), InitiationWebhook::agentFor(plain, "CA1", variant).agentId);
        CPPUNIT_ASSERT(variant.empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ElevenLabsInitiationWebhookTest);
