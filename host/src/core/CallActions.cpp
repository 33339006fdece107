// CallActions.cpp: what an agent may ask of its call (transcript, hangup after playout, transfer) and the caller's fallback when the agent fails.
//
// Split from Call.cpp, which keeps the media path. Everything here runs on the call's loop too; the
// carrier's REST calls (transfer, fallback redirect) run on the host's blocking pool and their results
// come back to the loop, so the loop never waits on them.
#include "core/Call.h"

#include <utility>

namespace patchbay::host {

namespace {

/// A carrier that never echoes the core's mark cannot keep a call the agent ended open longer than
/// this (the agent's last words are a few seconds; 10 s covers them with room to spare).
constexpr std::uint32_t kHangupPlayoutTimeoutMs = 10000;
/// The caller hears silence while the fallback redirect runs: after this the stream is closed anyway,
/// and the agent-failed record still lets the carrier's after-stream handling (Twilio's <Connect
/// action>) answer the fallback.
constexpr std::uint32_t kFallbackWaitMs = 5000;
/// When the carrier closed the stream during a transfer (it does so once the transfer takes effect,
/// often before its REST answer reaches us), how long the record waits for that answer.
constexpr std::uint32_t kTransferAnswerWaitMs = 10000;
/// The core's own marks on the inbound leg; their echoes are not the agent's and never reach it.
constexpr std::string_view kHangupMarkPrefix = "patchbay-hangup-";

/// '+', then 2 to 15 digits, the first not 0 (as the admin API validates numbers).
bool isE164(std::string_view s)
{
    if (s.size() < 3 || s.size() > 16 || s[0] != '+' || s[1] == '0') return false;
    for (char c : s.substr(1))
        if (c < '0' || c > '9') return false;
    return true;
}

} // namespace

// ---- transcript ------------------------------------------------------------------------------

void Call::storeTranscript(const sdk::TranscriptEntry& entry)
{
    // The recorder's writer thread keeps the call's lines in order and logs a failing store.
    _ctx.recorder.addTranscript(callSid(), entry);
}

// ---- hangup after playout --------------------------------------------------------------------

void Call::hangupAfterPlayout(std::string_view reason)
{
    if (_state == State::Ended || _hangupPending) return; // idempotent
    _hangupPending = true;
    _hangupReason = reason.empty() ? std::string("agent ended the call") : "agent ended the call: " + std::string(reason);
    _ctx.logger.info(_hangupReason + "; ending once the caller has heard the agent", callSid());
    std::weak_ptr<Call> weak = weak_from_this();
    if (!_inbound)
    {
        // Nobody left to hear it. Not from inside the session's own call: close() would re-enter it.
        _loop.post([weak] {
            if (auto self = weak.lock()) self->finish(sdk::EndReason::Completed, self->_hangupReason, true, false);
        });
        return;
    }
    _hangupTimer = _loop.runAfter(kHangupPlayoutTimeoutMs, [weak] {
        if (auto self = weak.lock())
        {
            self->_hangupTimer = 0;
            self->finish(sdk::EndReason::Completed,
                         self->_hangupReason + " (playout not confirmed within " + std::to_string(kHangupPlayoutTimeoutMs / 1000) + " s)",
                         false, false);
        }
    });
    placeHangupMark();
}

void Call::placeHangupMark()
{
    _hangupMark = std::string(kHangupMarkPrefix) + std::to_string(++_hangupMarks);
    _audioAfterHangupMark = false;
    if (_inbound) guarded("InboundLeg::onMark", [&] { _inbound->onMark(_hangupMark); });
}

bool Call::inboundMarkReached(std::string_view name)
{
    if (name.substr(0, kHangupMarkPrefix.size()) != kHangupMarkPrefix) return false;
    if (!_hangupPending || _state == State::Ended || name != _hangupMark) return true; // an older mark of ours
    if (_audioAfterHangupMark && _inbound)
    {
        // The agent said more after the mark (its goodbye often follows the tool call): wait for that too.
        placeHangupMark();
        return true;
    }
    // After the inbound plugin's own callback returns: hangup() must not re-enter it.
    std::weak_ptr<Call> weak = weak_from_this();
    _loop.post([weak] {
        if (auto self = weak.lock()) self->finish(sdk::EndReason::Completed, self->_hangupReason, false, false);
    });
    return true;
}

// ---- transfer --------------------------------------------------------------------------------

void Call::answerLater(std::uint64_t requestId, sdk::Status result)
{
    _ctx.logger.warn("agent request " + std::to_string(requestId) + " refused: " + result.toString(), callSid());
    // Answered after the session's own call returns, so the answer never re-enters it.
    std::weak_ptr<Call> weak = weak_from_this();
    _loop.post([weak, requestId, result = std::move(result)] {
        auto self = weak.lock();
        if (!self || self->ended() || !self->_agent) return;
        self->guarded("AgentSession::onActionResult", [&] { self->_agent->onActionResult(requestId, result); });
    });
}

void Call::transfer(std::string_view toNumber, std::uint64_t requestId)
{
    if (_state == State::Ended) return; // the session is closed: nobody to answer
    std::string to(toNumber);
    if (!isE164(to))
        return answerLater(requestId, sdk::Status::invalidArgument("transfer target '" + to.substr(0, 32) +
                                                                   "' is not an E.164 number like +15005550006"));
    if (_carrierAction != CarrierAction::None)
        return answerLater(requestId, sdk::Status::alreadyExists("a transfer is already in progress"));
    if (_hangupPending) return answerLater(requestId, sdk::Status::unavailable("the call is ending"));
    std::string why;
    const bool started = runCarrierCall(
        [to](sdk::InboundProvider& provider, const sdk::CallInfo& call) { return provider.transferCall(call, to); },
        [requestId](Call& call, const sdk::Status& result) { call.transferDone(requestId, result); }, why);
    if (!started) return answerLater(requestId, sdk::Status::unavailable("transfer not possible: " + why));
    _carrierAction = CarrierAction::Transfer;
    _transferTo = std::move(to);
    _ctx.logger.info("agent asked to transfer the caller to " + _transferTo, callSid());
}

void Call::transferDone(std::uint64_t requestId, const sdk::Status& result)
{
    // Ended meanwhile (caller hung up, shutdown): the session is closed, so nobody is told.
    if (_state == State::Ended || _carrierAction != CarrierAction::Transfer) return;
    _carrierAction = CarrierAction::None;
    cancelTimer(_carrierTimer);
    if (_agent) guarded("AgentSession::onActionResult", [&] { _agent->onActionResult(requestId, result); });
    if (result.isOk())
    {
        // The carrier now dials the number; closing our stream is all that is left of this call.
        finish(sdk::EndReason::Transferred, "transferred to " + _transferTo, _inboundEnded, false);
        return;
    }
    _ctx.logger.warn("transfer to " + _transferTo + " failed: " + result.toString(), callSid());
    if (_inboundEnded)
        finish(_inboundEndReason, _inboundEndDetail + "; transfer to " + _transferTo + " failed: " + result.toString(), true, false);
    else if (!_agentFailure.empty())
        agentFailedFallback(); // the agent broke while the transfer ran: the caller still needs an answer
}

// ---- agent failure and the fallback ----------------------------------------------------------

void Call::armAgentReadyTimer()
{
    const std::uint32_t limit = _ctx.agentReadyTimeoutMs;
    if (!limit) return;
    std::weak_ptr<Call> weak = weak_from_this();
    _agentReadyTimer = _loop.runAfter(limit, [weak, limit] {
        if (auto self = weak.lock())
        {
            self->_agentReadyTimer = 0;
            if (self->_state == State::Attached)
                self->agentFailed("agent not ready within " + std::to_string(limit) + " ms", false);
        }
    });
}

void Call::agentFailed(const std::string& why, bool agentGone)
{
    if (_state == State::Pending) return dropPrewarm(why, agentGone); // no caller to fall back yet
    if (_state == State::Ended || !_agentFailure.empty()) return;
    _agentFailure = why.empty() ? std::string("agent leg failed") : why;
    cancelTimer(_agentReadyTimer);
    _ctx.logger.warn("agent failed: " + _agentFailure, callSid());
    if (_agent)
    {
        if (!agentGone) guarded("AgentSession::close", [&] { _agent->close(sdk::EndReason::AgentFailed); });
        // Destroy later: we may be inside one of the session's own callbacks right now.
        _loop.post([agent = std::move(_agent)]() mutable { agent.reset(); });
        _agent = nullptr;
    }
    if (_hangupPending) return;                           // the agent had said goodbye: its playout mark still ends the call
    if (_carrierAction == CarrierAction::Transfer) return; // its answer decides: transferred, or the fallback after all
    agentFailedFallback();
}

void Call::agentFailedFallback()
{
    if (!_inbound) return finish(sdk::EndReason::AgentFailed, _agentFailure, true, true);
    const sdk::Fallback fallback = _tenant.fallback; // empty: the carrier plugin's own default message
    std::string why;
    const bool started = runCarrierCall(
        [fallback](sdk::InboundProvider& provider, const sdk::CallInfo& call) { return provider.redirectToFallback(call, fallback); },
        [](Call& call, const sdk::Status& result) { call.fallbackDone(result); }, why);
    if (!started) return finish(sdk::EndReason::AgentFailed, _agentFailure + "; fallback not run: " + why, false, true);
    _carrierAction = CarrierAction::Fallback;
    std::weak_ptr<Call> weak = weak_from_this();
    _carrierTimer = _loop.runAfter(kFallbackWaitMs, [weak] {
        if (auto self = weak.lock())
        {
            self->_carrierTimer = 0;
            if (self->_state == State::Ended || self->_carrierAction != CarrierAction::Fallback) return;
            self->_carrierAction = CarrierAction::None;
            self->finish(sdk::EndReason::AgentFailed,
                         self->_agentFailure + "; fallback redirect not confirmed within " +
                             std::to_string(kFallbackWaitMs / 1000) + " s",
                         self->_inboundEnded, true);
        }
    });
}

void Call::fallbackDone(const sdk::Status& result)
{
    if (_state == State::Ended || _carrierAction != CarrierAction::Fallback) return;
    _carrierAction = CarrierAction::None;
    cancelTimer(_carrierTimer);
    std::string detail = _agentFailure;
    if (result.isOk())
        detail += _tenant.fallback.message.empty() && _tenant.fallback.dialNumber.empty()
                      ? "; caller redirected to the carrier's default fallback"
                      : "; caller redirected to the tenant's fallback";
    else
        detail += "; fallback redirect failed: " + result.toString();
    // The redirect replaced what the carrier runs; closing the stream now cannot cut it short.
    finish(sdk::EndReason::AgentFailed, detail, _inboundEnded, true);
}

// ---- the inbound leg's end while the carrier acts ---------------------------------------------

void Call::inboundEnded(sdk::EndReason reason, const std::string& detail)
{
    if (_state == State::Ended) return;
    if (_carrierAction == CarrierAction::None) return finish(reason, detail, true, false);
    // A transfer or redirect that takes effect closes the stream, often before the carrier's REST
    // answer reaches us: wait for that answer so the record says what happened.
    _inbound = nullptr;
    _inboundEnded = true;
    _inboundEndReason = reason;
    _inboundEndDetail = detail;
    if (_carrierAction != CarrierAction::Transfer || _carrierTimer) return; // the fallback's own timer bounds it
    std::weak_ptr<Call> weak = weak_from_this();
    _carrierTimer = _loop.runAfter(kTransferAnswerWaitMs, [weak] {
        if (auto self = weak.lock())
        {
            self->_carrierTimer = 0;
            if (self->_state == State::Ended) return;
            self->_carrierAction = CarrierAction::None;
            self->finish(self->_inboundEndReason,
                         self->_inboundEndDetail + "; transfer to " + self->_transferTo + " not confirmed by the carrier",
                         true, false);
        }
    });
}

// ---- carrier calls off the loop ---------------------------------------------------------------

bool Call::runCarrierCall(std::function<sdk::Status(sdk::InboundProvider&, const sdk::CallInfo&)> work,
                          std::function<void(Call&, const sdk::Status&)> done, std::string& why)
{
    const InboundBinding* binding = _ctx.inboundProvider;
    if (!binding || !binding->provider)
    {
        why = "inbound provider '" + _record.call.inboundProvider + "' is not running";
        return false;
    }
    if (!_ctx.runBlocking)
    {
        why = "no blocking pool for carrier calls";
        return false;
    }
    std::weak_ptr<Call> weak = weak_from_this();
    sdk::EventLoop* loop = &_loop;
    sdk::InboundProvider* provider = binding->provider;
    std::shared_ptr<const void> keepAlive = binding->keepAlive; // the plugin's code outlives the task
    sdk::CallInfo call = _record.call;
    try
    {
        _ctx.runBlocking([weak, loop, provider, keepAlive, call = std::move(call), work = std::move(work),
                          done = std::move(done)]() mutable {
            sdk::Status result = sdk::Status::internal("carrier plugin threw");
            try
            {
                result = work(*provider, call);
            }
            catch (...)
            {
                // The SDK forbids exceptions across the boundary; one that escapes is a failed call control.
            }
            loop->post([weak, result = std::move(result), done = std::move(done)] {
                if (auto self = weak.lock()) done(*self, result);
            });
        });
    }
    catch (...)
    {
        why = "the blocking pool did not take the task";
        return false;
    }
    return true;
}

} // namespace patchbay::host
