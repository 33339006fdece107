// TwilioRestClientTest.cpp: the Twilio REST client against a scripted in-memory HttpClient — requests, auth, parsing, retries, errors, secrecy.
#include "ScriptedHttpClient.h"
#include "rest/TwilioRestClient.h"

#include <patchbay/sdk/support/Base64.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

using namespace patchbay;
using namespace patchbay::twilio;
using patchbay::twilio::test::ScriptedHttpClient;

namespace {

const std::string kAccount = "AC0123456789abcdef0123456789abcdef";
const std::string kToken = "f00dfacef00dfacef00dfacef00dface"; // 32 characters, like an auth token
const std::string kKeySid = "SK89abcdef0123456789abcdef01234567";
const std::string kKeySecret = "Zq9xY8wV7uT6sR5qP4oN3mL2kJ1iH0gF";
const std::string kCallSid = "CAfedcba9876543210fedcba9876543210";
const std::string kNumberSid = "PN00112233445566778899aabbccddeeff";
const std::string kBase = "https://api.twilio.com/2010-04-01/Accounts/" + kAccount;

TwilioCredentials tokenCredentials()
{
    return {kAccount, kAccount, kToken};
}

TwilioCredentials keyCredentials()
{
    return {kAccount, kKeySid, kKeySecret};
}

std::string basic(const std::string& user, const std::string& password)
{
    return "Basic " + sdk::support::Base64::encode(user + ":" + password);
}

std::string header(const sdk::HttpClientRequest& r, const char* name)
{
    return std::string(sdk::findHeader(r.headers, name));
}

bool contains(const std::string& haystack, const std::string& needle)
{
    return haystack.find(needle) != std::string::npos;
}

// Shaped like Twilio's (and the OpenAPI spec's) documents, trimmed to what matters plus some noise.
std::string numberJson(const std::string& sid, const std::string& e164)
{
    return R"({"account_sid":")" + kAccount + R"(","address_requirements":"none","api_version":"2010-04-01","beta":false,)"
           R"("capabilities":{"voice":true,"sms":false,"mms":true,"fax":false},"date_created":"Thu, 30 Jul 2015 23:19:04 +0000",)"
           R"("friendly_name":"(808) 925-5327","identity_sid":null,"phone_number":")" + e164 + R"(","origin":"origin",)"
           R"("sid":")" + sid + R"(","sms_application_sid":"","sms_method":"POST","status_callback":"https://gw.example.com/twilio/status",)"
           R"("status_callback_method":"POST","trunk_sid":null,"uri":"/2010-04-01/Accounts/)" + kAccount + "/IncomingPhoneNumbers/" + sid + R"(.json",)"
           R"("voice_application_sid":"","voice_caller_id_lookup":false,"voice_fallback_method":"POST","voice_fallback_url":null,)"
           R"("voice_method":"GET","voice_url":"https:\/\/old.example.com\/voice?x=1&y=2","emergency_status":"Active","status":"in-use"})";
}

std::string listJson(const std::vector<std::string>& numbers)
{
    std::string items;
    for (const auto& n : numbers)
        items += (items.empty() ? "" : ",") + n;
    return R"({"end":0,"first_page_uri":"/2010-04-01/Accounts/)" + kAccount +
           R"(/IncomingPhoneNumbers.json?PageSize=50&Page=0","incoming_phone_numbers":[)" + items +
           R"(],"next_page_uri":null,"page":0,"page_size":50,"previous_page_uri":null,"start":0,"uri":"/x.json"})";
}

std::string callJson(const std::string& status = "queued", const std::string& direction = "outbound-api")
{
    return R"({"account_sid":")" + kAccount + R"(","answered_by":null,"api_version":"2010-04-01","caller_name":null,)"
           R"("date_created":null,"direction":")" + direction + R"(","duration":null,"from":"+14155550100",)"
           R"("from_formatted":"(415) 555-0100","parent_call_sid":null,"price":null,"sid":")" + kCallSid + R"(",)"
           R"("status":")" + status + R"(","subresource_uris":{"notifications":"/n.json"},"to":"+14155550199","trunk_sid":null})";
}

