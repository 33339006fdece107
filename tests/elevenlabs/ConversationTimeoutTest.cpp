// ConversationTimeoutTest.cpp: the agent socket's silence and stall watches (silenceTimeoutMs, stallTimeoutMs) and their config keys.
#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <utility>

#include "ElevenLabsConfig.h"
#include "SessionTestFixture.h"

using namespace patchbay;
using namespace patchbay::elevenlabs;
using namespace patchbay::elevenlabs::test;

namespace {

const std::string kPing = R"({"type":"ping","ping_event":{"event_id":3}})";
const sdk::MetricLabels kSilence = {{"reason", "silence"}};
const sdk::MetricLabels kStall = {{"reason", "stall"}};

} // namespace

class ConversationTimeoutTest : public SessionTestFixture
{
    CPPUNIT_TEST_SUITE(ConversationTimeoutTest);
    CPPUNIT_TEST(testSilenceEndsLegAfterTimeout);
    CPPUNIT_TEST(testSilenceCountsFromOpenWithoutMetadata);
    CPPUNIT_TEST(testSilencePushedBackByMessages);
    CPPUNIT_TEST(testSilenceDefaultIsThirtySeconds);
    CPPUNIT_TEST(testSilenceOffAtZero);
    CPPUNIT_TEST(testStallEndsLegWhenQueueStaysFull);
    CPPUNIT_TEST(testStallStoppedByOnWritable);
    CPPUNIT_TEST(testStallStoppedByAcceptedSend);
    CPPUNIT_TEST(testWatchesCancelledWhenCoreCloses);
    CPPUNIT_TEST(testWatchesCancelledWhenAgentCloses);
    CPPUNIT_TEST(testConfigDefaultsAndBounds);
    CPPUNIT_TEST(testConfigRejectsOutOfRangeNamingKey);
    CPPUNIT_TEST_SUITE_END();

public:
    void testSilenceEndsLegAfterTimeout()
    {
        auto& socket = openReady(R"({"baseUrl":"ws://agent.test:9100","silenceTimeoutMs":1000})");
        _host->advanceTime(999);
        CPPUNIT_ASSERT_MESSAGE(_channel->endDetail(), !_channel->hasEnded());
        _host->advanceTime(1);
        CPPUNIT_ASSERT(_channel->hasEnded());
        CPPUNIT_ASSERT(_channel->endReason() == sdk::EndReason::AgentFailed);
        CPPUNIT_ASSERT_EQUAL(std::string("agent sent nothing for 1000 ms"), _channel->endDetail());
        CPPUNIT_ASSERT(socket.closeRequested());
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(sdk::CloseCode::Normal), socket.closeCode());
        CPPUNIT_ASSERT_EQUAL(1.0, metric("elevenlabs_agent_timeouts_total", kSilence));
        CPPUNIT_ASSERT_EQUAL(0.0, metric("elevenlabs_agent_timeouts_total", kStall));
        CPPUNIT_ASSERT_EQUAL(1.0, metric("elevenlabs_sessions_failed_total"));
        // One warn line naming the reason, and nothing left armed.
        CPPUNIT_ASSERT_EQUAL_MESSAGE(logs(), std::size_t(1), _host->recordingLogger().count("agent sent nothing for 1000 ms"));
        CPPUNIT_ASSERT_MESSAGE(logs(), _host->recordingLogger().contains(sdk::LogLevel::Warn, "agent sent nothing for 1000 ms"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _host->loop().pendingTimers());
        _host->advanceTime(5000);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _channel->endedCount());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _channel->callsAfterEnd());
    }

    void testSilenceCountsFromOpenWithoutMetadata()
    {
        // An agent that accepts the socket and then never says a word (not even its metadata).
        init(R"({"baseUrl":"ws://agent.test:9100","silenceTimeoutMs":2000})");
        open(makeRequest());
        _host->advanceTime(10000); // connecting: connectTimeoutMs is the host's business, not this watch
        CPPUNIT_ASSERT(!_channel->hasEnded());
        _host->openOutbound(0);
        _host->advanceTime(1999);
        CPPUNIT_ASSERT(!_channel->hasEnded());
        _host->advanceTime(1);
        CPPUNIT_ASSERT(_channel->endReason() == sdk::EndReason::AgentFailed);
        CPPUNIT_ASSERT_EQUAL(std::string("agent sent nothing for 2000 ms"), _channel->endDetail());
        CPPUNIT_ASSERT(!_channel->isReady());
    }

    void testSilencePushedBackByMessages()
    {
        openReady(R"({"baseUrl":"ws://agent.test:9100","silenceTimeoutMs":1000})");
        // Any message counts: a ping at 600 ms, then a malformed one at 900 ms (ignored, but a sign of life).
        _host->advanceTime(600);
        _host->deliverText(0, kPing);
        const std::size_t timersAfterPing = _host->loop().pendingTimers();
        for (int i = 1; i <= 20; ++i)
            _host->deliverText(0, audio("AAAA", i));
        // Messages only move a timestamp: no timer is armed per message.
        CPPUNIT_ASSERT_EQUAL(timersAfterPing, _host->loop().pendingTimers());
        _host->advanceTime(300);
        _host->deliverText(0, "not json");
        _host->advanceTime(100); // t = 1000: the first deadline passes, the watch re-arms for the rest
        CPPUNIT_ASSERT(!_channel->hasEnded());
        _host->advanceTime(899); // t = 1899, 999 ms after the last message
        CPPUNIT_ASSERT(!_channel->hasEnded());
        _host->advanceTime(1);
        CPPUNIT_ASSERT(_channel->hasEnded());
        CPPUNIT_ASSERT(_channel->endReason() == sdk::EndReason::AgentFailed);
        CPPUNIT_ASSERT_EQUAL(std::string("agent sent nothing for 1000 ms"), _channel->endDetail());
        CPPUNIT_ASSERT_EQUAL(1.0, metric("elevenlabs_agent_timeouts_total", kSilence));
    }

    void testSilenceDefaultIsThirtySeconds()
    {
        auto& socket = startReady();
        for (int second = 1; second <= 60; ++second)
        {
            _host->advanceTime(1000);
            _host->deliverText(0, audio("AAAA", second)); // a talking agent is never cut off
        }
        CPPUNIT_ASSERT(!_channel->hasEnded());
        _host->advanceTime(29999);
        CPPUNIT_ASSERT(!_channel->hasEnded());
        _host->advanceTime(1);
        CPPUNIT_ASSERT_EQUAL(std::string("agent sent nothing for 30000 ms"), _channel->endDetail());
        CPPUNIT_ASSERT(socket.closeRequested());
    }

    void testSilenceOffAtZero()
    {
        openReady(R"({"baseUrl":"ws://agent.test:9100","silenceTimeoutMs":0})");
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _host->loop().pendingTimers());
        _host->advanceTime(600000);
        CPPUNIT_ASSERT(!_channel->hasEnded());
        CPPUNIT_ASSERT_EQUAL(0.0, metric("elevenlabs_agent_timeouts_total", kSilence));
    }

    void testStallEndsLegWhenQueueStaysFull()
    {
        auto& socket = openReady(R"({"baseUrl":"ws://agent.test:9100","silenceTimeoutMs":0,"stallTimeoutMs":500})");
        socket.setQueueFull(true);
        _session->onAudio(callerFrame("AAAA")); // t = 0: the first refusal starts the watch
        // Refusals at the audio rate must not move that deadline; the agent still talks, it just does not read.
        for (int i = 1; i <= 24; ++i)
        {
            _host->advanceTime(20);
            _session->onAudio(callerFrame("AAAA"));
            _host->deliverText(0, audio("AAAA", i));
        }
        _host->advanceTime(19); // t = 499
        CPPUNIT_ASSERT_MESSAGE(_channel->endDetail(), !_channel->hasEnded());
        _host->advanceTime(1);
        CPPUNIT_ASSERT(_channel->hasEnded());
        CPPUNIT_ASSERT(_channel->endReason() == sdk::EndReason::AgentFailed);
        CPPUNIT_ASSERT_EQUAL(std::string("agent socket write queue full for 500 ms (agent not reading)"), _channel->endDetail());
        CPPUNIT_ASSERT(socket.closeRequested());
        CPPUNIT_ASSERT_EQUAL(std::size_t(25), socket.droppedMessages());
        CPPUNIT_ASSERT_EQUAL(25.0, metric("elevenlabs_sends_dropped_total"));
        CPPUNIT_ASSERT_EQUAL(1.0, metric("elevenlabs_agent_timeouts_total", kStall));
        CPPUNIT_ASSERT_EQUAL(0.0, metric("elevenlabs_agent_timeouts_total", kSilence));
        CPPUNIT_ASSERT_EQUAL(1.0, metric("elevenlabs_sessions_failed_total"));
        // The drop warning stays once per session; the end adds one warn line of its own.
        CPPUNIT_ASSERT_EQUAL_MESSAGE(logs(), std::size_t(1), _host->recordingLogger().count("write queue full; dropping"));
        CPPUNIT_ASSERT_MESSAGE(logs(), _host->recordingLogger().contains(sdk::LogLevel::Warn, "write queue full for 500 ms"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _host->recordingLogger().count("write queue full for 500 ms"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _host->loop().pendingTimers());
    }

    void testStallStoppedByOnWritable()
    {
        auto& socket = openReady(R"({"baseUrl":"ws://agent.test:9100","silenceTimeoutMs":0,"stallTimeoutMs":500})");
        socket.setQueueFull(true);
        _session->onAudio(callerFrame("AAAA"));
        _host->advanceTime(400);
        socket.setQueueFull(false);
        _host->writableOutbound(0);
        _host->advanceTime(5000);
        CPPUNIT_ASSERT_MESSAGE(_channel->endDetail(), !_channel->hasEnded());
        CPPUNIT_ASSERT_EQUAL(0.0, metric("elevenlabs_agent_timeouts_total", kStall));
        // A new full-queue episode gets a fresh budget, counted from its own first refusal.
        socket.setQueueFull(true);
        _session->onAudio(callerFrame("BBBB"));
        _host->advanceTime(499);
        CPPUNIT_ASSERT(!_channel->hasEnded());
        _host->advanceTime(1);
        CPPUNIT_ASSERT(_channel->endReason() == sdk::EndReason::AgentFailed);
        CPPUNIT_ASSERT_EQUAL(std::string("agent socket write queue full for 500 ms (agent not reading)"), _channel->endDetail());
    }

    void testStallStoppedByAcceptedSend()
    {
        auto& socket = openReady(R"({"baseUrl":"ws://agent.test:9100","silenceTimeoutMs":0,"stallTimeoutMs":500})");
        socket.setQueueFull(true);
        _session->onAudio(callerFrame("AAAA"));
        _host->advanceTime(300);
        // The queue took a message again, so the agent is reading, even before onWritable().
        socket.setQueueFull(false);
        _session->onAudio(callerFrame("BBBB"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), socket.sentTexts().size());
        _host->advanceTime(5000);
        CPPUNIT_ASSERT_MESSAGE(_channel->endDetail(), !_channel->hasEnded());
        CPPUNIT_ASSERT_EQUAL(0.0, metric("elevenlabs_agent_timeouts_total", kStall));
    }

    void testWatchesCancelledWhenCoreCloses()
    {
        auto& socket = openReady(R"({"baseUrl":"ws://agent.test:9100","silenceTimeoutMs":1000,"stallTimeoutMs":500})");
        socket.setQueueFull(true);
        _session->onAudio(callerFrame("AAAA"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _host->loop().pendingTimers());
        _session->close(sdk::EndReason::Completed);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _host->loop().pendingTimers());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _host->loop().advance(60000));
        CPPUNIT_ASSERT(!_channel->hasEnded()); // the core ended it; the leg reports nothing more
        CPPUNIT_ASSERT_EQUAL(0.0, metric("elevenlabs_agent_timeouts_total", kSilence));
        CPPUNIT_ASSERT_EQUAL(0.0, metric("elevenlabs_agent_timeouts_total", kStall));
    }

    void testWatchesCancelledWhenAgentCloses()
    {
        auto& socket = openReady(R"({"baseUrl":"ws://agent.test:9100","silenceTimeoutMs":1000,"stallTimeoutMs":500})");
        socket.setQueueFull(true);
        _session->onAudio(callerFrame("AAAA"));
        _host->closeOutbound(0, sdk::CloseCode::Normal, "bye");
        CPPUNIT_ASSERT(_channel->endReason() == sdk::EndReason::AgentEnded);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _host->loop().advance(60000));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _channel->endedCount());
        CPPUNIT_ASSERT_EQUAL(0.0, metric("elevenlabs_agent_timeouts_total", kSilence));
        CPPUNIT_ASSERT_EQUAL(0.0, metric("elevenlabs_agent_timeouts_total", kStall));
    }

    void testConfigDefaultsAndBounds()
    {
        ElevenLabsConfig c;
        CPPUNIT_ASSERT(ElevenLabsConfig::parse("{}", c).isOk());
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(30000), c.silenceTimeoutMs);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(5000), c.stallTimeoutMs);
        const std::pair<const char*, std::pair<std::uint32_t, std::uint32_t>> accepted[] = {
            {R"({"silenceTimeoutMs":0,"stallTimeoutMs":100})", {0, 100}},
            {R"({"silenceTimeoutMs":600000,"stallTimeoutMs":600000})", {600000, 600000}},
            {R"({"silenceTimeoutMs":1500,"stallTimeoutMs":2500})", {1500, 2500}},
        };
        for (const auto& [text, expected] : accepted)
        {
            ElevenLabsConfig parsed;
            const auto status = ElevenLabsConfig::parse(text, parsed);
            CPPUNIT_ASSERT_MESSAGE(text + (": " + status.toString()), status.isOk());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(text, expected.first, parsed.silenceTimeoutMs);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(text, expected.second, parsed.stallTimeoutMs);
        }
    }

    void testConfigRejectsOutOfRangeNamingKey()
    {
        const std::pair<const char*, const char*> cases[] = {
            {R"({"silenceTimeoutMs":-1})", "config key 'silenceTimeoutMs' must be an integer between 0 (off) and 600000"},
            {R"({"silenceTimeoutMs":600001})", "config key 'silenceTimeoutMs' must be an integer between 0 (off) and 600000"},
            {R"({"silenceTimeoutMs":"30000"})", "config key 'silenceTimeoutMs' must be an integer between 0 (off) and 600000"},
            {R"({"silenceTimeoutMs":1.5})", "config key 'silenceTimeoutMs' must be an integer between 0 (off) and 600000"},
            {R"({"stallTimeoutMs":99})", "config key 'stallTimeoutMs' must be an integer between 100 and 600000"},
            {R"({"stallTimeoutMs":0})", "config key 'stallTimeoutMs' must be an integer between 100 and 600000"},
            {R"({"stallTimeoutMs":600001})", "config key 'stallTimeoutMs' must be an integer between 100 and 600000"},
            {R"({"stallTimeoutMs":null})", "config key 'stallTimeoutMs' must be an integer between 100 and 600000"},
        };
        for (const auto& [text, message] : cases)
        {
            ElevenLabsConfig c;
            const auto status = ElevenLabsConfig::parse(text, c);
            CPPUNIT_ASSERT_MESSAGE(text, status.code() == sdk::StatusCode::InvalidArgument);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(text, std::string(message), status.message());
        }
        // The plugin refuses to start with one, naming the key.
        const auto status = _plugin->init(*_host, R"({"stallTimeoutMs":50})");
        CPPUNIT_ASSERT(status.code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT_MESSAGE(status.message(), status.message().find("'stallTimeoutMs'") != std::string::npos);
    }

private:
    /// init(config), open a session, open its socket and deliver the metadata (at the current time).
    FakeWebSocketConnection& openReady(const std::string& config)
    {
        init(config);
        open(makeRequest());
        auto& socket = _host->openOutbound(0);
        _host->deliverText(0, metadata());
        CPPUNIT_ASSERT(_channel->isReady());
        socket.clearSent();
        return socket;
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConversationTimeoutTest);
