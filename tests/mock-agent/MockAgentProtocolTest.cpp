// MockAgentProtocolTest.cpp: patchbay-mock-agent's scripted agent behaviours, checked on the wire and in its stats.
#include "MockAgentFixture.h"

#include <patchbay/sdk/support/Base64.h>

#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Array.h>

#include <map>
#include <thread>

using namespace patchbay::mockagenttest;
using Kind = Received::Kind;
using std::chrono::milliseconds;

namespace {

constexpr milliseconds kWait{3000};

Poco::JSON::Object::Ptr event(const Received& r, const std::string& key)
{
    CPPUNIT_ASSERT_MESSAGE("expected a " + key + " message, got '" + r.text + "'", r.json && r.json->has(key));
    return r.json->getObject(key);
}

std::uint64_t counter(const Poco::JSON::Object::Ptr& stats, const std::string& name)
{
    return stats->getValue<std::uint64_t>(name);
}

} // namespace

// Outside any named namespace: ctest runs the suite as plain `MockAgentProtocolTest`.
class MockAgentProtocolTest: public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(MockAgentProtocolTest);
    CPPUNIT_TEST(metadataAnnouncesFormatsAndEchoIsConverted);
    CPPUNIT_TEST(toolCallsAreSentAndTheirResultsRecorded);
    CPPUNIT_TEST(pingCarriesPingMsAndPongDelaysAreRecorded);
    CPPUNIT_TEST(closeCode1006DropsTcpWithoutCloseFrame);
    CPPUNIT_TEST(closeAfterSendsTheConfiguredCloseCode);
    CPPUNIT_TEST(connectAndMetadataDelaysAreHonoured);
    CPPUNIT_TEST(errorEventPrecedesTheClose);
    CPPUNIT_TEST(transcriptsResponseAndCorrection);
    CPPUNIT_TEST(vadScoresAndInternalEventsArrivePeriodically);
    CPPUNIT_TEST(correctionFollowsTheInterruption);
    CPPUNIT_TEST(greetingIsSentInTheOutputFormat);
    CPPUNIT_TEST(badOptionsAreUsageErrors);
    CPPUNIT_TEST_SUITE_END();

