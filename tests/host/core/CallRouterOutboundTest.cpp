// CallRouterOutboundTest.cpp: admission of calls the gateway placed — the tenant is the caller id's (from), never the callee's.
#include <cppunit/extensions/HelperMacros.h>

#include <patchbay/sdk/testing/FakeTenantStore.h>
#include <patchbay/sdk/testing/RecordingLogger.h>

#include "core/CallRecorder.h"
#include "core/CallRouterImpl.h"
#include "metrics/MetricsRegistry.h"

using namespace patchbay;
using namespace patchbay::sdk::testing;

namespace {

/// Admission only asks whether the tenant's agent provider runs; no session is opened here.
class IdleProvider final : public sdk::AgentProvider
{
public:
    sdk::Result<std::unique_ptr<sdk::AgentSession>> openSession(const sdk::AgentSessionRequest&, sdk::CallChannel&,
                                                                sdk::EventLoop&) override
    {
        return sdk::Status::unavailable("not in this test");
    }
};

} // namespace

class CallRouterOutboundTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(CallRouterOutboundTest);
    CPPUNIT_TEST(outboundCallIsAdmittedByItsCallerId);
    CPPUNIT_TEST(calleeNeverNamesTheTenantOfAnOutboundCall);
    CPPUNIT_TEST(suspendedCallerIdGetsTheFallback);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _metrics = std::make_unique<host::MetricsRegistry>();
        _recorder = std::make_unique<host::CallRecorder>(_log);
        _recorder->setStore(&_store);
        _recorder->start();
        _router = std::make_unique<host::CallRouterImpl>(_log, *_metrics, *_recorder, [] { return std::int64_t(1'000'000); },
                                                         host::CallRouterImpl::Options{});
        _router->setTenantStore(&_store);
        _router->agents().add("agent", host::AgentBinding{&_provider, nullptr});
        _router->agents().setDefault("agent");
        sdk::Tenant t;
        t.id = "t1";
        t.agent.agentId = "agent_1";
        t.fallback.message = "sorry";
        _store.addTenant(t);
        _store.addNumber("+15550001", "t1", "AC1");
        t.id = "t2";
        t.status = sdk::TenantStatus::Suspended;
        _store.addTenant(t);
        _store.addNumber("+15550002", "t2", "AC1");
    }

    void tearDown() override
    {
        _router.reset();
        _recorder->stop();
    }

    /// Twilio asks for the TwiML of a placed call with From = the tenant's number, To = the callee.
    static sdk::CallInfo placed(const std::string& sid, const std::string& from, const std::string& to)
    {
        sdk::CallInfo c;
        c.callSid = sid;
        c.accountSid = "AC1";
        c.from = from;
        c.to = to;
        c.direction = sdk::CallDirection::Outbound;
        c.inboundProvider = "twilio";
        return c;
    }

    void outboundCallIsAdmittedByItsCallerId()
    {
        auto a = _router->admit(placed("CAout1", "+15550001", "+15557777"));
        CPPUNIT_ASSERT(a.outcome == sdk::AdmissionOutcome::Accepted);
        CPPUNIT_ASSERT_EQUAL(std::string("t1"), a.tenantId);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(1), _router->tenantCalls("t1")); // counts against the tenant's limits
        _recorder->stop(); // flushes
        auto calls = _store.savedCalls();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), calls.count("CAout1"));
        const sdk::CallRecord& r = calls["CAout1"];
        CPPUNIT_ASSERT(r.call.direction == sdk::CallDirection::Outbound);
        CPPUNIT_ASSERT_EQUAL(std::string("t1"), r.call.tenantId);
        CPPUNIT_ASSERT_EQUAL(std::string("+15550001"), r.call.from);
        CPPUNIT_ASSERT_EQUAL(std::string("+15557777"), r.call.to);
        CPPUNIT_ASSERT_EQUAL(std::string("answered"), r.status);
        _recorder->start();
    }

    void calleeNeverNamesTheTenantOfAnOutboundCall()
    {
        // The callee is t1's number, the caller id nobody's: refused as unknown, like an inbound call to it.
        auto a = _router->admit(placed("CAout2", "+15558888", "+15550001"));
        CPPUNIT_ASSERT(a.outcome == sdk::AdmissionOutcome::UnknownNumber);
        CPPUNIT_ASSERT(a.detail.find("+15558888") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(0), _router->tenantCalls("t1"));
        // The same numbers inbound: the dialled one names the tenant, as before.
        sdk::CallInfo inbound = placed("CAin", "+15558888", "+15550001");
        inbound.direction = sdk::CallDirection::Inbound;
        CPPUNIT_ASSERT(_router->admit(inbound).outcome == sdk::AdmissionOutcome::Accepted);
    }

    void suspendedCallerIdGetsTheFallback()
    {
        auto a = _router->admit(placed("CAout3", "+15550002", "+15557777"));
        CPPUNIT_ASSERT(a.outcome == sdk::AdmissionOutcome::TenantSuspended);
        CPPUNIT_ASSERT_EQUAL(std::string("sorry"), a.fallback.message);
    }

private:
    RecordingLogger _log;
    FakeTenantStore _store;
    IdleProvider _provider;
    std::unique_ptr<host::MetricsRegistry> _metrics;
    std::unique_ptr<host::CallRecorder> _recorder;
    std::unique_ptr<host::CallRouterImpl> _router;
};

CPPUNIT_TEST_SUITE_REGISTRATION(CallRouterOutboundTest);
