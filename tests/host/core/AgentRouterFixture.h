// AgentRouterFixture.h: a real CallRouterImpl + CallRecorder over a fake store, loop, scripted agent and carrier — shared by the core's agent-side suites.
#ifndef PATCHBAY_TESTS_HOST_CORE_AGENT_ROUTER_FIXTURE_H
#define PATCHBAY_TESTS_HOST_CORE_AGENT_ROUTER_FIXTURE_H

#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <patchbay/sdk/testing/FakeEventLoop.h>
#include <patchbay/sdk/testing/FakeTenantStore.h>
#include <patchbay/sdk/testing/RecordingInboundLeg.h>
#include <patchbay/sdk/testing/RecordingLogger.h>

#include "AgentActionsFixture.h"
#include "core/CallRecorder.h"
#include "core/CallRouterImpl.h"
#include "metrics/MetricsRegistry.h"

namespace patchbay::testing {

/// By default tenant t1 (+15550001, fallback message "sorry") and t2 (+15550002, no fallback), both
/// on the default agent provider "agent" and the carrier "test". A suite changes the router's options
/// in configure(), which runs before the router is built, and may bring its own agent double and
/// tenants (agentProvider(), seedTenants()).
class AgentRouterFixture : public CppUnit::TestFixture
{
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
        configure(o);
        _router = std::make_unique<host::CallRouterImpl>(_log, *_metrics, *_recorder, [this] { return _now; }, o);
        _router->setTenantStore(&_store);
        _router->agents().add("agent", host::AgentBinding{&agentProvider(), nullptr});
        _router->agents().setDefault("agent");
        if (_withCarrier) _router->inboundProviders().add("test", &_carrier, nullptr);
        _router->setBlockingRunner([this](std::function<void()> task) { _pool.submit(std::move(task)); });
        seedTenants();
    }

    void tearDown() override
    {
        _pool.join();
        _router.reset();
        _recorder->stop();
    }

protected:
    virtual void configure(host::CallRouterImpl::Options&) {}
    /// The default agent provider ("agent"); a suite with its own double overrides this.
    virtual sdk::AgentProvider& agentProvider() { return _agents; }
    /// Adds tenant t1 (+15550001, "Tenant One", agent_1, fallback message "sorry") and returns it.
    sdk::Tenant seedTenantOne()
    {
        sdk::Tenant t;
        t.id = "t1";
        t.name = "Tenant One";
        t.agent.agentId = "agent_1";
        t.fallback.message = "sorry";
        _store.addTenant(t);
        _store.addNumber("+15550001", "t1", "AC1");
        return t;
    }
    /// The store's tenants and numbers, before any test runs.
    virtual void seedTenants()
    {
        sdk::Tenant bare = seedTenantOne();
        bare.id = "t2";
        bare.fallback = {};
        _store.addTenant(bare);
        _store.addNumber("+15550002", "t2", "AC1");
    }

    static sdk::AudioFrame ulaw(std::string_view payload, std::uint64_t eventId = 0)
    {
        sdk::AudioFrame f;
        f.format = sdk::MediaFormat::ulaw8000();
        f.payload = payload;
        f.eventId = eventId;
        return f;
    }

    static sdk::CallInfo offer(const std::string& sid, const std::string& to = "+15550001", const std::string& provider = "test")
    {
        sdk::CallInfo c;
        c.callSid = sid;
        c.accountSid = "AC1";
        c.from = "+15559999";
        c.to = to;
        c.inboundProvider = provider;
        return c;
    }

    /// Attaches an admitted call's stream on `loop` (the fixture's own by default).
    sdk::CallChannel* attach(const std::string& sid, sdk::testing::RecordingInboundLeg& leg, sdk::EventLoop* loop = nullptr)
    {
        sdk::LegInfo info{sdk::MediaFormat::ulaw8000(), sdk::MediaFormat::ulaw8000(), "MZ1"};
        auto r = _router->attachInbound(sid, leg, info, loop ? *loop : _loop);
        CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
        return r.value();
    }

    /// Admits and attaches a call; `ready` also makes its agent ready.
    sdk::CallChannel* start(const std::string& sid, sdk::testing::RecordingInboundLeg& leg, bool ready = true,
                            const std::string& to = "+15550001", const std::string& provider = "test")
    {
        CPPUNIT_ASSERT(_router->admit(offer(sid, to, provider)).outcome == sdk::AdmissionOutcome::Accepted);
        sdk::CallChannel* ch = attach(sid, leg);
        if (ready) channel().onLegReady({sdk::MediaFormat::ulaw8000(), sdk::MediaFormat::ulaw8000(), "conv_1"});
        return ch;
    }

    /// What the last opened session was told.
    SessionLog& agent()
    {
        CPPUNIT_ASSERT(_agents.last);
        return *_agents.last;
    }
    /// The last session's channel: the test speaks for the agent here while its call lives.
    sdk::CallChannel& channel()
    {
        CPPUNIT_ASSERT(_agents.last && !_agents.last->destroyed);
        return *_agents.last->channel;
    }

    sdk::CallRecord finalRecord(const std::string& sid)
    {
        _recorder->flush();
        auto calls = _store.savedCalls();
        CPPUNIT_ASSERT_MESSAGE("no record for " + sid, calls.count(sid) == 1);
        return calls[sid];
    }

    /// Register the RecordingInboundProvider as carrier "test"; without one a failed agent ends the
    /// call at once instead of redirecting the caller to the fallback.
    bool _withCarrier = true;
    std::int64_t _now = 0;
    sdk::testing::RecordingLogger _log;
    sdk::testing::FakeTenantStore _store;
    sdk::testing::FakeEventLoop _loop;
    ActionAgentProvider _agents;
    RecordingInboundProvider _carrier;
    ManualPool _pool;
    std::unique_ptr<host::MetricsRegistry> _metrics;
    std::unique_ptr<host::CallRecorder> _recorder;
    std::unique_ptr<host::CallRouterImpl> _router;
};

} // namespace patchbay::testing

#endif
