// TwilioCarrierControlTest.cpp: the twilio plugin's carrier control and setup checks over a scripted HttpClient and the SDK's fake host.
#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <future>
#include <thread>

#include <patchbay/sdk/support/Base64.h>
#include <patchbay/sdk/testing/FakeHostServices.h>

#include <protocol/FormData.h>
#include <protocol/SignatureValidator.h>
#include <protocol/StreamToken.h>

#include "TwilioCarrierControl.h"
#include "TwilioEndpointProbe.h"

using namespace patchbay;
using namespace patchbay::twilio;
using sdk::testing::FakeHostServices;

namespace {

const std::string kAccount = "AC" + std::string(32, 'a');
const std::string kSubaccount = "AC" + std::string(32, 'b');
const std::string kToken = "auth-token-of-the-account-0123456";
const std::string kCallSid = "CA" + std::string(32, 'c');
const std::string kNumberSid = "PN" + std::string(32, 'd');
const std::string kRest = "https://api.twilio.test";
const std::string kApi = kRest + "/2010-04-01/Accounts/";

std::string decoded(const std::string& form, const std::string& name)
{
    FormData f;
    CPPUNIT_ASSERT(f.parse(form));
    return std::string(f.get(name));
}

std::string header(const sdk::HttpClientRequest& r, const char* name)
{
    return std::string(sdk::findHeader(r.headers, name));
}

std::string numberObject(const std::string& voiceUrl, const std::string& statusCallback, const std::string& method = "POST")
{
    return R"({"sid":")" + kNumberSid + R"(","phone_number":"+15005550006","voice_url":")" + voiceUrl + R"(","voice_method":")" +
           method + R"(","status_callback":")" + statusCallback + R"(","status_callback_method":"POST"})";
}

std::string numberJson(const std::string& voiceUrl, const std::string& statusCallback, const std::string& method = "POST")
{
    return R"({"incoming_phone_numbers":[)" + numberObject(voiceUrl, statusCallback, method) + "]}";
}

std::string callJson(const std::string& status)
{
    return R"({"sid":")" + kCallSid + R"(","status":")" + status + R"(","direction":"outbound-api","from":"+15005550006","to":"+15005550100"})";
}

} // namespace

class TwilioCarrierControlTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TwilioCarrierControlTest);
    CPPUNIT_TEST(credentialsPreferTheApiKey);
    CPPUNIT_TEST(hangupCompletesTheCallWithTheAccountsCredentials);
    CPPUNIT_TEST(hangupOfAnUnknownAccountSendsNothing);
    CPPUNIT_TEST(transferDialsTheNumberAndRefusesNonE164);
    CPPUNIT_TEST(redirectToFallbackSaysAndDials);
    CPPUNIT_TEST(configureNumberOnlyWhenAskedOrConfigured);
    CPPUNIT_TEST(configureNumberOfAnotherAccountIsNotFound);
    CPPUNIT_TEST(checkNumberComparesWithEveryPublicUrl);
    CPPUNIT_TEST(checkNumberNamesEveryProblemAndTheFix);
    CPPUNIT_TEST(placeCallPointsTheCallAtTheVoiceWebhook);
    CPPUNIT_TEST(sameEndpointIgnoresCaseDefaultPortAndSlash);
    CPPUNIT_TEST(probeSignsTheWebhookAndOpensTheMediaStream);
    CPPUNIT_TEST(probeExplainsEveryFailure);
    CPPUNIT_TEST(probeCallsANumberNobodyOwns);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _config = TwilioConfig();
        _config.publicUrl = "https://gw.example.com";
        _config.alternatePublicUrls = {"https://gw2.example.com"};
        _config.streamTokenSecret = std::string(40, 's');
        _config.rest.baseUrl = kRest;
        _config.rest.maxRetries = 0;
        _host = std::make_unique<FakeHostServices>("twilio");
        sdk::CarrierAccount account;
        account.sid = kAccount;
        account.authToken = kToken;
        CPPUNIT_ASSERT(_host->fakeTenantStore().saveAccount(account).isOk());
        _control = std::make_unique<TwilioCarrierControl>(_config, *_host, _host->fakeHttpClient(), [](std::uint32_t) {});
    }

    void tearDown() override
    {
        _control.reset();
        _host.reset();
    }

    void credentialsPreferTheApiKey()
    {
        sdk::CarrierAccount a;
        a.sid = kSubaccount;
        a.parentSid = kAccount;
        a.authToken = "token";
        TwilioCredentials c = TwilioCarrierControl::credentials(a);
        CPPUNIT_ASSERT_EQUAL(kSubaccount, c.accountSid);
        CPPUNIT_ASSERT_EQUAL(kSubaccount, c.username);
        CPPUNIT_ASSERT_EQUAL(std::string("token"), c.password);
        a.apiKeySid = "SK" + std::string(32, 'e');
        c = TwilioCarrierControl::credentials(a);
        CPPUNIT_ASSERT_EQUAL(std::string("token"), c.password); // a key without its secret is not used
        a.apiKeySecret = "key-secret";
        c = TwilioCarrierControl::credentials(a);
        CPPUNIT_ASSERT_EQUAL(kSubaccount, c.accountSid); // the subaccount's own resources
        CPPUNIT_ASSERT_EQUAL(a.apiKeySid, c.username);
        CPPUNIT_ASSERT_EQUAL(std::string("key-secret"), c.password);
    }

    void hangupCompletesTheCallWithTheAccountsCredentials()
    {
        sdk::CarrierAccount sub;
        sub.sid = kSubaccount;
        sub.parentSid = kAccount;
        sub.authToken = "sub-token";
        sub.apiKeySid = "SK" + std::string(32, 'e');
        sub.apiKeySecret = "sub-key-secret";
        CPPUNIT_ASSERT(_host->fakeTenantStore().saveAccount(sub).isOk());
        _host->fakeHttpClient().respond(kApi + kSubaccount + "/Calls/" + kCallSid + ".json", 200, callJson("completed"));
        sdk::Status st = _control->hangupCall(call(kSubaccount));
        CPPUNIT_ASSERT_MESSAGE(st.toString(), st.isOk());
        const auto requests = _host->fakeHttpClient().requests();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), requests.size());
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), requests[0].method);
        CPPUNIT_ASSERT_EQUAL(std::string("completed"), decoded(requests[0].body, "Status"));
        CPPUNIT_ASSERT_EQUAL("Basic " + sdk::support::Base64::encode(sub.apiKeySid + ":sub-key-secret"),
                             header(requests[0], "Authorization"));
    }

    void hangupOfAnUnknownAccountSendsNothing()
    {
        sdk::Status st = _control->hangupCall(call("AC" + std::string(32, 'f')));
        CPPUNIT_ASSERT(st.code() == sdk::StatusCode::NotFound);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _host->fakeHttpClient().requestCount());
        _host->setTenantStore(nullptr);
        CPPUNIT_ASSERT(_control->hangupCall(call(kAccount)).code() == sdk::StatusCode::Unavailable);
    }

    void transferDialsTheNumberAndRefusesNonE164()
    {
        _host->fakeHttpClient().respond(kApi + kAccount + "/Calls/" + kCallSid + ".json", 200, callJson("in-progress"));
        sdk::Status st = _control->transferCall(call(kAccount), "+15005550100");
        CPPUNIT_ASSERT_MESSAGE(st.toString(), st.isOk());
        const auto requests = _host->fakeHttpClient().requests();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), requests.size());
        CPPUNIT_ASSERT_EQUAL(std::string("<Response><Dial>+15005550100</Dial></Response>"), decoded(requests[0].body, "Twiml"));
        CPPUNIT_ASSERT_EQUAL(std::string(), decoded(requests[0].body, "Status"));

        for (const char* bad : {"15005550100", "+1 500", "+0123", "+1<Play>x</Play>", ""})
            CPPUNIT_ASSERT_MESSAGE(bad, _control->transferCall(call(kAccount), bad).code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _host->fakeHttpClient().requestCount());
        // Escaped even if a caller skipped the check.
        CPPUNIT_ASSERT_EQUAL(std::string("<Response><Dial>&lt;Hangup/&gt;&amp;</Dial></Response>"),
                             TwilioCarrierControl::transferTwiml("<Hangup/>&"));
    }

    void redirectToFallbackSaysAndDials()
    {
        _host->fakeHttpClient().respond(kApi + kAccount + "/Calls/" + kCallSid + ".json", 200, callJson("in-progress"));
        sdk::Fallback fb;
        fb.message = "Sorry & goodbye";
        fb.dialNumber = "+15005550100";
        CPPUNIT_ASSERT(_control->redirectToFallback(call(kAccount), fb).isOk());
        const std::string twiml = decoded(_host->fakeHttpClient().requests().back().body, "Twiml");
        CPPUNIT_ASSERT(twiml.find("<Say") != std::string::npos);
        CPPUNIT_ASSERT(twiml.find("Sorry &amp; goodbye") != std::string::npos);
        CPPUNIT_ASSERT(twiml.find(">+15005550100</Dial>") != std::string::npos);
        CPPUNIT_ASSERT(twiml.find("<Hangup/>") != std::string::npos);

        CPPUNIT_ASSERT(_control->redirectToFallback(call(kAccount), sdk::Fallback()).isOk());
        const std::string plain = decoded(_host->fakeHttpClient().requests().back().body, "Twiml");
        CPPUNIT_ASSERT(plain.find(_config.fallbackMessage) != std::string::npos); // the plugin's own message
    }

    void configureNumberOnlyWhenAskedOrConfigured()
    {
        sdk::NumberRoute route = numberRoute();
        sdk::Status st = _control->configureNumber(route, account(), false);
        CPPUNIT_ASSERT(st.code() == sdk::StatusCode::Declined);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _host->fakeHttpClient().requestCount());

        _host->fakeHttpClient().respond(kApi + kAccount + "/IncomingPhoneNumbers.json", 200,
                                        numberJson("https://old.example.com/voice", ""));
        _host->fakeHttpClient().respond(kApi + kAccount + "/IncomingPhoneNumbers/" + kNumberSid + ".json", 200,
                                        numberObject("https://gw.example.com/twilio/voice", ""));
        st = _control->configureNumber(route, account(), true);
        CPPUNIT_ASSERT_MESSAGE(st.toString(), st.isOk());
        CPPUNIT_ASSERT_EQUAL(kNumberSid, route.phoneNumberSid);
        const auto requests = _host->fakeHttpClient().requests();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), requests.size());
        CPPUNIT_ASSERT_EQUAL(std::string("GET"), requests[0].method);
        CPPUNIT_ASSERT(requests[0].url.find("PhoneNumber=%2B15005550006") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), requests[1].method);
        CPPUNIT_ASSERT_EQUAL(std::string("https://gw.example.com/twilio/voice"), decoded(requests[1].body, "VoiceUrl"));
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), decoded(requests[1].body, "VoiceMethod"));
        CPPUNIT_ASSERT_EQUAL(std::string("https://gw.example.com/twilio/status"), decoded(requests[1].body, "StatusCallback"));
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), decoded(requests[1].body, "StatusCallbackMethod"));

        // rest.configureNumbers: every assignment configures, asked or not.
        _config.rest.configureNumbers = true;
        sdk::NumberRoute again = numberRoute();
        CPPUNIT_ASSERT(_control->configureNumber(again, account(), false).isOk());
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), _host->fakeHttpClient().requestCount());
    }

    void configureNumberOfAnotherAccountIsNotFound()
    {
        _host->fakeHttpClient().respond(kApi + kAccount + "/IncomingPhoneNumbers.json", 200, R"({"incoming_phone_numbers":[]})");
        sdk::NumberRoute route = numberRoute();
        sdk::Status st = _control->configureNumber(route, account(), true);
        CPPUNIT_ASSERT(st.code() == sdk::StatusCode::NotFound);
        CPPUNIT_ASSERT(st.message().find("+15005550006") != std::string::npos);
        CPPUNIT_ASSERT(route.phoneNumberSid.empty());
        _host->fakeHttpClient().reset();
        _host->fakeHttpClient().respond(kApi + kAccount + "/IncomingPhoneNumbers.json", 401,
                                        R"({"code":20003,"message":"Authenticate","status":401})");
        st = _control->configureNumber(route, account(), true);
        CPPUNIT_ASSERT(st.code() == sdk::StatusCode::PermissionDenied);
        CPPUNIT_ASSERT(st.message().find(kToken) == std::string::npos);
    }

    void checkNumberComparesWithEveryPublicUrl()
    {
        _host->fakeHttpClient().respond(kApi + kAccount + "/IncomingPhoneNumbers.json", 200,
                                        numberJson("https://GW2.example.com:443/twilio/voice/", "https://gw.example.com/twilio/status",
                                                   "GET"));
        auto check = _control->checkNumber(numberRoute(), account());
        CPPUNIT_ASSERT_MESSAGE(check.status().toString(), check.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("+15005550006"), check->subject);
        CPPUNIT_ASSERT_MESSAGE(check->problem, check->ok);
        CPPUNIT_ASSERT(check->problem.empty() && check->fix.empty());
    }

    void checkNumberNamesEveryProblemAndTheFix()
    {
        _host->fakeHttpClient().respond(kApi + kAccount + "/IncomingPhoneNumbers.json", 200,
                                        numberJson("https://old.example.com/voice", "", "PUT"));
        auto check = _control->checkNumber(numberRoute(), account());
        CPPUNIT_ASSERT(check.isOk());
        CPPUNIT_ASSERT(!check->ok);
        CPPUNIT_ASSERT_MESSAGE(check->problem, check->problem.find("VoiceUrl is https://old.example.com/voice (expected "
                                                                   "https://gw.example.com/twilio/voice)") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(check->problem, check->problem.find("VoiceMethod is 'PUT'") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(check->problem, check->problem.find("StatusCallback is not set") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("patchbayctl numbers assign +15005550006 --tenant acme --account ") + kAccount +
                                 " --configure",
                             check->fix);

        _host->fakeHttpClient().reset();
        _host->fakeHttpClient().respond(kApi + kAccount + "/IncomingPhoneNumbers.json", 200, R"({"incoming_phone_numbers":[]})");
        check = _control->checkNumber(numberRoute(), account());
        CPPUNIT_ASSERT(check.isOk() && !check->ok);
        CPPUNIT_ASSERT(check->problem.find("has no incoming number +15005550006") != std::string::npos);

        _host->fakeHttpClient().reset();
        _host->fakeHttpClient().fail(kApi, sdk::Status::unavailable("connection refused"));
        check = _control->checkNumber(numberRoute(), account());
        CPPUNIT_ASSERT(!check.isOk()); // the host turns "could not ask" into its own finding
        CPPUNIT_ASSERT(check.status().code() == sdk::StatusCode::Unavailable);
    }

    void placeCallPointsTheCallAtTheVoiceWebhook()
    {
        _host->fakeHttpClient().respond(kApi + kAccount + "/Calls.json", 201, callJson("queued"));
        sdk::OutboundCallRequest request;
        request.tenantId = "acme";
        request.from = "+15005550006";
        request.to = "+15005550100";
        request.accountSid = kAccount;
        request.ringTimeoutSeconds = 25;
        auto sid = _control->placeCall(request, account());
        CPPUNIT_ASSERT_MESSAGE(sid.status().toString(), sid.isOk());
        CPPUNIT_ASSERT_EQUAL(kCallSid, sid.value());
        const auto r = _host->fakeHttpClient().requests().at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), r.method);
        CPPUNIT_ASSERT_EQUAL(std::string("+15005550006"), decoded(r.body, "From"));
        CPPUNIT_ASSERT_EQUAL(std::string("+15005550100"), decoded(r.body, "To"));
        CPPUNIT_ASSERT_EQUAL(std::string("https://gw.example.com/twilio/voice"), decoded(r.body, "Url"));
        CPPUNIT_ASSERT_EQUAL(std::string("https://gw.example.com/twilio/status"), decoded(r.body, "StatusCallback"));
        CPPUNIT_ASSERT_EQUAL(std::string("25"), decoded(r.body, "Timeout"));

        request.to = "5550100";
        CPPUNIT_ASSERT(_control->placeCall(request, account()).status().code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _host->fakeHttpClient().requestCount());
    }

    void sameEndpointIgnoresCaseDefaultPortAndSlash()
    {
        CPPUNIT_ASSERT(TwilioCarrierControl::sameEndpoint("https://GW.example.com:443/twilio/voice/", "https://gw.example.com/twilio/voice"));
        CPPUNIT_ASSERT(TwilioCarrierControl::sameEndpoint("http://h:80/v?x=1", "http://h/v"));
        CPPUNIT_ASSERT(!TwilioCarrierControl::sameEndpoint("https://h:8443/v", "https://h/v"));
        CPPUNIT_ASSERT(!TwilioCarrierControl::sameEndpoint("http://h/v", "https://h/v"));
        CPPUNIT_ASSERT(!TwilioCarrierControl::sameEndpoint("https://h/Twilio/voice", "https://h/twilio/voice")); // paths are case-sensitive
    }

    void probeSignsTheWebhookAndOpensTheMediaStream()
    {
        const std::string voice = "https://gw.example.com/twilio/voice";
        _host->fakeHttpClient().respond(voice, 200, "<?xml version=\"1.0\"?><Response><Reject reason=\"rejected\"/></Response>");
        _host->fakeHttpClient().respond(voice, 403, "forbidden");
        TwilioEndpointProbe probe(_config, *_host, 2000);
        auto checks = runProbe(probe, [&] {
            auto& connection = _host->openOutbound(0);
            CPPUNIT_ASSERT(connection.closeRequested());
        });
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), checks.size());
        for (const auto& c : checks) CPPUNIT_ASSERT_MESSAGE(c.subject + ": " + c.problem, c.ok);
        CPPUNIT_ASSERT_EQUAL(std::string("voice webhook"), checks[0].subject);
        CPPUNIT_ASSERT_EQUAL(std::string("webhook signature"), checks[1].subject);
        CPPUNIT_ASSERT_EQUAL(std::string("media stream"), checks[2].subject);

        const auto requests = _host->fakeHttpClient().requests();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), requests.size());
        FormData form;
        CPPUNIT_ASSERT(form.parse(requests[0].body));
        CPPUNIT_ASSERT_EQUAL(std::string("+19999999999"), std::string(form.get("To")));
        CPPUNIT_ASSERT_EQUAL(kAccount, std::string(form.get("AccountSid")));
        CPPUNIT_ASSERT(std::string(form.get("CallSid")).rfind("CAd0c7", 0) == 0);
        CPPUNIT_ASSERT_EQUAL(std::size_t(34), form.get("CallSid").size());
        CPPUNIT_ASSERT(SignatureValidator::validate(header(requests[0], "X-Twilio-Signature"), voice, form.pairs(), kToken).valid());
        FormData second;
        CPPUNIT_ASSERT(second.parse(requests[1].body));
        CPPUNIT_ASSERT(!SignatureValidator::validate(header(requests[1], "X-Twilio-Signature"), voice, second.pairs(), kToken).valid());
        CPPUNIT_ASSERT(form.get("CallSid") != second.get("CallSid")); // never the core's remembered decision

        const std::string wsUrl = _host->outbound(0).options.url;
        const std::string prefix = "wss://gw.example.com/twilio/media/";
        CPPUNIT_ASSERT_MESSAGE(wsUrl, wsUrl.rfind(prefix, 0) == 0);
        TokenCheck token = StreamToken::verify(wsUrl.substr(prefix.size()), "", _host->nowUnixMs() / 1000, _config.streamTokenSecret);
        CPPUNIT_ASSERT(token.ok());
        CPPUNIT_ASSERT(token.callSid.rfind("CAd0c7", 0) == 0);
    }

    void probeExplainsEveryFailure()
    {
        const std::string voice = "https://gw.example.com/twilio/voice";
        _host->fakeHttpClient().respond(voice, 403, "forbidden");
        _host->fakeHttpClient().respond(voice, 200, "<Response><Reject/></Response>");
        TwilioEndpointProbe probe(_config, *_host, 2000);
        auto checks = runProbe(probe, [&] { _host->failOutbound(0, "HTTP 502 Bad Gateway"); });
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), checks.size());
        for (const auto& c : checks) CPPUNIT_ASSERT_MESSAGE(c.subject, !c.ok && !c.problem.empty() && !c.fix.empty());
        CPPUNIT_ASSERT_MESSAGE(checks[0].problem, checks[0].problem.find("403 on a correctly signed request: publicUrl") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(checks[0].fix, checks[0].fix.find("set publicUrl to the URL configured on the number") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(checks[1].fix, checks[1].fix.find("developmentMode") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(checks[2].problem, checks[2].problem.find("HTTP 502 Bad Gateway") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(checks[2].problem, checks[2].problem.find("<token>") != std::string::npos);
        for (const auto& c : checks)
            CPPUNIT_ASSERT(c.problem.find(kToken) == std::string::npos && c.fix.find(kToken) == std::string::npos);

        // Unreachable: both webhook checks say so; an account without a token cannot sign at all.
        _host->fakeHttpClient().reset();
        _host->fakeHttpClient().fail(voice, sdk::Status::unavailable("connection refused"));
        checks = runProbe(probe, [&] { _host->openOutbound(1); });
        CPPUNIT_ASSERT(checks[0].problem.find("cannot reach https://gw.example.com/twilio/voice: connection refused") != std::string::npos);
        CPPUNIT_ASSERT(checks[2].ok);
        sdk::CarrierAccount tokenless = account();
        tokenless.authToken.clear();
        auto future = std::async(std::launch::async, [&] { return probe.run(tokenless); });
        waitForOutbound(3);
        _host->openOutbound(2);
        checks = future.get();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), checks.size());
        CPPUNIT_ASSERT(checks[0].problem.find("has no auth token") != std::string::npos);
    }

    void probeCallsANumberNobodyOwns()
    {
        sdk::NumberRoute taken;
        taken.number = "+19999999999";
        taken.tenantId = "acme";
        taken.accountSid = kAccount;
        sdk::Tenant t;
        t.id = "acme";
        CPPUNIT_ASSERT(_host->fakeTenantStore().saveTenant(t).isOk());
        CPPUNIT_ASSERT(_host->fakeTenantStore().assignNumber(taken).isOk());
        _host->fakeHttpClient().respond("https://gw.example.com/", 200, "<Response><Reject/></Response>");
        TwilioEndpointProbe probe(_config, *_host, 2000);
        runProbe(probe, [&] { _host->openOutbound(0); });
        FormData form;
        CPPUNIT_ASSERT(form.parse(_host->fakeHttpClient().requests().at(0).body));
        CPPUNIT_ASSERT_EQUAL(std::string("+19999999998"), std::string(form.get("To")));
    }

private:
    sdk::CallInfo call(const std::string& accountSid) const
    {
        sdk::CallInfo c;
        c.callSid = kCallSid;
        c.accountSid = accountSid;
        c.tenantId = "acme";
        c.inboundProvider = "twilio";
        return c;
    }

    sdk::CarrierAccount account() const
    {
        sdk::CarrierAccount a;
        a.sid = kAccount;
        a.authToken = kToken;
        return a;
    }

    sdk::NumberRoute numberRoute() const
    {
        sdk::NumberRoute r;
        r.number = "+15005550006";
        r.tenantId = "acme";
        r.accountSid = kAccount;
        return r;
    }

    void waitForOutbound(std::size_t count)
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (_host->outboundCount() < count && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        CPPUNIT_ASSERT_EQUAL(count, _host->outboundCount());
    }

    /// Runs the probe on another thread (it blocks on the handshake, as on the host's I/O thread) and
    /// plays the host's side of the WebSocket with `socket` once it was asked for.
    template <typename Socket>
    std::vector<sdk::SetupCheck> runProbe(TwilioEndpointProbe& probe, Socket socket)
    {
        const std::size_t before = _host->outboundCount();
        auto future = std::async(std::launch::async, [&] { return probe.run(account()); });
        waitForOutbound(before + 1);
        socket();
        return future.get();
    }

    TwilioConfig _config;
    std::unique_ptr<FakeHostServices> _host;
    std::unique_ptr<TwilioCarrierControl> _control;
};

CPPUNIT_TEST_SUITE_REGISTRATION(TwilioCarrierControlTest);
