// CallPrewarm.cpp: the agent session opened while the phone rings — held agent audio, a dropped or discarded pre-warm.
//
// Why: an ElevenLabs conversation takes hundreds of milliseconds to connect and more to speak its first
// message. Opened at the voice webhook, it is ready (and its greeting already here) when the stream
// starts, so the caller hears the agent at once instead of a gap. Everything runs on the call's loop.
#include "core/Call.h"

namespace patchbay::host {

namespace {

/// Agent audio held while the phone rings: a greeting is a few seconds; 512 KiB is over 60 s of
/// μ-law (16 s of 16 kHz PCM) and bounds what a ringing call can cost.
constexpr std::size_t kAgentBacklogMaxBytes = 512 * 1024;

} // namespace

void Call::prewarmAgent(const AgentBinding* binding)
{
    if (_state != State::Pending || _prewarmed) return; // the stream won the race: startAgent() opened it
    _prewarmed = true;
    openAgent(binding);
}

void Call::discardPrewarm(const std::string& why)
{
    if (_state != State::Pending) return;
    _state = State::Ended;
    clearAgentBacklog();
    if (_agent)
    {
        _ctx.logger.info("closing the pre-warmed agent session: " + why, callSid());
        guarded("AgentSession::close", [&] { _agent->close(sdk::EndReason::Timeout); });
        _loop.post([agent = std::move(_agent)]() mutable { agent.reset(); });
        _agent = nullptr;
    }
}

void Call::dropPrewarm(const std::string& why, bool agentGone)
{
    if (_state != State::Pending) return;
    ++_agentGeneration;
    _agentReady = false;
    _hangupWhileRinging = false;
    clearAgentBacklog();
    _ctx.logger.warn("pre-warmed agent session ended while ringing (" + (why.empty() ? std::string("no reason given") : why) +
                         "); a new one opens when the stream starts",
                     callSid());
    if (_agent)
    {
        if (!agentGone) guarded("AgentSession::close", [&] { _agent->close(sdk::EndReason::AgentFailed); });
        // Destroy later: we may be inside one of the session's own callbacks right now.
        _loop.post([agent = std::move(_agent)]() mutable { agent.reset(); });
        _agent = nullptr;
    }
}

void Call::holdAgentAudio(const sdk::AudioFrame& frame)
{
    if (_agentBacklogBytes + frame.payload.size() > kAgentBacklogMaxBytes)
    {
        if (++_agentBacklogDropped == 1)
            _ctx.logger.warn("agent audio held for the caller is over " + std::to_string(kAgentBacklogMaxBytes / 1024) +
                                 " KiB; dropping the rest (counted)",
                             callSid());
        return;
    }
    HeldAgentEvent held;
    held.data.assign(frame.payload.data(), frame.payload.size());
    held.format = frame.format;
    held.encoding = frame.encoding;
    held.eventId = frame.eventId;
    held.timestampMs = frame.timestampMs;
    _agentBacklogBytes += held.data.size();
    _agentBacklog.push_back(std::move(held));
}

void Call::holdAgentMark(std::string_view name)
{
    HeldAgentEvent held;
    held.isMark = true;
    held.data.assign(name.data(), name.size());
    _agentBacklog.push_back(std::move(held));
}

void Call::clearAgentBacklog()
{
    _agentBacklog.clear();
    _agentBacklogBytes = 0;
}

void Call::flushAgentBacklog()
{
    if (_state != State::Bridged) return; // ended (or failed) meanwhile; finish() cleared the backlog
    std::size_t frames = 0;
    const std::size_t bytes = _agentBacklogBytes;
    // Agent callbacks cannot run while this loop turn lasts, so nothing joins the queue meanwhile.
    std::vector<HeldAgentEvent> held;
    held.swap(_agentBacklog);
    _agentBacklogBytes = 0;
    for (const HeldAgentEvent& event : held)
    {
        if (_state != State::Bridged) break; // ended while handing over: the rest goes with the call
        if (event.isMark)
        {
            agentMarkToCaller(event.data);
            continue;
        }
        sdk::AudioFrame frame;
        frame.format = event.format;
        frame.encoding = event.encoding;
        frame.payload = event.data;
        frame.eventId = event.eventId;
        frame.timestampMs = event.timestampMs;
        agentAudioToCaller(frame);
        ++frames;
    }
    if (frames || _agentBacklogDropped)
        _ctx.logger.info("handed the caller " + std::to_string(frames) + " agent frames (" + std::to_string(bytes) +
                             " bytes) held while ringing" +
                             (_agentBacklogDropped ? ", " + std::to_string(_agentBacklogDropped) + " dropped over the limit"
                                                   : std::string()),
                         callSid());
    if (_hangupWhileRinging && _state == State::Bridged)
    {
        _hangupWhileRinging = false;
        hangupAfterPlayout(_hangupWhileRingingReason);
    }
}

} // namespace patchbay::host
