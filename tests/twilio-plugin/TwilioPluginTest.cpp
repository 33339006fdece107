// TwilioPluginTest.cpp: the twilio plugin as the host sees it — webhook security and answers, media-stream protocol, refusals.
#include "TwilioRequests.h"
#include <cppunit/extensions/HelperMacros.h>

#include <dlfcn.h>

#include <algorithm>
#include <map>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <patchbay/sdk/Plugin.h>
#include <patchbay/sdk/support/Base64.h>
#include <patchbay/sdk/testing/FakeHostServices.h>

using namespace patchbay;
using patchbay::sdk::testing::FakeHostServices;

namespace {

const char* kAccount = "AC00000000000000000000000000000001";
const char* kToken = "0123456789abcdef0123456789abcdef";
const char* kPublic = "https://gw.example.test";
const std::string kSecret(40, 's');

using testsupport::between;
using testsupport::formEncode;
using testsupport::twilioSignature;

struct LoadedTwilio
{
    void* handle = nullptr;
    sdk::Plugin* plugin = nullptr;
    void (*destroy)(void*) = nullptr;

    LoadedTwilio()
    {
        handle = dlopen(TWILIO_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
        CPPUNIT_ASSERT_MESSAGE(dlerror() ? dlerror() : "dlopen failed", handle);
        auto create = reinterpret_cast<void* (*)()>(dlsym(handle, PATCHBAY_SYMBOL_CREATE));
        destroy = reinterpret_cast<void (*)(void*)>(dlsym(handle, PATCHBAY_SYMBOL_DESTROY));
        CPPUNIT_ASSERT(create && destroy);
        plugin = static_cast<sdk::Plugin*>(create());
        CPPUNIT_ASSERT(plugin);
    }
    ~LoadedTwilio()
    {
        if (plugin) destroy(plugin);
        // Never dlclose: the host never unloads plugins either.
    }
};

} // namespace

class TwilioPluginTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TwilioPluginTest);
    CPPUNIT_TEST(configErrorsNameTheKey);
    CPPUNIT_TEST(checkConfigRefusesLikeInit);
    CPPUNIT_TEST(checkConfigAcceptsWithoutSideEffects);
    CPPUNIT_TEST(initRegistersRoutesAndShutdownRemovesThem);
    CPPUNIT_TEST(signedWebhookGetsConnectStreamWithToken);
    CPPUNIT_TEST(refusalsMapToTwiml);
    CPPUNIT_TEST(badSignaturesAre403WithOneDiagnosticLine);
    CPPUNIT_TEST(secondaryTokenIsAccepted);
    CPPUNIT_TEST(malformedRequestsAre400);
    CPPUNIT_TEST(developmentModeWarnsOnEveryRequest);
    CPPUNIT_TEST(mediaStreamTranslatesBothWays);
    CPPUNIT_TEST(streamRefusals);
    CPPUNIT_TEST(noStartWithinTimeoutCloses);
    CPPUNIT_TEST(garbageAfterStartIsIgnoredNotFatal);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _host = std::make_unique<FakeHostServices>("twilio");
        _host->setTenantStore(&_host->fakeTenantStore());
        sdk::CarrierAccount account;
        account.sid = kAccount;
        account.authToken = kToken;
        _host->fakeTenantStore().addAccount(account);
        _host->setNowUnixMs(1'700'000'000'000);
        _plugin = std::make_unique<LoadedTwilio>();
    }

    void tearDown() override
    {
        _plugin.reset();
        _host.reset();
    }

    std::string config(const std::string& extra = "")
    {
        return std::string(R"({"publicUrl":")") + kPublic + R"(","streamTokenSecret":")" + kSecret + "\"" + extra + "}";
    }

    void init(const std::string& extra = "")
    {
        sdk::Status st = _plugin->plugin->init(*_host, config(extra));
        CPPUNIT_ASSERT_MESSAGE(st.toString(), st.isOk());
    }

    std::vector<std::pair<std::string, std::string>> callParams(const std::string& sid, const std::string& to = "+15005550006")
    {
        return {{"AccountSid", kAccount}, {"ApiVersion", "2010-04-01"}, {"CallSid", sid}, {"CallStatus", "ringing"},
                {"Caller", "+14155550100"}, {"CallerName", "José Núñez"}, {"Direction", "inbound"},
                {"From", "+14155550100"}, {"To", to}, {"ToCity", ""}};
    }

    sdk::HttpResponse post(const std::vector<std::pair<std::string, std::string>>& params, const std::string& signature,
                           const std::string& contentType = "application/x-www-form-urlencoded")
    {
        sdk::HttpHeaders h{{"Content-Type", contentType}};
        if (!signature.empty()) h.emplace_back("X-Twilio-Signature", signature);
        return _host->invokeHttp("POST", "/twilio/voice", formEncode(params), h);
    }

    sdk::HttpResponse signedPost(const std::string& sid, const std::string& to = "+15005550006")
    {
        auto p = callParams(sid, to);
        return post(p, twilioSignature(std::string(kPublic) + "/twilio/voice", p, kToken));
    }

    /// Admits a call and opens its stream; returns the inbound socket index and the token.
    std::size_t openStream(const std::string& sid, std::string& token)
    {
        auto r = signedPost(sid);
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        token = between(r.body, "<Parameter name=\"callToken\" value=\"", "\"");
        CPPUNIT_ASSERT(!token.empty());
        std::size_t i = _host->acceptInbound("/twilio/media/" + token);
        CPPUNIT_ASSERT_MESSAGE("upgrade refused", _host->inbound(i).handler != nullptr);
        CPPUNIT_ASSERT_EQUAL(sid, _host->inbound(i).affinityKey);
        return i;
    }

    std::string startMessage(const std::string& sid, const std::string& token)
    {
        return R"({"event":"start","sequenceNumber":"1","streamSid":"MZ1","start":{"streamSid":"MZ1","accountSid":")" +
               std::string(kAccount) + R"(","callSid":")" + sid +
               R"(","tracks":["inbound"],"customParameters":{"tenant":"tenant-1","callToken":")" + token +
               R"("},"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}}})";
    }

    void configErrorsNameTheKey()
    {
        auto st = _plugin->plugin->init(*_host, R"({"publicUrl":"https://x","streamTokenSecret":"short"})");
        CPPUNIT_ASSERT(st.code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT(st.message().find("streamTokenSecret") != std::string::npos);
        auto st2 = _plugin->plugin->init(*_host, config(R"(,"bogus":1)"));
        CPPUNIT_ASSERT(st2.message().find("config.bogus") != std::string::npos);
        auto st3 = _plugin->plugin->init(*_host, R"({"streamTokenSecret":")" + kSecret + "\"}");
        CPPUNIT_ASSERT(st3.message().find("publicUrl") != std::string::npos);
        CPPUNIT_ASSERT(!_host->hasHttpRoute("POST", "/twilio/voice"));
    }

    // --check-config (SDK 1.3): init()'s verdict on the config text, without a host.
    void checkConfigRefusesLikeInit()
    {
        const std::pair<std::string, std::string> cases[] = {
            {R"({"publicUrl":5,"streamTokenSecret":")" + kSecret + "\"}", "config.publicUrl must be a string"},
            {config(R"(,"voicepath":"/v")"), "config.voicepath is not a twilio setting (known: publicUrl"},
            {config(R"(,"streamTokenTtlSeconds":5)"), "config.streamTokenTtlSeconds must be an integer from 10 to 3600"},
            {config(R"(,"rest":{"timeoutMs":50})"), "config.rest.timeoutMs must be an integer from 100 to 120000"},
            {config(R"(,"rest":{"retries":1})"), "config.rest.retries is not a twilio REST setting"},
            {config(R"(,"voicePath":"/twilio/status")"), "must differ"},
            {config(R"(,"trustedProxies":["not-an-address"])"), "trustedProxies"},
            {R"({"streamTokenSecret":")" + kSecret + "\"}", "config.publicUrl is required"},
            {R"({"publicUrl":"https://x","streamTokenSecret":"short"})", "config.streamTokenSecret must be at least 32 characters"},
        };
        for (const auto& [text, expected] : cases)
        {
            const sdk::Status checked = static_cast<const sdk::Plugin&>(*_plugin->plugin).checkConfig(text);
            CPPUNIT_ASSERT_MESSAGE(text + " -> " + checked.toString(), checked.code() == sdk::StatusCode::InvalidArgument);
            CPPUNIT_ASSERT_MESSAGE(text + " -> " + checked.message(), checked.message().find(expected) != std::string::npos);
            // Word for word what init() says about the same text.
            CPPUNIT_ASSERT_EQUAL(_plugin->plugin->init(*_host, text).toString(), checked.toString());
        }
        CPPUNIT_ASSERT(!_host->hasHttpRoute("POST", "/twilio/voice"));
    }

    void checkConfigAcceptsWithoutSideEffects()
    {
        const std::string full = config(R"(,"alternatePublicUrls":["https://b.example.test"],"voicePath":"/v","mediaPath":"/m",)"
                                        R"("statusCallbackPath":"/s","streamStatusPath":"/ss","connectActionPath":"/c",)"
                                        R"("streamTokenTtlSeconds":60,"startTimeoutMs":1000,"trustedProxies":["10.0.0.0/8"],)"
                                        R"("developmentMode":false,"fallbackMessage":"Bye.",)"
                                        R"("rest":{"baseUrl":"http://127.0.0.1:1","timeoutMs":100,"maxRetries":0,"retryBaseMs":1,"configureNumbers":true})");
        for (const std::string& text : {config(), full})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(text, std::string("ok"), _plugin->plugin->checkConfig(text).toString());
        // Nothing was built: the object is as uninitialised as before the check.
        CPPUNIT_ASSERT(!_host->hasHttpRoute("POST", "/twilio/voice"));
        CPPUNIT_ASSERT(!_host->hasHttpRoute("POST", "/v"));
        CPPUNIT_ASSERT(!_host->hasWebSocketEndpoint("/twilio/media/"));
        sdk::CallInfo call;
        call.callSid = "CA00000000000000000000000000000009";
        const sdk::Status hangup = _plugin->plugin->inboundProvider()->hangupCall(call);
        CPPUNIT_ASSERT_MESSAGE(hangup.toString(), hangup.code() == sdk::StatusCode::Unavailable);
        // And a later init() uses its own text, not the checked one.
        init();
        CPPUNIT_ASSERT(_host->hasHttpRoute("POST", "/twilio/voice"));
        CPPUNIT_ASSERT(!_host->hasHttpRoute("POST", "/v"));
        _plugin->plugin->shutdown();
    }

    void initRegistersRoutesAndShutdownRemovesThem()
    {
        init();
        CPPUNIT_ASSERT(_host->hasHttpRoute("POST", "/twilio/voice"));
        CPPUNIT_ASSERT(_host->hasHttpRoute("GET", "/twilio/voice"));
        CPPUNIT_ASSERT(_host->hasWebSocketEndpoint("/twilio/media/"));
        CPPUNIT_ASSERT(_plugin->plugin->inboundProvider());
        _plugin->plugin->shutdown();
        CPPUNIT_ASSERT(!_host->hasHttpRoute("POST", "/twilio/voice"));
        CPPUNIT_ASSERT(!_host->hasWebSocketEndpoint("/twilio/media/"));
    }

    void signedWebhookGetsConnectStreamWithToken()
    {
        init();
        auto r = signedPost("CA00000000000000000000000000000001");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT(r.contentType.find("xml") != std::string::npos);
        CPPUNIT_ASSERT(r.body.find("<Connect action=\"https://gw.example.test/twilio/connect-action\" method=\"POST\">") != std::string::npos);
        const std::string url = between(r.body, "<Stream url=\"", "\"");
        const std::string token = between(r.body, "<Parameter name=\"callToken\" value=\"", "\"");
        CPPUNIT_ASSERT_EQUAL("wss://gw.example.test/twilio/media/" + token, url);
        CPPUNIT_ASSERT(r.body.find("<Parameter name=\"tenant\" value=\"tenant-1\"") != std::string::npos);
        auto admitted = _host->fakeRouter().admittedCalls();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), admitted.size());
        CPPUNIT_ASSERT_EQUAL(std::string("+15005550006"), admitted[0].to);
        CPPUNIT_ASSERT_EQUAL(std::string("+14155550100"), admitted[0].from);
        CPPUNIT_ASSERT_EQUAL(std::string("twilio"), admitted[0].inboundProvider);
    }

    void refusalsMapToTwiml()
    {
        init();
        sdk::Admission unknown;
        unknown.outcome = sdk::AdmissionOutcome::UnknownNumber;
        _host->fakeRouter().setAdmission("CA1", unknown);
        CPPUNIT_ASSERT(signedPost("CA1").body.find("<Reject reason=\"rejected\"") != std::string::npos);
        sdk::Admission busy;
        busy.outcome = sdk::AdmissionOutcome::OverLimit;
        _host->fakeRouter().setAdmission("CA2", busy);
        CPPUNIT_ASSERT(signedPost("CA2").body.find("<Reject reason=\"busy\"") != std::string::npos);
        sdk::Admission suspended;
        suspended.outcome = sdk::AdmissionOutcome::TenantSuspended;
        suspended.fallback.message = "We're closed <today> & tomorrow";
        suspended.fallback.dialNumber = "+15550001111";
        _host->fakeRouter().setAdmission("CA3", suspended);
        auto r = signedPost("CA3");
        CPPUNIT_ASSERT(r.body.find("We&apos;re closed &lt;today&gt; &amp; tomorrow") != std::string::npos ||
                       r.body.find("We're closed &lt;today&gt; &amp; tomorrow") != std::string::npos);
        CPPUNIT_ASSERT(r.body.find("+15550001111</") != std::string::npos);
        CPPUNIT_ASSERT(r.body.find("<Hangup/>") != std::string::npos);
        sdk::Admission draining;
        draining.outcome = sdk::AdmissionOutcome::Draining;
        _host->fakeRouter().setAdmission("CA4", draining);
        CPPUNIT_ASSERT(signedPost("CA4").body.find("<Say") != std::string::npos);
    }

    void badSignaturesAre403WithOneDiagnosticLine()
    {
        init();
        auto p = callParams("CA5");
        auto forged = twilioSignature(std::string(kPublic) + "/twilio/voice", p, "not-the-token-0000000000000000");
        CPPUNIT_ASSERT_EQUAL(403, post(p, forged).status);
        CPPUNIT_ASSERT(_host->recordingLogger().contains(kAccount));
        CPPUNIT_ASSERT(_host->recordingLogger().contains("https://gw.example.test/twilio/voice"));
        CPPUNIT_ASSERT(!_host->recordingLogger().contains(kToken)); // never the secret
        // Signed for another URL (replay against a different gateway path).
        auto other = twilioSignature(std::string(kPublic) + "/other", p, kToken);
        CPPUNIT_ASSERT_EQUAL(403, post(p, other).status);
        // Tampered parameter.
        auto good = twilioSignature(std::string(kPublic) + "/twilio/voice", p, kToken);
        p.back().second = "tampered";
        CPPUNIT_ASSERT_EQUAL(403, post(p, good).status);
        CPPUNIT_ASSERT_EQUAL(403, post(callParams("CA6"), "").status);
        // An account the store does not know.
        auto q = callParams("CA7");
        q[0].second = "AC99999999999999999999999999999999";
        CPPUNIT_ASSERT_EQUAL(403, post(q, twilioSignature(std::string(kPublic) + "/twilio/voice", q, kToken)).status);
        CPPUNIT_ASSERT(_host->recordingLogger().contains("unknown AccountSid"));
        CPPUNIT_ASSERT(_host->fakeRouter().admittedCalls().empty());
    }

    void secondaryTokenIsAccepted()
    {
        sdk::CarrierAccount rotating;
        rotating.sid = "AC2";
        rotating.authToken = "primary-token-aaaaaaaaaaaaaaaaaaaa";
        rotating.secondaryToken = "secondary-token-bbbbbbbbbbbbbbb";
        _host->fakeTenantStore().addAccount(rotating);
        init();
        auto p = callParams("CA8");
        p[0].second = "AC2";
        auto sig = twilioSignature(std::string(kPublic) + "/twilio/voice", p, "secondary-token-bbbbbbbbbbbbbbb");
        CPPUNIT_ASSERT_EQUAL(200, post(p, sig).status);
        // With the default port too, as Twilio may sign it.
        auto p2 = callParams("CA9");
        CPPUNIT_ASSERT_EQUAL(200, post(p2, twilioSignature("https://gw.example.test:443/twilio/voice", p2, kToken)).status);
    }

    void malformedRequestsAre400()
    {
        init();
        auto p = callParams("CA10");
        auto sig = twilioSignature(std::string(kPublic) + "/twilio/voice", p, kToken);
        CPPUNIT_ASSERT_EQUAL(400, post(p, sig, "application/json").status);
        sdk::HttpHeaders h{{"Content-Type", "application/x-www-form-urlencoded"}, {"X-Twilio-Signature", sig}};
        CPPUNIT_ASSERT_EQUAL(400, _host->invokeHttp("POST", "/twilio/voice", "CallSid=%ZZ&To=%", h).status);
        CPPUNIT_ASSERT_EQUAL(400, _host->invokeHttp("POST", "/twilio/voice", "a=1", h).status);
        CPPUNIT_ASSERT_EQUAL(400, _host->invokeHttp("POST", "/twilio/voice", std::string("\xff\xfe=\x01", 4), h).status);
    }

    void developmentModeWarnsOnEveryRequest()
    {
        init(R"(,"developmentMode":true)");
        CPPUNIT_ASSERT_EQUAL(200, post(callParams("CA11"), "").status);
        CPPUNIT_ASSERT_EQUAL(200, post(callParams("CA12"), "").status);
        CPPUNIT_ASSERT(_host->recordingLogger().count("NOT validated") >= 2);
    }

    void mediaStreamTranslatesBothWays()
    {
        init();
        std::string token;
        const std::string sid = "CA00000000000000000000000000000002";
        std::size_t i = openStream(sid, token);
        _host->deliverInboundText(i, R"({"event":"connected","protocol":"Call","version":"1.0.0"})");
        _host->deliverInboundText(i, startMessage(sid, token));
        auto att = _host->fakeRouter().attachments();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), att.size());
        CPPUNIT_ASSERT_EQUAL(sid, att[0].callSid);
        CPPUNIT_ASSERT_EQUAL(std::string("MZ1"), att[0].info.remoteId);
        auto* channel = _host->fakeRouter().channel(sid);
        CPPUNIT_ASSERT(channel);
        _host->deliverInboundText(i, R"({"event":"media","sequenceNumber":"2","streamSid":"MZ1","media":{"track":"inbound","chunk":"1","timestamp":"20","payload":"//7+/n5+"}})");
        _host->deliverInboundText(i, R"({"event":"dtmf","streamSid":"MZ1","sequenceNumber":"3","dtmf":{"track":"inbound_track","digit":"5"}})");
        _host->deliverInboundText(i, R"({"event":"mark","streamSid":"MZ1","sequenceNumber":"4","mark":{"name":"m-1"}})");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), channel->audio().size());
        CPPUNIT_ASSERT_EQUAL(std::string("//7+/n5+"), channel->audio()[0].payload);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(20), channel->audio()[0].timestampMs);
        CPPUNIT_ASSERT_EQUAL(std::string("5"), channel->dtmfDigits());
        CPPUNIT_ASSERT_EQUAL(std::string("m-1"), channel->marks().at(0));

        // Agent → caller through the leg the plugin attached.
        sdk::InboundLeg* leg = att[0].leg;
        sdk::AudioFrame f;
        f.payload = "f39/fw==";
        leg->onAudio(f);
        leg->onMark("resp-1");
        leg->onClear();
        const auto& sent = _host->inbound(i).connection->sentTexts();
        // One short chunk earns no playout mark of the plugin's own (one per 200 ms of audio;
        // tests/twilio-media covers them): the core's mark follows the audio directly.
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), sent.size());
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"event":"media","streamSid":"MZ1","media":{"payload":"f39/fw=="}})"), sent[0]);
        CPPUNIT_ASSERT(sent[1].find("\"mark\"") != std::string::npos && sent[1].find("resp-1") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"event":"clear","streamSid":"MZ1"})"), sent[2]);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _plugin->plugin->inboundProvider()->activeLegs());

        _host->deliverInboundText(i, R"({"event":"stop","sequenceNumber":"5","streamSid":"MZ1","stop":{"accountSid":"AC1","callSid":"CA1"}})");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), channel->endedCount());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), channel->callsAfterEnd());
        CPPUNIT_ASSERT(channel->endReason() == sdk::EndReason::Completed);
    }

    void streamRefusals()
    {
        init();
        // Not a token of ours.
        std::size_t bad = _host->acceptInbound("/twilio/media/not-a-token");
        CPPUNIT_ASSERT(!_host->inbound(bad).handler);
        CPPUNIT_ASSERT_EQUAL(403, _host->inbound(bad).refuseStatus);
        // A real token, but start names another call.
        std::string token;
        std::size_t i = openStream("CA00000000000000000000000000000003", token);
        _host->deliverInboundText(i, startMessage("CA00000000000000000000000000000099", token));
        CPPUNIT_ASSERT(_host->inbound(i).connection->closeRequested());
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(1008), _host->inbound(i).connection->closeCode());
        CPPUNIT_ASSERT(_host->fakeRouter().attachments().empty());
        // A binary frame is not Twilio.
        std::string token2;
        std::size_t j = openStream("CA00000000000000000000000000000004", token2);
        _host->deliverInboundBinary(j, std::string("\x00\x01", 2));
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(1003), _host->inbound(j).connection->closeCode());
        // Garbage before start.
        std::string token3;
        std::size_t k = openStream("CA00000000000000000000000000000005", token3);
        _host->deliverInboundText(k, "{\"event\":");
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(1008), _host->inbound(k).connection->closeCode());
        // An expired token.
        std::string token4;
        auto r = signedPost("CA00000000000000000000000000000006");
        token4 = between(r.body, "<Parameter name=\"callToken\" value=\"", "\"");
        _host->setNowUnixMs(1'700'000'000'000 + 3600 * 1000);
        std::size_t e = _host->acceptInbound("/twilio/media/" + token4);
        CPPUNIT_ASSERT_EQUAL(403, _host->inbound(e).refuseStatus);
    }

    void noStartWithinTimeoutCloses()
    {
        init(R"(,"startTimeoutMs":500)");
        std::string token;
        std::size_t i = openStream("CA00000000000000000000000000000007", token);
        _host->deliverInboundText(i, R"({"event":"connected","protocol":"Call","version":"1.0.0"})");
        _host->loop().advance(400);
        CPPUNIT_ASSERT(!_host->inbound(i).connection->closeRequested());
        _host->loop().advance(200);
        CPPUNIT_ASSERT(_host->inbound(i).connection->closeRequested());
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(1008), _host->inbound(i).connection->closeCode());
    }

    void garbageAfterStartIsIgnoredNotFatal()
    {
        init();
        std::string token;
        const std::string sid = "CA00000000000000000000000000000008";
        std::size_t i = openStream(sid, token);
        _host->deliverInboundText(i, startMessage(sid, token));
        _host->deliverInboundText(i, "not json at all");
        _host->deliverInboundText(i, R"({"event":"media"})");
        _host->deliverInboundText(i, R"({"event":"brand-new-event","x":1})");
        CPPUNIT_ASSERT(!_host->inbound(i).connection->closeRequested());
        _host->deliverInboundText(i, R"({"event":"media","sequenceNumber":"2","streamSid":"MZ1","media":{"track":"inbound","chunk":"1","timestamp":"20","payload":"AAAA"}})");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _host->fakeRouter().channel(sid)->audio().size());
        _host->closeInbound(i, 1006, "");
        CPPUNIT_ASSERT(_host->fakeRouter().channel(sid)->endReason() == sdk::EndReason::InboundFailed);
    }

private:
    std::unique_ptr<FakeHostServices> _host;
    std::unique_ptr<LoadedTwilio> _plugin;
};

CPPUNIT_TEST_SUITE_REGISTRATION(TwilioPluginTest);