public:
    // The agent announces pcm_16000 in / pcm_24000 out: it must decode caller audio as 16 kHz PCM
    // (its stats see a 400 Hz tone at -13.5 dBFS) and echo 24 kHz PCM.
    void metadataAnnouncesFormatsAndEchoIsConverted()
    {
        MockAgentProcess agent({"--input-format", "pcm_16000", "--output-format", "pcm_24000"});
        AgentClient client(agent.port());
        client.sendInit();
        const Received metadata = client.waitFor("conversation_initiation_metadata", kWait);
        const auto m = event(metadata, "conversation_initiation_metadata_event");
        CPPUNIT_ASSERT_EQUAL(std::string("pcm_24000"), m->getValue<std::string>("agent_output_audio_format"));
        CPPUNIT_ASSERT_EQUAL(std::string("pcm_16000"), m->getValue<std::string>("user_input_audio_format"));

        for (std::uint32_t i = 0; i < 50; ++i) // 1 s in 20 ms chunks
            client.sendAudio(tone(400.0, 16000, false, 20, i * 320));
        std::size_t echoed = 0;
        while (echoed < 47000) // 1 s at 24 kHz = 48000 bytes, less the resampler's 4 ms
        {
            const Received r = client.waitFor("audio", kWait);
            CPPUNIT_ASSERT_MESSAGE("echo stopped at " + std::to_string(echoed) + " bytes", r.kind == Kind::Text);
            std::string raw;
            CPPUNIT_ASSERT(patchbay::sdk::support::Base64::decode(
                event(r, "audio_event")->getValue<std::string>("audio_base_64"), raw));
            CPPUNIT_ASSERT_EQUAL(std::size_t(0), raw.size() % 2);
            echoed += raw.size();
        }
        CPPUNIT_ASSERT(echoed <= 48000);
        client.close();

        const auto stats = agent.stop();
        CPPUNIT_ASSERT_EQUAL(std::string("pcm_24000"), stats->getValue<std::string>("outputFormat"));
        const auto audioIn = stats->getObject("audioIn");
        CPPUNIT_ASSERT_EQUAL(std::string("pcm_16000"), audioIn->getValue<std::string>("format"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(32000), audioIn->getValue<std::uint64_t>("bytes"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1000), audioIn->getValue<std::uint64_t>("ms"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), audioIn->getValue<std::uint64_t>("oddChunks"));
        CPPUNIT_ASSERT_DOUBLES_EQUAL(400.0, audioIn->getValue<double>("toneHz"), 10.0);
        CPPUNIT_ASSERT_DOUBLES_EQUAL(-13.5, audioIn->getValue<double>("rmsDbfs"), 1.0);
    }

    // Two scripted calls (one with parameters) go out after the metadata; both answers land in the
    // stats with the tool name of the call they answer.
    void toolCallsAreSentAndTheirResultsRecorded()
    {
        MockAgentProcess agent({"--tool-call", "lookup_order:{\"order\":\"A1\",\"n\":2}@100", "--tool-call=hang_up@200"});
        AgentClient client(agent.port());
        client.sendInit();
        CPPUNIT_ASSERT(client.waitFor("conversation_initiation_metadata", kWait).kind == Kind::Text);
        const auto first = event(client.waitFor("client_tool_call", kWait), "client_tool_call");
        CPPUNIT_ASSERT_EQUAL(std::string("lookup_order"), first->getValue<std::string>("tool_name"));
        CPPUNIT_ASSERT_EQUAL(std::string("A1"), first->getObject("parameters")->getValue<std::string>("order"));
        CPPUNIT_ASSERT_EQUAL(2, first->getObject("parameters")->getValue<int>("n"));
        const std::string firstId = first->getValue<std::string>("tool_call_id");
        client.sendText("{\"type\":\"client_tool_result\",\"tool_call_id\":\"" + firstId +
            "\",\"result\":\"{\\\"status\\\":\\\"shipped\\\"}\",\"is_error\":false}");
        const auto second = event(client.waitFor("client_tool_call", kWait), "client_tool_call");
        CPPUNIT_ASSERT_EQUAL(std::string("hang_up"), second->getValue<std::string>("tool_name"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), second->getObject("parameters")->size());
        const std::string secondId = second->getValue<std::string>("tool_call_id");
        CPPUNIT_ASSERT(firstId != secondId);
        client.sendText("{\"type\":\"client_tool_result\",\"tool_call_id\":\"" + secondId +
            "\",\"result\":\"no such tool\",\"is_error\":true}");
        client.close();

        const auto stats = agent.stop();
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), counter(stats, "toolCallsSent"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), counter(stats, "toolResults"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), counter(stats, "protocolErrors"));
        const auto results = stats->getArray("toolResultDetails");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), results->size());
        const auto a = results->getObject(0);
        CPPUNIT_ASSERT_EQUAL(firstId, a->getValue<std::string>("tool_call_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("lookup_order"), a->getValue<std::string>("tool_name"));
        CPPUNIT_ASSERT_EQUAL(std::string("{\"status\":\"shipped\"}"), a->getValue<std::string>("result"));
        CPPUNIT_ASSERT(!a->getValue<bool>("is_error"));
        const auto b = results->getObject(1);
        CPPUNIT_ASSERT_EQUAL(std::string("hang_up"), b->getValue<std::string>("tool_name"));
        CPPUNIT_ASSERT(b->getValue<bool>("is_error"));
    }

    // ping_ms is put on the wire; a pong held back 200 ms is on time, an immediate one is "early".
    void pingCarriesPingMsAndPongDelaysAreRecorded()
    {
        MockAgentProcess agent({"--ping-interval-ms", "300", "--ping-ms", "150"});
        AgentClient client(agent.port());
        client.sendInit();
        std::vector<std::int64_t> ids;
        for (int i = 0; i < 2; ++i)
        {
            const auto ping = event(client.waitFor("ping", kWait), "ping_event");
            CPPUNIT_ASSERT_EQUAL(150, ping->getValue<int>("ping_ms"));
            ids.push_back(ping->getValue<std::int64_t>("event_id"));
            if (i == 0)
                std::this_thread::sleep_for(milliseconds(200));
            client.sendText("{\"type\":\"pong\",\"event_id\":" + std::to_string(ids.back()) + "}");
        }
        client.close();

        const auto stats = agent.stop();
        CPPUNIT_ASSERT(counter(stats, "pongsMatched") >= 2);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), counter(stats, "pongsEarly"));
        const auto pongs = stats->getArray("pongs");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), pongs->size());
        CPPUNIT_ASSERT_EQUAL(ids[0], pongs->getObject(0)->getValue<std::int64_t>("event_id"));
        CPPUNIT_ASSERT(pongs->getObject(0)->getValue<std::int64_t>("delayMs") >= 150);
        CPPUNIT_ASSERT_EQUAL(150, pongs->getObject(0)->getValue<int>("pingMs"));
        CPPUNIT_ASSERT_EQUAL(ids[1], pongs->getObject(1)->getValue<std::int64_t>("event_id"));
        CPPUNIT_ASSERT(pongs->getObject(1)->getValue<std::int64_t>("delayMs") < 150);
    }

    void closeCode1006DropsTcpWithoutCloseFrame()
    {
        MockAgentProcess agent({"--close-after", "300", "--close-code", "1006"});
        AgentClient client(agent.port());
        client.sendInit();
        const Received end = client.waitFor("never-sent", kWait);
        CPPUNIT_ASSERT_MESSAGE("got a close frame or nothing instead of a dropped TCP", end.kind == Kind::Eof);

        const auto stats = agent.stop();
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), counter(stats, "abruptCloses"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), counter(stats, "closesByUs"));
    }

    void closeAfterSendsTheConfiguredCloseCode()
    {
        MockAgentProcess agent({"--close-after-ms", "200", "--close-code", "4001"});
        AgentClient client(agent.port());
        client.sendInit();
        const Received end = client.waitFor("never-sent", kWait);
        CPPUNIT_ASSERT(end.kind == Kind::Close);
        CPPUNIT_ASSERT_EQUAL(4001, end.closeCode);
        client.close();
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), counter(agent.stop(), "abruptCloses"));
    }

    void connectAndMetadataDelaysAreHonoured()
    {
        MockAgentProcess agent({"--connect-delay-ms", "500", "--metadata-delay-ms", "300"});
        const auto t0 = std::chrono::steady_clock::now();
        AgentClient client(agent.port());
        const auto upgraded = std::chrono::steady_clock::now();
        CPPUNIT_ASSERT(upgraded - t0 >= milliseconds(480));
        client.sendInit();
        client.sendAudio(tone(400.0, 8000, true, 20)); // heard, but not answered before the metadata
        const Received metadata = client.receive(kWait);
        CPPUNIT_ASSERT_EQUAL(std::string("conversation_initiation_metadata"), metadata.type());
        CPPUNIT_ASSERT(std::chrono::steady_clock::now() - upgraded >= milliseconds(280));
        client.close();
        const auto stats = agent.stop();
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), counter(stats, "echoesSent"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), counter(stats, "chunksIn"));
    }

    void errorEventPrecedesTheClose()
    {
        MockAgentProcess agent({"--error-after", "200", "--error-message", "LLM took too long", "--error-type",
            "llm_timeout", "--error-close-code", "1002"});
        AgentClient client(agent.port());
        client.sendInit();
        const auto error = event(client.waitFor("error", kWait), "error_event");
        CPPUNIT_ASSERT_EQUAL(1002, error->getValue<int>("code"));
        CPPUNIT_ASSERT_EQUAL(std::string("LLM took too long"), error->getValue<std::string>("message"));
        CPPUNIT_ASSERT_EQUAL(std::string("llm_timeout"), error->getValue<std::string>("error_type"));
        const Received end = client.receive(kWait);
        CPPUNIT_ASSERT(end.kind == Kind::Close);
        CPPUNIT_ASSERT_EQUAL(1002, end.closeCode);
        client.close();
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), counter(agent.stop(), "errorsSent"));
    }

    // 200 ms of caller audio make one user_transcript; the agent_response rides with the next echo
    // (same event_id) and, with --correction and no interruption, is corrected right away.
    void transcriptsResponseAndCorrection()
    {
        MockAgentProcess agent({"--transcripts", "--transcript-every-ms", "200", "--correction"});
        AgentClient client(agent.port());
        client.sendInit();
        CPPUNIT_ASSERT(client.waitFor("conversation_initiation_metadata", kWait).kind == Kind::Text);
        for (int i = 0; i < 11; ++i)
            client.sendAudio(tone(400.0, 8000, true, 20));
        const auto user = event(client.waitFor("user_transcript", kWait), "user_transcription_event");
        CPPUNIT_ASSERT_EQUAL(std::string("caller segment 1"), user->getValue<std::string>("user_transcript"));
        const auto response = event(client.receive(kWait), "agent_response_event");
        const auto audio = event(client.receive(kWait), "audio_event");
        CPPUNIT_ASSERT_EQUAL(audio->getValue<std::int64_t>("event_id"), response->getValue<std::int64_t>("event_id"));
        const std::string said = response->getValue<std::string>("agent_response");
        const auto correction = event(client.waitFor("agent_response_correction", kWait), "agent_response_correction_event");
        CPPUNIT_ASSERT_EQUAL(said, correction->getValue<std::string>("original_agent_response"));
        CPPUNIT_ASSERT(correction->getValue<std::string>("corrected_agent_response") != said);
        client.close();

        const auto stats = agent.stop();
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), counter(stats, "userTranscriptsSent"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), counter(stats, "agentResponsesSent"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), counter(stats, "correctionsSent"));
    }

    void vadScoresAndInternalEventsArrivePeriodically()
    {
        MockAgentProcess agent({"--vad-scores", "--internal-events", "--event-interval-ms", "50"});
        AgentClient client(agent.port());
        client.sendInit();
        std::map<std::string, int> seen;
        const auto until = std::chrono::steady_clock::now() + milliseconds(400);
        while (std::chrono::steady_clock::now() < until)
        {
            const Received r = client.receive(milliseconds(200));
            CPPUNIT_ASSERT(r.kind == Kind::Text);
            ++seen[r.type()];
            if (r.type() == "vad_score")
            {
                const double score = r.json->getObject("vad_score_event")->getValue<double>("vad_score");
                CPPUNIT_ASSERT(score >= 0.0 && score <= 1.0);
            }
        }
        CPPUNIT_ASSERT(seen["vad_score"] >= 3);
        CPPUNIT_ASSERT(seen["internal_tentative_agent_response"] >= 3);
        CPPUNIT_ASSERT(seen["internal_turn_probability"] >= 3);
        client.close();
        const auto stats = agent.stop();
        CPPUNIT_ASSERT(counter(stats, "vadScoresSent") >= 3);
        CPPUNIT_ASSERT(counter(stats, "internalEventsSent") >= 6);
    }

    // With --interrupt-after the correction comes right after the interruption and quotes the
    // response that was cut off.
    void correctionFollowsTheInterruption()
    {
        MockAgentProcess agent({"--transcripts", "--transcript-every-ms", "100", "--correction", "--interrupt-after", "8"});
        AgentClient client(agent.port());
        client.sendInit();
        for (int i = 0; i < 10; ++i)
            client.sendAudio(tone(400.0, 8000, true, 20));
        const auto response = event(client.waitFor("agent_response", kWait), "agent_response_event");
        CPPUNIT_ASSERT(client.waitFor("interruption", kWait).kind == Kind::Text);
        const Received next = client.receive(kWait);
        const auto correction = event(next, "agent_response_correction_event");
        CPPUNIT_ASSERT_EQUAL(response->getValue<std::string>("agent_response"),
            correction->getValue<std::string>("original_agent_response"));
        client.close();
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), counter(agent.stop(), "correctionsSent"));
    }

    // The generated μ-law greeting is converted once at startup: 300 ms of pcm_16000 is 9600 bytes
    // (the resampler may hold back up to its 4 ms delay, 128 bytes).
    void greetingIsSentInTheOutputFormat()
    {
        MockAgentProcess agent({"--greeting-ms", "300", "--output-format", "pcm_16000"});
        AgentClient client(agent.port());
        client.sendInit();
        std::size_t bytes = 0;
        while (bytes < 9472)
        {
            const Received r = client.waitFor("audio", kWait);
            CPPUNIT_ASSERT_MESSAGE("greeting stopped at " + std::to_string(bytes), r.kind == Kind::Text);
            std::string raw;
            CPPUNIT_ASSERT(patchbay::sdk::support::Base64::decode(
                event(r, "audio_event")->getValue<std::string>("audio_base_64"), raw));
            CPPUNIT_ASSERT_EQUAL(std::size_t(0), raw.size() % 2);
            bytes += raw.size();
        }
        CPPUNIT_ASSERT(bytes <= 9600);
        client.close();
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), counter(agent.stop(), "greetingChunksSent"));
    }

    void badOptionsAreUsageErrors()
    {
        patchbay::testing::TempDir dir("mock-agent-usage");
        const std::vector<std::vector<std::string>> cases{{"--output-format", "mp3_44100"},
            {"--tool-call", "lookup:[1]@10"}, {"--tool-call", "lookup"}, {"--correction"},
            {"--post-call-url", "http://127.0.0.1:1/x"}, {"--post-call-url", "https://x/y", "--webhook-secret", "s"}};
        for (const auto& args : cases)
        {
            patchbay::integration::ChildProcess process("mock-agent", PATCHBAY_MOCK_AGENT_EXE, args, dir.path() + "/usage");
            const auto code = process.waitExit(std::chrono::seconds(10));
            CPPUNIT_ASSERT_MESSAGE(args[0] + " " + args[1 % args.size()], code.has_value() && *code == 2);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MockAgentProtocolTest);
