// ConversationSessionLifecycleTest.cpp: how an ElevenLabs session opens (direct or signed URL), ends, and stays silent after close.
#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

#include "SessionTestFixture.h"

using namespace patchbay;
using namespace patchbay::elevenlabs;
using namespace patchbay::elevenlabs::test;

class ConversationSessionLifecycleTest : public SessionTestFixture
{
    CPPUNIT_TEST_SUITE(ConversationSessionLifecycleTest);
    CPPUNIT_TEST(testServerClose1000IsAgentEnded);
    CPPUNIT_TEST(testServerClose1011IsAgentFailed);
    CPPUNIT_TEST(testConnectFailureIsAgentFailed);
    CPPUNIT_TEST(testErrorMessageEndsWithAgentFailed);
    CPPUNIT_TEST(testErrorWithNormalCodeIsAgentEnded);
    CPPUNIT_TEST(testSignedUrlFlow);
    CPPUNIT_TEST(testSignedUrlConnectFailureHidesSignature);
    CPPUNIT_TEST(testSignedUrlUnauthorizedFails);
    CPPUNIT_TEST(testSignedUrlTransportFailure);
    CPPUNIT_TEST(testSignedUrlMalformedBody);
    CPPUNIT_TEST(testTenantKeyAndBaseUrlOverride);
    CPPUNIT_TEST(testCloseThenLateSocketEvents);
    CPPUNIT_TEST(testCloseWhileConnecting);
    CPPUNIT_TEST(testCloseDuringSignedUrlFetch);
    CPPUNIT_TEST(testDestroyedSessionThenLateEvents);
    CPPUNIT_TEST(testCloseIsIdempotent);
    CPPUNIT_TEST(testNoChannelCallsAfterLegEnded);
    CPPUNIT_TEST(testMissingAgentIdInvalid);
    CPPUNIT_TEST(testInvalidTenantBaseUrl);
    CPPUNIT_TEST(testApiKeyNeverLogged);
    CPPUNIT_TEST_SUITE_END();

public:
    void testServerClose1000IsAgentEnded()
    {
        auto& socket = startReady();
        _host->closeOutbound(0, 1000, "Conversation ended");
        CPPUNIT_ASSERT(_channel->endReason() == sdk::EndReason::AgentEnded);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _channel->endedCount());
        CPPUNIT_ASSERT(_channel->endDetail().find("1000") != std::string::npos);
        CPPUNIT_ASSERT(!socket.closeRequested()); // already closed by the peer
        CPPUNIT_ASSERT_EQUAL(0.0, metric("elevenlabs_sessions_failed_total"));
        _session->close(sdk::EndReason::AgentEnded);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _channel->endedCount());
    }

    void testServerClose1011IsAgentFailed()
    {
        startReady();
        _host->closeOutbound(0, 1011, "internal error");
        CPPUNIT_ASSERT(_channel->endReason() == sdk::EndReason::AgentFailed);
        CPPUNIT_ASSERT(_channel->endDetail().find("1011") != std::string::npos);
        CPPUNIT_ASSERT(_channel->endDetail().find("internal error") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(1.0, metric("elevenlabs_sessions_failed_total"));
    }

    void testConnectFailureIsAgentFailed()
    {
        start();
        _host->failOutbound(0, "connection refused");
        CPPUNIT_ASSERT(_channel->hasEnded());
        CPPUNIT_ASSERT(_channel->endReason() == sdk::EndReason::AgentFailed);
        CPPUNIT_ASSERT(_channel->endDetail().find("connection refused") != std::string::npos);
        _session->close(sdk::EndReason::AgentFailed);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _channel->endedCount());
    }

    void testErrorMessageEndsWithAgentFailed()
    {
        auto& socket = startReady();
        _host->deliverText(0, R"({"type":"error","error_event":{"code":1008,"message":"Override for field first_message is not allowed","error_type":"override_error"}})");
        CPPUNIT_ASSERT(_channel->endReason() == sdk::EndReason::AgentFailed);
        CPPUNIT_ASSERT(_channel->endDetail().find("override_error") != std::string::npos);
        // The record keeps the agent's own reason, not just its code.
        CPPUNIT_ASSERT_EQUAL(std::string("agent error 1008 override_error: Override for field first_message is not allowed"),
                             _channel->endDetail());
        CPPUNIT_ASSERT(_host->recordingLogger().contains(sdk::LogLevel::Warn, "first_message is not allowed"));
        CPPUNIT_ASSERT(socket.closeRequested());
        // The server's own close that follows changes nothing.
        _host->closeOutbound(0, 1008, "bad override");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _channel->endedCount());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _channel->callsAfterEnd());
    }

    void testErrorWithNormalCodeIsAgentEnded()
    {
        startReady();
        _host->deliverText(0, R"({"type":"error","error_event":{"code":1000,"message":"Max duration exceeded","error_type":"max_duration_exceeded"}})");
        CPPUNIT_ASSERT(_channel->endReason() == sdk::EndReason::AgentEnded);
    }

    void testSignedUrlFlow()
    {
        auto& http = _host->fakeHttpClient();
        http.respond("http://rest.test:9200/v1/convai/conversation/get-signed-url",
                     200, R"({"signed_url":")" + kSignedUrl + R"("})");
        start(R"({"baseUrl":"ws://agent.test:9100","signedUrlBase":"http://rest.test:9200","apiKey":")" + kApiKey + R"("})");
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _host->outboundCount()); // nothing before the URL is known
        _host->runUntilIdle();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), http.requestCount());
        const auto request = http.requests()[0];
        CPPUNIT_ASSERT_EQUAL(std::string("GET"), request.method);
        CPPUNIT_ASSERT_EQUAL(std::string("http://rest.test:9200/v1/convai/conversation/get-signed-url?agent_id=agent%2F1"), request.url);
        CPPUNIT_ASSERT_EQUAL(kApiKey, std::string(sdk::findHeader(request.headers, "xi-api-key")));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(750), request.timeoutMs);

        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _host->outboundCount());
        CPPUNIT_ASSERT_EQUAL(kSignedUrl, _host->outbound(0).options.url); // verbatim
        CPPUNIT_ASSERT(_host->outbound(0).options.headers.empty());  // the key is not sent to the socket
        auto& socket = _host->openOutbound(0);
        CPPUNIT_ASSERT(socket.sentTexts().size() == 1);
        _host->deliverText(0, metadata());
        CPPUNIT_ASSERT(_channel->isReady());
        CPPUNIT_ASSERT_MESSAGE(logs(), !_host->recordingLogger().contains(kSignature));
    }

    void testSignedUrlConnectFailureHidesSignature()
    {
        _host->fakeHttpClient().respond("https://api.elevenlabs.io/", 200, R"({"signed_url":")" + kSignedUrl + R"("})");
        start(R"({"apiKey":")" + kApiKey + R"("})");
        _host->runUntilIdle();
        _host->failOutbound(0, "TLS handshake with " + kSignedUrl + " failed");
        CPPUNIT_ASSERT(_channel->endReason() == sdk::EndReason::AgentFailed);
        CPPUNIT_ASSERT_MESSAGE(_channel->endDetail(), _channel->endDetail().find(kSignature) == std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(_channel->endDetail(), _channel->endDetail().find("failed") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(logs(), !_host->recordingLogger().contains(kSignature));
    }

    void testSignedUrlUnauthorizedFails()
    {
        _host->fakeHttpClient().respond("https://api.elevenlabs.io/", 401,
                                        R"({"detail":{"status":"invalid_api_key","message":"Invalid API key: )" + kApiKey + R"("}})");
        start(R"({"apiKey":")" + kApiKey + R"("})");
        _host->runUntilIdle();
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _host->outboundCount());
        CPPUNIT_ASSERT(_channel->hasEnded());
        CPPUNIT_ASSERT(_channel->endReason() == sdk::EndReason::AgentFailed);
        CPPUNIT_ASSERT_MESSAGE(_channel->endDetail(), _channel->endDetail().find("401") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(_channel->endDetail(), _channel->endDetail().find("API key") != std::string::npos);
        CPPUNIT_ASSERT(_channel->endDetail().find(kApiKey) == std::string::npos);
        CPPUNIT_ASSERT(!_host->recordingLogger().contains(kApiKey));
    }

    void testSignedUrlTransportFailure()
    {
        _host->fakeHttpClient().fail("https://api.elevenlabs.io/", sdk::Status::unavailable("connect timeout"));
        start(R"({"apiKey":")" + kApiKey + R"("})");
        _host->runUntilIdle();
        CPPUNIT_ASSERT(_channel->endReason() == sdk::EndReason::AgentFailed);
        CPPUNIT_ASSERT(_channel->endDetail().find("connect timeout") != std::string::npos);
    }

    void testSignedUrlMalformedBody()
    {
        _host->fakeHttpClient().respond("https://api.elevenlabs.io/", 200, R"({"signed_url":"https://not-a-socket"})");
        start(R"({"apiKey":")" + kApiKey + R"("})");
        _host->runUntilIdle();
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _host->outboundCount());
        CPPUNIT_ASSERT(_channel->endReason() == sdk::EndReason::AgentFailed);
        CPPUNIT_ASSERT(_channel->endDetail().find("signed_url") != std::string::npos);
    }

    void testTenantKeyAndBaseUrlOverride()
    {
        auto& http = _host->fakeHttpClient();
        http.respond("https://api.eu.residency.elevenlabs.io/", 200,
                     R"({"signed_url":"wss://api.eu.residency.elevenlabs.io/v1/convai/conversation?agent_id=x&conversation_signature=s"})");
        init(R"({"apiKey":"sk_global"})");
        auto request = makeRequest();
        request.agent.apiKey = "sk_tenant";
        request.agent.baseUrl = "wss://api.eu.residency.elevenlabs.io";
        open(request);
        _host->runUntilIdle();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), http.requestCount());
        CPPUNIT_ASSERT_EQUAL(std::string("sk_tenant"), std::string(sdk::findHeader(http.requests()[0].headers, "xi-api-key")));
        CPPUNIT_ASSERT(http.requests()[0].url.rfind("https://api.eu.residency.elevenlabs.io/v1/convai/", 0) == 0);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _host->outboundCount());

        // A tenant base without any key connects directly to the tenant's host.
        restart();
        init("{}");
        request.agent.apiKey.clear();
        open(request);
        CPPUNIT_ASSERT_EQUAL(std::string("wss://api.eu.residency.elevenlabs.io/v1/convai/conversation?agent_id=agent%2F1"),
                             _host->outbound(0).options.url);
    }

    void testCloseThenLateSocketEvents()
    {
        auto& socket = startReady();
        const auto eventsBefore = _channel->events().size();
        _session->close(sdk::EndReason::Completed);
        CPPUNIT_ASSERT(socket.closeRequested());
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(1000), socket.closeCode());
        _host->deliverText(0, audio("AAAA", 9));
        _host->deliverText(0, interruption(10));
        _host->deliverText(0, R"({"type":"error","error_event":{"code":1011}})");
        _host->closeOutbound(0, 1011, "late");
        CPPUNIT_ASSERT_EQUAL(eventsBefore, _channel->events().size());
        CPPUNIT_ASSERT(!_channel->hasEnded());
        // Caller audio after close goes nowhere.
        _session->onAudio(callerFrame("AAAA"));
        _session->onDtmf('1');
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), socket.sendsWhileClosed());
    }

    void testCloseWhileConnecting()
    {
        start();
        _session->close(sdk::EndReason::Completed);
        auto& socket = _host->openOutbound(0);
        CPPUNIT_ASSERT(socket.closeRequested());
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(1000), socket.closeCode());
        CPPUNIT_ASSERT(socket.sentTexts().empty());
        _host->closeOutbound(0);
        CPPUNIT_ASSERT(_channel->events().empty());
    }

    void testCloseDuringSignedUrlFetch()
    {
        _host->fakeHttpClient().respond("https://api.elevenlabs.io/", 200, R"({"signed_url":")" + kSignedUrl + R"("})");
        start(R"({"apiKey":")" + kApiKey + R"("})");
        _session->close(sdk::EndReason::Completed);
        _host->runUntilIdle();
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _host->outboundCount());
        CPPUNIT_ASSERT(_channel->events().empty());

        // Same, with the session destroyed before the worker finishes.
        restart();
        _host->fakeHttpClient().respond("https://api.elevenlabs.io/", 200, R"({"signed_url":")" + kSignedUrl + R"("})");
        start(R"({"apiKey":")" + kApiKey + R"("})");
        _session.reset();
        _host->runUntilIdle();
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _host->outboundCount());
        CPPUNIT_ASSERT(_channel->events().empty());
    }

    void testDestroyedSessionThenLateEvents()
    {
        auto& socket = startReady();
        const auto eventsBefore = _channel->events().size();
        _session.reset(); // the core may drop the session without close()
        CPPUNIT_ASSERT(socket.closeRequested());
        _host->deliverText(0, audio("AAAA", 9));
        _host->deliverText(0, R"({"type":"ping","ping_event":{"event_id":3}})");
        _host->closeOutbound(0, 1000, "");
        CPPUNIT_ASSERT_EQUAL(eventsBefore, _channel->events().size());
        CPPUNIT_ASSERT(!_channel->hasEnded());
    }

    void testCloseIsIdempotent()
    {
        auto& socket = startReady();
        _session->close(sdk::EndReason::Completed);
        _session->close(sdk::EndReason::HostShutdown);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(1000), socket.closeCode());
        _session.reset();
        CPPUNIT_ASSERT(!_channel->hasEnded());
    }

    void testNoChannelCallsAfterLegEnded()
    {
        startReady();
        _host->closeOutbound(0, 1002, "timeout");
        _host->deliverText(0, audio("AAAA", 50));
        _host->deliverText(0, interruption(51));
        _host->deliverText(0, metadata());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _channel->endedCount());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _channel->callsAfterEnd());
    }

    void testMissingAgentIdInvalid()
    {
        init();
        auto request = makeRequest();
        request.agent.agentId.clear();
        auto result = _plugin->openSession(request, *_channel, _host->loop());
        CPPUNIT_ASSERT(!result.isOk());
        CPPUNIT_ASSERT(result.status().code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _host->outboundCount());
        CPPUNIT_ASSERT(_channel->events().empty());
        CPPUNIT_ASSERT_EQUAL(1.0, metric("elevenlabs_sessions_failed_total"));
    }

    void testInvalidTenantBaseUrl()
    {
        init();
        auto request = makeRequest();
        request.agent.baseUrl = "https://api.elevenlabs.io";
        auto result = _plugin->openSession(request, *_channel, _host->loop());
        CPPUNIT_ASSERT(result.status().code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _host->outboundCount());
    }

    void testApiKeyNeverLogged()
    {
        // Walk every path that logs, with the key configured globally and per tenant.
        _host->fakeHttpClient().respond("https://api.elevenlabs.io/", 200, R"({"signed_url":")" + kSignedUrl + R"("})");
        init(R"({"apiKey":")" + kApiKey + R"("})");
        auto request = makeRequest();
        request.agent.apiKey = kApiKey + "_tenant";
        open(request);
        _host->runUntilIdle();
        _host->openOutbound(0);
        _host->deliverText(0, "garbage");
        _host->deliverText(0, R"({"type":"new_thing"})");
        _host->deliverText(0, metadata());
        _host->outboundConnection(0)->setQueueFull(true);
        _session->onAudio(callerFrame("AAAA"));
        _host->deliverText(0, R"({"type":"error","error_event":{"code":1011,"message":"boom","error_type":"unknown_websocket_crash"}})");
        CPPUNIT_ASSERT(_host->recordingLogger().size() > 3);
        CPPUNIT_ASSERT_MESSAGE(logs(), !_host->recordingLogger().contains(kApiKey));
        CPPUNIT_ASSERT_MESSAGE(logs(), !_host->recordingLogger().contains(kSignature));
        CPPUNIT_ASSERT(_channel->endDetail().find(kApiKey) == std::string::npos);
        // Every line of the session is tagged with the call (init's lines belong to no call).
        for (const auto& line : _host->recordingLogger().lines())
        {
            const bool initLine = line.message.find("elevenlabs agent provider ready") != std::string::npos ||
                                  (line.message.find("webhook") != std::string::npos && line.message.find("disabled") != std::string::npos);
            if (!initLine)
                CPPUNIT_ASSERT_EQUAL_MESSAGE(line.message, std::string("CA0001"), line.callSid);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConversationSessionLifecycleTest);
