// BlockingPool.cpp: a plain queue-and-threads pool; exceptions from tasks are logged and counted.
#include "app/BlockingPool.h"

namespace patchbay::host {

BlockingPool::BlockingPool(std::size_t threads, sdk::Logger& logger) : _logger(logger)
{
    if (threads == 0) threads = 1;
    for (std::size_t i = 0; i < threads; ++i) _threads.emplace_back([this] { run(); });
}

BlockingPool::~BlockingPool()
{
    stop();
}

void BlockingPool::submit(std::function<void()> task)
{
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (_stopping)
        {
            ++_dropped;
            return;
        }
        _tasks.push_back(std::move(task));
    }
    _wake.notify_one();
}

void BlockingPool::stop()
{
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (_stopping) return;
        _stopping = true;
    }
    _wake.notify_all();
    for (auto& t : _threads)
        if (t.joinable()) t.join();
}

void BlockingPool::run()
{
    for (;;)
    {
        std::function<void()> task;
        {
            std::unique_lock<std::mutex> lock(_mutex);
            _wake.wait(lock, [this] { return _stopping || !_tasks.empty(); });
            if (_tasks.empty()) return;
            task = std::move(_tasks.front());
            _tasks.pop_front();
        }
        try
        {
            task();
        }
        catch (const std::exception& e)
        {
            ++_exceptions;
            _logger.error(std::string("blocking task threw: ") + e.what());
        }
        catch (...)
        {
            ++_exceptions;
            _logger.error("blocking task threw a non-standard exception");
        }
    }
}

} // namespace patchbay::host
