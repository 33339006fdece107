// CallRouterImpl.h: the routing core — admits calls, joins each call's legs on one loop, records them, ends them on shutdown.
#ifndef PATCHBAY_HOST_CORE_CALL_ROUTER_IMPL_H
#define PATCHBAY_HOST_CORE_CALL_ROUTER_IMPL_H

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <patchbay/sdk/CallRouter.h>
#include <patchbay/sdk/Logger.h>
#include <patchbay/sdk/TenantStore.h>

#include "core/AgentRegistry.h"
#include "core/Call.h"
#include "core/CallRecorder.h"
#include "core/CoreMetrics.h"
#include "core/InboundProviders.h"
#include "core/TenantLimiter.h"

namespace patchbay::host {

class CallRouterImpl final : public sdk::CallRouter
{
public:
    struct Options
    {
        /// How long an admitted call may wait for its stream, and an attached call for its agent to be
        /// ready (after that the caller gets the tenant's fallback).
        std::int64_t streamStartTimeoutMs = 15000;
        /// How long a decision is remembered so that a carrier's retry of the same webhook gets it again.
        std::int64_t decisionMemoryMs = 120000;
        /// Open the agent session at admission, while the phone rings (needs setLoopForKey()).
        bool prewarmAgent = true;
    };
    /// The media loop a call's sockets will live on, by affinity key (the CallSid).
    using LoopForKey = std::function<sdk::EventLoop&(std::string_view key)>;

    CallRouterImpl(sdk::Logger& logger, sdk::Metrics& metrics, CallRecorder& recorder, std::function<std::int64_t()> now,
                   Options options);
    ~CallRouterImpl();

    /// THREAD: Control, before start.
    void setTenantStore(sdk::TenantStore* store) { _store = store; }
    /// Where calls run their carrier requests (transfer, fallback redirect): the host's blocking
    /// pool. Without one, transfers are refused and a failed agent's caller gets only what the
    /// carrier does after the stream. THREAD: Control, before start.
    void setBlockingRunner(BlockingRunner runner) { _runBlocking = std::move(runner); }
    /// Where pre-warmed agent sessions open: the loop the carrier's stream for that CallSid will land
    /// on. Without it nothing is pre-warmed. THREAD: Control, before start.
    void setLoopForKey(LoopForKey loopForKey) { _loopForKey = std::move(loopForKey); }
    AgentRegistry& agents() { return _agents; }
    /// The carrier plugins, for call control and numbers (the admin API reaches them through here).
    InboundProviders& inboundProviders() { return _inbound; }
    const InboundProviders& inboundProviders() const { return _inbound; }

    sdk::Admission admit(const sdk::CallInfo& call) noexcept override;
    sdk::Result<sdk::CallChannel*> attachInbound(std::string_view callSid, sdk::InboundLeg& leg, const sdk::LegInfo& info,
                                                 sdk::EventLoop& loop) noexcept override;
    void updateFromCarrier(const sdk::CarrierCallUpdate& update) noexcept override;

    /// Stop admitting (new calls get Draining). THREAD: Any.
    void beginDrain() { _draining = true; }
    bool draining() const { return _draining; }

    /// Records admitted calls whose stream never came as abandoned. THREAD: Any (call periodically).
    void expirePending();

    /// Asks every active call's loop to end it. THREAD: Any.
    void endAll(sdk::EndReason reason, const std::string& detail);

    std::size_t activeCalls() const;
    /// Admitted calls of a tenant that hold a limiter slot (pending or active). THREAD: Any.
    std::uint32_t tenantCalls(const std::string& tenantId) const { return _limiter.active(tenantId); }
    std::size_t pendingCalls() const;

private:
    struct Pending
    {
        sdk::CallRecord record;
        sdk::Tenant tenant;
        std::int64_t admittedAtMs = 0;
        std::shared_ptr<Call> prewarmed; ///< the call whose agent session opened at admission, if any
    };
    struct Decision
    {
        sdk::Admission admission;
        std::int64_t atMs = 0;
    };

    /// The number that names the tenant: the dialled one for inbound calls, the caller id (one of the
    /// tenant's own numbers) for outbound calls the gateway placed.
    static const std::string& tenantNumber(const sdk::CallInfo& call)
    {
        return call.direction == sdk::CallDirection::Outbound ? call.from : call.to;
    }
    /// Tenant lookup, status, A/B variant, quota and limits; takes a limiter slot when it accepts.
    sdk::Admission decide(const sdk::CallInfo& call, sdk::Tenant& tenantOut, std::string& variant, std::string& reason,
                          std::int64_t now);
    void remember(const std::string& callSid, const sdk::Admission& a, std::int64_t now);
    void callFinished(const std::string& callSid, const std::string& tenantId);
    std::shared_ptr<Call> makeCall(const sdk::CallRecord& record, const sdk::Tenant& tenant, sdk::EventLoop& loop);
    /// Closes a pre-warmed session on its loop (the stream is not coming to it).
    void discard(std::shared_ptr<Call> call, const char* outcome, const std::string& why);

    sdk::Logger& _logger;
    CoreMetrics _metrics;
    CallRecorder& _recorder;
    std::function<std::int64_t()> _now;
    Options _options;
    sdk::TenantStore* _store = nullptr;
    BlockingRunner _runBlocking;
    LoopForKey _loopForKey;
    AgentRegistry _agents;
    InboundProviders _inbound;
    TenantLimiter _limiter;
    std::atomic<bool> _draining{false};

    mutable std::mutex _mutex; // guards the maps below: control path only, never per frame
    std::unordered_map<std::string, Pending> _pending;
    std::unordered_map<std::string, Decision> _decisions;
    std::unordered_map<std::string, std::shared_ptr<Call>> _active;
};

} // namespace patchbay::host

#endif
