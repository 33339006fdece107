// WebSocketConnector.h: a small thread pool that performs blocking client connects (TCP, TLS, HTTP upgrade) off the media loops.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace patchbay {
namespace media {

/// Runs connect jobs on its own threads so media loops never block on DNS, TCP or TLS.
/// Thread-safe. Shutdown (or the destructor) lets running jobs finish and drops queued ones,
/// calling each dropped job's `dropped` callback instead. Jobs post their result to an
/// EventLoop, so shut the connector down before destroying the loops it connects for.
class WebSocketConnector
{
public:
    explicit WebSocketConnector(std::size_t threads = 2);
    ~WebSocketConnector();

    WebSocketConnector(const WebSocketConnector&) = delete;
    WebSocketConnector& operator=(const WebSocketConnector&) = delete;

    /// Queues a blocking job; `dropped` runs instead if the connector shuts down first.
    /// Any thread. Returns false (and calls neither) after shutdown().
    bool submit(std::function<void()> job, std::function<void()> dropped = {});

    /// Stops accepting jobs, drops queued ones and joins the threads. Any thread except a
    /// connector thread.
    void shutdown();

    std::size_t threadCount() const { return _threads.size(); }

private:
    struct Job
    {
        std::function<void()> run;
        std::function<void()> dropped;
    };

    void run();

    std::mutex _mutex;
    std::condition_variable _cv;
    std::deque<Job> _jobs;
    std::vector<std::thread> _threads;
    bool _stopping = false;
};

} // namespace media
} // namespace patchbay
