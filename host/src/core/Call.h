// Call.h: one bridged call in the routing core — joins the inbound leg and the agent leg on one event loop.
#ifndef PATCHBAY_HOST_CORE_CALL_H
#define PATCHBAY_HOST_CORE_CALL_H

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <patchbay/sdk/AgentProvider.h>
#include <patchbay/sdk/Call.h>
#include <patchbay/sdk/Logger.h>
#include <patchbay/sdk/Tenant.h>

#include "core/AgentRegistry.h"
#include "core/CallRecorder.h"
#include "core/CoreMetrics.h"
#include "core/InboundProviders.h"
#include "core/MediaConversion.h"

namespace patchbay::host {

/// Queues blocking work (carrier REST calls) on the host's worker pool; never blocks the caller.
using BlockingRunner = std::function<void(std::function<void()>)>;

/// State machine (DESIGN §4): Pending (admitted, phone ringing; the agent session may be pre-warmed)
/// → Attached (stream started, agent opening) → Bridged (agent ready) → Ended. Every method runs on
/// the call's loop; nothing here takes a lock, so the frame path is lock-free. The router owns the
/// Call through a shared_ptr and is told when it has ended (a discarded pre-warm is not an ended call).
class Call : public std::enable_shared_from_this<Call>
{
public:
    struct Context
    {
        sdk::Logger& logger;
        CoreMetrics& metrics;
        CallRecorder& recorder;
        std::function<std::int64_t()> now;
        /// Where carrier calls (transfer, fallback redirect) run, off the loop. Empty = nowhere: a
        /// transfer is refused and a failed agent leaves the fallback to the carrier's after-stream handling.
        BlockingRunner runBlocking;
        /// The call's carrier plugin (CallInfo::inboundProvider); nullptr when it is not running.
        const InboundBinding* inboundProvider = nullptr;
        /// How long the agent may take to get ready before the caller gets the fallback; 0 = no limit.
        std::uint32_t agentReadyTimeoutMs = 0;
    };
    using FinishedFn = std::function<void(const std::string& callSid, const std::string& tenantId)>;

    Call(Context context, sdk::CallRecord record, sdk::Tenant tenant, sdk::EventLoop& loop, FinishedFn onFinished);
    ~Call();

    Call(const Call&) = delete;
    Call& operator=(const Call&) = delete;

    /// Opens the agent session while the phone rings (Pending). Its audio is held until the stream
    /// attaches; if it fails or ends meanwhile it is dropped and startAgent() opens a fresh one.
    /// Does nothing once the stream has attached (the post can lose the race). THREAD: Media.
    void prewarmAgent(const AgentBinding* binding);
    /// The stream never came here (expired, another node took it, shutdown): closes a pre-warmed
    /// session without recording anything; the router records the call itself. THREAD: Media.
    void discardPrewarm(const std::string& why);

    /// Binds the inbound leg and returns the channel it pushes caller media into. THREAD: Media.
    sdk::CallChannel& attachInbound(sdk::InboundLeg& leg, const sdk::LegInfo& info);

    /// After attachInbound(): bridges to the pre-warmed session (handing the caller the agent audio
    /// held so far), or opens one. THREAD: Media.
    void startAgent(const AgentBinding* binding);

    /// Ends the call from the core's side (shutdown, limits). THREAD: Media.
    void end(sdk::EndReason reason, const std::string& detail);

    const std::string& callSid() const { return _record.call.callSid; }
    sdk::EventLoop& loop() { return _loop; }
    bool ended() const { return _state == State::Ended; }

private:
    enum class State { Pending, Attached, Bridged, Ended };

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
        // An inbound leg has no agent actions; the SDK says it never calls these.
        void onTranscript(const sdk::TranscriptEntry&) noexcept override {}
        void requestHangupAfterPlayout(std::string_view) noexcept override {}
        void requestTransfer(std::string_view, std::uint64_t) noexcept override {}

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
        void onTranscript(const sdk::TranscriptEntry& entry) noexcept override;
        void requestHangupAfterPlayout(std::string_view reason) noexcept override;
        void requestTransfer(std::string_view toNumber, std::uint64_t requestId) noexcept override;

    private:
        Call& _call;
    };

    /// A carrier call the call waits for (one at a time); while one runs, an inbound leg that ends
    /// does not end the call yet, so the record can say what the carrier did.
    enum class CarrierAction { None, Transfer, Fallback };

    void finish(sdk::EndReason reason, const std::string& detail, bool inboundGone, bool agentGone);
    void cancelTimer(sdk::TimerId& id);
    /// Opens the tenant's agent session; on failure the call ends with AgentFailed (after the
    /// current callback returns, so the inbound plugin is not re-entered), or, while Pending, the
    /// pre-warm is dropped.
    void openAgent(const AgentBinding* binding);
    /// The agent is ready and the stream attached: set up conversion, relay from now on.
    void bridge();
    void agentAudioToCaller(const sdk::AudioFrame& frame);
    void agentMarkToCaller(std::string_view name);

