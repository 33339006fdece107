// IoHandler.h: the interface an fd owner implements to receive epoll readiness events from an EventLoop.
#pragma once

#include <cstdint>

namespace patchbay {
namespace media {

/// Receives readiness events for one file descriptor registered with EventLoop::addHandler().
/// All calls happen on the owning loop's thread.
class IoHandler
{
public:
    /// Called with the epoll event mask (EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP, EPOLLRDHUP ...).
    /// May call EventLoop::modifyHandler/removeHandler for any fd, including its own.
    virtual void onIoEvent(std::uint32_t events) = 0;

    /// Called once when the loop is stopping while this handler is still registered.
    /// The handler must release its fd (removeHandler) here; the loop thread exits afterwards.
    virtual void onLoopStopping() = 0;

protected:
    ~IoHandler() = default;
};

} // namespace media
} // namespace patchbay
