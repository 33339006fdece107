// CallRouterTest.cpp: the routing core on the SDK's fakes — admission outcomes, retries, bridging, barge-in, ends and records.
#include <cppunit/extensions/HelperMacros.h>

#include <map>

#include "ScriptedRouterFixture.h"

using namespace patchbay;
using namespace patchbay::sdk::testing;
using patchbay::testing::ScriptedSession;

class CallRouterTest : public patchbay::testing::ScriptedRouterFixture
{
    CPPUNIT_TEST_SUITE(CallRouterTest);
    CPPUNIT_TEST(unknownNumberIsRefusedAndNotStored);
    CPPUNIT_TEST(suspendedTenantGetsItsFallback);
    CPPUNIT_TEST(storeDownIsStoreUnavailable);
    CPPUNIT_TEST(missingAgentProviderIsAgentUnavailable);
    CPPUNIT_TEST(drainingRefusesNewCalls);
    CPPUNIT_TEST(retriedWebhookGetsSameDecisionOnce);
    CPPUNIT_TEST(attachUnknownOrTwiceIsRefused);
    CPPUNIT_TEST(audioPassesThroughBothWaysAfterAgentReady);
    CPPUNIT_TEST(audioBeforeAgentReadyIsDroppedAndCounted);
    CPPUNIT_TEST(formatMismatchIsConvertedOrDropped);
    CPPUNIT_TEST(interruptionClearsTheCaller);
    CPPUNIT_TEST(dtmfAndMarksReachTheAgent);
    CPPUNIT_TEST(callerHangupClosesAgentAndRecordsTheEnd);
    CPPUNIT_TEST(agentEndHangsUpTheCaller);
    CPPUNIT_TEST(agentOpenFailureEndsTheCallWithAgentFailed);
    CPPUNIT_TEST(throwingAgentProviderFailsOnlyThatCall);
    CPPUNIT_TEST(sessionThrowingOnTheMediaPathEndsOnlyItsCall);
    CPPUNIT_TEST(pendingCallWithoutStreamIsAbandoned);
    CPPUNIT_TEST(endAllEndsEveryActiveCall);
    CPPUNIT_TEST_SUITE_END();

public:
    void unknownNumberIsRefusedAndNotStored()
    {
        auto a = _router->admit(offer("CA1", "+19999999"));
        CPPUNIT_ASSERT(a.outcome == sdk::AdmissionOutcome::UnknownNumber);
        CPPUNIT_ASSERT(a.tenantId.empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _store.saveCount());
        CPPUNIT_ASSERT(_metrics->renderPrometheus().find("patchbay_admissions_total{outcome=\"unknown-number\"} 1") != std::string::npos);
    }

    void suspendedTenantGetsItsFallback()
    {
        auto a = _router->admit(offer("CA2", "+15550002"));
        CPPUNIT_ASSERT(a.outcome == sdk::AdmissionOutcome::TenantSuspended);
        CPPUNIT_ASSERT_EQUAL(std::string("sorry"), a.fallback.message);
        auto r = finalRecord("CA2");
        CPPUNIT_ASSERT_EQUAL(std::string("rejected"), r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("tenant_suspended"), r.endReason);
    }

    void storeDownIsStoreUnavailable()
    {
        _store.setUnavailable(true);
        auto a = _router->admit(offer("CA3"));
        CPPUNIT_ASSERT(a.outcome == sdk::AdmissionOutcome::StoreUnavailable);
        _store.setUnavailable(false);
    }

    void missingAgentProviderIsAgentUnavailable()
    {
        auto a = _router->admit(offer("CA4", "+15550003"));
        CPPUNIT_ASSERT(a.outcome == sdk::AdmissionOutcome::AgentUnavailable);
        CPPUNIT_ASSERT(a.detail.find("nonexistent") != std::string::npos);
    }

    void drainingRefusesNewCalls()
    {
        _router->beginDrain();
        CPPUNIT_ASSERT(_router->admit(offer("CA5")).outcome == sdk::AdmissionOutcome::Draining);
    }

