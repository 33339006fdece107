// ConversationAgentEventsTest.cpp: an ElevenLabs conversation's agent events — transcripts, client tools, delayed pongs, formats, faults.
#include <cppunit/extensions/HelperMacros.h>

#include <stdexcept>
#include <string>

#include "SessionTestFixture.h"
#include "protocol/AgentProtocol.h"

using namespace patchbay;
using namespace patchbay::elevenlabs;
using namespace patchbay::elevenlabs::test;

namespace {

std::string toolCall(const std::string& name, const std::string& parameters, const std::string& id = "call_1")
{
    return R"({"type":"client_tool_call","client_tool_call":{"tool_name":")" + name + R"(","tool_call_id":")" + id
           + R"(","parameters":)" + parameters + R"(,"event_id":7}})";
}

std::string toolResult(const std::string& id, bool isError, const std::string& result)
{
    std::string out;
    AgentProtocol::encodeToolResult(id, result, isError, out);
    return out;
}

// A core channel whose transcript sink throws: the exception must end the leg, not the process.
class ThrowingTranscriptChannel final : public sdk::CallChannel
{
public:
    explicit ThrowingTranscriptChannel(RecordingCallChannel& inner) : _inner(inner) {}
    void onAudio(const sdk::AudioFrame& frame) override { _inner.onAudio(frame); }
    void onClear() override { _inner.onClear(); }
    void onMark(std::string_view name) override { _inner.onMark(name); }
    void onDtmf(char digit) override { _inner.onDtmf(digit); }
    void onLegReady(const sdk::LegInfo& info) override { _inner.onLegReady(info); }
    void onLegEnded(sdk::EndReason reason, std::string_view detail) override { _inner.onLegEnded(reason, detail); }
    void onTranscript(const sdk::TranscriptEntry& /*entry*/) override { throw std::runtime_error("transcript store down"); }
    void requestHangupAfterPlayout(std::string_view reason) override { _inner.requestHangupAfterPlayout(reason); }
    void requestTransfer(std::string_view toNumber, std::uint64_t requestId) override { _inner.requestTransfer(toNumber, requestId); }

private:
    RecordingCallChannel& _inner;
};

} // namespace

