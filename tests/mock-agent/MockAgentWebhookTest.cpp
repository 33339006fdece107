// MockAgentWebhookTest.cpp: patchbay-mock-agent's signed post_call_transcription webhook, received on loopback.
#include "MockAgentFixture.h"

#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <condition_variable>
#include <ctime>
#include <mutex>

using namespace patchbay::mockagenttest;
using Kind = Received::Kind;
using std::chrono::milliseconds;

namespace {

constexpr const char* kSecret = "wsec_gateway_test_secret_0123456789";

/// Written here from elevenlabs.md §8.3, not shared with the tool, so the check is independent.
std::string hmacHex(const std::string& secret, const std::string& message)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
        reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
    std::string hex;
    char piece[3];
    for (unsigned int i = 0; i < length; ++i)
    {
        std::snprintf(piece, sizeof piece, "%02x", digest[i]);
        hex += piece;
    }
    return hex;
}

struct Delivery
{
    std::string path;
    std::string signature;
    std::string body;
};

/// Records every POST; answers the n-th one with statuses[n] (200 once they run out).
class WebhookReceiver
{
public:
    explicit WebhookReceiver(std::vector<int> statuses):
        _statuses(std::move(statuses)),
        _server(new Factory(*this), Poco::Net::ServerSocket(Poco::Net::SocketAddress("127.0.0.1", 0)),
            new Poco::Net::HTTPServerParams)
    {
        _server.start();
    }
    ~WebhookReceiver() { _server.stop(); }

    std::string url() const { return "http://127.0.0.1:" + std::to_string(_server.port()) + "/hooks/elevenlabs"; }

    /// Waits for `count` deliveries in all.
    std::vector<Delivery> wait(std::size_t count, milliseconds timeout)
    {
        std::unique_lock<std::mutex> lock(_mutex);
        _cv.wait_for(lock, timeout, [&] { return _deliveries.size() >= count; });
        return _deliveries;
    }

private:
    class Handler: public Poco::Net::HTTPRequestHandler
    {
    public:
        explicit Handler(WebhookReceiver& owner): _owner(owner) {}
        void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override
        {
            Delivery d{request.getURI(), request.get("ElevenLabs-Signature", ""), std::string()};
            Poco::StreamCopier::copyToString(request.stream(), d.body);
            int status = 200;
            {
                std::lock_guard<std::mutex> lock(_owner._mutex);
                if (_owner._deliveries.size() < _owner._statuses.size())
                    status = _owner._statuses[_owner._deliveries.size()];
                _owner._deliveries.push_back(std::move(d));
                _owner._cv.notify_all();
            }
            response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
            response.setContentLength(0);
            response.send();
        }

    private:
        WebhookReceiver& _owner;
    };

    class Factory: public Poco::Net::HTTPRequestHandlerFactory
    {
    public:
        explicit Factory(WebhookReceiver& owner): _owner(owner) {}
        Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override
        {
            return new Handler(_owner);
        }

    private:
        WebhookReceiver& _owner;
    };

    std::vector<int> _statuses;
    std::mutex _mutex;
    std::condition_variable _cv;
    std::vector<Delivery> _deliveries;
    Poco::Net::HTTPServer _server;
};

/// Checks the header against the raw body as §8.3 describes; returns the timestamp.
std::int64_t verifySignature(const Delivery& d)
{
    const std::size_t comma = d.signature.find(",v0=");
    CPPUNIT_ASSERT_MESSAGE("bad header '" + d.signature + "'", d.signature.rfind("t=", 0) == 0 && comma != std::string::npos);
    const std::string t = d.signature.substr(2, comma - 2);
    const std::string v0 = d.signature.substr(comma + 4);
    CPPUNIT_ASSERT_EQUAL(hmacHex(kSecret, t + "." + d.body), v0);
    CPPUNIT_ASSERT(hmacHex(kSecret, d.body) != v0); // the timestamp prefix is part of what is signed
    return std::stoll(t);
}

} // namespace

// Outside any named namespace: ctest runs the suite as plain `MockAgentWebhookTest`.
class MockAgentWebhookTest: public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(MockAgentWebhookTest);
    CPPUNIT_TEST(verifierMatchesTheProtocolTestVector);
    CPPUNIT_TEST(postCallWebhookIsSignedAndDescribesTheConversation);
    CPPUNIT_TEST_SUITE_END();

