// ConversationSessionTest.cpp: an ElevenLabs conversation's media path — initiation, metadata, audio both ways, barge-in, ping, DTMF.
#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

#include "SessionTestFixture.h"

using namespace patchbay;
using namespace patchbay::elevenlabs;
using namespace patchbay::elevenlabs::test;

class ConversationSessionTest : public SessionTestFixture
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
    CPPUNIT_TEST(testUnknownMessageTypeIgnored);
    CPPUNIT_TEST(testMalformedJsonIgnoredAndCounted);
    CPPUNIT_TEST(testDtmfSentAsContextualUpdate);
    CPPUNIT_TEST(testClearAndMarkSendNothing);
    CPPUNIT_TEST(testBackPressureCountedAndLoggedOnce);
    CPPUNIT_TEST(testMessagesCountedByType);
    CPPUNIT_TEST_SUITE_END();

public:
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
        // ping_ms null (the first ping): at once; ping_ms 63: after 63 ms on the loop's timer.
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), socket.sentTexts().size());
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"type":"pong","event_id":18})"), socket.sentTexts()[0]);
        _host->loop().advance(63);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), socket.sentTexts().size());
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"type":"pong","event_id":17})"), socket.sentTexts()[1]);
    }

    void testNonUlawMetadataFails()
    {
        const std::string strict = R"({"baseUrl":"ws://agent.test:9100","requireUlaw":true})"; // opt-in
        start(strict);
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
        start(strict);
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
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConversationSessionTest);
