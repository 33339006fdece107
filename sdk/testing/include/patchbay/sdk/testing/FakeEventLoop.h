// FakeEventLoop.h: a single-threaded, manually driven sdk::EventLoop with a fake clock, for plugin unit tests.
#ifndef PATCHBAY_SDK_TESTING_FAKE_EVENT_LOOP_H
#define PATCHBAY_SDK_TESTING_FAKE_EVENT_LOOP_H

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <utility>

#include "patchbay/sdk/EventLoop.h"

namespace patchbay::sdk::testing {

/// Nothing runs by itself: post() queues until the test calls runPending(), and timers fire only when
/// advance() moves the fake clock past them. The test thread plays the loop thread.
/// Like the host, a task that throws is caught and counted (taskErrors()), never propagated.
class FakeEventLoop : public sdk::EventLoop
{
public:
    FakeEventLoop() = default;
    FakeEventLoop(const FakeEventLoop&) = delete;
    FakeEventLoop& operator=(const FakeEventLoop&) = delete;
    virtual ~FakeEventLoop() = default;

    void post(std::function<void()> task) noexcept override
    {
        try
        {
            std::lock_guard<std::mutex> lock(_mutex);
            _tasks.push_back(std::move(task));
        }
        catch (...)
        {
            // Only bad_alloc can get here; the host drops the task in that case too.
        }
    }

    sdk::TimerId runAfter(std::uint32_t delayMs, std::function<void()> task) noexcept override
    {
        try
        {
            std::lock_guard<std::mutex> lock(_mutex);
            const sdk::TimerId id = ++_lastTimerId;
            _timers.emplace(id, Timer{_nowMs + delayMs, std::move(task)});
            return id;
        }
        catch (...)
        {
            return ++_lastTimerId;
        }
    }

    void cancelTimer(sdk::TimerId id) noexcept override
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _timers.erase(id);
    }

    bool isInLoopThread() const noexcept override { return _inLoopThread; }

    /// Lets a test check that a plugin refuses Media-only calls from elsewhere.
    void setInLoopThread(bool inLoopThread) noexcept { _inLoopThread = inLoopThread; }

    /// Runs queued tasks, including those they post, until the queue is empty.
    /// @return the number of tasks run.
    std::size_t runPending()
    {
        std::size_t count = 0;
        for (;;)
        {
            std::function<void()> task;
            {
                std::lock_guard<std::mutex> lock(_mutex);
                if (_tasks.empty()) return count;
                task = std::move(_tasks.front());
                _tasks.pop_front();
            }
            runGuarded(task);
            ++count;
        }
    }

    /// Moves the fake clock forward by ms, firing due timers in due-time order (ties in creation
    /// order) and running posted tasks after each one, as a real loop would.
    /// @return the number of timers fired.
    std::size_t advance(std::uint64_t ms)
    {
        std::uint64_t target = 0;
        {
            std::lock_guard<std::mutex> lock(_mutex);
            target = _nowMs + ms;
        }
        runPending();
        std::size_t fired = 0;
        for (;;)
        {
            std::function<void()> task;
            {
                std::lock_guard<std::mutex> lock(_mutex);
                auto due = _timers.end();
                for (auto it = _timers.begin(); it != _timers.end(); ++it)
                    if (it->second.dueMs <= target && (due == _timers.end() || it->second.dueMs < due->second.dueMs))
                        due = it;
                if (due == _timers.end())
                {
                    _nowMs = target;
                    break;
                }
                if (due->second.dueMs > _nowMs) _nowMs = due->second.dueMs;
                task = std::move(due->second.task);
                _timers.erase(due);
            }
            runGuarded(task);
            ++fired;
            runPending();
        }
        runPending();
        return fired;
    }

    /// Fake clock in ms since the loop was created.
    std::uint64_t nowMs() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _nowMs;
    }

    std::size_t pendingTasks() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _tasks.size();
    }

    std::size_t pendingTimers() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _timers.size();
    }

    /// Tasks and timers that threw (the host logs and counts these against the plugin).
    std::size_t taskErrors() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _taskErrors;
    }

private:
    struct Timer
    {
        std::uint64_t dueMs;
        std::function<void()> task;
    };

    void runGuarded(std::function<void()>& task)
    {
        try
        {
            if (task) task();
        }
        catch (...)
        {
            std::lock_guard<std::mutex> lock(_mutex);
            ++_taskErrors;
        }
    }

    mutable std::mutex _mutex;
    std::deque<std::function<void()>> _tasks;
    std::map<sdk::TimerId, Timer> _timers; // ordered by id, so equal due times fire in creation order
    sdk::TimerId _lastTimerId = 0;
    std::uint64_t _nowMs = 0;
    std::size_t _taskErrors = 0;
    bool _inLoopThread = true;
};

} // namespace patchbay::sdk::testing

#endif