    // ---- Pre-warm (CallPrewarm.cpp) ----
    /// True while agent events must wait: ringing, or held events not yet handed to the caller.
    bool holdingAgentEvents() const { return _state == State::Pending || !_agentBacklog.empty(); }
    void holdAgentAudio(const sdk::AudioFrame& frame);
    void holdAgentMark(std::string_view name);
    /// Hands the held agent audio and marks to the caller, in order (after attach, on the loop).
    void flushAgentBacklog();
    void clearAgentBacklog();
    /// The pre-warmed session failed or ended while ringing: drop it (startAgent() opens another).
    void dropPrewarm(const std::string& why, bool agentGone);

    // ---- Agent actions and agent failure (CallActions.cpp) ----
    void storeTranscript(const sdk::TranscriptEntry& entry);
    void hangupAfterPlayout(std::string_view reason);
    void placeHangupMark();
    /// A mark echoed by the inbound leg; true when it was the core's own (not for the agent).
    bool inboundMarkReached(std::string_view name);
    void transfer(std::string_view toNumber, std::uint64_t requestId);
    void transferDone(std::uint64_t requestId, const sdk::Status& result);
    /// Answers a request after the current callback returns, if the call is still live then.
    void answerLater(std::uint64_t requestId, sdk::Status result);
    /// The agent failed (or never got ready): redirect the caller to the fallback, then end.
    void agentFailed(const std::string& why, bool agentGone);
    /// Redirects the caller to the tenant's fallback on the blocking pool; ends the call when it cannot.
    void agentFailedFallback();
    void fallbackDone(const sdk::Status& result);
    /// The inbound leg ended by itself: ends the call, or defers that while a carrier action runs.
    void inboundEnded(sdk::EndReason reason, const std::string& detail);
    void armAgentReadyTimer();
    /// Runs `work` against the call's carrier plugin on the blocking pool and hands its result to
    /// `done` on the call's loop, if the call still exists. False (with `why`) when it cannot run.
    bool runCarrierCall(std::function<sdk::Status(sdk::InboundProvider&, const sdk::CallInfo&)> work,
                        std::function<void(Call&, const sdk::Status&)> done, std::string& why);
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

    State _state = State::Pending;
    sdk::MediaFormat _callerSends;
    sdk::MediaFormat _callerReceives;
    sdk::MediaFormat _agentSends;
    sdk::MediaFormat _agentReceives;
    MediaConversion _conversion; ///< set up when the agent is ready; nothing to do when formats match
    std::int64_t _agentOpenedAtMs = 0;
    sdk::TimerId _durationTimer = 0;
    sdk::TimerId _agentReadyTimer = 0;

    // Agent actions (CallActions.cpp).
    bool _hangupPending = false;
    std::string _hangupReason;
    std::string _hangupMark;            // the core's mark now awaited from the inbound leg
    std::uint64_t _hangupMarks = 0;
    bool _audioAfterHangupMark = false; // agent audio sent after that mark: mark again once it is reached
    sdk::TimerId _hangupTimer = 0;
    CarrierAction _carrierAction = CarrierAction::None;
    std::string _transferTo;
    std::string _agentFailure;          // why the agent failed, while the fallback redirect runs
    sdk::TimerId _carrierTimer = 0;
    bool _inboundEnded = false;         // the inbound leg ended by itself while a carrier action ran
    sdk::EndReason _inboundEndReason = sdk::EndReason::Completed;
    std::string _inboundEndDetail;

    // Pre-warm (CallPrewarm.cpp).
    struct HeldAgentEvent
    {
        bool isMark = false;
        std::string data; ///< audio payload bytes (as the agent encoded them) or the mark's name
        sdk::MediaFormat format;
        sdk::PayloadEncoding encoding = sdk::PayloadEncoding::Base64;
        std::uint64_t eventId = 0;
        std::int64_t timestampMs = -1;
    };
    bool _prewarmed = false;              // a pre-warm was started for this call
    bool _agentReady = false;             // the session reported ready (formats in _agentSends/_agentReceives)
    std::uint64_t _agentGeneration = 0;   // bumped per dropped pre-warm: a late openSession() result is stale
    std::vector<HeldAgentEvent> _agentBacklog; // handed over whole at attach, so no pop_front needed
    std::size_t _agentBacklogBytes = 0;
    std::uint64_t _agentBacklogDropped = 0;
    bool _hangupWhileRinging = false;     // the agent asked to end the call before the caller was there
    std::string _hangupWhileRingingReason;

    std::uint64_t _droppedNotReady = 0;
    std::uint64_t _droppedFormat = 0;
    bool _warnedFormat = false;
};

// Defined here so both Call.cpp and CallActions.cpp can call into plugins through it.
template <typename Fn>
void Call::guarded(const char* what, Fn&& fn) noexcept
{
    try
    {
        fn();
    }
    catch (...)
    {
        try
        {
            _ctx.logger.error(std::string("a plugin threw from ") + what + "; ending this call", callSid());
            auto self = shared_from_this();
            _loop.post([self, what] { self->end(sdk::EndReason::Error, std::string("plugin threw from ") + what); });
        }
        catch (...)
        {
        }
    }
}

} // namespace patchbay::host

#endif
