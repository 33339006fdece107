// CallRouterTest.cpp: the routing core on the SDK's fakes — admission outcomes, retries, bridging, barge-in, ends and records.
#include <cppunit/extensions/HelperMacros.h>

#include <map>

#include <patchbay/sdk/testing/FakeEventLoop.h>
#include <patchbay/sdk/testing/FakeTenantStore.h>
#include <patchbay/sdk/testing/RecordingInboundLeg.h>
#include <patchbay/sdk/testing/RecordingLogger.h>

#include "core/CallRecorder.h"
#include "core/CallRouterImpl.h"
#include "metrics/MetricsRegistry.h"

using namespace patchbay;
using namespace patchbay::sdk::testing;

namespace {

/// An agent session that records what the core sends it and lets the test speak for the agent.
class ScriptedSession final : public sdk::AgentSession
{
public:
    ScriptedSession(sdk::CallChannel& channel, int& liveCount) : channel(channel), _live(liveCount) { ++_live; }
    ~ScriptedSession() override { --_live; }
    void onAudio(const sdk::AudioFrame& frame) override
    {
        if (throwOnAudio) throw std::runtime_error("plugin bug in onAudio");
        received.emplace_back(frame.payload);
    }
    void onClear() noexcept override {}
    void onMark(std::string_view name) noexcept override { marks.emplace_back(name); }
    void onDtmf(char digit) noexcept override { dtmf += digit; }
    void close(sdk::EndReason reason) noexcept override
    {
        closed = true;
        closeReason = reason;
    }

    sdk::CallChannel& channel;
    std::vector<std::string> received;
    std::vector<std::string> marks;
    std::string dtmf;
    bool closed = false;
    bool throwOnAudio = false;
    sdk::EndReason closeReason = sdk::EndReason::Error;

private:
    int& _live;
};

class ScriptedProvider final : public sdk::AgentProvider
{
public:
    sdk::Result<std::unique_ptr<sdk::AgentSession>> openSession(const sdk::AgentSessionRequest& request, sdk::CallChannel& channel,
                                                                sdk::EventLoop&) override
    {
        lastRequest = request;
        if (fail) return sdk::Status::unavailable("agent down (test)");
        if (throwOnOpen) throw std::runtime_error("plugin bug");
        auto s = std::make_unique<ScriptedSession>(channel, live);
        last = s.get();
        return std::unique_ptr<sdk::AgentSession>(std::move(s));
    }
    ScriptedSession* last = nullptr;
    sdk::AgentSessionRequest lastRequest;
    bool fail = false;
    bool throwOnOpen = false;
    int live = 0;
};

sdk::AudioFrame ulaw(std::string_view payload, std::uint64_t eventId = 0)
{
    sdk::AudioFrame f;
    f.format = sdk::MediaFormat::ulaw8000();
    f.payload = payload;
    f.eventId = eventId;
    return f;
}

} // namespace