    void retriedWebhookGetsSameDecisionOnce()
    {
        CPPUNIT_ASSERT(_router->admit(offer("CA6")).outcome == sdk::AdmissionOutcome::Accepted);
        const auto saves = _store.saveCount();
        CPPUNIT_ASSERT(_router->admit(offer("CA6")).outcome == sdk::AdmissionOutcome::Accepted);
        CPPUNIT_ASSERT_EQUAL(saves, _store.saveCount());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _router->pendingCalls());
        CPPUNIT_ASSERT(_metrics->renderPrometheus().find("patchbay_admissions_total{outcome=\"accepted\"} 1") != std::string::npos);
    }

    void attachUnknownOrTwiceIsRefused()
    {
        RecordingInboundLeg leg;
        sdk::LegInfo info{sdk::MediaFormat::ulaw8000(), sdk::MediaFormat::ulaw8000(), "MZ1"};
        auto r = _router->attachInbound("CAnope", leg, info, _loop);
        CPPUNIT_ASSERT(r.status().code() == sdk::StatusCode::NotFound);
        _router->admit(offer("CA7"));
        attach("CA7", leg);
        RecordingInboundLeg second;
        auto again = _router->attachInbound("CA7", second, info, _loop);
        CPPUNIT_ASSERT(again.status().code() == sdk::StatusCode::AlreadyExists);
    }

    void audioPassesThroughBothWaysAfterAgentReady()
    {
        _router->admit(offer("CA8"));
        RecordingInboundLeg leg;
        sdk::CallChannel* ch = attach("CA8", leg);
        CPPUNIT_ASSERT_EQUAL(std::string("agent_1"), _provider.lastRequest.agent.agentId);
        CPPUNIT_ASSERT_EQUAL(std::string("t1"), _provider.lastRequest.call.tenantId);
        agentReady();
        ch->onAudio(ulaw("AAEC"));
        ch->onAudio(ulaw("AwQF"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _provider.last->received.size());
        CPPUNIT_ASSERT_EQUAL(std::string("AwQF"), _provider.last->received[1]); // same base64 text, untouched
        _provider.last->channel.onAudio(ulaw("//79", 4));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), leg.audio().size());
        CPPUNIT_ASSERT_EQUAL(std::string("//79"), leg.audio()[0].payload);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(4), leg.audio()[0].eventId);
    }

    void audioBeforeAgentReadyIsDroppedAndCounted()
    {
        _router->admit(offer("CA9"));
        RecordingInboundLeg leg;
        sdk::CallChannel* ch = attach("CA9", leg);
        ch->onAudio(ulaw("AAEC"));
        CPPUNIT_ASSERT(_provider.last->received.empty());
        CPPUNIT_ASSERT(_metrics->renderPrometheus().find("patchbay_frames_dropped_total{reason=\"agent_not_ready\"} 1") != std::string::npos);
    }

    void formatMismatchIsConvertedOrDropped()
    {
        _router->admit(offer("CA10"));
        RecordingInboundLeg leg;
        sdk::CallChannel* ch = attach("CA10", leg);
        _provider.last->channel.onLegReady({sdk::MediaFormat::pcm16(16000), sdk::MediaFormat::pcm16(16000), "conv"});
        CPPUNIT_ASSERT(_log.contains("converting audio: caller→agent ulaw_8000 → pcm_16000, agent→caller pcm_16000 → ulaw_8000"));
        // 40 μ-law samples at 8 kHz: PCM16 at 16 kHz comes out (less the resampler's look-ahead).
        ch->onAudio(ulaw("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygp"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _provider.last->received.size());
        CPPUNIT_ASSERT(!_provider.last->received[0].empty()); // base64 PCM16, not the μ-law text
        CPPUNIT_ASSERT(_provider.last->received[0] != "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygp");
        // A format nobody announced cannot be converted: dropped, counted, said once.
        sdk::AudioFrame odd = ulaw("AAAA");
        odd.format = sdk::MediaFormat::pcm16(22050);
        _provider.last->channel.onAudio(odd);
        CPPUNIT_ASSERT(leg.audio().empty());
        CPPUNIT_ASSERT(_log.contains("caller expects ulaw_8000 and it cannot be converted"));
        CPPUNIT_ASSERT(_metrics->renderPrometheus().find("patchbay_frames_dropped_total{reason=\"format_mismatch\"} 1") != std::string::npos);
    }

    void interruptionClearsTheCaller()
    {
        _router->admit(offer("CA11"));
        RecordingInboundLeg leg;
        attach("CA11", leg);
        agentReady();
        _provider.last->channel.onClear();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), leg.clears());
    }

    void dtmfAndMarksReachTheAgent()
    {
        _router->admit(offer("CA12"));
        RecordingInboundLeg leg;
        sdk::CallChannel* ch = attach("CA12", leg);
        agentReady();
        ch->onDtmf('7');
        ch->onMark("m1");
        CPPUNIT_ASSERT_EQUAL(std::string("7"), _provider.last->dtmf);
        CPPUNIT_ASSERT_EQUAL(std::string("m1"), _provider.last->marks.at(0));
        _provider.last->channel.onMark("resp-1");
        CPPUNIT_ASSERT_EQUAL(std::string("resp-1"), leg.marks().at(0));
    }

    void callerHangupClosesAgentAndRecordsTheEnd()
    {
        _router->admit(offer("CA13"));
        RecordingInboundLeg leg;
        sdk::CallChannel* ch = attach("CA13", leg);
        agentReady();
        ScriptedSession* session = _provider.last;
        ch->onAudio(ulaw("AAEC"));
        _now += 4200;
        ch->onLegEnded(sdk::EndReason::Completed, "stream stopped");
        CPPUNIT_ASSERT(session->closed);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), leg.hangups()); // the leg ended itself: no hangup back into it
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _router->activeCalls());
        CPPUNIT_ASSERT_EQUAL(1, _provider.live); // destroyed on the loop, not inside its own call chain
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(0, _provider.live);
        auto r = finalRecord("CA13");
        CPPUNIT_ASSERT_EQUAL(std::string("ended"), r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("completed"), r.endReason);
        CPPUNIT_ASSERT_EQUAL(std::string("conv_1"), r.agentConversationId);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(4200), r.durationMs);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), r.framesFromCaller);
        CPPUNIT_ASSERT_EQUAL(std::string("t1"), r.call.tenantId);
    }

    void agentEndHangsUpTheCaller()
    {
        _router->admit(offer("CA14"));
        RecordingInboundLeg leg;
        attach("CA14", leg);
        agentReady();
        _provider.last->channel.onLegEnded(sdk::EndReason::AgentEnded, "agent said goodbye");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), leg.hangups());
        CPPUNIT_ASSERT(leg.hangupReason() == sdk::EndReason::AgentEnded);
        CPPUNIT_ASSERT(!_provider.last->closed); // it ended itself
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(std::string("agent-ended"), finalRecord("CA14").endReason);
    }

    void agentOpenFailureEndsTheCallWithAgentFailed()
    {
        _provider.fail = true;
        _router->admit(offer("CA15"));
        RecordingInboundLeg leg;
        attach("CA15", leg);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), leg.hangups()); // not re-entered during attach
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), leg.hangups());
        CPPUNIT_ASSERT(leg.hangupReason() == sdk::EndReason::AgentFailed);
        auto r = finalRecord("CA15");
        CPPUNIT_ASSERT_EQUAL(std::string("agent-failed"), r.endReason);
        CPPUNIT_ASSERT(r.endDetail.find("agent down") != std::string::npos);
    }

    void throwingAgentProviderFailsOnlyThatCall()
    {
        _provider.throwOnOpen = true;
        _router->admit(offer("CA16"));
        RecordingInboundLeg leg;
        attach("CA16", leg);
        _loop.runPending();
        CPPUNIT_ASSERT(leg.hangupReason() == sdk::EndReason::AgentFailed);
        _provider.throwOnOpen = false;
        _router->admit(offer("CA17"));
        RecordingInboundLeg other;
        attach("CA17", other);
        agentReady();
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), other.hangups());
    }

    void sessionThrowingOnTheMediaPathEndsOnlyItsCall()
    {
        RecordingInboundLeg a, b;
        _router->admit(offer("CA21"));
        sdk::CallChannel* ca = attach("CA21", a);
        agentReady();
        ScriptedSession* first = _provider.last;
        _router->admit(offer("CA22"));
        sdk::CallChannel* cb = attach("CA22", b);
        agentReady();
        first->throwOnAudio = true;
        ca->onAudio(ulaw("AAEC")); // must not escape into the inbound plugin
        _loop.runPending();
        CPPUNIT_ASSERT(a.hangupReason() == sdk::EndReason::Error);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), b.hangups());
        cb->onAudio(ulaw("AwQF"));
        CPPUNIT_ASSERT_EQUAL(std::string("AwQF"), _provider.last->received.at(0));
        CPPUNIT_ASSERT(finalRecord("CA21").endDetail.find("AgentSession::onAudio") != std::string::npos);
    }

    void pendingCallWithoutStreamIsAbandoned()
    {
        _router->admit(offer("CA18"));
        _now += 9000;
        _router->expirePending();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _router->pendingCalls());
        _now += 2000;
        _router->expirePending();
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _router->pendingCalls());
        auto r = finalRecord("CA18");
        CPPUNIT_ASSERT_EQUAL(std::string("timeout"), r.endReason);
        RecordingInboundLeg leg;
        sdk::LegInfo info{sdk::MediaFormat::ulaw8000(), sdk::MediaFormat::ulaw8000(), "MZ"};
        CPPUNIT_ASSERT(_router->attachInbound("CA18", leg, info, _loop).status().code() == sdk::StatusCode::NotFound);
    }

    void endAllEndsEveryActiveCall()
    {
        RecordingInboundLeg a, b;
        _router->admit(offer("CA19"));
        _router->admit(offer("CA20"));
        attach("CA19", a);
        attach("CA20", b);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _router->activeCalls());
        _router->endAll(sdk::EndReason::HostShutdown, "stopping");
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _router->activeCalls());
        CPPUNIT_ASSERT(a.hangupReason() == sdk::EndReason::HostShutdown);
        CPPUNIT_ASSERT(b.hangupReason() == sdk::EndReason::HostShutdown);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CallRouterTest);
