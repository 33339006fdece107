// ScriptedRouterFixture.h: the routing core with a scripted agent double that can fail, throw and count its live sessions — shared by the admission, bridging and limits suites.
#ifndef PATCHBAY_TESTS_HOST_CORE_SCRIPTED_ROUTER_FIXTURE_H
#define PATCHBAY_TESTS_HOST_CORE_SCRIPTED_ROUTER_FIXTURE_H

#include <stdexcept>
#include <string>
#include <vector>

#include "AgentRouterFixture.h"

namespace patchbay::testing {

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

/// Tenants t1 (+15550001, fallback "sorry"), t2 (+15550002, suspended) and t3 (+15550003, an agent
/// provider that is not running), all served by a ScriptedProvider. No carrier plugin: a failed agent
/// ends its call at once (the fallback redirect is CallRouterAgentActionsTest's subject).
class ScriptedRouterFixture : public AgentRouterFixture
{
public:
    ScriptedRouterFixture() { _withCarrier = false; }

protected:
    sdk::AgentProvider& agentProvider() override { return _provider; }

    void seedTenants() override
    {
        const sdk::Tenant t = seedTenantOne();
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

    void agentReady()
    {
        CPPUNIT_ASSERT(_provider.last);
        _provider.last->channel.onLegReady({sdk::MediaFormat::ulaw8000(), sdk::MediaFormat::ulaw8000(), "conv_1"});
    }

    ScriptedProvider _provider;
};

} // namespace patchbay::testing

#endif
