// TwilioRestClientFailureTest.cpp: the REST client under failure — retries and backoff, error mapping, bad bodies, bad input, secrecy, concurrency.
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

class TwilioRestClientFailureTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TwilioRestClientFailureTest);
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

CPPUNIT_TEST_SUITE_REGISTRATION(TwilioRestClientFailureTest);
