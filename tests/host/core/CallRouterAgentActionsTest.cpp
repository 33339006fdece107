// CallRouterAgentActionsTest.cpp: the core's answers to the agent (transcript, hangup after playout, transfer) and the fallback when the agent fails.
#include <cppunit/extensions/HelperMacros.h>

#include "AgentRouterFixture.h"

using namespace patchbay;
using namespace patchbay::sdk::testing;
using patchbay::testing::ActionAgentProvider;
using patchbay::testing::SessionLog;
using patchbay::testing::ManualPool;
using patchbay::testing::RecordingInboundProvider;

namespace {

sdk::TranscriptEntry line(const std::string& role, const std::string& text, std::int64_t atMs)
{
    sdk::TranscriptEntry e;
    e.role = role;
    e.text = text;
    e.atMs = atMs;
    return e;
}

} // namespace

class CallRouterAgentActionsTest : public patchbay::testing::AgentRouterFixture
{
    CPPUNIT_TEST_SUITE(CallRouterAgentActionsTest);
    CPPUNIT_TEST(tenantNameAndVariantReachTheAgent);
    CPPUNIT_TEST(transcriptsAreStoredInOrderOffTheLoop);
    CPPUNIT_TEST(hangupWaitsForTheMarkEcho);
    CPPUNIT_TEST(hangupMarksAgainWhenTheAgentSpeaksAfterTheMark);
    CPPUNIT_TEST(hangupTimesOutWhenTheCarrierNeverEchoes);
    CPPUNIT_TEST(transferSuccessIsReportedOnceAndRecorded);
    CPPUNIT_TEST(transferFailureIsReportedAndTheCallGoesOn);
    CPPUNIT_TEST(invalidTransferNumberIsRefusedWithoutTheCarrier);
    CPPUNIT_TEST(transferAnswerAfterTheCallEndedIsDropped);
    CPPUNIT_TEST(streamClosedByTheTransferWaitsForItsAnswer);
    CPPUNIT_TEST(blockedCarrierDoesNotBlockTheLoop);
    CPPUNIT_TEST(agentFailureRedirectsToTheFallback);
    CPPUNIT_TEST(agentNeverReadyGetsTheFallback);
    CPPUNIT_TEST(tenantWithoutFallbackGetsTheProviderDefault);
    CPPUNIT_TEST(failedOrSlowRedirectStillEndsTheCall);
    CPPUNIT_TEST(noCarrierPluginEndsAtOnceSayingWhy);
    CPPUNIT_TEST(agentReadyInsideOpenSessionArmsNoFallback);
    CPPUNIT_TEST(agentFailureAfterItsGoodbyeNeedsNoFallback);
    CPPUNIT_TEST(agentFailureDuringAFailedTransferStillGetsTheFallback);
    CPPUNIT_TEST_SUITE_END();

public:
    void tenantNameAndVariantReachTheAgent()
    {
        RecordingInboundLeg leg;
        start("CA1", leg, false);
        CPPUNIT_ASSERT_EQUAL(std::string("Tenant One"), _agents.lastRequest.tenantName);
        CPPUNIT_ASSERT_EQUAL(std::string(), _agents.lastRequest.variant);
    }

