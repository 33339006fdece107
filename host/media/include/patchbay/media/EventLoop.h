// EventLoop.h: one thread driving epoll, an eventfd wake-up, posted tasks and a timer heap.
#pragma once

#include <patchbay/media/IoHandler.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace patchbay {
namespace media {

/// A single-threaded reactor. Everything registered with a loop (fds, timers) is touched only
/// on its thread, so connection state needs no locks; other threads talk to it through post().
///
/// Thread rules, per method:
///  - Any thread: start, stop, post, isInLoopThread, name, handlerCount, counters.
///  - Loop thread only: runAfter, runEvery, cancelTimer, addHandler, modifyHandler,
///    removeHandler, scratchBuffer.
class EventLoop
{
public:
    using TimerId = std::uint64_t;
    using Clock = std::chrono::steady_clock;

    explicit EventLoop(std::string name);
    ~EventLoop();

    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    /// Starts the loop thread. Any thread; calling it twice is a no-op.
    void start();

    /// Stops the loop: remaining handlers get onLoopStopping() (connections close with 1001),
    /// queued tasks run once, then the thread exits and is joined. Any thread; when called on
    /// the loop thread itself it only requests the stop and the destructor joins.
    /// Tasks posted after the loop has exited are dropped (and counted in tasksDropped).
    void stop();

    /// True when called on this loop's thread.
    bool isInLoopThread() const;

    /// Queues fn to run on the loop thread. Any thread. Exceptions thrown by fn are caught and
    /// counted in taskExceptions; they never escape the loop.
    void post(std::function<void()> fn);

    /// Runs fn once after delay. Loop thread only.
    TimerId runAfter(std::chrono::milliseconds delay, std::function<void()> fn);

    /// Runs fn every interval (first run after one interval). Loop thread only.
    TimerId runEvery(std::chrono::milliseconds interval, std::function<void()> fn);

    /// Cancels a timer; unknown or already-fired ids are ignored. O(1): the heap entry is
    /// discarded lazily when it comes due. Loop thread only; a timer may cancel itself.
    void cancelTimer(TimerId id);

    /// Registers fd for the given epoll events (level-triggered). Loop thread only.
    /// The handler must outlive its registration (removeHandler before destruction).
    void addHandler(int fd, std::uint32_t epollEvents, IoHandler* handler);

    /// Changes the event mask of a registered fd. Loop thread only.
    void modifyHandler(int fd, std::uint32_t epollEvents);

    /// Unregisters fd (before it is closed). Events already fetched for it in the current
    /// batch are not delivered. Loop thread only.
    void removeHandler(int fd);

    /// Number of registered fds. Any thread.
    std::size_t handlerCount() const { return _handlerCount.load(std::memory_order_relaxed); }

    /// A read buffer shared by every connection on this loop, so idle connections hold none.
    /// Valid until the loop is destroyed; contents only meaningful within one callback. Loop thread only.
    char* scratchBuffer() { return _scratch.get(); }
    static constexpr std::size_t scratchSize() { return 64 * 1024; }

    const std::string& name() const { return _name; }

    /// Optional warning sink (e.g. for swallowed task exceptions). Set before start().
    void setWarn(std::function<void(std::string_view)> warn) { _warn = std::move(warn); }

    std::uint64_t tasksRun() const { return _tasksRun.load(std::memory_order_relaxed); }
    std::uint64_t taskExceptions() const { return _taskExceptions.load(std::memory_order_relaxed); }
    std::uint64_t tasksDropped() const { return _tasksDropped.load(std::memory_order_relaxed); }

private:
    struct Slot
    {
        IoHandler* handler = nullptr;
        std::uint32_t generation = 0;
    };
    struct TimerEntry
    {
        std::function<void()> fn;
        std::chrono::milliseconds interval{0};
    };
    struct HeapItem
    {
        Clock::time_point due;
        TimerId id;
    };

    void run();
    void wake();
    void drainWakeFd();
    void runTasks();
    void runTimers();
    int pollTimeoutMs() const;
    void stopHandlers();
    void guarded(const std::function<void()>& fn);
    void warn(std::string_view what);
    TimerId addTimer(std::chrono::milliseconds delay, std::chrono::milliseconds interval, std::function<void()> fn);

    std::string _name;
    int _epfd = -1;
    int _wakeFd = -1;
    std::thread _thread;
    std::atomic<std::thread::id> _threadId{};
    std::atomic<bool> _started{false};
    std::atomic<bool> _stopRequested{false};
    std::atomic<bool> _exited{false};
    std::mutex _stopMutex;

    std::mutex _taskMutex;
    std::vector<std::function<void()>> _tasks;
    std::vector<std::function<void()>> _running;
    std::atomic<bool> _wakePending{false};

    std::vector<Slot> _slots;
    std::atomic<std::size_t> _handlerCount{0};

    std::vector<HeapItem> _heap;
    std::unordered_map<TimerId, TimerEntry> _timers;
    TimerId _nextTimerId = 1;

    std::unique_ptr<char[]> _scratch;
    std::function<void(std::string_view)> _warn;

    std::atomic<std::uint64_t> _tasksRun{0};
    std::atomic<std::uint64_t> _taskExceptions{0};
    std::atomic<std::uint64_t> _tasksDropped{0};
};

} // namespace media
} // namespace patchbay