class ConversationAgentEventsTest : public SessionTestFixture
{
    CPPUNIT_TEST_SUITE(ConversationAgentEventsTest);
    CPPUNIT_TEST(testUserAndAgentTranscripts);
    CPPUNIT_TEST(testCorrectionIsNewMarkedAgentEntry);
    CPPUNIT_TEST(testEmptyTranscriptsSkipped);
    CPPUNIT_TEST(testTentativeVadAndInternalEventsIgnoredAndCounted);
    CPPUNIT_TEST(testPingDelayHonouredOnLoopTimer);
    CPPUNIT_TEST(testPingDelayCapped);
    CPPUNIT_TEST(testPendingPongCancelledOnAbruptClose);
    CPPUNIT_TEST(testEndCallAnswersAndHangsUpAfterPlayout);
    CPPUNIT_TEST(testTransferAnsweredWhenCoreAnswers);
    CPPUNIT_TEST(testTransferFailureAnsweredAsError);
    CPPUNIT_TEST(testTransferInvalidNumberRefused);
    CPPUNIT_TEST(testSendDtmfAndUnknownToolsRefused);
    CPPUNIT_TEST(testActionResultAfterCloseIgnored);
    CPPUNIT_TEST(testToolCallWithoutIdStillActs);
    CPPUNIT_TEST(testNonUlawFormatsReportedInLegInfo);
    CPPUNIT_TEST(testRequireUlawIsOptIn);
    CPPUNIT_TEST(testMalformedAgentMessagesDoNotEndCall);
    CPPUNIT_TEST(testThrowingChannelEndsLegAsAgentFailed);
    CPPUNIT_TEST(testAbruptCloseIsAgentFailed);
    CPPUNIT_TEST_SUITE_END();

public:
    void testUserAndAgentTranscripts()
    {
        startReady();
        _host->setNowUnixMs(1'700'000'000'000);
        _host->deliverText(0, R"({"type":"user_transcript","user_transcription_event":{"user_transcript":"I need a table","event_id":3}})");
        _host->advanceTime(1500);
        _host->deliverText(0, R"({"type":"agent_response","agent_response_event":{"agent_response":"For how many?","event_id":4}})");
        const auto& t = _channel->transcript();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), t.size());
        CPPUNIT_ASSERT_EQUAL(std::string("user"), t[0].role);
        CPPUNIT_ASSERT_EQUAL(std::string("I need a table"), t[0].text);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1'700'000'000'000), t[0].atMs);
        CPPUNIT_ASSERT_EQUAL(std::string("agent"), t[1].role);
        CPPUNIT_ASSERT_EQUAL(std::string("For how many?"), t[1].text);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1'700'000'001'500), t[1].atMs);
        CPPUNIT_ASSERT_EQUAL(2.0, metric("elevenlabs_transcript_entries_total"));
    }

    void testCorrectionIsNewMarkedAgentEntry()
    {
        startReady();
        _host->deliverText(0, R"({"type":"agent_response","agent_response_event":{"agent_response":"Our hours are nine to five, Monday to Friday.","event_id":4}})");
        _host->deliverText(0, interruption(4));
        _host->deliverText(0, R"({"type":"agent_response_correction","agent_response_correction_event":{"original_agent_response":"Our hours are nine to five, Monday to Friday.","corrected_agent_response":"Our hours are nine to five","event_id":4}})");
        const auto& t = _channel->transcript();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), t.size());
        CPPUNIT_ASSERT_EQUAL(std::string("agent"), t[1].role);
        CPPUNIT_ASSERT_EQUAL(std::string("[correction] Our hours are nine to five"), t[1].text);
    }

    void testEmptyTranscriptsSkipped()
    {
        startReady();
        _host->deliverText(0, R"({"type":"user_transcript","user_transcription_event":{"user_transcript":"","event_id":3}})");
        _host->deliverText(0, R"({"type":"agent_response","agent_response_event":{"event_id":4}})");
        _host->deliverText(0, R"({"type":"agent_response_correction","agent_response_correction_event":{"original_agent_response":"x","event_id":4}})");
        CPPUNIT_ASSERT(_channel->transcript().empty());
        CPPUNIT_ASSERT(!_channel->hasEnded());
    }

    void testTentativeVadAndInternalEventsIgnoredAndCounted()
    {
        auto& socket = startReady();
        socket.clearSent();
        const std::size_t eventsBefore = _channel->events().size();
        _host->deliverText(0, R"({"type":"tentative_user_transcript","tentative_user_transcription_event":{"user_transcript":"I ne","event_id":3}})");
        _host->deliverText(0, R"({"type":"vad_score","vad_score_event":{"vad_score":0.93}})");
        _host->deliverText(0, R"({"type":"internal_tentative_agent_response","tentative_agent_response_internal_event":{"tentative_agent_response":"Sure"}})");
        _host->deliverText(0, R"({"type":"internal_turn_probability","turn_probability_internal_event":{"turn_probability":0.4}})");
        _host->deliverText(0, R"({"type":"agent_tool_response","agent_tool_response":{"tool_name":"end_call","tool_call_id":"t1","tool_type":"system","is_error":false,"is_called":true,"event_id":12}})");
        CPPUNIT_ASSERT_EQUAL(eventsBefore, _channel->events().size());
        CPPUNIT_ASSERT(socket.sentTexts().empty());
        CPPUNIT_ASSERT(!_channel->hasEnded());
        CPPUNIT_ASSERT_EQUAL(1.0, metric("elevenlabs_messages_received_total", {{"type", "vad_score"}}));
        CPPUNIT_ASSERT_EQUAL(1.0, metric("elevenlabs_messages_received_total", {{"type", "tentative_user_transcript"}}));
        CPPUNIT_ASSERT_EQUAL(1.0, metric("elevenlabs_messages_received_total", {{"type", "internal_turn_probability"}}));
        CPPUNIT_ASSERT_EQUAL(0.0, metric("elevenlabs_unknown_message_types_total"));
    }

    void testPingDelayHonouredOnLoopTimer()
    {
        auto& socket = startReady();
        socket.clearSent();
        _host->deliverText(0, R"({"type":"ping","ping_event":{"event_id":17,"ping_ms":63}})");
        // Answered later on the loop's timer, never by blocking the delivery.
        CPPUNIT_ASSERT(socket.sentTexts().empty());
        _host->loop().advance(62);
        CPPUNIT_ASSERT(socket.sentTexts().empty());
        _host->loop().advance(1);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), socket.sentTexts().size());
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"type":"pong","event_id":17})"), socket.sentTexts()[0]);
        // Audio keeps flowing while a pong waits.
        _host->deliverText(0, R"({"type":"ping","ping_event":{"event_id":18,"ping_ms":40}})");
        _host->deliverText(0, audio("AAAA", 19));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _channel->audio().size());
        _host->loop().advance(40);
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"type":"pong","event_id":18})"), socket.sentTexts().back());
    }

    void testPingDelayCapped()
    {
        auto& socket = startReady();
        socket.clearSent();
        _host->deliverText(0, R"({"type":"ping","ping_event":{"event_id":5,"ping_ms":600000}})");
        _host->loop().advance(1999);
        CPPUNIT_ASSERT(socket.sentTexts().empty());
        _host->loop().advance(1);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), socket.sentTexts().size());
        // Negative or zero: at once.
        _host->deliverText(0, R"({"type":"ping","ping_event":{"event_id":6,"ping_ms":0}})");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), socket.sentTexts().size());
    }

    void testPendingPongCancelledOnAbruptClose()
    {
        auto& socket = startReady();
        _host->deliverText(0, R"({"type":"ping","ping_event":{"event_id":5,"ping_ms":100}})");
        _host->closeOutbound(0, 1006, "");
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _host->loop().advance(1000));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), socket.sendsWhileClosed());
        CPPUNIT_ASSERT(_channel->endReason() == sdk::EndReason::AgentFailed);
    }

    void testEndCallAnswersAndHangsUpAfterPlayout()
    {
        auto& socket = startReady();
        socket.clearSent();
        _host->deliverText(0, toolCall("end_call", R"({"reason":"goodbye said"})", "call_end"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), socket.sentTexts().size());
        JsonDocument doc;
        CPPUNIT_ASSERT(doc.parse(socket.sentTexts()[0]));
        CPPUNIT_ASSERT_EQUAL(std::string("client_tool_result"), std::string(doc.root()["type"].asString()));
        CPPUNIT_ASSERT_EQUAL(std::string("call_end"), std::string(doc.root()["tool_call_id"].asString()));
        CPPUNIT_ASSERT(!doc.root()["is_error"].asBool(true));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _channel->hangupRequests().size());
        CPPUNIT_ASSERT_EQUAL(std::string("goodbye said"), _channel->hangupRequests()[0]);
        // The agent's leg is not ended by the plugin: the core ends the call after playout.
        CPPUNIT_ASSERT(!_channel->hasEnded());
        CPPUNIT_ASSERT(!socket.closeRequested());
        CPPUNIT_ASSERT_EQUAL(1.0, metric("elevenlabs_tool_calls_total", {{"tool", "end_call"}}));
    }

    void testTransferAnsweredWhenCoreAnswers()
    {
        auto& socket = startReady();
        socket.clearSent();
        _host->deliverText(0, toolCall("transfer_to_number", R"({"transfer_number":"+14155550123","reason":"billing"})", "call_t"));
        CPPUNIT_ASSERT(socket.sentTexts().empty()); // no answer until the core has tried
        const auto& requests = _channel->transferRequests();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), requests.size());
        CPPUNIT_ASSERT_EQUAL(std::string("+14155550123"), requests[0].first);
        _session->onActionResult(requests[0].second + 100, sdk::Status::ok()); // not ours: ignored
        CPPUNIT_ASSERT(socket.sentTexts().empty());
        _session->onActionResult(requests[0].second, sdk::Status::ok());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), socket.sentTexts().size());
        CPPUNIT_ASSERT_EQUAL(toolResult("call_t", false, "the call is being transferred"), socket.sentTexts()[0]);
        // Answered once only.
        _session->onActionResult(requests[0].second, sdk::Status::ok());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), socket.sentTexts().size());
        CPPUNIT_ASSERT_EQUAL(1.0, metric("elevenlabs_tool_calls_total", {{"tool", "transfer_to_number"}}));
    }

    void testTransferFailureAnsweredAsError()
    {
        auto& socket = startReady();
        _host->deliverText(0, toolCall("transfer_to_number", R"({"transfer_number":"+14155550123"})", "a"));
        _host->deliverText(0, toolCall("transfer_to_number", R"({"phone_number":"+442071234567"})", "b"));
        socket.clearSent();
        const auto requests = _channel->transferRequests();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), requests.size());
        CPPUNIT_ASSERT(requests[0].second != requests[1].second);
        // Answers may come in any order; each goes to its own tool call.
        _session->onActionResult(requests[1].second, sdk::Status::unavailable("Twilio refused the call update"));
        _session->onActionResult(requests[0].second, sdk::Status::ok());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), socket.sentTexts().size());
        CPPUNIT_ASSERT_EQUAL(toolResult("b", true, "transfer failed: Twilio refused the call update"), socket.sentTexts()[0]);
        CPPUNIT_ASSERT_EQUAL(toolResult("a", false, "the call is being transferred"), socket.sentTexts()[1]);
        CPPUNIT_ASSERT_EQUAL(1.0, metric("elevenlabs_tool_errors_total"));
        CPPUNIT_ASSERT(!_channel->hasEnded());
    }

    void testTransferInvalidNumberRefused()
    {
        auto& socket = startReady();
        socket.clearSent();
        _host->deliverText(0, toolCall("transfer_to_number", R"({"transfer_number":"0800 123 456"})", "x"));
        CPPUNIT_ASSERT(_channel->transferRequests().empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), socket.sentTexts().size());
        JsonDocument doc;
        CPPUNIT_ASSERT(doc.parse(socket.sentTexts()[0]));
        CPPUNIT_ASSERT(doc.root()["is_error"].asBool(false));
        CPPUNIT_ASSERT(std::string(doc.root()["result"].asString()).find("E.164") != std::string::npos);
    }

    void testSendDtmfAndUnknownToolsRefused()
    {
        auto& socket = startReady();
        socket.clearSent();
        _host->deliverText(0, toolCall("send_dtmf", R"({"digits":"1"})", "d"));
        _host->deliverText(0, toolCall("book_table", "{}", "u"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), socket.sentTexts().size());
        CPPUNIT_ASSERT_EQUAL(toolResult("d", true, "Twilio media streams cannot send DTMF"), socket.sentTexts()[0]);
        JsonDocument doc;
        CPPUNIT_ASSERT(doc.parse(socket.sentTexts()[1]));
        CPPUNIT_ASSERT(doc.root()["is_error"].asBool(false));
        CPPUNIT_ASSERT(std::string(doc.root()["result"].asString()).find("book_table") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(1.0, metric("elevenlabs_tool_calls_total", {{"tool", "send_dtmf"}}));
        CPPUNIT_ASSERT_EQUAL(1.0, metric("elevenlabs_tool_calls_total", {{"tool", "unknown"}}));
        CPPUNIT_ASSERT_EQUAL(2.0, metric("elevenlabs_tool_errors_total"));
        CPPUNIT_ASSERT(!_channel->hasEnded());
    }

    void testActionResultAfterCloseIgnored()
    {
        auto& socket = startReady();
        _host->deliverText(0, toolCall("transfer_to_number", R"({"transfer_number":"+14155550123"})", "t"));
        const std::uint64_t id = _channel->transferRequests().at(0).second;
        socket.clearSent();
        _session->close(sdk::EndReason::Transferred);
        _session->onActionResult(id, sdk::Status::ok());
        CPPUNIT_ASSERT(socket.sentTexts().empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), socket.sendsWhileClosed());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _channel->callsAfterEnd());
    }

    void testToolCallWithoutIdStillActs()
    {
        auto& socket = startReady();
        socket.clearSent();
        _host->deliverText(0, R"({"type":"client_tool_call","client_tool_call":{"tool_name":"end_call","parameters":{}}})");
        _host->deliverText(0, R"({"type":"client_tool_call","client_tool_call":{"tool_name":"send_dtmf","parameters":{}}})");
        CPPUNIT_ASSERT(socket.sentTexts().empty()); // nothing to answer to
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _channel->hangupRequests().size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _host->recordingLogger().count("without tool_call_id"));
    }

    void testNonUlawFormatsReportedInLegInfo()
    {
        start();
        _host->openOutbound(0);
        _host->deliverText(0, metadata("pcm_24000", "pcm_16000", "conv_xyz"));
        CPPUNIT_ASSERT(_channel->isReady());
        CPPUNIT_ASSERT(!_channel->hasEnded());
        CPPUNIT_ASSERT(_channel->legInfo().sendsFormat == sdk::MediaFormat::pcm16(24000));
        CPPUNIT_ASSERT(_channel->legInfo().receivesFormat == sdk::MediaFormat::pcm16(16000));
        CPPUNIT_ASSERT_EQUAL(std::string("conv_xyz"), _channel->legInfo().remoteId);
    }

    void testRequireUlawIsOptIn()
    {
        start(R"({"baseUrl":"ws://agent.test:9100","requireUlaw":true})");
        _host->openOutbound(0);
        _host->deliverText(0, metadata("pcm_24000", "ulaw_8000"));
        CPPUNIT_ASSERT(!_channel->isReady());
        CPPUNIT_ASSERT(_channel->endReason() == sdk::EndReason::AgentFailed);
        CPPUNIT_ASSERT_MESSAGE(_channel->endDetail(), _channel->endDetail().find("requireUlaw") != std::string::npos);
    }

    void testMalformedAgentMessagesDoNotEndCall()
    {
        auto& socket = startReady();
        socket.clearSent();
        _host->deliverText(0, R"({"type":"client_tool_call","client_tool_call":)"); // truncated
        _host->deliverText(0, R"({"type":"ping","ping_event":{"event_id":"seventeen"}})");
        _host->deliverText(0, R"({"type":42})");
        _host->deliverText(0, R"({"type":"user_transcript","user_transcription_event":"not an object"})");
        _host->deliverText(0, R"({"type":"client_tool_call","client_tool_call":{"tool_name":"end_call","tool_call_id":"z","parameters":"oops"}})");
        CPPUNIT_ASSERT(!_channel->hasEnded());
        CPPUNIT_ASSERT_EQUAL(3.0, metric("elevenlabs_malformed_messages_total"));
        // Tolerated shapes act on what is there: the end_call with bad parameters still works.
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _channel->hangupRequests().size());
        _host->deliverText(0, audio("AAAA", 30));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _channel->audio().size());
    }

    void testThrowingChannelEndsLegAsAgentFailed()
    {
        init();
        ThrowingTranscriptChannel channel(*_channel);
        auto result = _plugin->openSession(makeRequest(), channel, _host->loop());
        CPPUNIT_ASSERT(result.isOk());
        _session = std::move(result).value();
        auto& socket = _host->openOutbound(0);
        _host->deliverText(0, metadata());
        _host->deliverText(0, R"({"type":"user_transcript","user_transcription_event":{"user_transcript":"hello","event_id":1}})");
        CPPUNIT_ASSERT(_channel->hasEnded());
        CPPUNIT_ASSERT(_channel->endReason() == sdk::EndReason::AgentFailed);
        CPPUNIT_ASSERT(socket.closeRequested());
        // Later frames reach nobody.
        _host->deliverText(0, audio("AAAA", 2));
        CPPUNIT_ASSERT(_channel->audio().empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _channel->callsAfterEnd());
        _session.reset(); // before `channel` goes out of scope
    }

    void testAbruptCloseIsAgentFailed()
    {
        startReady();
        _host->deliverText(0, toolCall("transfer_to_number", R"({"transfer_number":"+14155550123"})", "t"));
        _host->closeOutbound(0, 1006, "");
        CPPUNIT_ASSERT(_channel->endReason() == sdk::EndReason::AgentFailed);
        CPPUNIT_ASSERT(_channel->endDetail().find("1006") != std::string::npos);
        // The core's late answer finds no socket and no channel.
        _session->onActionResult(_channel->transferRequests().at(0).second, sdk::Status::ok());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _channel->callsAfterEnd());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConversationAgentEventsTest);
