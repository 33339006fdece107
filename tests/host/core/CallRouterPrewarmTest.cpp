// CallRouterPrewarmTest.cpp: the agent session opened while the phone rings — held audio handed over at attach, failures, expiry, other loops.
#include <cppunit/extensions/HelperMacros.h>

#include "AgentRouterFixture.h"

using namespace patchbay;
using namespace patchbay::sdk::testing;
using patchbay::testing::SessionLog;

namespace {

const sdk::LegInfo kAgentUlaw{sdk::MediaFormat::ulaw8000(), sdk::MediaFormat::ulaw8000(), "conv_pre"};

} // namespace

class CallRouterPrewarmTest : public patchbay::testing::AgentRouterFixture
{
    CPPUNIT_TEST_SUITE(CallRouterPrewarmTest);
    CPPUNIT_TEST(sessionOpensAtAdmissionOnTheStreamsLoop);
    CPPUNIT_TEST(heldAgentAudioReachesTheCallerInOrderAtAttach);
    CPPUNIT_TEST(callerAudioFlowsAtOnceWhenTheAgentWasReady);
    CPPUNIT_TEST(agentStillConnectingAtAttachIsAwaited);
    CPPUNIT_TEST(failureWhileRingingOpensAFreshSessionAtAttach);
    CPPUNIT_TEST(noStreamInTimeClosesTheSession);
    CPPUNIT_TEST(streamOnAnotherLoopClosesThePrewarmAndOpensThere);
    CPPUNIT_TEST(streamBeforeThePrewarmRanOpensOneSession);
    CPPUNIT_TEST(interruptionWhileRingingDropsTheHeldAudio);
    CPPUNIT_TEST(goodbyeWhileRingingEndsAfterTheCallerHeardIt);
    CPPUNIT_TEST(transferWhileRingingIsRefused);
    CPPUNIT_TEST(heldAudioIsBounded);
    CPPUNIT_TEST(repeatedWebhookDoesNotOpenASecondSession);
    CPPUNIT_TEST(shutdownClosesRingingSessions);
    CPPUNIT_TEST_SUITE_END();

public:
    void configure(host::CallRouterImpl::Options& o) override { o.prewarmAgent = true; }

    void setUp() override
    {
        AgentRouterFixture::setUp();
        _router->setLoopForKey([this](std::string_view) -> sdk::EventLoop& { return _loop; });
    }

    /// Admits a call and runs the loop, so its pre-warm starts.
    void ring(const std::string& sid)
    {
        CPPUNIT_ASSERT(_router->admit(offer(sid)).outcome == sdk::AdmissionOutcome::Accepted);
        _loop.runPending();
    }

    std::string metrics() const { return _metrics->renderPrometheus(); }
    bool counted(const std::string& outcome, int n) const
    {
        return metrics().find("patchbay_agent_prewarm_total{outcome=\"" + outcome + "\"} " + std::to_string(n)) !=
               std::string::npos;
    }

