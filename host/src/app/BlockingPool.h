// BlockingPool.h: the host's worker threads for blocking plugin work (database, REST), so no media loop ever waits on I/O.
#ifndef PATCHBAY_HOST_APP_BLOCKING_POOL_H
#define PATCHBAY_HOST_APP_BLOCKING_POOL_H

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <patchbay/sdk/Logger.h>

namespace patchbay::host {

class BlockingPool
{
public:
    BlockingPool(std::size_t threads, sdk::Logger& logger);
    ~BlockingPool();

    BlockingPool(const BlockingPool&) = delete;
    BlockingPool& operator=(const BlockingPool&) = delete;

    /// Queues a task. THREAD: Any. Tasks queued after stop() are dropped and counted.
    void submit(std::function<void()> task);
    /// Runs what is queued, then joins. THREAD: Control.
    void stop();

    std::uint64_t exceptions() const { return _exceptions.load(); }
    std::uint64_t dropped() const { return _dropped.load(); }

private:
    void run();

    sdk::Logger& _logger;
    std::mutex _mutex;
    std::condition_variable _wake;
    std::deque<std::function<void()>> _tasks;
    bool _stopping = false;
    std::vector<std::thread> _threads;
    std::atomic<std::uint64_t> _exceptions{0};
    std::atomic<std::uint64_t> _dropped{0};
};

} // namespace patchbay::host

#endif
