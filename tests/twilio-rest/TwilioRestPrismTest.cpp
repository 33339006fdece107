// TwilioRestPrismTest.cpp: the Twilio REST client over the host's real PocoHttpClient against Stoplight Prism mocking twilio_api_v2010.json.
//
// Prism validates every request against Twilio's OpenAPI document (path parameters, query,
// Basic auth, form body types and enums) and, with --errors, answers any violation with a 4xx/5xx
// naming it. So "every exchange was 2xx" means Prism found nothing wrong with any request.
//
// Two quirks of the pair (spec, Prism 5.14) are worked around, neither by changing a request:
//  * The spec declares StatusCallbackEvent (Calls.json) an array but gives no Encoding Object, and
//    Prism only reads repeated form keys as an array when one exists (stoplightio/prism#2473). The
//    spec is fed to Prism through explicit-form-encodings.js, which writes the OpenAPI default
//    (style=form, explode=true) out explicitly; nothing else changes.
//  * The spec's own examples for IncomingPhoneNumber violate its schema (relative "uri" values,
//    empty *_application_sid against a pattern), which --errors turns into a 500. Number requests
//    therefore ask Prism for a response generated from the schema (Prefer: dynamic=true); call
//    requests get the spec's static examples, so their parsed fields are checked exactly.
#include "ChildProcess.h"
#include "PrismMock.h"
#include "rest/TwilioRestClient.h"

#include "net/HttpClient.h"

#include <patchbay/sdk/support/Json.h>

#include <Poco/File.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

using namespace patchbay;
using namespace patchbay::twilio;
using namespace std::chrono_literals;

namespace {

const std::string kAccount = "AC0123456789abcdef0123456789abcdef";
const std::string kToken = "f00dfacef00dfacef00dfacef00dface";
const std::string kCallSid = "CAfedcba9876543210fedcba9876543210";
const std::string kNumberSid = "PN00112233445566778899aabbccddeeff";

std::string workDir()
{
    return std::string(PATCHBAY_BINARY_DIR) + "/tests/twilio-rest/prism";
}

/// Prism mocking the Twilio spec on a free loopback port; started once for the whole suite
/// (it takes seconds to load 1.8 MB of OpenAPI) and killed when the test program exits.
/// One Prism for the whole run (starting it takes seconds); a failed start fails every test with its reason.
class PrismServer
{
public:
    static testsupport::PrismMock& instance()
    {
        static std::string failure;
        static std::unique_ptr<testsupport::PrismMock> server;
        if (!server && failure.empty())
        {
            try
            {
                server = std::make_unique<testsupport::PrismMock>(workDir(), true);
            }
            catch (const std::exception& e)
            {
                failure = e.what();
            }
        }
        if (!server) CPPUNIT_FAIL(failure);
        return *server;
    }
};

/// Passes requests to the real client and keeps every exchange, so a test can show what Prism
/// said about a request. Adds Prism's `Prefer: dynamic=true` to IncomingPhoneNumbers requests
/// (see the file comment); the request itself is untouched.
class RecordingHttpClient final : public sdk::HttpClient
{
public:
    struct Exchange
    {
        std::string method;
        std::string url;
        std::string requestBody;
        sdk::Status transport;
        int status = 0;
        std::string body;
    };

    explicit RecordingHttpClient(sdk::HttpClient& inner) : _inner(inner) {}

    sdk::Result<sdk::HttpClientResponse> send(const sdk::HttpClientRequest& request) noexcept override
    {
        sdk::HttpClientRequest forwarded = request;
        if (request.url.find("/IncomingPhoneNumbers") != std::string::npos)
            forwarded.headers.emplace_back("Prefer", "dynamic=true");
        auto result = _inner.send(forwarded);
        Exchange e;
        e.method = request.method;
        e.url = request.url;
        e.requestBody = request.body;
        if (result.isOk())
        {
            e.status = result.value().status;
            e.body = result.value().body;
        }
        else
        {
            e.transport = result.status();
        }
        std::lock_guard<std::mutex> lock(_mutex);
        _exchanges.push_back(std::move(e));
        return result;
    }

    std::vector<Exchange> exchanges() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _exchanges;
    }

    /// Every exchange, for failure messages.
    std::string transcript() const
    {
        std::string out;
        for (const auto& e : exchanges())
        {
            out += "\n  " + e.method + " " + e.url;
            if (!e.requestBody.empty()) out += "\n    body: " + e.requestBody;
            if (!e.transport.isOk())
                out += "\n    -> transport " + e.transport.toString();
            else
                out += "\n    -> " + std::to_string(e.status) + " " + e.body.substr(0, 1500);
        }
        return out;
    }

private:
    sdk::HttpClient& _inner;
    mutable std::mutex _mutex;
    std::vector<Exchange> _exchanges;
};

bool matches(const std::string& text, const char* pattern)
{
    return std::regex_match(text, std::regex(pattern));
}

} // namespace

class TwilioRestPrismTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TwilioRestPrismTest);
    CPPUNIT_TEST(testFindIncomingNumber);
    CPPUNIT_TEST(testUpdateIncomingNumber);
    CPPUNIT_TEST(testUpdateCallCompleted);
    CPPUNIT_TEST(testUpdateCallTwiml);
    CPPUNIT_TEST(testUpdateCallUrl);
    CPPUNIT_TEST(testCreateCall);
    CPPUNIT_TEST(testFetchCall);
    CPPUNIT_TEST(testApiKeyCredentials);
    CPPUNIT_TEST(testPrismRejectsWhatTheSpecForbids);
    CPPUNIT_TEST(testConnectionRefusedIsRetriedThenUnavailable);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        Poco::Net::initializeSSL();
        _poco = std::make_unique<host::PocoHttpClient>(host::ClientTlsConfig());
        _http = std::make_unique<RecordingHttpClient>(*_poco);
    }

    void tearDown() override
    {
        _client.reset();
        _http.reset();
        _poco.reset();
        Poco::Net::uninitializeSSL();
    }

    void testFindIncomingNumber()
    {
        auto r = client().findIncomingNumber(token(), "+14155550100");
        assertAllAccepted(1);
        // Prism invents the numbers, so an exact match for +14155550100 is unlikely: either way the
        // list was read.
        if (!r.isOk())
        {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.status().toString(), sdk::StatusCode::NotFound, r.status().code());
            CPPUNIT_ASSERT_MESSAGE(r.status().message(),
                r.status().message().find("no incoming phone number +14155550100") != std::string::npos);
        }
        else
        {
            CPPUNIT_ASSERT_EQUAL(std::string("+14155550100"), r->phoneNumber);
        }
        const auto e = _http->exchanges().front();
        CPPUNIT_ASSERT_EQUAL(std::string("GET"), e.method);
        CPPUNIT_ASSERT_EQUAL(baseUrl() + "/2010-04-01/Accounts/" + kAccount + "/IncomingPhoneNumbers.json?PhoneNumber=%2B14155550100", e.url);
    }

    void testUpdateIncomingNumber()
    {
        NumberVoiceSettings settings;
        settings.voiceUrl = "https://gw.example.com/twilio/voice?tenant=acme&name=Caf%C3%A9%20Nord";
        settings.statusCallback = "https://gw.example.com/twilio/status";
        auto r = client().updateIncomingNumber(token(), kNumberSid, settings);
        assertAllAccepted(1);
        CPPUNIT_ASSERT_MESSAGE(r.status().toString() + _http->transcript(), r.isOk());
        // Generated from the schema: check the shape, then that every field is what the body said.
        CPPUNIT_ASSERT_MESSAGE(r->sid, matches(r->sid, "^PN[0-9a-fA-F]{32}$"));
        CPPUNIT_ASSERT_MESSAGE(r->voiceMethod, matches(r->voiceMethod, "^(|GET|POST)$"));
        CPPUNIT_ASSERT_MESSAGE(r->statusCallbackMethod, matches(r->statusCallbackMethod, "^(|GET|POST)$"));
        sdk::support::JsonDocument doc;
        const std::string body = _http->exchanges().front().body;
        CPPUNIT_ASSERT(doc.parse(body));
        CPPUNIT_ASSERT_EQUAL(std::string(doc.root()["sid"].asString()), r->sid);
        CPPUNIT_ASSERT_EQUAL(std::string(doc.root()["phone_number"].asString()), r->phoneNumber);
        CPPUNIT_ASSERT_EQUAL(std::string(doc.root()["voice_url"].asString()), r->voiceUrl);
        CPPUNIT_ASSERT_EQUAL(std::string(doc.root()["voice_method"].asString()), r->voiceMethod);
        CPPUNIT_ASSERT_EQUAL(std::string(doc.root()["status_callback"].asString()), r->statusCallback);
        CPPUNIT_ASSERT_EQUAL(std::string(doc.root()["status_callback_method"].asString()), r->statusCallbackMethod);
    }

    void testUpdateCallCompleted()
    {
        CallUpdate update;
        update.completed = true;
        checkCallExample(client().updateCall(token(), kCallSid, update), "completed", "inbound");
    }

    void testUpdateCallTwiml()
    {
        CallUpdate update;
        update.twiml = "<Response><Say voice=\"alice\">Transferring you &amp; goodbye</Say><Hangup/></Response>";
        checkCallExample(client().updateCall(token(), kCallSid, update), "completed", "inbound");
    }

    void testUpdateCallUrl()
    {
        CallUpdate update;
        update.url = "https://gw.example.com/twilio/voice?resume=CAfedcba&step=2";
        checkCallExample(client().updateCall(token(), kCallSid, update), "completed", "inbound");
    }

    void testCreateCall()
    {
        CallCreate create;
        create.from = "+14155550100";
        create.to = "+14155550199";
        create.url = "https://gw.example.com/twilio/voice?outbound=1";
        create.statusCallback = "https://gw.example.com/twilio/status";
        create.timeoutSeconds = 45;
        checkCallExample(client().createCall(token(), create), "completed", "inbound", 201);
        const std::string sent = _http->exchanges().front().requestBody;
        CPPUNIT_ASSERT_MESSAGE(sent, sent.find("StatusCallbackEvent=initiated&StatusCallbackEvent=ringing&"
                                               "StatusCallbackEvent=answered&StatusCallbackEvent=completed") != std::string::npos);
    }

    void testFetchCall()
    {
        auto r = client().fetchCall(token(), kCallSid);
        assertAllAccepted(1);
        CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
        // The spec's "fetch" example.
        CPPUNIT_ASSERT_EQUAL(std::string("CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), r->sid);
        CPPUNIT_ASSERT_EQUAL(std::string("completed"), r->status);
        CPPUNIT_ASSERT_EQUAL(std::string("outbound-api"), r->direction);
        CPPUNIT_ASSERT_EQUAL(std::string("+13051416799"), r->from);
        CPPUNIT_ASSERT_EQUAL(std::string("+13051913581"), r->to);
    }

    void testApiKeyCredentials()
    {
        const TwilioCredentials key{kAccount, "SK89abcdef0123456789abcdef01234567", "Zq9xY8wV7uT6sR5qP4oN3mL2kJ1iH0gF"};
        auto r = client().fetchCall(key, kCallSid);
        assertAllAccepted(1);
        CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
    }

    void testPrismRejectsWhatTheSpecForbids()
    {
        // The checks above mean something only if Prism really validates: an account SID of the
        // wrong length passes our client's syntax check but not the spec's pattern.
        auto r = client().fetchCall({"AC0123", kAccount, kToken}, kCallSid);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.status().toString() + _http->transcript(), sdk::StatusCode::InvalidArgument,
                                     r.status().code());
        const auto e = _http->exchanges();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), e.size()); // a 422 is not retried
        CPPUNIT_ASSERT_EQUAL(422, e.front().status);
        CPPUNIT_ASSERT_MESSAGE(r.status().message(), r.status().message().find("422 Invalid request") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(r.status().message(), r.status().message().find(kToken) == std::string::npos);
    }

    void testConnectionRefusedIsRetriedThenUnavailable()
    {
        // Through the real client: a closed port is a transport failure, retried, then Unavailable.
        Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
        const std::uint16_t closed = probe.address().port();
        probe.close();
        TwilioRestOptions o;
        o.baseUrl = "http://127.0.0.1:" + std::to_string(closed);
        o.maxRetries = 2;
        o.retryBaseMs = 5;
        o.timeoutMs = 2000;
        std::vector<std::uint32_t> sleeps;
        TwilioRestClient refused(*_http, o, [&](std::uint32_t ms) { sleeps.push_back(ms); });
        auto r = refused.fetchCall(token(), kCallSid);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.status().toString(), sdk::StatusCode::Unavailable, r.status().code());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), _http->exchanges().size());
        CPPUNIT_ASSERT(sleeps == std::vector<std::uint32_t>({5, 10}));
        CPPUNIT_ASSERT_MESSAGE(r.status().message(), r.status().message().find("connection refused") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(r.status().message(), r.status().message().find("gave up after 3 attempts") != std::string::npos);
    }

