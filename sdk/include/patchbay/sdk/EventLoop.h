// EventLoop.h: the host's event-loop thread as a plugin sees it — post work to it, run timers on it.
#ifndef PATCHBAY_SDK_EVENT_LOOP_H
#define PATCHBAY_SDK_EVENT_LOOP_H

#include <cstdint>
#include <functional>

namespace patchbay::sdk {

using TimerId = std::uint64_t;

/// One of the host's media event loops. A call's sockets and timers all live on one loop, so code
/// running on it needs no locks for that call's state.
/// OWNERSHIP: owned by the host; valid from Plugin::init() until Plugin::shutdown() returns.
class EventLoop
{
public:
    /// Runs task on this loop's thread, after the current callback returns.
    /// THREAD: Any. Never blocks. A task that throws is caught, logged and counted against the
    /// plugin; it does not stop the loop. Tasks still queued when the host stops are dropped.
    virtual void post(std::function<void()> task) noexcept = 0;

    /// Runs task once after delayMs on this loop's thread.
    /// THREAD: Media (this loop's thread only). @return an id for cancelTimer(); never 0.
    virtual TimerId runAfter(std::uint32_t delayMs, std::function<void()> task) noexcept = 0;

    /// Cancels a timer that has not fired yet; unknown or fired ids are ignored.
    /// THREAD: Media (this loop's thread only).
    virtual void cancelTimer(TimerId id) noexcept = 0;

    /// THREAD: Any. @return true when called on this loop's thread.
    virtual bool isInLoopThread() const noexcept = 0;

protected:
    ~EventLoop() = default;
};

} // namespace patchbay::sdk

#endif
