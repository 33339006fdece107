// Call.cpp: the per-call bridge between the inbound leg and the agent leg.
#include "core/Call.h"

#include <algorithm>

#include "patchbay/sdk/support/Billing.h"

namespace patchbay::host {

Call::Call(Context context, sdk::CallRecord record, sdk::Tenant tenant, sdk::EventLoop& loop, FinishedFn onFinished)
    : _ctx(std::move(context)), _record(std::move(record)), _tenant(std::move(tenant)), _loop(loop),
      _onFinished(std::move(onFinished))
{
}

Call::~Call() = default;

sdk::CallChannel& Call::attachInbound(sdk::InboundLeg& leg, const sdk::LegInfo& info)
{
    _inbound = &leg;
    _callerSends = info.sendsFormat;
    _callerReceives = info.receivesFormat;
    _record.status = "streaming";
    _record.streamStartedAtMs = _ctx.now();
    _ctx.recorder.save(_record);
    const std::uint32_t limit = _tenant.limits.maxCallSeconds;
    // The loop's timers take 32-bit milliseconds: a limit past ~49 days would wrap around (and end
    // the call early) if multiplied in 32 bits, and is no limit in practice, so it arms no timer.
    const std::uint64_t limitMs = std::uint64_t(limit) * 1000u;
    if (limit && limitMs <= UINT32_MAX)
    {
        // The tenant's maximum call duration ends the call cleanly from our side (the caller hears the
        // stream close, then Twilio runs what follows <Connect>).
        std::weak_ptr<Call> weak = weak_from_this();
        _durationTimer = _loop.runAfter(static_cast<std::uint32_t>(limitMs), [weak, limit] {
            if (auto self = weak.lock())
            {
                self->_durationTimer = 0;
                self->end(sdk::EndReason::Timeout, "maximum call duration of " + std::to_string(limit) + " s reached");
            }
        });
    }
    _state = State::Attached;
    _ctx.logger.info("stream attached (" + info.remoteId + ", caller " + sdk::mediaFormatName(_callerSends) + ")",
                     callSid());
    return _inboundChannel;
}

void Call::startAgent(const AgentBinding* binding)
{
    if (_state != State::Attached) return; // ended from inside attach
    if (!_prewarmed) return openAgent(binding);
    if (!_agent)
    {
        _ctx.metrics.prewarms("reopened").inc();
        _ctx.logger.info("the pre-warmed agent session did not last until the stream; opening a new one", callSid());
        return openAgent(binding);
    }
    _ctx.metrics.prewarms(_agentReady ? "ready" : "opening").inc();
    if (_agentReady) return bridge();
    armAgentReadyTimer();
}

void Call::openAgent(const AgentBinding* binding)
{
    if (!binding || !binding->provider)
    {
        auto self = shared_from_this();
        _loop.post([self] { self->agentFailed("no agent provider configured for this tenant", true); });
        return;
    }
    sdk::AgentSessionRequest request;
    request.call = _record.call;
    request.agent = _tenant.agent;
    request.callerFormat = _callerSends;
    request.tenantName = _tenant.name;
    request.variant = _record.variant;
    _agentOpenedAtMs = _ctx.now();
    const std::uint64_t generation = _agentGeneration;

    sdk::Result<std::unique_ptr<sdk::AgentSession>> opened = sdk::Status::internal("agent provider threw from openSession");
    try
    {
        opened = binding->provider->openSession(request, _agentChannel, _loop);
    }
    catch (...)
    {
        // The SDK forbids exceptions across the boundary; a plugin that throws anyway fails only this call.
    }
    if (!opened.isOk() || !opened.value())
    {
        std::string why = opened.isOk() ? std::string("agent provider returned no session") : opened.status().toString();
        auto self = shared_from_this();
        _loop.post([self, why] { self->agentFailed("agent session not opened: " + why, true); });
        return;
    }
    // The session's deleter holds the plugin library, so its code outlives it.
    std::shared_ptr<const void> keepAlive = binding->keepAlive;
    sdk::AgentSession* raw = opened.value().release();
    std::shared_ptr<sdk::AgentSession> session(raw, [keepAlive](sdk::AgentSession* s) { delete s; });
    if (_state == State::Ended || !_agentFailure.empty() || generation != _agentGeneration)
    {
        // It failed (or the call ended, or a pre-warm was dropped) from inside openSession(): it
        // ended itself, drop it on the loop.
        _loop.post([session = std::move(session)]() mutable { session.reset(); });
        return;
    }
    _agent = std::move(session);
    if (_state == State::Attached) armAgentReadyTimer(); // not when it got ready inside openSession()
}

void Call::end(sdk::EndReason reason, const std::string& detail)
{
    // While ringing there is no call to end yet, only a pre-warmed session (a plugin threw).
    if (_state == State::Pending) return dropPrewarm(detail, false);
    finish(reason, detail, false, false);
}

void Call::warnOnce(bool& flag, const std::string& message)
{
    if (flag) return;
    flag = true;
    _ctx.logger.warn(message, callSid());
}

void Call::cancelTimer(sdk::TimerId& id)
{
    if (id) _loop.cancelTimer(id);
    id = 0;
}

void Call::finish(sdk::EndReason reason, const std::string& detail, bool inboundGone, bool agentGone)
{
    if (_state == State::Ended) return;
    _state = State::Ended;
    auto self = shared_from_this();
    cancelTimer(_durationTimer);
    cancelTimer(_agentReadyTimer);
    cancelTimer(_hangupTimer);
    cancelTimer(_carrierTimer);
    clearAgentBacklog();
    // A carrier call still running answers into an ended call: its result is dropped (transferDone).
    _carrierAction = CarrierAction::None;

    if (_agent)
    {
        if (!agentGone) guarded("AgentSession::close", [&] { _agent->close(reason); });
        // Destroy later: we may be inside one of the session's own callbacks right now.
        _loop.post([agent = std::move(_agent)]() mutable { agent.reset(); });
    }
    if (_inbound)
    {
        if (!inboundGone) guarded("InboundLeg::hangup", [&] { _inbound->hangup(reason, detail); });
        _inbound = nullptr;
    }

    const std::int64_t now = _ctx.now();
    _record.status = "ended";
    _record.endedAtMs = now;
    _record.durationMs = _record.streamStartedAtMs ? now - _record.streamStartedAtMs : 0;
    _record.endReason = sdk::endReasonName(reason);
    _record.endDetail = detail;
    // Billed per started second; cost rounds up to the next micro-unit, so it never undercharges.
    const std::int64_t billedSeconds = (_record.durationMs + 999) / 1000;
    _record.costMicros = (billedSeconds * _tenant.rates.perMinuteMicros + 59) / 60;
    _ctx.recorder.save(_record);
    _ctx.metrics.callsEnded(sdk::endReasonName(reason)).inc();

    std::string line = "call ended: " + std::string(sdk::endReasonName(reason));
    if (!detail.empty()) line += " (" + detail + ")";
    line += ", " + std::to_string(_record.durationMs) + " ms, frames in/out " + std::to_string(_record.framesFromCaller) +
            "/" + std::to_string(_record.framesToCaller);
    if (_droppedNotReady || _droppedFormat)
        line += ", dropped " + std::to_string(_droppedNotReady) + " before agent ready, " + std::to_string(_droppedFormat) +
                " on format mismatch";
    _ctx.logger.info(line, callSid());
    if (_onFinished) _onFinished(callSid(), _record.call.tenantId);
}

// ---- caller → agent -------------------------------------------------------------------------

void Call::InboundChannel::onAudio(const sdk::AudioFrame& frame) noexcept
{
    Call& c = _call;
    if (c._state != State::Bridged || !c._agent)
    {
        ++c._droppedNotReady;
        c._ctx.metrics.framesDroppedNotReady.inc();
        return;
    }
    ++c._record.framesFromCaller;
    const sdk::AudioFrame* forward = &frame; // same format: passes through untouched
    sdk::AudioFrame converted;
    if (frame.format != c._agentReceives && !(forward = c._conversion.toAgent(frame, converted)))
    {
        ++c._droppedFormat;
        c._ctx.metrics.framesDroppedFormat.inc();
        c.warnOnce(c._warnedFormat, "caller audio " + sdk::mediaFormatName(frame.format) + " but agent expects " +
                                        sdk::mediaFormatName(c._agentReceives) + " and it cannot be converted; dropping");
        return;
    }
    if (forward->payload.empty()) return; // the resampler keeps a few samples back for the next frame
    c.guarded("AgentSession::onAudio", [&] { c._agent->onAudio(*forward); });
    c._ctx.metrics.framesToAgent.inc();
}

void Call::InboundChannel::onMark(std::string_view name) noexcept
{
    if (_call.inboundMarkReached(name)) return; // the core's own mark: the agent never placed it
    if (_call._agent) _call.guarded("AgentSession::onMark", [&] { _call._agent->onMark(name); });
}

void Call::InboundChannel::onDtmf(char digit) noexcept
{
    if (_call._agent) _call.guarded("AgentSession::onDtmf", [&] { _call._agent->onDtmf(digit); });
}

void Call::InboundChannel::onLegReady(const sdk::LegInfo& info) noexcept
{
    _call._callerSends = info.sendsFormat;
    _call._callerReceives = info.receivesFormat;
}

void Call::InboundChannel::onLegEnded(sdk::EndReason reason, std::string_view detail) noexcept
{
    try
    {
        _call.inboundEnded(reason, std::string(detail));
    }
    catch (...)
    {
        _call.finish(reason, {}, true, false); // only bad_alloc gets here
    }
}

// ---- agent → caller -------------------------------------------------------------------------

void Call::AgentChannel::onAudio(const sdk::AudioFrame& frame) noexcept
{
    Call& c = _call;
    if (c._state == State::Ended) return;
    if (c.holdingAgentEvents()) return c.holdAgentAudio(frame);
    c.agentAudioToCaller(frame);
}

void Call::agentAudioToCaller(const sdk::AudioFrame& frame)
{
    if (_state == State::Ended || !_inbound) return;
    const sdk::AudioFrame* forward = &frame;
    sdk::AudioFrame converted;
    if (frame.format != _callerReceives && !(forward = _conversion.toCaller(frame, converted)))
    {
        ++_droppedFormat;
        _ctx.metrics.framesDroppedFormat.inc();
        warnOnce(_warnedFormat, "agent audio " + sdk::mediaFormatName(frame.format) + " but caller expects " +
                                sdk::mediaFormatName(_callerReceives) + " and it cannot be converted; dropping");
        return;
    }
    if (forward->payload.empty()) return;
    ++_record.framesToCaller;
    if (_hangupPending) _audioAfterHangupMark = true;
    guarded("InboundLeg::onAudio", [&] { _inbound->onAudio(*forward); });
    _ctx.metrics.framesToCaller.inc();
}

void Call::AgentChannel::onClear() noexcept
{
    Call& c = _call;
    if (c._state == State::Ended) return;
    c.clearAgentBacklog(); // barge-in before the caller heard it: the held audio is stale too
    if (!c._inbound) return;
    c._ctx.metrics.clears.inc();
    c._conversion.resetToCaller();
    c.guarded("InboundLeg::onClear", [&] { c._inbound->onClear(); });
}

void Call::AgentChannel::onMark(std::string_view name) noexcept
{
    if (_call._state == State::Ended) return;
    if (_call.holdingAgentEvents()) return _call.holdAgentMark(name);
    _call.agentMarkToCaller(name);
}

void Call::agentMarkToCaller(std::string_view name)
{
    if (_state != State::Ended && _inbound) guarded("InboundLeg::onMark", [&] { _inbound->onMark(name); });
}

void Call::AgentChannel::onLegReady(const sdk::LegInfo& info) noexcept
{
    Call& c = _call;
    // Ended, or failed and closed already. (_agent is not the test: a session may report ready from
    // inside openSession(), before the core holds it.)
    if (c._state == State::Ended || !c._agentFailure.empty()) return;
    c.cancelTimer(c._agentReadyTimer);
    c._agentSends = info.sendsFormat;
    c._agentReceives = info.receivesFormat;
    c._agentReady = true;
    c._record.agentConversationId = info.remoteId;
    if (c._state == State::Pending)
    {
        // Pre-warmed: bridged when the stream attaches (the caller's formats are known only then).
        c._ctx.logger.info("agent ready while ringing in " + std::to_string(c._ctx.now() - c._agentOpenedAtMs) +
                               " ms (conversation " + info.remoteId + ")",
                           c.callSid());
        return;
    }
    c.bridge();
}

void Call::bridge()
{
    try
    {
        const std::string conversion =
            _conversion.configure(_callerSends, _callerReceives, _agentSends, _agentReceives);
        if (!conversion.empty()) _ctx.logger.info("converting audio: " + conversion, callSid());
    }
    catch (const std::exception& e)
    {
        _ctx.logger.warn(std::string("audio conversion not available: ") + e.what(), callSid());
    }
    _state = State::Bridged;
    // What the caller waits for: from the stream's start (a pre-warmed agent may be ready before it).
    const std::int64_t waited =
        std::max<std::int64_t>(0, _ctx.now() - std::max(_agentOpenedAtMs, _record.streamStartedAtMs));
    _ctx.metrics.agentConnectSeconds.observe(static_cast<double>(waited) / 1000.0);
    _ctx.logger.info("agent ready " + (_prewarmed && _agentOpenedAtMs < _record.streamStartedAtMs ? std::string("(pre-warmed) ") : std::string()) +
                           std::to_string(waited) + " ms after stream start (conversation " + _record.agentConversationId +
                           ", agent " + sdk::mediaFormatName(_agentReceives) + " in / " +
                           sdk::mediaFormatName(_agentSends) + " out)",
                       callSid());
    _ctx.recorder.save(_record);
    if (!_agentBacklog.empty() || _hangupWhileRinging)
    {
        // After the current callback (the inbound plugin may be inside attachInbound()).
        std::weak_ptr<Call> weak = weak_from_this();
        _loop.post([weak] {
            if (auto self = weak.lock()) self->flushAgentBacklog();
        });
    }
}

void Call::AgentChannel::onLegEnded(sdk::EndReason reason, std::string_view detail) noexcept
{
    try
    {
        // Still ringing: nobody to hang up on; startAgent() opens a fresh session for the caller.
        if (_call._state == State::Pending) return _call.dropPrewarm(std::string(detail), true);
        // A broken agent leaves the caller on the line: they get the fallback instead of dead air.
        if (reason == sdk::EndReason::AgentFailed) return _call.agentFailed(std::string(detail), true);
        _call.finish(reason, std::string(detail), false, true);
    }
    catch (...)
    {
        _call.finish(reason, {}, false, true); // only bad_alloc gets here
    }
}

void Call::AgentChannel::onTranscript(const sdk::TranscriptEntry& entry) noexcept
{
    try
    {
        _call.storeTranscript(entry);
    }
    catch (...)
    {
        // bad_alloc only: the line is lost, the call goes on.
    }
}

void Call::AgentChannel::requestHangupAfterPlayout(std::string_view reason) noexcept
{
    try
    {
        if (_call._state == State::Pending)
        {
            // Its goodbye is held with its other audio: end once the caller has heard all of it.
            _call._hangupWhileRinging = true;
            _call._hangupWhileRingingReason = std::string(reason);
            return;
        }
        _call.hangupAfterPlayout(reason);
    }
    catch (...)
    {
        _call.finish(sdk::EndReason::Completed, "agent ended the call", false, false);
    }
}

void Call::AgentChannel::requestTransfer(std::string_view toNumber, std::uint64_t requestId) noexcept
{
    try
    {
        if (_call._state == State::Pending)
            return _call.answerLater(requestId, sdk::Status::unavailable("the caller is not connected yet"));
        _call.transfer(toNumber, requestId);
    }
    catch (...)
    {
        // bad_alloc only; the session hears nothing back, as if the carrier never answered.
    }
}

} // namespace patchbay::host