private:
    static TwilioCredentials token()
    {
        return {kAccount, kAccount, kToken};
    }

    std::string baseUrl()
    {
        return PrismServer::instance().url();
    }

    TwilioRestClient& client()
    {
        if (!_client)
        {
            TwilioRestOptions o;
            o.baseUrl = baseUrl();
            o.timeoutMs = 30000; // a busy 2-core machine; Prism answers in milliseconds otherwise
            o.maxRetries = 0;    // a Prism error is a finding, never something to retry past
            _client = std::make_unique<TwilioRestClient>(*_http, o);
        }
        return *_client;
    }

    /// Every request reached Prism and was answered 2xx: nothing in it broke the spec.
    void assertAllAccepted(std::size_t expectedRequests)
    {
        const auto exchanges = _http->exchanges();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(_http->transcript(), expectedRequests, exchanges.size());
        for (const auto& e : exchanges)
            CPPUNIT_ASSERT_MESSAGE("Prism did not accept the request:" + _http->transcript(),
                                   e.transport.isOk() && e.status >= 200 && e.status <= 299);
    }

    /// The spec's Call examples ("update", "create") share these values.
    void checkCallExample(const sdk::Result<CallResource>& r, const std::string& status, const std::string& direction,
                          int httpStatus = 200)
    {
        assertAllAccepted(1);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(_http->transcript(), httpStatus, _http->exchanges().front().status);
        CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), r->sid);
        CPPUNIT_ASSERT_EQUAL(status, r->status);
        CPPUNIT_ASSERT_EQUAL(direction, r->direction);
        CPPUNIT_ASSERT_EQUAL(std::string("+14158675308"), r->from);
        CPPUNIT_ASSERT_EQUAL(std::string("+14158675309"), r->to);
    }

    std::unique_ptr<host::PocoHttpClient> _poco;
    std::unique_ptr<RecordingHttpClient> _http;
    std::unique_ptr<TwilioRestClient> _client;
};

CPPUNIT_TEST_SUITE_REGISTRATION(TwilioRestPrismTest);
