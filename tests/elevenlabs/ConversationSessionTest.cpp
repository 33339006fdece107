// ConversationSessionTest.cpp: ElevenLabs conversation sessions driven through the SDK's fake host, socket, HTTP client and channel.
#include <cppunit/extensions/HelperMacros.h>

#include <memory>
#include <string>

#include "ElevenLabsPlugin.h"
#include "patchbay/sdk/support/JsonDocument.h"
#include "patchbay/sdk/testing/FakeHostServices.h"
#include "patchbay/sdk/testing/RecordingCallChannel.h"

using namespace patchbay;
using namespace patchbay::elevenlabs;
using sdk::support::JsonDocument;
using sdk::testing::FakeHostServices;
using sdk::testing::FakeWebSocketConnection;
using sdk::testing::RecordingCallChannel;

namespace {

const std::string kApiKey = "sk_live_0123456789abcdefSECRET";
const std::string kSignature = "SIGNATURE_abc123";
const std::string kSignedUrl = "ws://agent.test:9100/v1/convai/conversation?agent_id=agent_1&conversation_signature=" + kSignature;

std::string metadata(const std::string& out = "ulaw_8000", const std::string& in = "ulaw_8000", const std::string& id = "conv_01")
{
    return R"({"type":"conversation_initiation_metadata","conversation_initiation_metadata_event":{"conversation_id":")" + id
           + R"(","agent_output_audio_format":")" + out + R"(","user_input_audio_format":")" + in + R"("}})";
}

std::string audio(const std::string& base64, int eventId)
{
    return R"({"type":"audio","audio_event":{"audio_base_64":")" + base64 + R"(","event_id":)" + std::to_string(eventId) + "}}";
}

std::string interruption(int eventId)
{
    return R"({"type":"interruption","interruption_event":{"event_id":)" + std::to_string(eventId) + "}}";
}

sdk::AudioFrame callerFrame(std::string_view payload)
{
    sdk::AudioFrame frame;
    frame.format = sdk::MediaFormat::ulaw8000();
    frame.encoding = sdk::PayloadEncoding::Base64;
    frame.payload = payload;
    frame.timestampMs = 20;
    return frame;
}

} // namespace

class ConversationSessionTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ConversationSessionTest);
    CPPUNIT_TEST(testConnectsToConversationUrl);
    CPPUNIT_TEST(testInitiationDataSentFirst);
    CPPUNIT_TEST(testMetadataMakesLegReady);
    CPPUNIT_TEST(testAgentAudioForwardedUnchanged);
    CPPUNIT_TEST(testAgentAudioBeforeMetadataDropped);
    CPPUNIT_TEST(testCallerAudioForwardedAsSameBase64);
    CPPUNIT_TEST(testCallerAudioBeforeReadyDroppedAndCounted);
    CPPUNIT_TEST(testRawCallerAudioEncoded);
    CPPUNIT_TEST(testCallerAudioInOtherFormatDropped);
    CPPUNIT_TEST(testInterruptionClearsAndFiltersLateAudio);
    CPPUNIT_TEST(testPingAnsweredWithSameEventId);
    CPPUNIT_TEST(testNonUlawMetadataFails);
    CPPUNIT_TEST(testPcmAcceptedWhenUlawNotRequired);
    CPPUNIT_TEST(testUnparseableFormatFails);
    CPPUNIT_TEST(testServerClose1000IsAgentEnded);
    CPPUNIT_TEST(testServerClose1011IsAgentFailed);
    CPPUNIT_TEST(testConnectFailureIsAgentFailed);
    CPPUNIT_TEST(testErrorMessageEndsWithAgentFailed);
    CPPUNIT_TEST(testErrorWithNormalCodeIsAgentEnded);
    CPPUNIT_TEST(testSignedUrlFlow);
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
    CPPUNIT_TEST(testUnknownMessageTypeIgnored);
    CPPUNIT_TEST(testMalformedJsonIgnoredAndCounted);
    CPPUNIT_TEST(testDtmfSentAsContextualUpdate);
    CPPUNIT_TEST(testClearAndMarkSendNothing);
    CPPUNIT_TEST(testBackPressureCountedAndLoggedOnce);
    CPPUNIT_TEST(testMissingAgentIdInvalid);
    CPPUNIT_TEST(testInvalidTenantBaseUrl);
    CPPUNIT_TEST(testMessagesCountedByType);
    CPPUNIT_TEST(testApiKeyNeverLogged);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _host = std::make_unique<FakeHostServices>("elevenlabs");
        _channel = std::make_unique<RecordingCallChannel>();
        _plugin = std::make_unique<ElevenLabsPlugin>();
    }

    void tearDown() override
    {
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _host->pluginFaults());
        _session.reset();
        _plugin.reset();
        _channel.reset();
        _host.reset();
    }

    void testConnectsToConversationUrl()
    {
        start();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _host->outboundCount());
        const auto& options = _host->outbound(0).options;
        CPPUNIT_ASSERT_EQUAL(std::string("ws://agent.test:9100/v1/convai/conversation?agent_id=agent%2F1"), options.url);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(750), options.connectTimeoutMs);
        CPPUNIT_ASSERT(options.headers.empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _host->fakeHttpClient().requestCount());
        CPPUNIT_ASSERT_EQUAL(1.0, metric("elevenlabs_sessions_opened_total"));
        CPPUNIT_ASSERT(!_channel->isReady());
        CPPUNIT_ASSERT(!_channel->hasEnded());
    }

    void testInitiationDataSentFirst()
    {
        start();
        auto& socket = _host->openOutbound(0);
        // Caller audio racing the open must not overtake the initiation data.
        _session->onAudio(callerFrame("AAAA"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), socket.sentTexts().size());
        JsonDocument doc;
        std::string error;
        CPPUNIT_ASSERT_MESSAGE(error + " in " + socket.sentTexts()[0], doc.parse(socket.sentTexts()[0], &error));
        const auto& root = doc.root();
        CPPUNIT_ASSERT_EQUAL(std::string("conversation_initiation_client_data"), std::string(root["type"].asString()));
        CPPUNIT_ASSERT_EQUAL(std::string("+14155550100"), std::string(root["dynamic_variables"]["caller_number"].asString()));
        CPPUNIT_ASSERT_EQUAL(std::string("+14155550199"), std::string(root["dynamic_variables"]["called_number"].asString()));
        CPPUNIT_ASSERT_EQUAL(std::string("CA0001"), std::string(root["dynamic_variables"]["twilio_call_sid"].asString()));
        CPPUNIT_ASSERT_EQUAL(std::string("CA0001"), std::string(root["dynamic_variables"]["call_sid"].asString()));
        CPPUNIT_ASSERT_EQUAL(std::string("t_42"), std::string(root["dynamic_variables"]["tenant_id"].asString()));
        CPPUNIT_ASSERT_EQUAL(std::string("gold"), std::string(root["dynamic_variables"]["customer_tier"].asString()));
        CPPUNIT_ASSERT_EQUAL(std::string("Hi from Acme"),
                             std::string(root["conversation_config_override"]["agent"]["first_message"].asString()));
        CPPUNIT_ASSERT(!root["user_id"].exists());
    }

    void testMetadataMakesLegReady()
    {
        start();
        _host->openOutbound(0);
        _host->deliverText(0, metadata("ulaw_8000", "ulaw_8000", "conv_abc"));
        CPPUNIT_ASSERT(_channel->isReady());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _channel->readyCount());
        CPPUNIT_ASSERT(_channel->legInfo().sendsFormat == sdk::MediaFormat::ulaw8000());
        CPPUNIT_ASSERT(_channel->legInfo().receivesFormat == sdk::MediaFormat::ulaw8000());
        CPPUNIT_ASSERT_EQUAL(std::string("conv_abc"), _channel->legInfo().remoteId);
        // A repeated metadata is not a second readiness.
        _host->deliverText(0, metadata());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _channel->readyCount());
    }

    void testAgentAudioForwardedUnchanged()
    {
        startReady();
        _host->deliverText(0, audio("f39/f3+A", 4));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _channel->audio().size());
        const auto& a = _channel->audio()[0];
        CPPUNIT_ASSERT_EQUAL(std::string("f39/f3+A"), a.payload);
        CPPUNIT_ASSERT(a.encoding == sdk::PayloadEncoding::Base64);
        CPPUNIT_ASSERT(a.format == sdk::MediaFormat::ulaw8000());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(4), a.eventId);
    }

    void testAgentAudioBeforeMetadataDropped()
    {
        start();
        _host->openOutbound(0);
        _host->deliverText(0, audio("AAAA", 1));
        CPPUNIT_ASSERT(_channel->audio().empty());
        CPPUNIT_ASSERT_EQUAL(1.0, metric("elevenlabs_audio_dropped_total", {{"direction", "to_caller"}, {"reason", "not_ready"}}));
    }

    void testCallerAudioForwardedAsSameBase64()
    {
        auto& socket = startReady();
        socket.clearSent();
        _session->onAudio(callerFrame("//7+/n5+fn5+"));
        _session->onAudio(callerFrame("AAAA"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), socket.sentTexts().size());
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"user_audio_chunk":"//7+/n5+fn5+"})"), socket.sentTexts()[0]);
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"user_audio_chunk":"AAAA"})"), socket.sentTexts()[1]);
    }

    void testCallerAudioBeforeReadyDroppedAndCounted()
    {
        start();
        _session->onAudio(callerFrame("AAAA")); // not even connected
        auto& socket = _host->openOutbound(0);
        _session->onAudio(callerFrame("BBBB")); // open, no metadata yet
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), socket.sentTexts().size()); // only the initiation data
        CPPUNIT_ASSERT_EQUAL(2.0, metric("elevenlabs_audio_dropped_total", {{"direction", "to_agent"}, {"reason", "not_ready"}}));
        _host->deliverText(0, metadata());
        _session->onAudio(callerFrame("CCCC"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), socket.sentTexts().size());
    }

    void testRawCallerAudioEncoded()
    {
        auto& socket = startReady();
        socket.clearSent();
        sdk::AudioFrame frame = callerFrame(std::string_view("\xff\xfe\x7f", 3));
        frame.encoding = sdk::PayloadEncoding::Raw;
        _session->onAudio(frame);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), socket.sentTexts().size());
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"user_audio_chunk":"//5/"})"), socket.sentTexts()[0]);
    }

    void testCallerAudioInOtherFormatDropped()
    {
        auto& socket = startReady();
        socket.clearSent();
        sdk::AudioFrame frame = callerFrame("AAAA");
        frame.format = sdk::MediaFormat::pcm16(16000);
        _session->onAudio(frame);
        CPPUNIT_ASSERT(socket.sentTexts().empty());
        CPPUNIT_ASSERT_EQUAL(1.0, metric("elevenlabs_audio_dropped_total", {{"direction", "to_agent"}, {"reason", "format"}}));
    }

    void testInterruptionClearsAndFiltersLateAudio()
    {
        startReady();
        _host->deliverText(0, audio("AAAA", 4));
        _host->deliverText(0, interruption(5));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _channel->clears());
        _host->deliverText(0, audio("BBBB", 4)); // late chunk of the interrupted turn
        _host->deliverText(0, audio("CCCC", 5)); // equal id: still the interrupted turn
        _host->deliverText(0, audio("DDDD", 6)); // the next turn
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _channel->audio().size());
        CPPUNIT_ASSERT_EQUAL(std::string("AAAA"), _channel->audio()[0].payload);
        CPPUNIT_ASSERT_EQUAL(std::string("DDDD"), _channel->audio()[1].payload);
        const std::vector<std::string> expected = {"ready", "audio", "clear", "audio"};
        CPPUNIT_ASSERT(expected == _channel->events());
        CPPUNIT_ASSERT_EQUAL(2.0, metric("elevenlabs_audio_dropped_total", {{"direction", "to_caller"}, {"reason", "interrupted"}}));
        // An older interruption arriving late never lowers the mark.
        _host->deliverText(0, interruption(2));
        _host->deliverText(0, audio("EEEE", 5));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _channel->audio().size());
    }

    void testPingAnsweredWithSameEventId()
    {
        auto& socket = startReady();
        socket.clearSent();
        _host->deliverText(0, R"({"type":"ping","ping_event":{"event_id":17,"ping_ms":63}})");
        _host->deliverText(0, R"({"type":"ping","ping_event":{"event_id":18,"ping_ms":null}})");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), socket.sentTexts().size());
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"type":"pong","event_id":17})"), socket.sentTexts()[0]);
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"type":"pong","event_id":18})"), socket.sentTexts()[1]);
    }

    void testNonUlawMetadataFails()
    {
        start();
        auto& socket = _host->openOutbound(0);
        _host->deliverText(0, metadata("pcm_44100", "pcm_16000"));
        CPPUNIT_ASSERT(!_channel->isReady());
        CPPUNIT_ASSERT(_channel->hasEnded());
        CPPUNIT_ASSERT(_channel->endReason() == sdk::EndReason::AgentFailed);
        CPPUNIT_ASSERT_MESSAGE(_channel->endDetail(), _channel->endDetail().find("pcm_44100") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(_channel->endDetail(), _channel->endDetail().find("ulaw_8000") != std::string::npos);
        CPPUNIT_ASSERT(socket.closeRequested());
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(1000), socket.closeCode());
        CPPUNIT_ASSERT_EQUAL(1.0, metric("elevenlabs_sessions_failed_total"));
        // Only one side in ulaw is not enough either.
        restart();
        start();
        _host->openOutbound(0);
        _host->deliverText(0, metadata("ulaw_8000", "pcm_16000"));
        CPPUNIT_ASSERT(_channel->endReason() == sdk::EndReason::AgentFailed);
    }

    void testPcmAcceptedWhenUlawNotRequired()
    {
        start(R"({"baseUrl":"ws://agent.test:9100","requireUlaw":false})");
        _host->openOutbound(0);
        _host->deliverText(0, metadata("pcm_16000", "pcm_16000"));
        CPPUNIT_ASSERT(_channel->isReady());
        CPPUNIT_ASSERT(_channel->legInfo().sendsFormat == sdk::MediaFormat::pcm16(16000));
        _host->deliverText(0, audio("AAAA", 1));
        CPPUNIT_ASSERT(_channel->audio()[0].format == sdk::MediaFormat::pcm16(16000));
    }

    void testUnparseableFormatFails()
    {
        start(R"({"baseUrl":"ws://agent.test:9100","requireUlaw":false})");
        _host->openOutbound(0);
        _host->deliverText(0, metadata("mp3_44100_128", "pcm_16000"));
        CPPUNIT_ASSERT(_channel->endReason() == sdk::EndReason::AgentFailed);
        CPPUNIT_ASSERT(_channel->endDetail().find("mp3_44100_128") != std::string::npos);
    }

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

    void testUnknownMessageTypeIgnored()
    {
        startReady();
        _host->deliverText(0, R"({"type":"agent_response_metadata","agent_response_metadata_event":{}})");
        _host->deliverText(0, R"({"type":"brand_new","x":1})");
        _host->deliverText(0, audio("AAAA", 1));
        CPPUNIT_ASSERT(!_channel->hasEnded());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _channel->audio().size());
        CPPUNIT_ASSERT_EQUAL(2.0, metric("elevenlabs_unknown_message_types_total"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _host->recordingLogger().count("unknown agent message type"));
    }

    void testMalformedJsonIgnoredAndCounted()
    {
        startReady();
        _host->deliverText(0, "{not json");
        _host->deliverText(0, R"({"type":"audio","audio_event":{"audio_base_64":"AAAA"}})");
        _host->deliverText(0, "[]");
        _host->deliverText(0, audio("BBBB", 2));
        CPPUNIT_ASSERT(!_channel->hasEnded());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _channel->audio().size());
        CPPUNIT_ASSERT_EQUAL(3.0, metric("elevenlabs_malformed_messages_total"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _host->recordingLogger().count("malformed message"));
    }

    void testDtmfSentAsContextualUpdate()
    {
        auto& socket = startReady();
        socket.clearSent();
        _session->onDtmf('5');
        _session->onDtmf('#');
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), socket.sentTexts().size());
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"type":"contextual_update","text":"The caller pressed 5 on the keypad."})"),
                             socket.sentTexts()[0]);
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"type":"contextual_update","text":"The caller pressed # on the keypad."})"),
                             socket.sentTexts()[1]);
    }

    void testClearAndMarkSendNothing()
    {
        auto& socket = startReady();
        socket.clearSent();
        _session->onClear();
        _session->onMark("m1");
        CPPUNIT_ASSERT(socket.sentTexts().empty());
        CPPUNIT_ASSERT(!socket.closeRequested());
    }

    void testBackPressureCountedAndLoggedOnce()
    {
        auto& socket = startReady();
        socket.clearSent();
        socket.setQueueFull(true);
        for (int i = 0; i < 5; ++i)
            _session->onAudio(callerFrame("AAAA"));
        _host->deliverText(0, R"({"type":"ping","ping_event":{"event_id":1}})");
        CPPUNIT_ASSERT_EQUAL(6.0, metric("elevenlabs_sends_dropped_total"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _host->recordingLogger().count("write queue full"));
        CPPUNIT_ASSERT(!_channel->hasEnded());
        socket.setQueueFull(false);
        _session->onAudio(callerFrame("BBBB"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), socket.sentTexts().size());
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

    void testMessagesCountedByType()
    {
        startReady();
        _host->deliverText(0, audio("AAAA", 1));
        _host->deliverText(0, audio("AAAA", 2));
        _host->deliverText(0, R"({"type":"user_transcript","user_transcription_event":{"user_transcript":"hi","event_id":3}})");
        CPPUNIT_ASSERT_EQUAL(2.0, metric("elevenlabs_messages_received_total", {{"type", "audio"}}));
        CPPUNIT_ASSERT_EQUAL(1.0, metric("elevenlabs_messages_received_total", {{"type", "conversation_initiation_metadata"}}));
        CPPUNIT_ASSERT_EQUAL(1.0, metric("elevenlabs_messages_received_total", {{"type", "user_transcript"}}));
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
        // Every line is tagged with the call.
        for (const auto& line : _host->recordingLogger().lines())
        {
            if (line.message.find("elevenlabs agent provider ready") == std::string::npos)
                CPPUNIT_ASSERT_EQUAL_MESSAGE(line.message, std::string("CA0001"), line.callSid);
        }
    }

private:
    // Starts over inside one test, tearing down in the safe order (session before its host).
    void restart()
    {
        tearDown();
        setUp();
    }

    void init(const std::string& config = R"({"baseUrl":"ws://agent.test:9100"})")
    {
        std::string withTimeout = config;
        if (withTimeout.find("connectTimeoutMs") == std::string::npos)
            withTimeout.insert(1, withTimeout.size() > 2 ? R"("connectTimeoutMs":750,)" : R"("connectTimeoutMs":750)");
        const auto status = _plugin->init(*_host, withTimeout);
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.isOk());
    }

    static sdk::AgentSessionRequest makeRequest()
    {
        sdk::AgentSessionRequest request;
        request.call.callSid = "CA0001";
        request.call.tenantId = "t_42";
        request.call.from = "+14155550100";
        request.call.to = "+14155550199";
        request.call.inboundProvider = "twilio";
        request.agent.providerId = "elevenlabs";
        request.agent.agentId = "agent/1";
        request.agent.firstMessage = "Hi from Acme";
        request.agent.dynamicVariables = {{"customer_tier", "gold"}};
        request.callerFormat = sdk::MediaFormat::ulaw8000();
        return request;
    }

    void open(const sdk::AgentSessionRequest& request)
    {
        auto result = _plugin->openSession(request, *_channel, _host->loop());
        CPPUNIT_ASSERT_MESSAGE(result.status().toString(), result.isOk());
        _session = std::move(result).value();
    }

    void start(const std::string& config = R"({"baseUrl":"ws://agent.test:9100"})")
    {
        init(config);
        open(makeRequest());
    }

    FakeWebSocketConnection& startReady()
    {
        start();
        auto& socket = _host->openOutbound(0);
        _host->deliverText(0, metadata());
        CPPUNIT_ASSERT(_channel->isReady());
        return socket;
    }

    double metric(const std::string& name, const sdk::MetricLabels& labels = {}) const
    {
        return _host->fakeMetrics().counterValue(name, labels);
    }

    std::string logs() const { return _host->recordingLogger().dump(); }

    std::unique_ptr<FakeHostServices> _host;
    std::unique_ptr<RecordingCallChannel> _channel;
    std::unique_ptr<ElevenLabsPlugin> _plugin;
    std::unique_ptr<sdk::AgentSession> _session;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConversationSessionTest);
