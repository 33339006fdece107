// WebSocketConnector.cpp: the worker threads and job queue behind WebSocketClient::connect.
#include <patchbay/media/WebSocketConnector.h>

namespace patchbay {
namespace media {

WebSocketConnector::WebSocketConnector(std::size_t threads)
{
    if (threads == 0)
        threads = 1;
    _threads.reserve(threads);
    for (std::size_t i = 0; i < threads; ++i)
        _threads.emplace_back([this] { run(); });
}

WebSocketConnector::~WebSocketConnector()
{
    shutdown();
}

bool WebSocketConnector::submit(std::function<void()> job, std::function<void()> dropped)
{
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (_stopping)
            return false;
        _jobs.push_back(Job{std::move(job), std::move(dropped)});
    }
    _cv.notify_one();
    return true;
}

void WebSocketConnector::shutdown()
{
    std::deque<Job> dropped;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (_stopping && _threads.empty())
            return;
        _stopping = true;
        dropped.swap(_jobs);
    }
    _cv.notify_all();
    for (auto& thread : _threads)
        if (thread.joinable())
            thread.join();
    _threads.clear();
    for (auto& job : dropped)
    {
        try
        {
            if (job.dropped)
                job.dropped();
        }
        catch (...)
        {
        }
    }
}

void WebSocketConnector::run()
{
    for (;;)
    {
        Job job;
        {
            std::unique_lock<std::mutex> lock(_mutex);
            _cv.wait(lock, [this] { return _stopping || !_jobs.empty(); });
            if (_stopping)
                return;
            job = std::move(_jobs.front());
            _jobs.pop_front();
        }
        try
        {
            job.run();
        }
        catch (...)
        {
            // Jobs report their own failures; nothing may kill a connector thread.
        }
    }
}

} // namespace media
} // namespace patchbay
