// TwilioWebhookTwimlTest.cpp: the voice webhook's TwiML for every admission outcome of the real routing core, escaping, and retries.
#include <cppunit/extensions/HelperMacros.h>

#include "TwimlXml.h"

#include <chrono>
#include <thread>

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/Exception.h>

#include "WebhookTestHost.h"

using namespace patchbay;
using namespace patchbay::twilio::test;

using patchbay::testsupport::child;
using patchbay::testsupport::parseXml;

namespace {

/// fallbackMessage for these tests: hostile to XML and not ASCII.
const std::string kPluginFallback = "Sorry <all> lines & \"agents\" aren't free — réessayez 🙏";

/// The names of the root's child elements in order, e.g. "Say,Dial,Hangup".
std::string verbs(Poco::XML::Document* doc)
{
    std::string out;
    for (Poco::XML::Node* n = doc->documentElement()->firstChild(); n; n = n->nextSibling())
    {
        if (n->nodeType() != Poco::XML::Node::ELEMENT_NODE) continue;
        if (!out.empty()) out += ',';
        out += n->nodeName();
    }
    return out;
}

} // namespace

class TwilioWebhookTwimlTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TwilioWebhookTwimlTest);
    CPPUNIT_TEST(acceptedCallConnectsWithActionAndStatusCallback);
    CPPUNIT_TEST(configuredPathsAppearInTheTwiml);
    CPPUNIT_TEST(unknownNumberIsRejectedWithoutAnswering);
    CPPUNIT_TEST(overLimitIsBusy);
    CPPUNIT_TEST(suspendedTenantGetsItsEscapedFallback);
    CPPUNIT_TEST(tenantWithoutFallbackGetsFallbackMessage);
    CPPUNIT_TEST(agentUnavailableDrainingAndStoreUnavailable);
    CPPUNIT_TEST(storeDownStillAnswersTheCaller);
    CPPUNIT_TEST(retriedWebhookGetsTheSameAnswerAndCountsOnce);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _host = std::make_unique<WebhookTestHost>();
        sdk::Status st = _host->start(",\"fallbackMessage\":\"" + jsonEscaped(kPluginFallback) + "\"");
        CPPUNIT_ASSERT_MESSAGE(st.toString(), st.isOk());
    }
    void tearDown() override { _host.reset(); }

    static std::string jsonEscaped(const std::string& s)
    {
        std::string out;
        for (char c : s) out += c == '"' ? std::string("\\\"") : std::string(1, c);
        return out;
    }

    HttpResult voice(const std::string& callSid, const std::string& to)
    {
        HttpResult r = _host->postSigned("/twilio/voice", WebhookTestHost::voiceParams(callSid, to));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("text/xml; charset=utf-8"), r.contentType);
        return r;
    }

    void acceptedCallConnectsWithActionAndStatusCallback()
    {
        HttpResult r = voice("CA00000000000000000000000000002001", kNumber);
        auto doc = parseXml(r.body);
        CPPUNIT_ASSERT_EQUAL(std::string("Connect"), verbs(doc));
        Poco::XML::Element* connect = child(doc->documentElement(), "Connect");
        CPPUNIT_ASSERT_EQUAL(std::string("https://gw.example.test/twilio/connect-action"), connect->getAttribute("action"));
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), connect->getAttribute("method"));
        Poco::XML::Element* stream = child(connect, "Stream");
        CPPUNIT_ASSERT_EQUAL(std::string("https://gw.example.test/twilio/stream-status"), stream->getAttribute("statusCallback"));
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), stream->getAttribute("statusCallbackMethod"));
        const std::string url = stream->getAttribute("url");
        CPPUNIT_ASSERT_EQUAL(std::string("wss://gw.example.test/twilio/media/"), url.substr(0, 35));
        Poco::AutoPtr<Poco::XML::NodeList> parameters = stream->getElementsByTagName("Parameter");
        CPPUNIT_ASSERT_EQUAL(2ul, parameters->length());
        auto* token = static_cast<Poco::XML::Element*>(parameters->item(0));
        auto* tenant = static_cast<Poco::XML::Element*>(parameters->item(1));
        CPPUNIT_ASSERT_EQUAL(std::string("callToken"), token->getAttribute("name"));
        CPPUNIT_ASSERT_EQUAL(url.substr(35), token->getAttribute("value"));
        CPPUNIT_ASSERT_EQUAL(std::string("tenant"), tenant->getAttribute("name"));
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), tenant->getAttribute("value"));
        // The core recorded it under the tenant, as the plugin described it.
        const auto calls = _host->store().savedCalls();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), calls.size());
        const sdk::CallRecord& rec = calls.begin()->second;
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), rec.call.tenantId);
        CPPUNIT_ASSERT_EQUAL(std::string(kAccount), rec.call.accountSid);
        CPPUNIT_ASSERT_EQUAL(std::string("twilio"), rec.call.inboundProvider);
        CPPUNIT_ASSERT_EQUAL(std::string("+14155550100"), rec.call.from);
    }

    void configuredPathsAppearInTheTwiml()
    {
        WebhookTestHost host;
        CPPUNIT_ASSERT(host.start(R"(,"connectActionPath":"/hooks/after","streamStatusPath":"/hooks/stream","mediaPath":"/m")").isOk());
        HttpResult r = host.postSigned("/twilio/voice", WebhookTestHost::voiceParams("CA00000000000000000000000000002101"));
        CPPUNIT_ASSERT(r.body.find("<Connect action=\"https://gw.example.test/hooks/after\" method=\"POST\">") != std::string::npos);
        CPPUNIT_ASSERT(r.body.find("statusCallback=\"https://gw.example.test/hooks/stream\"") != std::string::npos);
        CPPUNIT_ASSERT(r.body.find("<Stream url=\"wss://gw.example.test/m/") != std::string::npos);
        // And those paths are served (signed like any webhook).
        const Params cb = {{"AccountSid", kAccount}, {"CallSid", "CA00000000000000000000000000002199"}};
        CPPUNIT_ASSERT_EQUAL(200, host.postSigned("/hooks/after", cb).status);
        CPPUNIT_ASSERT_EQUAL(403, host.postSigned("/hooks/after", cb, "").status);
    }

    void unknownNumberIsRejectedWithoutAnswering()
    {
        HttpResult r = voice("CA00000000000000000000000000002201", "+15559990000");
        CPPUNIT_ASSERT_EQUAL(std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Reject reason=\"rejected\"/></Response>"),
                             r.body);
        CPPUNIT_ASSERT_EQUAL(1.0, _host->metric("patchbay_twilio_webhooks_total{endpoint=\"voice\",result=\"rejected\"}"));
    }

    void overLimitIsBusy()
    {
        CPPUNIT_ASSERT(voice("CA00000000000000000000000000002301", kLimitedNumber).body.find("<Connect") != std::string::npos);
        HttpResult r = voice("CA00000000000000000000000000002302", kLimitedNumber);
        CPPUNIT_ASSERT_EQUAL(std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Reject reason=\"busy\"/></Response>"),
                             r.body);
    }

    void suspendedTenantGetsItsEscapedFallback()
    {
        HttpResult r = voice("CA00000000000000000000000000002401", kSuspendedNumber);
        CPPUNIT_ASSERT_MESSAGE(r.body, r.body.find("Closed &lt;today&gt; &amp; &quot;tomorrow&quot; — it&apos;s Zoë&apos;s day off ☎ 🎉") !=
                                           std::string::npos);
        auto doc = parseXml(r.body);
        CPPUNIT_ASSERT_EQUAL(std::string("Say,Dial,Hangup"), verbs(doc));
        CPPUNIT_ASSERT_EQUAL(std::string(kTrickyMessage), child(doc->documentElement(), "Say")->innerText());
        CPPUNIT_ASSERT_EQUAL(std::string("+15550001111"), child(doc->documentElement(), "Dial")->innerText());
    }

    void tenantWithoutFallbackGetsFallbackMessage()
    {
        HttpResult r = voice("CA00000000000000000000000000002501", kBareNumber);
        auto doc = parseXml(r.body);
        CPPUNIT_ASSERT_EQUAL(std::string("Say,Hangup"), verbs(doc));
        CPPUNIT_ASSERT_EQUAL(kPluginFallback, child(doc->documentElement(), "Say")->innerText());
        CPPUNIT_ASSERT(r.body.find("Sorry &lt;all&gt; lines &amp; &quot;agents&quot; aren&apos;t free — réessayez 🙏") !=
                       std::string::npos);
    }

    void agentUnavailableDrainingAndStoreUnavailable()
    {
        // No agent provider for the tenant: its own fallback.
        auto noAgent = parseXml(voice("CA00000000000000000000000000002601", kNoAgentNumber).body);
        CPPUNIT_ASSERT_EQUAL(std::string("Say,Hangup"), verbs(noAgent));
        CPPUNIT_ASSERT_EQUAL(std::string("Our assistant is away."), child(noAgent->documentElement(), "Say")->innerText());
        // The tenant store cannot route: no tenant, so the plugin's fallbackMessage.
        _host->store().tenantLookupDown = true;
        auto down = parseXml(voice("CA00000000000000000000000000002602", kNumber).body);
        CPPUNIT_ASSERT_EQUAL(kPluginFallback, child(down->documentElement(), "Say")->innerText());
        _host->store().tenantLookupDown = false;
        // Draining: fallbackMessage too.
        _host->router().beginDrain();
        auto draining = parseXml(voice("CA00000000000000000000000000002603", kNumber).body);
        CPPUNIT_ASSERT_EQUAL(std::string("Say,Hangup"), verbs(draining));
        CPPUNIT_ASSERT_EQUAL(kPluginFallback, child(draining->documentElement(), "Say")->innerText());
        CPPUNIT_ASSERT_EQUAL(3.0, _host->metric("patchbay_twilio_webhooks_total{endpoint=\"voice\",result=\"fallback\"}"));
        CPPUNIT_ASSERT_EQUAL(1.0, _host->metric("patchbay_admissions_total{outcome=\"store-unavailable\"}"));
        CPPUNIT_ASSERT_EQUAL(1.0, _host->metric("patchbay_admissions_total{outcome=\"draining\"}"));
        CPPUNIT_ASSERT_EQUAL(1.0, _host->metric("patchbay_admissions_total{outcome=\"agent-unavailable\"}"));
    }

    void storeDownStillAnswersTheCaller()
    {
        // Not even the account can be looked up: nothing can be validated, so nothing is admitted,
        // but the caller hears fallbackMessage (static config text) rather than Twilio's error.
        _host->store().setUnavailable(true);
        HttpResult r = voice("CA00000000000000000000000000002701", kNumber);
        CPPUNIT_ASSERT_EQUAL(kPluginFallback, child(parseXml(r.body)->documentElement(), "Say")->innerText());
        CPPUNIT_ASSERT_EQUAL(0.0, _host->metric("patchbay_admissions_total{outcome=\"accepted\"}"));
        CPPUNIT_ASSERT(_host->pluginLog().contains("account lookup for " + std::string(kAccount) + " failed"));
        // Callbacks answer 503 instead (nothing to say to a caller there).
        const Params cb = {{"AccountSid", kAccount}, {"CallSid", "CA00000000000000000000000000002701"}, {"CallStatus", "completed"}};
        CPPUNIT_ASSERT_EQUAL(503, _host->postSigned("/twilio/status", cb).status);
    }

    void retriedWebhookGetsTheSameAnswerAndCountsOnce()
    {
        const std::string sid = "CA00000000000000000000000000002801";
        const Params p = WebhookTestHost::voiceParams(sid);
        HttpResult first = _host->postSigned("/twilio/voice", p);
        // Into the next second, so a token minted afresh would carry another expiry.
        std::this_thread::sleep_for(std::chrono::milliseconds(1100));
        HttpResult second = _host->postSigned("/twilio/voice", p);
        // Twilio may also retry with the other method if the number is reconfigured meanwhile.
        const std::string query = formEncode(p);
        HttpResult third = _host->get("/twilio/voice?" + query,
                                      {{"X-Twilio-Signature",
                                        twilioSignature(std::string(kPublicUrl) + "/twilio/voice?" + query, {}, kToken)}});
        CPPUNIT_ASSERT_EQUAL(200, first.status);
        CPPUNIT_ASSERT(first.body.find("<Connect") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(first.body, second.body);
        CPPUNIT_ASSERT_EQUAL(first.body, third.body);
        // One call admitted, one record, one admission in the metrics.
        CPPUNIT_ASSERT_EQUAL(1.0, _host->metric("patchbay_admissions_total{outcome=\"accepted\"}"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _host->router().pendingCalls());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _host->store().savedCalls().size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _host->store().saveCount());
        CPPUNIT_ASSERT_EQUAL(1u, _host->router().tenantCalls("acme"));
        CPPUNIT_ASSERT_EQUAL(3.0, _host->metric("patchbay_twilio_webhooks_total{endpoint=\"voice\",result=\"accepted\"}"));
        // A retried refusal too: same TwiML, counted once.
        const Params q = WebhookTestHost::voiceParams("CA00000000000000000000000000002802", "+15559990001");
        HttpResult r1 = _host->postSigned("/twilio/voice", q);
        HttpResult r2 = _host->postSigned("/twilio/voice", q);
        CPPUNIT_ASSERT_EQUAL(r1.body, r2.body);
        CPPUNIT_ASSERT_EQUAL(1.0, _host->metric("patchbay_admissions_total{outcome=\"unknown-number\"}"));
    }

private:
    std::unique_ptr<WebhookTestHost> _host;
};

CPPUNIT_TEST_SUITE_REGISTRATION(TwilioWebhookTwimlTest);
