// WebhookClient.h: a few threads that POST voice webhooks (blocking Poco HTTP) and hand the result back.
#pragma once

#include "TwimlOutcome.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace patchbay {
namespace callsim {

struct WebhookResult
{
    int status = 0;            ///< HTTP status; 0 when the request failed
    std::string error;         ///< transport error
    std::string body;          ///< only kept when it is not TwiML (for the failure reason)
    TwimlOutcome twiml;        ///< parsed when status is 200
    std::uint32_t elapsedMs = 0;
};

class WebhookClient
{
public:
    using Done = std::function<void(WebhookResult)>;
    using Headers = std::vector<std::pair<std::string, std::string>>;

    WebhookClient(std::string host, std::uint16_t port, int threads);
    ~WebhookClient();

    WebhookClient(const WebhookClient&) = delete;
    WebhookClient& operator=(const WebhookClient&) = delete;

    /// Queues a form POST; `done` runs on a worker thread (post it to your loop). Any thread.
    void post(std::string path, std::string body, Headers headers, Done done);

    void shutdown();

private:
    struct Job
    {
        std::string path;
        std::string body;
        Headers headers;
        Done done;
    };

    void run();
    WebhookResult execute(const Job& job);

    std::string _host;
    std::uint16_t _port;
    std::mutex _mutex;
    std::condition_variable _cv;
    std::deque<Job> _jobs;
    std::vector<std::thread> _threads;
    bool _stopping = false;
};

} // namespace callsim
} // namespace patchbay
