// ConversationConnectionTimeouts.cpp: the silence and stall watches of the agent socket — a mute agent or one
// that stopped reading ends the leg (AgentFailed, so the core falls back) instead of holding the caller forever.
#include "ConversationConnection.h"

#include <exception>
#include <string>

namespace patchbay::elevenlabs {

void ConversationConnection::onBinary(sdk::WebSocketConnection& /*connection*/, std::string_view /*message*/) noexcept
{
    // Not part of the protocol (JSON text only), so nothing to decode; but the agent is not silent.
    if (_channel)
        noteReceived();
}

void ConversationConnection::onWritable(sdk::WebSocketConnection& /*connection*/) noexcept
{
    stopStallWatch();
}

void ConversationConnection::startSilenceWatch() noexcept
{
    // The clock starts at onOpen(): the connect itself has its own budget (connectTimeoutMs), and an
    // agent that never even sends its metadata is as silent as one that stops half-way.
    if (_settings.silenceTimeoutMs == 0 || !_channel || _socketClosing)
        return;
    noteReceived();
    armSilenceTimer(_settings.silenceTimeoutMs);
}

void ConversationConnection::armSilenceTimer(std::uint32_t delayMs) noexcept
{
    try
    {
        std::weak_ptr<ConversationConnection> weak = weak_from_this();
        _silenceTimer = _loop.runAfter(delayMs, [weak]() {
            if (auto self = weak.lock())
                self->onSilenceTimer();
        });
    }
    catch (const std::exception&)
    {
        failInternal(); // unwatched, a hung agent would hold the call for good
    }
}

void ConversationConnection::onSilenceTimer() noexcept
{
    _silenceTimer = 0;
    if (!_channel || _socketClosing)
        return;
    const std::int64_t timeout = _settings.silenceTimeoutMs;
    const std::int64_t silentFor = _host.nowUnixMs() - _lastReceivedMs;
    if (silentFor < 0)
    {
        // The wall clock was set back: restart the measurement rather than wait for a time that
        // may never come.
        noteReceived();
        armSilenceTimer(_settings.silenceTimeoutMs);
        return;
    }
    if (silentFor < timeout)
    {
        // Something arrived since the timer was armed: wait only for the rest of the budget,
        // counted from the last message.
        armSilenceTimer(static_cast<std::uint32_t>(timeout - silentFor));
        return;
    }
    count(_metrics.silenceTimeouts);
    try
    {
        endLeg(sdk::EndReason::AgentFailed, "agent sent nothing for " + std::to_string(timeout) + " ms");
    }
    catch (const std::exception&)
    {
        endLeg(sdk::EndReason::AgentFailed, "agent sent nothing for silenceTimeoutMs");
    }
}

void ConversationConnection::noteSendRefused() noexcept
{
    // Armed once per full-queue episode: refusals come at the audio rate, the deadline must not move.
    if (_stallTimer != 0 || !_channel || _socketClosing)
        return;
    try
    {
        std::weak_ptr<ConversationConnection> weak = weak_from_this();
        _stallTimer = _loop.runAfter(_settings.stallTimeoutMs, [weak]() {
            if (auto self = weak.lock())
                self->onStallTimer();
        });
    }
    catch (const std::exception&)
    {
        failInternal();
    }
}

void ConversationConnection::stopStallWatch() noexcept
{
    if (_stallTimer == 0)
        return;
    _loop.cancelTimer(_stallTimer);
    _stallTimer = 0;
}

void ConversationConnection::onStallTimer() noexcept
{
    _stallTimer = 0;
    if (!_channel || _socketClosing)
        return;
    count(_metrics.stallTimeouts);
    try
    {
        endLeg(sdk::EndReason::AgentFailed, "agent socket write queue full for " + std::to_string(_settings.stallTimeoutMs)
                                                + " ms (agent not reading)");
    }
    catch (const std::exception&)
    {
        endLeg(sdk::EndReason::AgentFailed, "agent socket write queue full for stallTimeoutMs (agent not reading)");
    }
}

void ConversationConnection::cancelTimeoutTimers() noexcept
{
    if (_silenceTimer != 0)
        _loop.cancelTimer(_silenceTimer);
    _silenceTimer = 0;
    stopStallWatch();
}

} // namespace patchbay::elevenlabs
