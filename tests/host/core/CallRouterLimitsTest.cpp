// CallRouterLimitsTest.cpp: the routing core's tenant limits — concurrency, calls per minute, monthly quota, A/B variants, maximum duration, cost and usage.
#include <cppunit/extensions/HelperMacros.h>

#include <map>

#include "ScriptedRouterFixture.h"

using namespace patchbay;
using namespace patchbay::sdk::testing;
using patchbay::testing::ScriptedSession;

class CallRouterLimitsTest : public patchbay::testing::ScriptedRouterFixture
{
    CPPUNIT_TEST_SUITE(CallRouterLimitsTest);
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
        CPPUNIT_ASSERT(_router->admit(offer("CL1", "+15550100")).outcome == sdk::AdmissionOutcome::Accepted);
        CPPUNIT_ASSERT(_router->admit(offer("CL2", "+15550100")).outcome == sdk::AdmissionOutcome::Accepted);
        auto third = _router->admit(offer("CL3", "+15550100"));
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
        CPPUNIT_ASSERT(_router->admit(offer("CL4", "+15550100")).outcome == sdk::AdmissionOutcome::Accepted);
        // A carrier retry of an admitted call is not a second call.
        CPPUNIT_ASSERT(_router->admit(offer("CL4", "+15550100")).outcome == sdk::AdmissionOutcome::Accepted);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(1), _router->tenantCalls("lim"));
    }

    void callsPerMinuteSlidesOverTheWindow()
    {
        sdk::Tenant t = limitedTenant("cpm", "+15550200");
        setLimits(t, {0, 3, 0, 0});
        for (int i = 0; i < 3; ++i)
        {
            CPPUNIT_ASSERT(_router->admit(offer("CR" + std::to_string(i), "+15550200")).outcome == sdk::AdmissionOutcome::Accepted);
            _now += 10000;
        }
        CPPUNIT_ASSERT(_router->admit(offer("CR3", "+15550200")).outcome == sdk::AdmissionOutcome::OverLimit);
        CPPUNIT_ASSERT_EQUAL(std::string("1"), refusals("calls_per_minute"));
        _now += 31000; // the first admission is now more than a minute old
        CPPUNIT_ASSERT(_router->admit(offer("CR4", "+15550200")).outcome == sdk::AdmissionOutcome::Accepted);
    }

    void monthlyQuotaRefusesWhenUsedUp()
    {
        sdk::Tenant t = limitedTenant("quota", "+15550300");
        setLimits(t, {0, 0, 0, 1}); // one minute a month
        _router->admit(offer("CQ1", "+15550300"));
        RecordingInboundLeg leg;
        sdk::CallChannel* ch = attach("CQ1", leg);
        agentReady();
        _now += 61000;
        ch->onLegEnded(sdk::EndReason::Completed, "done");
        finalRecord("CQ1"); // flushes the final record, and with it the usage
        auto a = _router->admit(offer("CQ2", "+15550300"));
        CPPUNIT_ASSERT(a.outcome == sdk::AdmissionOutcome::OverLimit);
        CPPUNIT_ASSERT(a.detail.find("monthly quota") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("1"), refusals("monthly_quota"));
    }

    void oneTenantAtItsLimitDoesNotAffectAnother()
    {
        sdk::Tenant busy = limitedTenant("busy", "+15550400");
        setLimits(busy, {1, 0, 0, 0});
        CPPUNIT_ASSERT(_router->admit(offer("CB1", "+15550400")).outcome == sdk::AdmissionOutcome::Accepted);
        CPPUNIT_ASSERT(_router->admit(offer("CB2", "+15550400")).outcome == sdk::AdmissionOutcome::OverLimit);
        for (int i = 0; i < 20; ++i)
            CPPUNIT_ASSERT(_router->admit(offer("CF" + std::to_string(i))).outcome == sdk::AdmissionOutcome::Accepted);
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
            _router->admit(offer(sid, "+15550500"));
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
        other.admit(offer("CAab0", "+15550500"));
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
        _router->admit(offer("CD1", "+15550600"));
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
        _router->admit(offer("CD2", "+15550610"));
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
        _router->admit(offer("CC1", "+15550700"));
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
};

CPPUNIT_TEST_SUITE_REGISTRATION(CallRouterLimitsTest);
