// SessionTestFixture.h: shared fixture of the ElevenLabs session suites — fake host, recording channel, plugin, message builders.
#ifndef PATCHBAY_TESTS_ELEVENLABS_SESSION_TEST_FIXTURE_H
#define PATCHBAY_TESTS_ELEVENLABS_SESSION_TEST_FIXTURE_H

#include <cppunit/extensions/HelperMacros.h>

#include <memory>
#include <string>

#include "ElevenLabsPlugin.h"
#include "patchbay/sdk/support/JsonDocument.h"
#include "patchbay/sdk/testing/FakeHostServices.h"
#include "patchbay/sdk/testing/RecordingCallChannel.h"

namespace patchbay::elevenlabs::test {

using sdk::support::JsonDocument;
using sdk::testing::FakeHostServices;
using sdk::testing::FakeWebSocketConnection;
using sdk::testing::RecordingCallChannel;

inline const std::string kApiKey = "sk_live_0123456789abcdefSECRET";
inline const std::string kSignature = "SIGNATURE_abc123";
inline const std::string kSignedUrl = "ws://agent.test:9100/v1/convai/conversation?agent_id=agent_1&conversation_signature=" + kSignature;

// Server frames and caller frames the tests send.
inline std::string metadata(const std::string& out = "ulaw_8000", const std::string& in = "ulaw_8000", const std::string& id = "conv_01")
{
    return R"({"type":"conversation_initiation_metadata","conversation_initiation_metadata_event":{"conversation_id":")" + id
           + R"(","agent_output_audio_format":")" + out + R"(","user_input_audio_format":")" + in + R"("}})";
}

inline std::string audio(const std::string& base64, int eventId)
{
    return R"({"type":"audio","audio_event":{"audio_base_64":")" + base64 + R"(","event_id":)" + std::to_string(eventId) + "}}";
}

inline std::string interruption(int eventId)
{
    return R"({"type":"interruption","interruption_event":{"event_id":)" + std::to_string(eventId) + "}}";
}

inline sdk::AudioFrame callerFrame(std::string_view payload)
{
    sdk::AudioFrame frame;
    frame.format = sdk::MediaFormat::ulaw8000();
    frame.encoding = sdk::PayloadEncoding::Base64;
    frame.payload = payload;
    frame.timestampMs = 20;
    return frame;
}

/// One plugin, one fake host, one call. Tests call start()/startReady() and drive the fake socket.
class SessionTestFixture : public CppUnit::TestFixture
{
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

protected:
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

} // namespace patchbay::elevenlabs::test

#endif
