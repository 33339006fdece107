// Call.h: one bridged call in the routing core — joins the inbound leg and the agent leg on one event loop.
#ifndef PATCHBAY_HOST_CORE_CALL_H
#define PATCHBAY_HOST_CORE_CALL_H

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <patchbay/sdk/AgentProvider.h>
#include <patchbay/sdk/Call.h>
#include <patchbay/sdk/Logger.h>
#include <patchbay/sdk/Tenant.h>

#include "core/AgentRegistry.h"
#include "core/CallRecorder.h"
#include "core/CoreMetrics.h"

namespace patchbay::host {

/// State machine (DESIGN §4): Attached (stream started, agent opening) → Bridged (agent ready) →
/// Ended. Every method runs on the call's loop; nothing here takes a lock, so the frame path is
/// lock-free. The router owns the Call through a shared_ptr and is told when it has ended.
class Call : public std::enable_shared_from_this<Call>
{
public:
    struct Context
    {
        sdk::Logger& logger;
        CoreMetrics& metrics;
        CallRecorder& recorder;
        std::function<std::int64_t()> now;
    };
    using FinishedFn = std::function<void(const std::string& callSid, const std::string& tenantId)>;

    Call(Context context, sdk::CallRecord record, sdk::Tenant tenant, sdk::EventLoop& loop, FinishedFn onFinished);
    ~Call();

    Call(const Call&) = delete;
    Call& operator=(const Call&) = delete;

    /// Binds the inbound leg and returns the channel it pushes caller media into. THREAD: Media.
    sdk::CallChannel& attachInbound(sdk::InboundLeg& leg, const sdk::LegInfo& info);

    /// Opens the tenant's agent session; on failure the call ends with AgentFailed (after the
    /// current callback returns, so the inbound plugin is not re-entered). THREAD: Media.
    void openAgent(const AgentBinding* binding);

    /// Ends the call from the core's side (shutdown, limits). THREAD: Media.
    void end(sdk::EndReason reason, const std::string& detail);

    const std::string& callSid() const { return _record.call.callSid; }
    sdk::EventLoop& loop() { return _loop; }
    bool ended() const { return _state == State::Ended; }

private:
    enum class State { Attached, Bridged, Ended };

    /// The channel the inbound leg talks into: caller media heads to the agent.
    class InboundChannel final : public sdk::CallChannel
    {
    public:
        explicit InboundChannel(Call& call) : _call(call) {}
        void onAudio(const sdk::AudioFrame& frame) noexcept override;
        void onClear() noexcept override {}
        void onMark(std::string_view name) noexcept override;
        void onDtmf(char digit) noexcept override;
        void onLegReady(const sdk::LegInfo& info) noexcept override;
        void onLegEnded(sdk::EndReason reason, std::string_view detail) noexcept override;

    private:
        Call& _call;
    };

    /// The channel the agent session talks into: agent media heads to the caller.
    class AgentChannel final : public sdk::CallChannel
    {
    public:
        explicit AgentChannel(Call& call) : _call(call) {}
        void onAudio(const sdk::AudioFrame& frame) noexcept override;
        void onClear() noexcept override;
        void onMark(std::string_view name) noexcept override;
        void onDtmf(char /*digit*/) noexcept override {}
        void onLegReady(const sdk::LegInfo& info) noexcept override;
        void onLegEnded(sdk::EndReason reason, std::string_view detail) noexcept override;

    private:
        Call& _call;
    };

    void finish(sdk::EndReason reason, const std::string& detail, bool inboundGone, bool agentGone);
    /// Calls into a leg's plugin code. A plugin that throws anyway (the SDK forbids it) ends only this
    /// call, with EndReason::Error, after the current callback returns.
    template <typename Fn>
    void guarded(const char* what, Fn&& fn) noexcept;
    void warnOnce(bool& flag, const std::string& message);

    Context _ctx;
    sdk::CallRecord _record;
    sdk::Tenant _tenant;
    sdk::EventLoop& _loop;
    FinishedFn _onFinished;

    InboundChannel _inboundChannel{*this};
    AgentChannel _agentChannel{*this};
    sdk::InboundLeg* _inbound = nullptr;
    std::shared_ptr<sdk::AgentSession> _agent;

    State _state = State::Attached;
    sdk::MediaFormat _callerSends;
    sdk::MediaFormat _callerReceives;
    sdk::MediaFormat _agentSends;
    sdk::MediaFormat _agentReceives;
    std::int64_t _agentOpenedAtMs = 0;
    sdk::TimerId _durationTimer = 0;

    std::uint64_t _droppedNotReady = 0;
    std::uint64_t _droppedFormat = 0;
    bool _warnedFormat = false;
};

} // namespace patchbay::host

#endif
