// TwilioRestClientTest.cpp: the REST client's requests — URL, method, form body, auth header — and how it parses Twilio's answers.
#include "RestTestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

using namespace patchbay;
using namespace patchbay::twilio;
using namespace patchbay::twilio::test;

class TwilioRestClientTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TwilioRestClientTest);
    CPPUNIT_TEST(testFindIncomingNumberRequestAndParse);
    CPPUNIT_TEST(testFindIncomingNumberOnlyExactMatch);
    CPPUNIT_TEST(testUpdateIncomingNumber);
    CPPUNIT_TEST(testUpdateCallBodies);
    CPPUNIT_TEST(testCreateCall);
    CPPUNIT_TEST(testFetchCall);
    CPPUNIT_TEST(testApiKeyAuthentication);
    CPPUNIT_TEST(testConfigurableBaseUrl);
    CPPUNIT_TEST_SUITE_END();

public:
    void testFindIncomingNumberRequestAndParse()
    {
        ScriptedHttpClient http;
        http.reply(200, listJson({numberJson(kNumberSid, "+14155550100")}));
        TwilioRestClient client(http, options());
        auto r = client.findIncomingNumber(tokenCredentials(), "+14155550100");
        CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
        CPPUNIT_ASSERT_EQUAL(kNumberSid, r->sid);
        CPPUNIT_ASSERT_EQUAL(std::string("+14155550100"), r->phoneNumber);
        CPPUNIT_ASSERT_EQUAL(std::string("https://old.example.com/voice?x=1&y=2"), r->voiceUrl);
        CPPUNIT_ASSERT_EQUAL(std::string("GET"), r->voiceMethod);
        CPPUNIT_ASSERT_EQUAL(std::string("https://gw.example.com/twilio/status"), r->statusCallback);
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), r->statusCallbackMethod);

        CPPUNIT_ASSERT_EQUAL(std::size_t(1), http.requestCount());
        const auto req = http.lastRequest();
        CPPUNIT_ASSERT_EQUAL(std::string("GET"), req.method);
        CPPUNIT_ASSERT_EQUAL(kBase + "/IncomingPhoneNumbers.json?PhoneNumber=%2B14155550100", req.url);
        CPPUNIT_ASSERT_EQUAL(basic(kAccount, kToken), header(req, "Authorization"));
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), header(req, "Accept"));
        CPPUNIT_ASSERT(header(req, "Content-Type").empty());
        CPPUNIT_ASSERT(req.body.empty());
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(7000), req.timeoutMs);
    }

    void testFindIncomingNumberOnlyExactMatch()
    {
        ScriptedHttpClient http;
        TwilioRestClient client(http, options());
        // PhoneNumber is a pattern at Twilio: a longer number matches a shorter filter. The exact one wins...
        const std::string other = "PN99999999999999999999999999999999";
        http.reply(200, listJson({numberJson(other, "+141555501001"), numberJson(kNumberSid, "+14155550100")}));
        auto r = client.findIncomingNumber(tokenCredentials(), "+14155550100");
        CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
        CPPUNIT_ASSERT_EQUAL(kNumberSid, r->sid);
        // ...and a list of near misses is NotFound, never "the first one".
        http.reply(200, listJson({numberJson(other, "+141555501001")}));
        r = client.findIncomingNumber(tokenCredentials(), "+14155550100");
        CPPUNIT_ASSERT_EQUAL(sdk::StatusCode::NotFound, r.status().code());
        CPPUNIT_ASSERT_MESSAGE(r.status().message(), contains(r.status().message(), "+14155550100"));
        CPPUNIT_ASSERT_MESSAGE(r.status().message(), contains(r.status().message(), "1 listed"));
        // An empty page: NotFound, naming the number.
        http.reply(200, listJson({}));
        r = client.findIncomingNumber(tokenCredentials(), "+14155550100");
        CPPUNIT_ASSERT_EQUAL(sdk::StatusCode::NotFound, r.status().code());
        CPPUNIT_ASSERT_MESSAGE(r.status().message(), contains(r.status().message(), "no incoming phone number +14155550100"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), http.requestCount());
    }

    void testUpdateIncomingNumber()
    {
        ScriptedHttpClient http;
        TwilioRestClient client(http, options());
        http.reply(200, numberJson(kNumberSid, "+14155550100"));
        NumberVoiceSettings settings;
        settings.voiceUrl = "https://gw.example.com/twilio/voice?tenant=a b&x=é";
        settings.statusCallback = "https://gw.example.com/twilio/status";
        auto r = client.updateIncomingNumber(tokenCredentials(), kNumberSid, settings);
        CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
        CPPUNIT_ASSERT_EQUAL(kNumberSid, r->sid);
        const auto req = http.lastRequest();
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), req.method);
        CPPUNIT_ASSERT_EQUAL(kBase + "/IncomingPhoneNumbers/" + kNumberSid + ".json", req.url);
        CPPUNIT_ASSERT_EQUAL(std::string("application/x-www-form-urlencoded"), header(req, "Content-Type"));
        CPPUNIT_ASSERT_EQUAL(basic(kAccount, kToken), header(req, "Authorization"));
        CPPUNIT_ASSERT_EQUAL(std::string("VoiceUrl=https%3A%2F%2Fgw.example.com%2Ftwilio%2Fvoice%3Ftenant%3Da+b%26x%3D%C3%A9"
                                         "&VoiceMethod=POST"
                                         "&StatusCallback=https%3A%2F%2Fgw.example.com%2Ftwilio%2Fstatus"
                                         "&StatusCallbackMethod=POST"),
                             req.body);
        // Without a status callback the callback fields are left alone.
        http.reply(200, numberJson(kNumberSid, "+14155550100"));
        settings.statusCallback.clear();
        settings.voiceMethod = "GET";
        CPPUNIT_ASSERT(client.updateIncomingNumber(tokenCredentials(), kNumberSid, settings).isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("VoiceUrl=https%3A%2F%2Fgw.example.com%2Ftwilio%2Fvoice%3Ftenant%3Da+b%26x%3D%C3%A9"
                                         "&VoiceMethod=GET"),
                             http.lastRequest().body);
    }

    void testUpdateCallBodies()
    {
        ScriptedHttpClient http;
        TwilioRestClient client(http, options());
        const std::string url = kBase + "/Calls/" + kCallSid + ".json";

        http.reply(200, callJson("completed", "inbound"));
        CallUpdate hangUp;
        hangUp.completed = true;
        auto r = client.updateCall(tokenCredentials(), kCallSid, hangUp);
        CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("completed"), r->status);
        CPPUNIT_ASSERT_EQUAL(std::string("inbound"), r->direction);
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), http.lastRequest().method);
        CPPUNIT_ASSERT_EQUAL(url, http.lastRequest().url);
        CPPUNIT_ASSERT_EQUAL(std::string("Status=completed"), http.lastRequest().body);

        http.reply(200, callJson("in-progress"));
        CallUpdate twiml;
        twiml.twiml = "<Response><Say>Hi & bye</Say><Hangup/></Response>";
        CPPUNIT_ASSERT(client.updateCall(tokenCredentials(), kCallSid, twiml).isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("Twiml=%3CResponse%3E%3CSay%3EHi+%26+bye%3C%2FSay%3E%3CHangup%2F%3E%3C%2FResponse%3E"),
                             http.lastRequest().body);
        CPPUNIT_ASSERT_EQUAL(std::string("application/x-www-form-urlencoded"), header(http.lastRequest(), "Content-Type"));

        http.reply(200, callJson("in-progress"));
        CallUpdate redirect;
        redirect.url = "https://gw.example.com/twilio/voice?resume=1";
        CPPUNIT_ASSERT(client.updateCall(tokenCredentials(), kCallSid, redirect).isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("Url=https%3A%2F%2Fgw.example.com%2Ftwilio%2Fvoice%3Fresume%3D1&Method=POST"),
                             http.lastRequest().body);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), http.requestCount());

        // Exactly one of the three: none or two is the caller's mistake, and nothing is sent.
        CallUpdate none;
        CallUpdate two;
        two.completed = true;
        two.url = "https://gw.example.com/x";
        CPPUNIT_ASSERT_EQUAL(sdk::StatusCode::InvalidArgument, client.updateCall(tokenCredentials(), kCallSid, none).status().code());
        CPPUNIT_ASSERT_EQUAL(sdk::StatusCode::InvalidArgument, client.updateCall(tokenCredentials(), kCallSid, two).status().code());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), http.requestCount());
    }

    void testCreateCall()
    {
        ScriptedHttpClient http;
        TwilioRestClient client(http, options());
        http.reply(201, callJson("queued"));
        CallCreate create;
        create.from = "+14155550100";
        create.to = "+14155550199";
        create.url = "https://gw.example.com/twilio/voice?outbound=1";
        create.statusCallback = "https://gw.example.com/twilio/status";
        create.timeoutSeconds = 25;
        auto r = client.createCall(tokenCredentials(), create);
        CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
        CPPUNIT_ASSERT_EQUAL(kCallSid, r->sid);
        CPPUNIT_ASSERT_EQUAL(std::string("queued"), r->status);
        CPPUNIT_ASSERT_EQUAL(std::string("outbound-api"), r->direction);
        CPPUNIT_ASSERT_EQUAL(std::string("+14155550100"), r->from);
        CPPUNIT_ASSERT_EQUAL(std::string("+14155550199"), r->to);
        const auto req = http.lastRequest();
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), req.method);
        CPPUNIT_ASSERT_EQUAL(kBase + "/Calls.json", req.url);
        CPPUNIT_ASSERT_EQUAL(std::string("From=%2B14155550100&To=%2B14155550199"
                                         "&Url=https%3A%2F%2Fgw.example.com%2Ftwilio%2Fvoice%3Foutbound%3D1&Method=POST"
                                         "&StatusCallback=https%3A%2F%2Fgw.example.com%2Ftwilio%2Fstatus"
                                         "&StatusCallbackEvent=initiated&StatusCallbackEvent=ringing"
                                         "&StatusCallbackEvent=answered&StatusCallbackEvent=completed"
                                         "&StatusCallbackMethod=POST&Timeout=25"),
                             req.body);

        // No status callback: no events either. Timeout outside Twilio's 1..600 is refused locally.
        http.reply(201, callJson("queued"));
        create.statusCallback.clear();
        create.timeoutSeconds = 30;
        CPPUNIT_ASSERT(client.createCall(tokenCredentials(), create).isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("From=%2B14155550100&To=%2B14155550199"
                                         "&Url=https%3A%2F%2Fgw.example.com%2Ftwilio%2Fvoice%3Foutbound%3D1&Method=POST&Timeout=30"),
                             http.lastRequest().body);
        create.timeoutSeconds = 601;
        CPPUNIT_ASSERT_EQUAL(sdk::StatusCode::InvalidArgument, client.createCall(tokenCredentials(), create).status().code());
        create.timeoutSeconds = 30;
        create.url.clear();
        CPPUNIT_ASSERT_EQUAL(sdk::StatusCode::InvalidArgument, client.createCall(tokenCredentials(), create).status().code());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), http.requestCount());
    }

    void testFetchCall()
    {
        ScriptedHttpClient http;
        TwilioRestClient client(http, options());
        http.reply(200, callJson("ringing"));
        auto r = client.fetchCall(tokenCredentials(), kCallSid);
        CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("ringing"), r->status);
        CPPUNIT_ASSERT_EQUAL(std::string("GET"), http.lastRequest().method);
        CPPUNIT_ASSERT_EQUAL(kBase + "/Calls/" + kCallSid + ".json", http.lastRequest().url);
        CPPUNIT_ASSERT(http.lastRequest().body.empty());
    }

    void testApiKeyAuthentication()
    {
        ScriptedHttpClient http;
        TwilioRestClient client(http, options());
        http.reply(200, callJson());
        CPPUNIT_ASSERT(client.fetchCall(keyCredentials(), kCallSid).isOk());
        // The key authenticates; the account is still the one addressed in the path.
        const auto req = http.lastRequest();
        CPPUNIT_ASSERT_EQUAL(basic(kKeySid, kKeySecret), header(req, "Authorization"));
        CPPUNIT_ASSERT_EQUAL(kBase + "/Calls/" + kCallSid + ".json", req.url);
        CPPUNIT_ASSERT(!contains(req.url, kKeySid));
    }

    void testConfigurableBaseUrl()
    {
        ScriptedHttpClient http;
        TwilioRestOptions o = options();
        o.baseUrl = "http://127.0.0.1:4010/"; // a stray trailing '/' is forgiven
        TwilioRestClient client(http, o);
        http.reply(200, callJson());
        CPPUNIT_ASSERT(client.fetchCall(tokenCredentials(), kCallSid).isOk());
        CPPUNIT_ASSERT_EQUAL("http://127.0.0.1:4010/2010-04-01/Accounts/" + kAccount + "/Calls/" + kCallSid + ".json",
                             http.lastRequest().url);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TwilioRestClientTest);