std::string twilioError(int status, int code, const std::string& message)
{
    return R"({"code":)" + std::to_string(code) + R"(,"message":")" + message + R"(","more_info":"https://www.twilio.com/docs/errors/)" +
           std::to_string(code) + R"(","status":)" + std::to_string(status) + "}";
}

struct SleepRecorder
{
    std::vector<std::uint32_t> sleeps;
    std::function<void(std::uint32_t)> fn()
    {
        return [this](std::uint32_t ms) { sleeps.push_back(ms); };
    }
};

TwilioRestOptions options(std::uint32_t maxRetries = 3, std::uint32_t retryBaseMs = 250)
{
    TwilioRestOptions o;
    o.maxRetries = maxRetries;
    o.retryBaseMs = retryBaseMs;
    o.timeoutMs = 7000;
    return o;
}

} // namespace

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
    CPPUNIT_TEST(testRetry429ThenSuccess);
    CPPUNIT_TEST(testRetry503Exhausted);
    CPPUNIT_TEST(testRetryAfterHonouredAndCapped);
    CPPUNIT_TEST(testBackoffCappedAt30Seconds);
    CPPUNIT_TEST(testTransportFailureRetried);
    CPPUNIT_TEST(testTransportInvalidArgumentNotRetried);
    CPPUNIT_TEST(testNoRetryOn400WithTwilioMessage);
    CPPUNIT_TEST(testHttpStatusMapping);
    CPPUNIT_TEST(testCreateCallRetriesOnlyOn429);
    CPPUNIT_TEST(testNonJsonErrorBodies);
    CPPUNIT_TEST(testUnusableSuccessBodies);
    CPPUNIT_TEST(testInvalidInputMakesNoRequest);
    CPPUNIT_TEST(testSecretsAbsentFromEveryStatus);
    CPPUNIT_TEST(testDefaultSleepAndConcurrentUse);
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

    void testRetry429ThenSuccess()
    {
        ScriptedHttpClient http;
        SleepRecorder sleeps;
        TwilioRestClient client(http, options(3, 250), sleeps.fn());
        http.reply(429, twilioError(429, 20429, "Too Many Requests")).reply(200, callJson());
        auto r = client.fetchCall(tokenCredentials(), kCallSid);
        CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), http.requestCount());
        CPPUNIT_ASSERT(sleeps.sleeps == std::vector<std::uint32_t>({250}));
        // The retried request is the same request.
        const auto reqs = http.requests();
        CPPUNIT_ASSERT_EQUAL(reqs[0].url, reqs[1].url);
        CPPUNIT_ASSERT_EQUAL(header(reqs[0], "Authorization"), header(reqs[1], "Authorization"));
    }

    void testRetry503Exhausted()
    {
        ScriptedHttpClient http;
        SleepRecorder sleeps;
        TwilioRestClient client(http, options(3, 250), sleeps.fn());
        for (int i = 0; i < 4; ++i)
            http.reply(503, twilioError(503, 20503, "Service Unavailable"));
        NumberVoiceSettings settings;
        settings.voiceUrl = "https://gw.example.com/twilio/voice";
        auto r = client.updateIncomingNumber(tokenCredentials(), kNumberSid, settings);
        CPPUNIT_ASSERT_EQUAL(sdk::StatusCode::Unavailable, r.status().code());
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), http.requestCount());
        CPPUNIT_ASSERT(sleeps.sleeps == std::vector<std::uint32_t>({250, 500, 1000}));
        const std::string& m = r.status().message();
        CPPUNIT_ASSERT_MESSAGE(m, contains(m, "Twilio POST /2010-04-01/Accounts/" + kAccount + "/IncomingPhoneNumbers/" + kNumberSid + ".json: 503"));
        CPPUNIT_ASSERT_MESSAGE(m, contains(m, "(code 20503) Service Unavailable"));
        CPPUNIT_ASSERT_MESSAGE(m, contains(m, "gave up after 4 attempts"));

        // maxRetries 0: one attempt, no sleep.
        ScriptedHttpClient once;
        SleepRecorder none;
        TwilioRestClient single(once, options(0, 250), none.fn());
        once.reply(500, "");
        auto c = single.fetchCall(tokenCredentials(), kCallSid);
        CPPUNIT_ASSERT_EQUAL(sdk::StatusCode::Unavailable, c.status().code());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), once.requestCount());
        CPPUNIT_ASSERT(none.sleeps.empty());
        CPPUNIT_ASSERT_MESSAGE(c.status().message(), contains(c.status().message(), "500 (empty body) (1 attempt)"));
    }

    void testRetryAfterHonouredAndCapped()
    {
        ScriptedHttpClient http;
        SleepRecorder sleeps;
        TwilioRestClient client(http, options(3, 250), sleeps.fn());
        http.reply(429, twilioError(429, 20429, "Too Many Requests"), {{"Content-Type", "application/json"}, {"Retry-After", "2"}})
            .reply(503, "", {{"retry-after", " 120 "}})                             // capped at 30 s
            .reply(503, "", {{"Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"}}) // a date: plain backoff
            .reply(200, callJson());
        auto r = client.fetchCall(tokenCredentials(), kCallSid);
        CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), http.requestCount());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), sleeps.sleeps.size());
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(2000), sleeps.sleeps[0]);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(30000), sleeps.sleeps[1]);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(1000), sleeps.sleeps[2]); // 250 × 2^2
    }

    void testBackoffCappedAt30Seconds()
    {
        ScriptedHttpClient http;
        SleepRecorder sleeps;
        TwilioRestClient client(http, options(10, 9000), sleeps.fn());
        http.replyAlways(502, "<html><body>Bad Gateway</body></html>");
        auto r = client.fetchCall(tokenCredentials(), kCallSid);
        CPPUNIT_ASSERT_EQUAL(sdk::StatusCode::Unavailable, r.status().code());
        CPPUNIT_ASSERT_EQUAL(std::size_t(11), http.requestCount());
        const std::vector<std::uint32_t> expected{9000, 18000, 30000, 30000, 30000, 30000, 30000, 30000, 30000, 30000};
        CPPUNIT_ASSERT(sleeps.sleeps == expected);
        CPPUNIT_ASSERT_MESSAGE(r.status().message(), contains(r.status().message(), "gave up after 11 attempts"));
    }

    void testTransportFailureRetried()
    {
        ScriptedHttpClient http;
        SleepRecorder sleeps;
        TwilioRestClient client(http, options(2, 100), sleeps.fn());
        http.fail(sdk::Status::unavailable("https://api.twilio.com:443: connection refused"))
            .fail(sdk::Status::unavailable("https://api.twilio.com:443: timed out after 7000 ms"))
            .reply(200, listJson({numberJson(kNumberSid, "+14155550100")}));
        auto r = client.findIncomingNumber(tokenCredentials(), "+14155550100");
        CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
        CPPUNIT_ASSERT(sleeps.sleeps == std::vector<std::uint32_t>({100, 200}));

        http.fail(sdk::Status::unavailable("https://api.twilio.com:443: connection refused"))
            .fail(sdk::Status::unavailable("https://api.twilio.com:443: connection refused"))
            .fail(sdk::Status::unavailable("https://api.twilio.com:443: host not found"));
        r = client.findIncomingNumber(tokenCredentials(), "+14155550100");
        CPPUNIT_ASSERT_EQUAL(sdk::StatusCode::Unavailable, r.status().code());
        const std::string& m = r.status().message();
        CPPUNIT_ASSERT_MESSAGE(m, contains(m, "Twilio GET /2010-04-01/Accounts/" + kAccount + "/IncomingPhoneNumbers.json: "));
        CPPUNIT_ASSERT_MESSAGE(m, contains(m, "host not found (gave up after 3 attempts)"));
    }

    void testTransportInvalidArgumentNotRetried()
    {
        ScriptedHttpClient http;
        SleepRecorder sleeps;
        TwilioRestOptions o = options();
        o.baseUrl = "ftp://api.twilio.com";
        TwilioRestClient client(http, o, sleeps.fn());
        http.fail(sdk::Status::invalidArgument("unsupported URL scheme \"ftp\" (expected http or https)"));
        auto r = client.fetchCall(tokenCredentials(), kCallSid);
        CPPUNIT_ASSERT_EQUAL(sdk::StatusCode::InvalidArgument, r.status().code());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), http.requestCount());
        CPPUNIT_ASSERT(sleeps.sleeps.empty());
        CPPUNIT_ASSERT_MESSAGE(r.status().message(), contains(r.status().message(), "unsupported URL scheme"));
    }

    void testNoRetryOn400WithTwilioMessage()
    {
        ScriptedHttpClient http;
        SleepRecorder sleeps;
        TwilioRestClient client(http, options(), sleeps.fn());
        http.reply(400, twilioError(400, 21211, "The 'To' number +1555 is not a valid phone number."));
        CallCreate create;
        create.from = "+14155550100";
        create.to = "+1555";
        create.url = "https://gw.example.com/twilio/voice";
        auto r = client.createCall(tokenCredentials(), create);
        CPPUNIT_ASSERT_EQUAL(sdk::StatusCode::InvalidArgument, r.status().code());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), http.requestCount());
        CPPUNIT_ASSERT(sleeps.sleeps.empty());
        CPPUNIT_ASSERT_EQUAL("Twilio POST /2010-04-01/Accounts/" + kAccount +
                                 "/Calls.json: 400 (code 21211) The 'To' number +1555 is not a valid phone number. "
                                 "\xE2\x80\x94 https://www.twilio.com/docs/errors/21211",
                             r.status().message());
    }

    void testHttpStatusMapping()
    {
        struct Case
        {
            int http;
            sdk::StatusCode code;
        };
        const Case cases[] = {{400, sdk::StatusCode::InvalidArgument}, {422, sdk::StatusCode::InvalidArgument},
                              {401, sdk::StatusCode::PermissionDenied}, {403, sdk::StatusCode::PermissionDenied},
                              {404, sdk::StatusCode::NotFound},         {409, sdk::StatusCode::AlreadyExists},
                              {405, sdk::StatusCode::Internal},         {302, sdk::StatusCode::Internal},
                              {413, sdk::StatusCode::Internal},         {100, sdk::StatusCode::Internal}};
        for (const Case& c : cases)
        {
            ScriptedHttpClient http;
            SleepRecorder sleeps;
            TwilioRestClient client(http, options(), sleeps.fn());
            http.reply(c.http, twilioError(c.http, 20000 + c.http, "Problem " + std::to_string(c.http)));
            auto r = client.fetchCall(tokenCredentials(), kCallSid);
            const std::string what = std::to_string(c.http) + ": " + r.status().toString();
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, c.code, r.status().code());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, std::size_t(1), http.requestCount()); // never retried
            CPPUNIT_ASSERT_MESSAGE(what, sleeps.sleeps.empty());
            CPPUNIT_ASSERT_MESSAGE(what, contains(r.status().message(), std::to_string(c.http) + " (code " +
                                                                            std::to_string(20000 + c.http) + ") Problem"));
        }
        // 401 as Twilio sends it: the message is the one from the document.
        ScriptedHttpClient http;
        TwilioRestClient client(http, options());
        http.reply(401, R"({"code": 20003, "detail": "Your AccountSid or AuthToken was incorrect.", "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401})");
        auto r = client.fetchCall(tokenCredentials(), kCallSid);
        CPPUNIT_ASSERT_EQUAL(sdk::StatusCode::PermissionDenied, r.status().code());
        CPPUNIT_ASSERT_MESSAGE(r.status().message(), contains(r.status().message(), "401 (code 20003) Authenticate"));
    }

    void testCreateCallRetriesOnlyOn429()
    {
        CallCreate create;
        create.from = "+14155550100";
        create.to = "+14155550199";
        create.url = "https://gw.example.com/twilio/voice";
        {
            // 5xx: Twilio may have created the call; a second POST could ring the callee twice.
            ScriptedHttpClient http;
            SleepRecorder sleeps;
            TwilioRestClient client(http, options(), sleeps.fn());
            http.reply(500, twilioError(500, 20500, "Internal Server Error"));
            auto r = client.createCall(tokenCredentials(), create);
            CPPUNIT_ASSERT_EQUAL(sdk::StatusCode::Unavailable, r.status().code());
            CPPUNIT_ASSERT_EQUAL(std::size_t(1), http.requestCount());
            CPPUNIT_ASSERT(sleeps.sleeps.empty());
            CPPUNIT_ASSERT_MESSAGE(r.status().message(), contains(r.status().message(), "not retried"));
        }
        {
            // A lost connection or a timeout: same doubt, same answer.
            ScriptedHttpClient http;
            SleepRecorder sleeps;
            TwilioRestClient client(http, options(), sleeps.fn());
            http.fail(sdk::Status::unavailable("https://api.twilio.com:443: timed out after 7000 ms"));
            auto r = client.createCall(tokenCredentials(), create);
            CPPUNIT_ASSERT_EQUAL(sdk::StatusCode::Unavailable, r.status().code());
            CPPUNIT_ASSERT_EQUAL(std::size_t(1), http.requestCount());
            CPPUNIT_ASSERT_MESSAGE(r.status().message(), contains(r.status().message(), "timed out after 7000 ms (not retried"));
        }
        {
            // 429: Twilio refused before doing anything, so it is retried like everything else.
            ScriptedHttpClient http;
            SleepRecorder sleeps;
            TwilioRestClient client(http, options(), sleeps.fn());
            http.reply(429, twilioError(429, 20429, "Too Many Requests"))
                .reply(429, twilioError(429, 20429, "Too Many Requests"), {{"Retry-After", "1"}})
                .reply(201, callJson());
            auto r = client.createCall(tokenCredentials(), create);
            CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
            CPPUNIT_ASSERT_EQUAL(std::size_t(3), http.requestCount());
            CPPUNIT_ASSERT(sleeps.sleeps == std::vector<std::uint32_t>({250, 1000}));
            const auto reqs = http.requests();
            CPPUNIT_ASSERT_EQUAL(reqs[0].body, reqs[2].body);
        }
    }

    void testNonJsonErrorBodies()
    {
        ScriptedHttpClient http;
        SleepRecorder sleeps;
        TwilioRestClient client(http, options(1, 10), sleeps.fn());
        const std::string html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\t<center><h1>502 Bad Gateway</h1></center></body></html>";
        http.reply(502, html, {{"Content-Type", "text/html"}}).reply(502, html, {{"Content-Type", "text/html"}});
        auto r = client.fetchCall(tokenCredentials(), kCallSid);
        CPPUNIT_ASSERT_EQUAL(sdk::StatusCode::Unavailable, r.status().code());
        std::string m = r.status().message();
        CPPUNIT_ASSERT_MESSAGE(m, contains(m, "502 (not a Twilio error document: text/html, " + std::to_string(html.size()) + " bytes: \"<html> <head><title>502 Bad Gateway"));
        CPPUNIT_ASSERT_MESSAGE(m, m.find('\r') == std::string::npos && m.find('\n') == std::string::npos && m.find('\t') == std::string::npos);

        // Truncated JSON and JSON that is not an object are described, not trusted.
        for (const char* body : {R"({"code": 21211, "message": "cut)", "[1,2,3]", "\xFF\xFE garbage"})
        {
            http.reply(400, body);
            r = client.fetchCall(tokenCredentials(), kCallSid);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(body, sdk::StatusCode::InvalidArgument, r.status().code());
            m = r.status().message();
            CPPUNIT_ASSERT_MESSAGE(m, contains(m, ": 400 (not a Twilio error document: application/json"));
        }
        // An oversized message is cut, on a character boundary.
        std::string longMessage;
        for (int i = 0; i < 300; ++i)
            longMessage += "\xC3\xA9"; // é
        http.reply(400, twilioError(400, 21210, longMessage));
        r = client.fetchCall(tokenCredentials(), kCallSid);
        m = r.status().message();
        CPPUNIT_ASSERT_MESSAGE(m, m.size() < 800);
        CPPUNIT_ASSERT_MESSAGE(m, contains(m, "\xC3\xA9\xE2\x80\xA6")); // é…
        // A problem document (RFC 7807) still says something useful.
        http.reply(422, R"({"type":"https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY","title":"Invalid request","status":422,"detail":"Request body must have required property 'To'"})");
        r = client.fetchCall(tokenCredentials(), kCallSid);
        CPPUNIT_ASSERT_EQUAL(sdk::StatusCode::InvalidArgument, r.status().code());
        CPPUNIT_ASSERT_MESSAGE(r.status().message(), contains(r.status().message(), "422 Invalid request: Request body must have required property 'To'"));
    }

    void testUnusableSuccessBodies()
    {
        ScriptedHttpClient http;
        TwilioRestClient client(http, options());
        http.reply(200, "<html>OK</html>", {{"Content-Type", "text/html"}});
        auto r = client.fetchCall(tokenCredentials(), kCallSid);
        CPPUNIT_ASSERT_EQUAL(sdk::StatusCode::Internal, r.status().code());
        CPPUNIT_ASSERT_MESSAGE(r.status().message(), contains(r.status().message(), "not JSON"));
        http.reply(200, R"({"status":"queued"})");
        r = client.fetchCall(tokenCredentials(), kCallSid);
        CPPUNIT_ASSERT_EQUAL(sdk::StatusCode::Internal, r.status().code());
        CPPUNIT_ASSERT_MESSAGE(r.status().message(), contains(r.status().message(), "no call \"sid\""));
        http.reply(200, R"({"page":0})");
        auto n = client.findIncomingNumber(tokenCredentials(), "+14155550100");
        CPPUNIT_ASSERT_EQUAL(sdk::StatusCode::Internal, n.status().code());
        CPPUNIT_ASSERT_MESSAGE(n.status().message(), contains(n.status().message(), "incoming_phone_numbers"));
        // Nulls and missing optional fields read as empty strings.
        http.reply(200, R"({"sid":")" + kCallSid + R"(","status":null,"from":12})");
        r = client.fetchCall(tokenCredentials(), kCallSid);
        CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
        CPPUNIT_ASSERT(r->status.empty() && r->from.empty() && r->to.empty() && r->direction.empty());
    }

    void testInvalidInputMakesNoRequest()
    {
        ScriptedHttpClient http;
        TwilioRestClient client(http, options());
        CallUpdate hangUp;
        hangUp.completed = true;
        NumberVoiceSettings settings;
        settings.voiceUrl = "https://gw.example.com/twilio/voice";
        const std::vector<std::pair<std::string, sdk::Status>> cases = {
            {"call sid with a slash", client.fetchCall(tokenCredentials(), "CA1/../../Accounts").status()},
            {"empty call sid", client.updateCall(tokenCredentials(), "", hangUp).status()},
            {"number sid with ?", client.updateIncomingNumber(tokenCredentials(), "PN1?x=1", settings).status()},
            {"not E.164", client.findIncomingNumber(tokenCredentials(), "4155550100").status()},
            {"E.164 with letters", client.findIncomingNumber(tokenCredentials(), "+1415CALLME").status()},
            {"account with a slash", client.fetchCall({"AC1/x", kAccount, kToken}, kCallSid).status()},
            {"no password", client.fetchCall({kAccount, kAccount, ""}, kCallSid).status()},
            {"no username", client.fetchCall({kAccount, "", kToken}, kCallSid).status()},
            {"username with ':'", client.fetchCall({kAccount, "SK1:2", kToken}, kCallSid).status()},
            {"bad voice method", [&] {
                 NumberVoiceSettings s = settings;
                 s.voiceMethod = "PUT";
                 return client.updateIncomingNumber(tokenCredentials(), kNumberSid, s).status();
             }()},
            {"no voice url", client.updateIncomingNumber(tokenCredentials(), kNumberSid, NumberVoiceSettings()).status()},
        };
        for (const auto& [what, status] : cases)
        {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what + ": " + status.toString(), sdk::StatusCode::InvalidArgument, status.code());
            CPPUNIT_ASSERT_MESSAGE(what, !contains(status.message(), kToken));
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), http.requestCount());
    }

    void testSecretsAbsentFromEveryStatus()
    {
        // Every failure path, for token and API key credentials, including peers that echo the
        // Authorization header or the secret back.
        for (const TwilioCredentials& as : {tokenCredentials(), keyCredentials()})
        {
            const std::string authorization = basic(as.username, as.password);
            const std::string token = authorization.substr(6);
            std::vector<sdk::Status> seen;
            auto exercise = [&](const std::function<void(ScriptedHttpClient&)>& script) {
                ScriptedHttpClient http;
                SleepRecorder sleeps;
                TwilioRestClient client(http, options(1, 1), sleeps.fn());
                script(http);
                http.replyAlways(500, R"({"message":"echo )" + as.password + " " + authorization + R"("})");
                CallCreate create;
                create.from = "+14155550100";
                create.to = "+14155550199";
                create.url = "https://gw.example.com/twilio/voice";
                NumberVoiceSettings settings;
                settings.voiceUrl = "https://gw.example.com/twilio/voice";
                CallUpdate hangUp;
                hangUp.completed = true;
                seen.push_back(client.findIncomingNumber(as, "+14155550100").status());
                seen.push_back(client.updateIncomingNumber(as, kNumberSid, settings).status());
                seen.push_back(client.updateCall(as, kCallSid, hangUp).status());
                seen.push_back(client.createCall(as, create).status());
                seen.push_back(client.fetchCall(as, kCallSid).status());
            };
            exercise([&](ScriptedHttpClient& http) {
                http.reply(401, twilioError(401, 20003, "Authenticate " + as.password));
                http.reply(400, "<html>" + authorization + "</html>", {{"Content-Type", "text/html"}});
                http.reply(404, R"({"message":")" + token + R"(","more_info":")" + as.password + R"("})");
                http.reply(429, twilioError(429, 20429, "slow down " + as.password));
            });
            exercise([&](ScriptedHttpClient& http) {
                http.fail(sdk::Status::unavailable("refused for " + as.password));
                http.fail(sdk::Status::internal("bug with " + authorization));
                http.fail(sdk::Status::invalidArgument("header \"Authorization\" " + token));
                http.reply(200, listJson({}));
                http.reply(200, "not json " + as.password);
            });
            exercise([&](ScriptedHttpClient&) {}); // everything 500 with the echo
            CPPUNIT_ASSERT(seen.size() >= 15);
            std::size_t failures = 0;
            for (const sdk::Status& st : seen)
            {
                if (st.isOk()) continue;
                ++failures;
                CPPUNIT_ASSERT_MESSAGE(st.message(), !contains(st.message(), as.password));
                CPPUNIT_ASSERT_MESSAGE(st.message(), !contains(st.message(), token));
                CPPUNIT_ASSERT_MESSAGE(st.message(), !contains(st.toString(), as.password));
                CPPUNIT_ASSERT_MESSAGE(st.message(), contains(st.message(), "Twilio"));
            }
            CPPUNIT_ASSERT_EQUAL(seen.size(), failures);
        }
    }

    void testDefaultSleepAndConcurrentUse()
    {
        ScriptedHttpClient http;
        TwilioRestClient client(http, options(1, 1)); // the real sleep, 1 ms
        http.reply(503, "").reply(200, callJson());
        CPPUNIT_ASSERT(client.fetchCall(tokenCredentials(), kCallSid).isOk());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), http.requestCount());

        // One instance, many threads.
        ScriptedHttpClient shared;
        shared.replyAlways(200, callJson("in-progress"));
        TwilioRestClient sharedClient(shared, options());
        std::atomic<int> ok{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 50; ++i)
                    if (sharedClient.fetchCall(i % 2 ? tokenCredentials() : keyCredentials(), kCallSid).isOk()) ++ok;
            });
        for (auto& th : threads)
            th.join();
        CPPUNIT_ASSERT_EQUAL(200, ok.load());
        CPPUNIT_ASSERT_EQUAL(std::size_t(200), shared.requestCount());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TwilioRestClientTest);