class CallRouterTest : public CppUnit::TestFixture
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
    CPPUNIT_TEST(concurrencyLimitIsCountedExactly);
    CPPUNIT_TEST(callsPerMinuteSlidesOverTheWindow);
    CPPUNIT_TEST(monthlyQuotaRefusesWhenUsedUp);
    CPPUNIT_TEST(oneTenantAtItsLimitDoesNotAffectAnother);
    CPPUNIT_TEST(variantsAreReproducibleAndWeighted);
    CPPUNIT_TEST(maxCallDurationEndsTheCall);
    CPPUNIT_TEST(hugeMaxCallDurationDoesNotWrapAround);
    CPPUNIT_TEST(costAndUsageAreRecordedAtTheEnd);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _now = 1'000'000;
        _metrics = std::make_unique<host::MetricsRegistry>();
        _recorder = std::make_unique<host::CallRecorder>(_log);
        _recorder->setStore(&_store);
        _recorder->start();
        host::CallRouterImpl::Options o;
        o.streamStartTimeoutMs = 10000;
        _router = std::make_unique<host::CallRouterImpl>(_log, *_metrics, *_recorder, [this] { return _now; }, o);
        _router->setTenantStore(&_store);
        _router->agents().add("agent", host::AgentBinding{&_provider, nullptr});
        _router->agents().setDefault("agent");

        sdk::Tenant t;
        t.id = "t1";
        t.name = "Tenant One";
        t.agent.agentId = "agent_1";
        t.fallback.message = "sorry";
        _store.addTenant(t);
        _store.addNumber("+15550001", "t1", "AC1");
        sdk::Tenant s = t;
        s.id = "t2";
        s.status = sdk::TenantStatus::Suspended;
        _store.addTenant(s);
        _store.addNumber("+15550002", "t2", "AC1");
        sdk::Tenant x = t;
        x.id = "t3";
        x.agent.providerId = "nonexistent";
        _store.addTenant(x);
        _store.addNumber("+15550003", "t3", "AC1");
    }

    void tearDown() override
    {
        _router.reset();
        _recorder->stop();
    }

    sdk::CallInfo call(const std::string& sid, const std::string& to = "+15550001")
    {
        sdk::CallInfo c;
        c.callSid = sid;
        c.accountSid = "AC1";
        c.from = "+15559999";
        c.to = to;
        c.inboundProvider = "test";
        return c;
    }

    sdk::CallChannel* attach(const std::string& sid, RecordingInboundLeg& leg)
    {
        sdk::LegInfo info{sdk::MediaFormat::ulaw8000(), sdk::MediaFormat::ulaw8000(), "MZ1"};
        auto r = _router->attachInbound(sid, leg, info, _loop);
        CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
        return r.value();
    }

    void agentReady()
    {
        CPPUNIT_ASSERT(_provider.last);
        _provider.last->channel.onLegReady({sdk::MediaFormat::ulaw8000(), sdk::MediaFormat::ulaw8000(), "conv_1"});
    }

    sdk::CallRecord finalRecord(const std::string& sid)
    {
        _recorder->stop(); // flushes the queue
        _recorder->start();
        auto calls = _store.savedCalls();
        CPPUNIT_ASSERT_MESSAGE("no record for " + sid, calls.count(sid) == 1);
        return calls[sid];
    }

    void unknownNumberIsRefusedAndNotStored()
    {
        auto a = _router->admit(call("CA1", "+19999999"));
        CPPUNIT_ASSERT(a.outcome == sdk::AdmissionOutcome::UnknownNumber);
        CPPUNIT_ASSERT(a.tenantId.empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _store.saveCount());
        CPPUNIT_ASSERT(_metrics->renderPrometheus().find("patchbay_admissions_total{outcome=\"unknown-number\"} 1") != std::string::npos);
    }

    void suspendedTenantGetsItsFallback()
    {
        auto a = _router->admit(call("CA2", "+15550002"));
        CPPUNIT_ASSERT(a.outcome == sdk::AdmissionOutcome::TenantSuspended);
        CPPUNIT_ASSERT_EQUAL(std::string("sorry"), a.fallback.message);
        auto r = finalRecord("CA2");
        CPPUNIT_ASSERT_EQUAL(std::string("rejected"), r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("tenant_suspended"), r.endReason);
    }

    void storeDownIsStoreUnavailable()
    {
        _store.setUnavailable(true);
        auto a = _router->admit(call("CA3"));
        CPPUNIT_ASSERT(a.outcome == sdk::AdmissionOutcome::StoreUnavailable);
        _store.setUnavailable(false);
    }

    void missingAgentProviderIsAgentUnavailable()
    {
        auto a = _router->admit(call("CA4", "+15550003"));
        CPPUNIT_ASSERT(a.outcome == sdk::AdmissionOutcome::AgentUnavailable);
        CPPUNIT_ASSERT(a.detail.find("nonexistent") != std::string::npos);
    }

    void drainingRefusesNewCalls()
    {
        _router->beginDrain();
        CPPUNIT_ASSERT(_router->admit(call("CA5")).outcome == sdk::AdmissionOutcome::Draining);
    }

    void retriedWebhookGetsSameDecisionOnce()
    {
        CPPUNIT_ASSERT(_router->admit(call("CA6")).outcome == sdk::AdmissionOutcome::Accepted);
        const auto saves = _store.saveCount();
        CPPUNIT_ASSERT(_router->admit(call("CA6")).outcome == sdk::AdmissionOutcome::Accepted);
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
        _router->admit(call("CA7"));
        attach("CA7", leg);
        RecordingInboundLeg second;
        auto again = _router->attachInbound("CA7", second, info, _loop);
        CPPUNIT_ASSERT(again.status().code() == sdk::StatusCode::AlreadyExists);
    }

    void audioPassesThroughBothWaysAfterAgentReady()
    {
        _router->admit(call("CA8"));
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
        _router->admit(call("CA9"));
        RecordingInboundLeg leg;
        sdk::CallChannel* ch = attach("CA9", leg);
        ch->onAudio(ulaw("AAEC"));
        CPPUNIT_ASSERT(_provider.last->received.empty());
        CPPUNIT_ASSERT(_metrics->renderPrometheus().find("patchbay_frames_dropped_total{reason=\"agent_not_ready\"} 1") != std::string::npos);
    }

    void formatMismatchIsConvertedOrDropped()
    {
        _router->admit(call("CA10"));
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
        _router->admit(call("CA11"));
        RecordingInboundLeg leg;
        attach("CA11", leg);
        agentReady();
        _provider.last->channel.onClear();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), leg.clears());
    }

    void dtmfAndMarksReachTheAgent()
    {
        _router->admit(call("CA12"));
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
        _router->admit(call("CA13"));
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
        _router->admit(call("CA14"));
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
        _router->admit(call("CA15"));
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
        _router->admit(call("CA16"));
        RecordingInboundLeg leg;
        attach("CA16", leg);
        _loop.runPending();
        CPPUNIT_ASSERT(leg.hangupReason() == sdk::EndReason::AgentFailed);
        _provider.throwOnOpen = false;
        _router->admit(call("CA17"));
        RecordingInboundLeg other;
        attach("CA17", other);
        agentReady();
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), other.hangups());
    }

    void sessionThrowingOnTheMediaPathEndsOnlyItsCall()
    {
        RecordingInboundLeg a, b;
        _router->admit(call("CA21"));
        sdk::CallChannel* ca = attach("CA21", a);
        agentReady();
        ScriptedSession* first = _provider.last;
        _router->admit(call("CA22"));
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
        _router->admit(call("CA18"));
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
        _router->admit(call("CA19"));
        _router->admit(call("CA20"));
        attach("CA19", a);
        attach("CA20", b);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _router->activeCalls());
        _router->endAll(sdk::EndReason::HostShutdown, "stopping");
        _loop.runPending();
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _router->activeCalls());
        CPPUNIT_ASSERT(a.hangupReason() == sdk::EndReason::HostShutdown);
        CPPUNIT_ASSERT(b.hangupReason() == sdk::EndReason::HostShutdown);
    }

    sdk::Tenant limitedTenant(const std::string& id, const std::string& number)
    {
        sdk::Tenant t;
        t.id = id;
        t.name = id;
        t.agent.agentId = "agent_" + id;
        _store.addTenant(t);
        _store.addNumber(number, id, "AC1");
        return t;
    }

    void setLimits(sdk::Tenant t, sdk::TenantLimits limits)
    {
        t.limits = limits;
        _store.addTenant(t);
    }

    std::string refusals(const std::string& reason)
    {
        const std::string text = _metrics->renderPrometheus();
        const std::string key = "patchbay_admission_refusals_total{reason=\"" + reason + "\"} ";
        auto i = text.find(key);
        return i == std::string::npos ? "0" : text.substr(i + key.size(), text.find('\n', i) - i - key.size());
    }

    void concurrencyLimitIsCountedExactly()
    {
        sdk::Tenant t = limitedTenant("lim", "+15550100");
        setLimits(t, {2, 0, 0, 0});
        CPPUNIT_ASSERT(_router->admit(call("CL1", "+15550100")).outcome == sdk::AdmissionOutcome::Accepted);
        CPPUNIT_ASSERT(_router->admit(call("CL2", "+15550100")).outcome == sdk::AdmissionOutcome::Accepted);
        auto third = _router->admit(call("CL3", "+15550100"));
        CPPUNIT_ASSERT(third.outcome == sdk::AdmissionOutcome::OverLimit);
        CPPUNIT_ASSERT_EQUAL(std::string("1"), refusals("max_concurrent"));
        CPPUNIT_ASSERT_EQUAL(std::string("max_concurrent"), finalRecord("CL3").endReason);
        // One call ends abnormally (stream broke), the other never gets a stream: both slots come back.
        RecordingInboundLeg leg;
        sdk::CallChannel* ch = attach("CL1", leg);
        ch->onLegEnded(sdk::EndReason::InboundFailed, "socket reset");
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(1), _router->tenantCalls("lim"));
        _now += 11000;
        _router->expirePending();
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(0), _router->tenantCalls("lim"));
        CPPUNIT_ASSERT(_router->admit(call("CL4", "+15550100")).outcome == sdk::AdmissionOutcome::Accepted);
        // A carrier retry of an admitted call is not a second call.
        CPPUNIT_ASSERT(_router->admit(call("CL4", "+15550100")).outcome == sdk::AdmissionOutcome::Accepted);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(1), _router->tenantCalls("lim"));
    }

    void callsPerMinuteSlidesOverTheWindow()
    {
        sdk::Tenant t = limitedTenant("cpm", "+15550200");
        setLimits(t, {0, 3, 0, 0});
        for (int i = 0; i < 3; ++i)
        {
            CPPUNIT_ASSERT(_router->admit(call("CR" + std::to_string(i), "+15550200")).outcome == sdk::AdmissionOutcome::Accepted);
            _now += 10000;
        }
        CPPUNIT_ASSERT(_router->admit(call("CR3", "+15550200")).outcome == sdk::AdmissionOutcome::OverLimit);
        CPPUNIT_ASSERT_EQUAL(std::string("1"), refusals("calls_per_minute"));
        _now += 31000; // the first admission is now more than a minute old
        CPPUNIT_ASSERT(_router->admit(call("CR4", "+15550200")).outcome == sdk::AdmissionOutcome::Accepted);
    }

    void monthlyQuotaRefusesWhenUsedUp()
    {
        sdk::Tenant t = limitedTenant("quota", "+15550300");
        setLimits(t, {0, 0, 0, 1}); // one minute a month
        _router->admit(call("CQ1", "+15550300"));
        RecordingInboundLeg leg;
        sdk::CallChannel* ch = attach("CQ1", leg);
        agentReady();
        _now += 61000;
        ch->onLegEnded(sdk::EndReason::Completed, "done");
        finalRecord("CQ1"); // flushes the final record, and with it the usage
        auto a = _router->admit(call("CQ2", "+15550300"));
        CPPUNIT_ASSERT(a.outcome == sdk::AdmissionOutcome::OverLimit);
        CPPUNIT_ASSERT(a.detail.find("monthly quota") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("1"), refusals("monthly_quota"));
    }

    void oneTenantAtItsLimitDoesNotAffectAnother()
    {
        sdk::Tenant busy = limitedTenant("busy", "+15550400");
        setLimits(busy, {1, 0, 0, 0});
        CPPUNIT_ASSERT(_router->admit(call("CB1", "+15550400")).outcome == sdk::AdmissionOutcome::Accepted);
        CPPUNIT_ASSERT(_router->admit(call("CB2", "+15550400")).outcome == sdk::AdmissionOutcome::OverLimit);
        for (int i = 0; i < 20; ++i)
            CPPUNIT_ASSERT(_router->admit(call("CF" + std::to_string(i))).outcome == sdk::AdmissionOutcome::Accepted);
    }

    void variantsAreReproducibleAndWeighted()
    {
        sdk::Tenant t = limitedTenant("ab", "+15550500");
        sdk::AgentVariant a{"a", 3, {}};
        a.agent.agentId = "agent_a";
        sdk::AgentVariant b{"b", 1, {}};
        b.agent.agentId = "agent_b";
        t.variants = {a, b};
        _store.addTenant(t);
        std::map<std::string, int> counts;
        for (int i = 0; i < 400; ++i)
        {
            const std::string sid = "CAab" + std::to_string(i * 7919);
            _router->admit(call(sid, "+15550500"));
            RecordingInboundLeg leg;
            sdk::CallChannel* ch = attach(sid, leg);
            const std::string agent = _provider.lastRequest.agent.agentId;
            ++counts[agent];
            ch->onLegEnded(sdk::EndReason::Completed, "");
            _loop.runPending();
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), counts.size());
        CPPUNIT_ASSERT_MESSAGE(std::to_string(counts["agent_a"]), counts["agent_a"] > 250 && counts["agent_a"] < 350);
        // Same CallSid, same variant: a fresh router decides the same way.
        auto r = finalRecord("CAab0");
        CPPUNIT_ASSERT(r.variant == "a" || r.variant == "b");
        host::CallRouterImpl other(_log, *_metrics, *_recorder, [this] { return _now; }, {});
        other.setTenantStore(&_store);
        other.agents().add("agent", host::AgentBinding{&_provider, nullptr});
        other.agents().setDefault("agent");
        other.admit(call("CAab0", "+15550500"));
        RecordingInboundLeg leg;
        sdk::LegInfo info{sdk::MediaFormat::ulaw8000(), sdk::MediaFormat::ulaw8000(), "MZ"};
        CPPUNIT_ASSERT(other.attachInbound("CAab0", leg, info, _loop).isOk());
        CPPUNIT_ASSERT_EQUAL(r.variant == "a" ? std::string("agent_a") : std::string("agent_b"), _provider.lastRequest.agent.agentId);
        other.endAll(sdk::EndReason::HostShutdown, "");
        _loop.runPending();
    }

    void maxCallDurationEndsTheCall()
    {
        sdk::Tenant t = limitedTenant("short", "+15550600");
        setLimits(t, {0, 0, 30, 0});
        _router->admit(call("CD1", "+15550600"));
        RecordingInboundLeg leg;
        attach("CD1", leg);
        agentReady();
        _loop.advance(29000);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), leg.hangups());
        _loop.advance(1500);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), leg.hangups());
        CPPUNIT_ASSERT(leg.hangupReason() == sdk::EndReason::Timeout);
        CPPUNIT_ASSERT(finalRecord("CD1").endDetail.find("maximum call duration") != std::string::npos);
    }

    void hugeMaxCallDurationDoesNotWrapAround()
    {
        // 4294968 s in 32-bit milliseconds would wrap to 704 ms and cut the call at once.
        sdk::Tenant t = limitedTenant("long", "+15550610");
        setLimits(t, {0, 0, 4294968, 0});
        _router->admit(call("CD2", "+15550610"));
        RecordingInboundLeg leg;
        attach("CD2", leg);
        agentReady();
        _loop.advance(60000);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), leg.hangups());
        _router->endAll(sdk::EndReason::HostShutdown, "");
        _loop.runPending();
    }

    void costAndUsageAreRecordedAtTheEnd()
    {
        sdk::Tenant t = limitedTenant("paid", "+15550700");
        t.rates.perMinuteMicros = 60000; // 0.06 per minute = 1000 micros per second
        _store.addTenant(t);
        _router->admit(call("CC1", "+15550700"));
        RecordingInboundLeg leg;
        sdk::CallChannel* ch = attach("CC1", leg);
        agentReady();
        _now += 90500; // 91 billed seconds
        ch->onLegEnded(sdk::EndReason::Completed, "");
        auto r = finalRecord("CC1");
        CPPUNIT_ASSERT_EQUAL(std::int64_t(91000), r.costMicros);
        auto usage = _store.usage("paid", "");
        CPPUNIT_ASSERT(usage.isOk());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), usage.value().size());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), usage.value()[0].calls);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(91), usage.value()[0].seconds);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(91000), usage.value()[0].costMicros);
    }

private:
    std::int64_t _now = 0;
    RecordingLogger _log;
    FakeTenantStore _store;
    FakeEventLoop _loop;
    ScriptedProvider _provider;
    std::unique_ptr<host::MetricsRegistry> _metrics;
    std::unique_ptr<host::CallRecorder> _recorder;
    std::unique_ptr<host::CallRouterImpl> _router;
};

CPPUNIT_TEST_SUITE_REGISTRATION(CallRouterTest);
