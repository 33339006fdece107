// SdkEventLoop.h: presents one of the media engine's event loops to plugins as an sdk::EventLoop.
#ifndef PATCHBAY_HOST_ENGINE_SDK_EVENT_LOOP_H
#define PATCHBAY_HOST_ENGINE_SDK_EVENT_LOOP_H

#include <patchbay/media/EventLoop.h>
#include <patchbay/sdk/EventLoop.h>

namespace patchbay::host {

class SdkEventLoop final : public sdk::EventLoop
{
public:
    explicit SdkEventLoop(media::EventLoop& loop) : _loop(loop) {}

    void post(std::function<void()> task) noexcept override
    {
        try
        {
            _loop.post(std::move(task));
        }
        catch (...)
        {
            // Allocation failure while queueing: the task is dropped, as when the loop is stopping.
        }
    }
    sdk::TimerId runAfter(std::uint32_t delayMs, std::function<void()> task) noexcept override
    {
        try
        {
            return _loop.runAfter(std::chrono::milliseconds(delayMs), std::move(task));
        }
        catch (...)
        {
            return 0;
        }
    }
    void cancelTimer(sdk::TimerId id) noexcept override { _loop.cancelTimer(id); }
    bool isInLoopThread() const noexcept override { return _loop.isInLoopThread(); }

    media::EventLoop& mediaLoop() { return _loop; }

private:
    media::EventLoop& _loop;
};

} // namespace patchbay::host

#endif