    void transcriptsAreStoredInOrderOffTheLoop()
    {
        RecordingInboundLeg leg;
        start("CA2", leg);
        // Same timestamps, so only the order the agent reported them in can order them.
        channel().onTranscript(line("agent", "Hello, how can I help?", 5));
        channel().onTranscript(line("user", "I need an appointment", 5));
        channel().onTranscript(line("agent", "Sure.", 5));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _loop.pendingTasks()); // nothing queued on the loop for it
        _recorder->flush();
        auto stored = _store.transcript("CA2");
        CPPUNIT_ASSERT(stored.isOk());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), stored.value().size());
        CPPUNIT_ASSERT_EQUAL(std::string("Hello, how can I help?"), stored.value()[0].text);
        CPPUNIT_ASSERT_EQUAL(std::string("I need an appointment"), stored.value()[1].text);
        CPPUNIT_ASSERT_EQUAL(std::string("Sure."), stored.value()[2].text);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), _recorder->transcriptsWritten());
    }

    void hangupWaitsForTheMarkEcho()
    {
        RecordingInboundLeg leg;
        sdk::CallChannel* ch = start("CA3", leg);
        channel().onAudio(ulaw("//79"));
        channel().requestHangupAfterPlayout("caller said goodbye");
        channel().requestHangupAfterPlayout("again"); // idempotent
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), leg.marks().size());
        const std::string mark = leg.marks().at(0);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), leg.hangups());
        _loop.advance(3000);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), leg.hangups()); // still playing
        ch->onMark(mark);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), leg.hangups()); // not from inside the leg's own callback
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), leg.hangups());
        CPPUNIT_ASSERT(leg.hangupReason() == sdk::EndReason::Completed);
        CPPUNIT_ASSERT(agent().marks.empty()); // the core's own mark is not the agent's
        CPPUNIT_ASSERT_EQUAL(1, agent().closes);
        auto r = finalRecord("CA3");
        CPPUNIT_ASSERT_EQUAL(std::string("completed"), r.endReason);
        CPPUNIT_ASSERT_MESSAGE(r.endDetail, r.endDetail.find("caller said goodbye") != std::string::npos);
        _loop.advance(20000); // the cancelled safety timer does nothing more
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), leg.hangups());
    }

    void hangupMarksAgainWhenTheAgentSpeaksAfterTheMark()
    {
        RecordingInboundLeg leg;
        sdk::CallChannel* ch = start("CA4", leg);
        channel().requestHangupAfterPlayout("done");
        channel().onAudio(ulaw("Z29vZGJ5ZQ==")); // the goodbye after the tool call
        ch->onMark(leg.marks().at(0));
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), leg.hangups());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), leg.marks().size());
        ch->onMark(leg.marks().at(0)); // an old echo again: ignored
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), leg.hangups());
        ch->onMark(leg.marks().at(1));
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), leg.hangups());
    }

    void hangupTimesOutWhenTheCarrierNeverEchoes()
    {
        RecordingInboundLeg leg;
        start("CA5", leg);
        channel().requestHangupAfterPlayout("bye");
        _loop.advance(9999);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), leg.hangups());
        _loop.advance(2);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), leg.hangups());
        auto r = finalRecord("CA5");
        CPPUNIT_ASSERT_EQUAL(std::string("completed"), r.endReason);
        CPPUNIT_ASSERT_MESSAGE(r.endDetail, r.endDetail.find("not confirmed") != std::string::npos);
    }

    void transferSuccessIsReportedOnceAndRecorded()
    {
        RecordingInboundLeg leg;
        start("CA6", leg);
        channel().requestTransfer("+15557654321", 7);
        CPPUNIT_ASSERT(_carrier.transfers.empty()); // queued on the pool, not run on the loop
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _pool.queued());
        _pool.runAll();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _carrier.transfers.size());
        CPPUNIT_ASSERT_EQUAL(std::string("CA6"), _carrier.transfers[0].first);
        CPPUNIT_ASSERT_EQUAL(std::string("+15557654321"), _carrier.transfers[0].second);
        CPPUNIT_ASSERT(_carrier.threads[0] != std::this_thread::get_id());
        CPPUNIT_ASSERT(agent().results.empty()); // only on the loop
        SessionLog& session = agent();
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), session.results.size());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(7), session.results[0].first);
        CPPUNIT_ASSERT(session.results[0].second.isOk());
        CPPUNIT_ASSERT(leg.hangupReason() == sdk::EndReason::Transferred);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _router->activeCalls());
        auto r = finalRecord("CA6");
        CPPUNIT_ASSERT_EQUAL(std::string("transferred"), r.endReason);
        CPPUNIT_ASSERT_EQUAL(std::string("transferred to +15557654321"), r.endDetail);
    }

    void transferFailureIsReportedAndTheCallGoesOn()
    {
        _carrier.transferResult = sdk::Status::unavailable("twilio unreachable (test)");
        RecordingInboundLeg leg;
        sdk::CallChannel* ch = start("CA7", leg);
        channel().requestTransfer("+15557654321", 8);
        _pool.runAll();
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), agent().results.size());
        CPPUNIT_ASSERT(agent().results[0].second.code() == sdk::StatusCode::Unavailable);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), leg.hangups());
        ch->onAudio(ulaw("AAEC")); // still bridged
        CPPUNIT_ASSERT_EQUAL(std::string("AAEC"), agent().received.at(0));
        channel().requestTransfer("+15557654321", 9); // may try again
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _pool.queued());
    }

    void invalidTransferNumberIsRefusedWithoutTheCarrier()
    {
        RecordingInboundLeg leg;
        start("CA8", leg);
        channel().requestTransfer("555-1234", 3);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _pool.queued());
        CPPUNIT_ASSERT(agent().results.empty()); // answered after the session's own call returns
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), agent().results.size());
        CPPUNIT_ASSERT(agent().results[0].second.code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), leg.hangups());
    }

    void transferAnswerAfterTheCallEndedIsDropped()
    {
        RecordingInboundLeg leg;
        start("CA9", leg);
        SessionLog& session = agent();
        channel().requestTransfer("+15557654321", 4);
        _router->endAll(sdk::EndReason::HostShutdown, "stopping");
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(1, session.closes);
        _pool.runAll();
        _loop.runPending();
        CPPUNIT_ASSERT(_loop.taskErrors() == 0);
        CPPUNIT_ASSERT_EQUAL(std::string("host-shutdown"), finalRecord("CA9").endReason);
        CPPUNIT_ASSERT(session.destroyed);
        CPPUNIT_ASSERT(session.results.empty()); // nothing reached it after close
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _carrier.transfers.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), leg.hangups());
    }

    void streamClosedByTheTransferWaitsForItsAnswer()
    {
        RecordingInboundLeg leg;
        sdk::CallChannel* ch = start("CA10", leg);
        channel().requestTransfer("+15557654321", 5);
        ch->onLegEnded(sdk::EndReason::Completed, "stream stopped"); // Twilio took the call over
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _router->activeCalls());
        _pool.runAll();
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _router->activeCalls());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), leg.hangups()); // the leg had ended itself
        CPPUNIT_ASSERT_EQUAL(std::string("transferred"), finalRecord("CA10").endReason);

        // Without an answer the record is written anyway, with the stream's own end.
        RecordingInboundLeg other;
        sdk::CallChannel* ch2 = start("CA11", other);
        channel().requestTransfer("+15557654321", 6);
        ch2->onLegEnded(sdk::EndReason::Completed, "stream stopped");
        _loop.advance(10001);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _router->activeCalls());
        auto r = finalRecord("CA11");
        CPPUNIT_ASSERT_EQUAL(std::string("completed"), r.endReason);
        CPPUNIT_ASSERT_MESSAGE(r.endDetail, r.endDetail.find("not confirmed") != std::string::npos);
    }

    void blockedCarrierDoesNotBlockTheLoop()
    {
        _carrier.holdCalls();
        RecordingInboundLeg leg;
        sdk::CallChannel* ch = start("CA12", leg);
        channel().requestTransfer("+15557654321", 1);
        _pool.start(); // the carrier call now hangs on its own thread
        for (int i = 0; i < 50; ++i) ch->onAudio(ulaw("AAEC"));
        channel().onAudio(ulaw("//79"));
        _loop.advance(2000);
        CPPUNIT_ASSERT_EQUAL(std::size_t(50), agent().received.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), leg.audio().size());
        _carrier.release();
        _pool.join();
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _carrier.transfers.size());
        CPPUNIT_ASSERT(leg.hangupReason() == sdk::EndReason::Transferred);
    }

    void agentFailureRedirectsToTheFallback()
    {
        RecordingInboundLeg leg;
        start("CA13", leg);
        const std::uint64_t failedAt = _loop.nowMs();
        channel().onLegEnded(sdk::EndReason::AgentFailed, "ElevenLabs closed the socket (1011)");
        // Queued at once (well within 1 s), and not run on the loop.
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _pool.queued());
        CPPUNIT_ASSERT_EQUAL(failedAt, _loop.nowMs());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), leg.hangups()); // the stream stays until the redirect answered
        _pool.runAll();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _carrier.fallbacks.size());
        CPPUNIT_ASSERT_EQUAL(std::string("CA13"), _carrier.fallbacks[0].first);
        CPPUNIT_ASSERT_EQUAL(std::string("sorry"), _carrier.fallbacks[0].second.message);
        CPPUNIT_ASSERT(_carrier.threads[0] != std::this_thread::get_id());
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), leg.hangups());
        CPPUNIT_ASSERT(leg.hangupReason() == sdk::EndReason::AgentFailed);
        auto r = finalRecord("CA13");
        CPPUNIT_ASSERT_EQUAL(std::string("agent-failed"), r.endReason);
        CPPUNIT_ASSERT_MESSAGE(r.endDetail, r.endDetail.find("1011") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(r.endDetail, r.endDetail.find("redirected to the tenant's fallback") != std::string::npos);
    }

    void agentNeverReadyGetsTheFallback()
    {
        RecordingInboundLeg leg;
        start("CA14", leg, false);
        _loop.advance(9999);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _pool.queued());
        _loop.advance(1);
        CPPUNIT_ASSERT_EQUAL(1, agent().closes);
        CPPUNIT_ASSERT(agent().closeReason == sdk::EndReason::AgentFailed);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _pool.queued());
        _pool.runAll();
        _loop.runPending();
        auto r = finalRecord("CA14");
        CPPUNIT_ASSERT_EQUAL(std::string("agent-failed"), r.endReason);
        CPPUNIT_ASSERT_MESSAGE(r.endDetail, r.endDetail.find("not ready within 10000 ms") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(r.endDetail, r.endDetail.find("fallback") != std::string::npos);
    }

    void tenantWithoutFallbackGetsTheProviderDefault()
    {
        RecordingInboundLeg leg;
        start("CA15", leg, true, "+15550002");
        channel().onLegEnded(sdk::EndReason::AgentFailed, "broke");
        _pool.runAll();
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _carrier.fallbacks.size());
        CPPUNIT_ASSERT(_carrier.fallbacks[0].second.message.empty() && _carrier.fallbacks[0].second.dialNumber.empty());
        auto r = finalRecord("CA15");
        CPPUNIT_ASSERT_MESSAGE(r.endDetail, r.endDetail.find("carrier's default fallback") != std::string::npos);
    }

    void failedOrSlowRedirectStillEndsTheCall()
    {
        _carrier.fallbackResult = sdk::Status::notFound("Twilio no longer knows the call (test)");
        RecordingInboundLeg leg;
        start("CA16", leg);
        channel().onLegEnded(sdk::EndReason::AgentFailed, "broke");
        _pool.runAll();
        _loop.runPending();
        auto r = finalRecord("CA16");
        CPPUNIT_ASSERT_EQUAL(std::string("agent-failed"), r.endReason);
        CPPUNIT_ASSERT_MESSAGE(r.endDetail, r.endDetail.find("fallback redirect failed") != std::string::npos);

        RecordingInboundLeg slow;
        start("CA17", slow);
        channel().onLegEnded(sdk::EndReason::AgentFailed, "broke");
        _loop.advance(5000); // the pool never ran it
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), slow.hangups());
        auto s = finalRecord("CA17");
        CPPUNIT_ASSERT_EQUAL(std::string("agent-failed"), s.endReason);
        CPPUNIT_ASSERT_MESSAGE(s.endDetail, s.endDetail.find("not confirmed") != std::string::npos);
        _pool.runAll(); // its late answer changes nothing
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), slow.hangups());
    }

    void noCarrierPluginEndsAtOnceSayingWhy()
    {
        RecordingInboundLeg leg;
        start("CA18", leg, true, "+15550001", "gone");
        channel().onLegEnded(sdk::EndReason::AgentFailed, "broke");
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _pool.queued());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), leg.hangups());
        auto r = finalRecord("CA18");
        CPPUNIT_ASSERT_EQUAL(std::string("agent-failed"), r.endReason);
        CPPUNIT_ASSERT_MESSAGE(r.endDetail, r.endDetail.find("fallback not run: inbound provider 'gone'") != std::string::npos);
    }

    void agentReadyInsideOpenSessionArmsNoFallback()
    {
        _agents.readyInsideOpen = true;
        RecordingInboundLeg leg;
        sdk::CallChannel* ch = start("CA19", leg, false);
        _loop.advance(30000);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _pool.queued());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), leg.hangups());
        ch->onAudio(ulaw("AAEC"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), agent().received.size()); // bridged
    }

    void agentFailureAfterItsGoodbyeNeedsNoFallback()
    {
        RecordingInboundLeg leg;
        sdk::CallChannel* ch = start("CA20", leg);
        channel().requestHangupAfterPlayout("bye");
        channel().onLegEnded(sdk::EndReason::AgentFailed, "socket dropped after end_call");
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _pool.queued());
        ch->onMark(leg.marks().at(0));
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(std::string("completed"), finalRecord("CA20").endReason);
    }

    void agentFailureDuringAFailedTransferStillGetsTheFallback()
    {
        _carrier.transferResult = sdk::Status::unavailable("no answer (test)");
        RecordingInboundLeg leg;
        start("CA21", leg);
        channel().requestTransfer("+15557654321", 2);
        channel().onLegEnded(sdk::EndReason::AgentFailed, "broke");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _pool.queued()); // only the transfer so far
        _pool.runAll();
        _loop.runPending();
        CPPUNIT_ASSERT(agent().results.empty()); // the session had ended itself: not told
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _pool.queued()); // now the fallback
        _pool.runAll();
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _carrier.fallbacks.size());
        CPPUNIT_ASSERT_EQUAL(std::string("agent-failed"), finalRecord("CA21").endReason);
    }

};

CPPUNIT_TEST_SUITE_REGISTRATION(CallRouterAgentActionsTest);