    void sessionOpensAtAdmissionOnTheStreamsLoop()
    {
        CPPUNIT_ASSERT(_router->admit(offer("CA1")).outcome == sdk::AdmissionOutcome::Accepted);
        CPPUNIT_ASSERT_EQUAL(0, _agents.opened); // not on the webhook's thread: posted to the loop
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(1, _agents.opened);
        CPPUNIT_ASSERT(_agents.lastLoop == &_loop);
        CPPUNIT_ASSERT_EQUAL(std::string("CA1"), _agents.lastRequest.call.callSid);
        CPPUNIT_ASSERT_EQUAL(std::string("Tenant One"), _agents.lastRequest.tenantName);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _router->pendingCalls());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _router->activeCalls());
    }

    void heldAgentAudioReachesTheCallerInOrderAtAttach()
    {
        ring("CA2");
        channel().onLegReady(kAgentUlaw);
        channel().onAudio(ulaw("AAAA"));
        channel().onMark("m1");
        channel().onAudio(ulaw("BBBB"));
        RecordingInboundLeg leg;
        attach("CA2", leg);
        CPPUNIT_ASSERT(leg.audio().empty()); // not from inside the leg's own attach call
        channel().onAudio(ulaw("CCCC"));     // arrives before the hand-over ran: stays behind the held audio
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(std::string("AAAABBBBCCCC"), leg.audioPayloads());
        CPPUNIT_ASSERT_EQUAL(std::string("mark:m1"), leg.events().at(1));
        CPPUNIT_ASSERT_EQUAL(std::string("audio"), leg.events().at(2));
        channel().onAudio(ulaw("DDDD")); // and straight through afterwards
        CPPUNIT_ASSERT_EQUAL(std::string("AAAABBBBCCCCDDDD"), leg.audioPayloads());
        CPPUNIT_ASSERT_EQUAL(1, _agents.opened);
        CPPUNIT_ASSERT(counted("ready", 1));
        _recorder->flush();
        CPPUNIT_ASSERT_EQUAL(std::string("conv_pre"), _store.savedCalls()["CA2"].agentConversationId);
    }

    void callerAudioFlowsAtOnceWhenTheAgentWasReady()
    {
        ring("CA3");
        channel().onLegReady(kAgentUlaw);
        RecordingInboundLeg leg;
        sdk::CallChannel* ch = attach("CA3", leg);
        ch->onAudio(ulaw("//79"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), agent().received.size());
        CPPUNIT_ASSERT_MESSAGE(metrics(), metrics().find("patchbay_agent_connect_seconds_bucket{le=\"0.05\"} 1") !=
                                              std::string::npos);
    }

    void agentStillConnectingAtAttachIsAwaited()
    {
        ring("CA4");
        RecordingInboundLeg leg;
        sdk::CallChannel* ch = attach("CA4", leg);
        ch->onAudio(ulaw("//79"));
        CPPUNIT_ASSERT(agent().received.empty()); // not ready: dropped, as without pre-warm
        CPPUNIT_ASSERT(counted("opening", 1));
        _loop.advance(9999);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _pool.queued()); // ready timer not yet up
        channel().onLegReady(kAgentUlaw);
        ch->onAudio(ulaw("//79"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), agent().received.size());
        _loop.advance(20000);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _pool.queued()); // cancelled: no fallback
    }

    void failureWhileRingingOpensAFreshSessionAtAttach()
    {
        ring("CA5");
        std::shared_ptr<SessionLog> first = _agents.last;
        channel().onLegReady(kAgentUlaw);
        channel().onAudio(ulaw("AAAA"));
        channel().onLegEnded(sdk::EndReason::AgentFailed, "socket closed 1006");
        _loop.runPending();
        CPPUNIT_ASSERT(first->destroyed);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _pool.queued()); // nobody to redirect yet
        CPPUNIT_ASSERT(_log.contains("pre-warmed agent session ended while ringing"));
        RecordingInboundLeg leg;
        sdk::CallChannel* ch = attach("CA5", leg);
        CPPUNIT_ASSERT_EQUAL(2, _agents.opened);
        CPPUNIT_ASSERT(counted("reopened", 1));
        channel().onLegReady(kAgentUlaw);
        _loop.runPending();
        CPPUNIT_ASSERT(leg.audio().empty()); // the failed session's audio went with it
        ch->onAudio(ulaw("//79"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), agent().received.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), leg.hangups());
    }

    void noStreamInTimeClosesTheSession()
    {
        ring("CA6");
        channel().onLegReady(kAgentUlaw);
        SessionLog& session = agent();
        _now += 10000;
        _router->expirePending();
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(1, session.closes);
        CPPUNIT_ASSERT(session.closeReason == sdk::EndReason::Timeout);
        CPPUNIT_ASSERT(session.destroyed);
        CPPUNIT_ASSERT(counted("expired", 1));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(0), _router->tenantCalls("t1"));
        auto r = finalRecord("CA6");
        CPPUNIT_ASSERT_EQUAL(std::string("timeout"), r.endReason);
        RecordingInboundLeg leg;
        sdk::LegInfo info{sdk::MediaFormat::ulaw8000(), sdk::MediaFormat::ulaw8000(), "MZ1"};
        CPPUNIT_ASSERT(_router->attachInbound("CA6", leg, info, _loop).status().code() == sdk::StatusCode::NotFound);
    }

    void streamOnAnotherLoopClosesThePrewarmAndOpensThere()
    {
        ring("CA7");
        SessionLog& first = agent();
        FakeEventLoop other;
        RecordingInboundLeg leg;
        attach("CA7", leg, &other);
        CPPUNIT_ASSERT_EQUAL(2, _agents.opened);
        CPPUNIT_ASSERT(_agents.lastLoop == &other);
        CPPUNIT_ASSERT_EQUAL(0, first.closes); // closed on its own loop, not from the stream's thread
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(1, first.closes);
        CPPUNIT_ASSERT(counted("other_loop", 1));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _router->activeCalls());
    }

    void streamBeforeThePrewarmRanOpensOneSession()
    {
        CPPUNIT_ASSERT(_router->admit(offer("CA8")).outcome == sdk::AdmissionOutcome::Accepted);
        RecordingInboundLeg leg;
        attach("CA8", leg); // the posted pre-warm has not run yet
        CPPUNIT_ASSERT_EQUAL(1, _agents.opened);
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(1, _agents.opened);
        CPPUNIT_ASSERT(metrics().find("patchbay_agent_prewarm_total") == std::string::npos ||
                       counted("ready", 0));
    }

    void interruptionWhileRingingDropsTheHeldAudio()
    {
        ring("CA9");
        channel().onLegReady(kAgentUlaw);
        channel().onAudio(ulaw("AAAA"));
        channel().onClear();
        channel().onAudio(ulaw("BBBB"));
        RecordingInboundLeg leg;
        attach("CA9", leg);
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(std::string("BBBB"), leg.audioPayloads());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), leg.clears()); // nothing had reached the caller to clear
    }

    void goodbyeWhileRingingEndsAfterTheCallerHeardIt()
    {
        ring("CA10");
        channel().onLegReady(kAgentUlaw);
        channel().onAudio(ulaw("Ynll"));
        channel().requestHangupAfterPlayout("wrong number");
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _router->pendingCalls()); // still ringing: nothing ended
        RecordingInboundLeg leg;
        sdk::CallChannel* ch = attach("CA10", leg);
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(std::string("Ynll"), leg.audioPayloads());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), leg.marks().size()); // the core's mark after the goodbye
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), leg.hangups());
        ch->onMark(leg.marks().at(0));
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), leg.hangups());
        auto r = finalRecord("CA10");
        CPPUNIT_ASSERT_EQUAL(std::string("completed"), r.endReason);
        CPPUNIT_ASSERT_MESSAGE(r.endDetail, r.endDetail.find("wrong number") != std::string::npos);
    }

    void transferWhileRingingIsRefused()
    {
        ring("CA11");
        channel().onLegReady(kAgentUlaw);
        channel().requestTransfer("+15557654321", 5);
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _pool.queued());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), agent().results.size());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(5), agent().results[0].first);
        CPPUNIT_ASSERT(agent().results[0].second.code() == sdk::StatusCode::Unavailable);
    }

    void heldAudioIsBounded()
    {
        ring("CA12");
        channel().onLegReady(kAgentUlaw);
        const std::string chunk(64 * 1024, 'x');
        for (int i = 0; i < 10; ++i) channel().onAudio(ulaw(chunk)); // 640 KiB offered, 512 KiB held
        CPPUNIT_ASSERT(_log.contains("dropping the rest"));
        RecordingInboundLeg leg;
        attach("CA12", leg);
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(std::size_t(8), leg.audio().size());
        CPPUNIT_ASSERT(_log.contains("2 dropped over the limit"));
    }

    void repeatedWebhookDoesNotOpenASecondSession()
    {
        ring("CA13");
        CPPUNIT_ASSERT(_router->admit(offer("CA13")).outcome == sdk::AdmissionOutcome::Accepted);
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(1, _agents.opened);
    }

    void shutdownClosesRingingSessions()
    {
        ring("CA14");
        SessionLog& session = agent();
        _router->endAll(sdk::EndReason::HostShutdown, "gateway shutting down");
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(1, session.closes);
        // A stream that still comes gets a session of its own.
        RecordingInboundLeg leg;
        attach("CA14", leg);
        CPPUNIT_ASSERT_EQUAL(2, _agents.opened);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CallRouterPrewarmTest);