public:
    // Guards the test's own HMAC helper with the vector of elevenlabs.md §8.3.
    void verifierMatchesTheProtocolTestVector()
    {
        const std::string body = "{\"type\":\"post_call_transcription\",\"event_timestamp\":1739537297,\"data\":"
                                 "{\"agent_id\":\"agent_test\",\"conversation_id\":\"conv_test\"}}";
        CPPUNIT_ASSERT_EQUAL(std::string("29644a0b2c730a15c573999eea49999a4883904b376dfc6672ceb1bcf30800b7"),
            hmacHex(kSecret, "1739537297." + body));
    }

    // Two conversations: the first webhook is answered 200, the second 503; both are signed, carry the
    // conversation's id, transcript and the dynamic variables the client sent, and the statuses end up
    // in the stats.
    void postCallWebhookIsSignedAndDescribesTheConversation()
    {
        WebhookReceiver receiver({200, 503});
        MockAgentProcess agent({"--post-call-url", receiver.url(), "--webhook-secret", kSecret, "--transcripts",
            "--transcript-every-ms", "100", "--tool-call", "lookup:{\"q\":1}@0"});
        std::vector<std::string> conversationIds;
        for (const char* callSid : {"CA0001", "CA0002"})
        {
            AgentClient client(agent.port());
            client.sendInit({{"call_sid", callSid}, {"tenant", "t_42"}});
            const Received metadata = client.waitFor("conversation_initiation_metadata", milliseconds(3000));
            CPPUNIT_ASSERT(metadata.kind == Kind::Text);
            conversationIds.push_back(metadata.json->getObject("conversation_initiation_metadata_event")
                                          ->getValue<std::string>("conversation_id"));
            for (int i = 0; i < 6; ++i)
                client.sendAudio(tone(400.0, 8000, true, 20));
            CPPUNIT_ASSERT(client.waitFor("agent_response", milliseconds(3000)).kind == Kind::Text);
            client.close();
        }

        const std::vector<Delivery> deliveries = receiver.wait(2, milliseconds(10000));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), deliveries.size());
        const auto now = static_cast<std::int64_t>(std::time(nullptr));
        for (std::size_t i = 0; i < 2; ++i)
        {
            const Delivery& d = deliveries[i];
            CPPUNIT_ASSERT_EQUAL(std::string("/hooks/elevenlabs"), d.path);
            const std::int64_t t = verifySignature(d);
            CPPUNIT_ASSERT(t <= now && t > now - 60);
            const auto body = Poco::JSON::Parser().parse(d.body).extract<Poco::JSON::Object::Ptr>();
            CPPUNIT_ASSERT_EQUAL(std::string("post_call_transcription"), body->getValue<std::string>("type"));
            const auto data = body->getObject("data");
            CPPUNIT_ASSERT_EQUAL(conversationIds[i], data->getValue<std::string>("conversation_id"));
            CPPUNIT_ASSERT_EQUAL(std::string("agent_test"), data->getValue<std::string>("agent_id"));
            const auto vars = data->getObject("conversation_initiation_client_data")->getObject("dynamic_variables");
            CPPUNIT_ASSERT_EQUAL(std::string(i == 0 ? "CA0001" : "CA0002"), vars->getValue<std::string>("call_sid"));
            CPPUNIT_ASSERT_EQUAL(std::string("t_42"), vars->getValue<std::string>("tenant"));
            const auto metadata = data->getObject("metadata");
            CPPUNIT_ASSERT(metadata->getValue<std::int64_t>("start_time_unix_secs") <= now);
            CPPUNIT_ASSERT_EQUAL(std::string("client ended the call"), metadata->getValue<std::string>("termination_reason"));
            // The tool call, then "caller segment 1" and its echo response.
            const auto transcript = data->getArray("transcript");
            CPPUNIT_ASSERT(transcript->size() >= 3);
            bool sawUser = false;
            bool sawAgent = false;
            bool sawTool = false;
            for (std::size_t k = 0; k < transcript->size(); ++k)
            {
                const auto turn = transcript->getObject(static_cast<unsigned>(k));
                const std::string role = turn->getValue<std::string>("role");
                const std::string message = turn->getValue<std::string>("message");
                sawUser = sawUser || (role == "user" && message == "caller segment 1");
                sawAgent = sawAgent || (role == "agent" && message == "echo of caller segment 1");
                sawTool = sawTool || turn->getArray("tool_calls")->size() == 1;
            }
            CPPUNIT_ASSERT(sawUser && sawAgent && sawTool);
        }

        const auto stats = agent.stop();
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), stats->getValue<std::uint64_t>("webhooksSent"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), stats->getValue<std::uint64_t>("webhooksFailed"));
        const auto hooks = stats->getArray("webhooks");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), hooks->size());
        CPPUNIT_ASSERT_EQUAL(conversationIds[0], hooks->getObject(0)->getValue<std::string>("conversation_id"));
        CPPUNIT_ASSERT_EQUAL(200, hooks->getObject(0)->getValue<int>("status"));
        CPPUNIT_ASSERT_EQUAL(503, hooks->getObject(1)->getValue<int>("status"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MockAgentWebhookTest);
