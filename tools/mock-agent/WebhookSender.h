// WebhookSender.h: posts the mock agent's post-call webhooks, signed like ElevenLabs (elevenlabs.md §8.2–8.3).
#pragma once

#include "MockAgentStats.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

namespace patchbay {
namespace mockagent {

/// One worker thread does the blocking HTTP, so a slow or dead receiver never stalls an event loop.
/// Deliveries are made in order, once, without retry (like the real service for HIPAA workspaces); each
/// outcome goes to MockAgentStats::recordWebhook. stop() delivers what is queued, then joins: the app
/// calls it before writing the stats file so every conversation's webhook is accounted for.
class WebhookSender
{
public:
    /// url: http://host:port/path. An empty url makes a sender that drops everything.
    WebhookSender(std::string url, std::string secret, MockAgentStats& stats);
    ~WebhookSender();

    WebhookSender(const WebhookSender&) = delete;
    WebhookSender& operator=(const WebhookSender&) = delete;

    bool enabled() const { return !_url.empty(); }

    /// Queues one payload (the JSON body, sent byte for byte as signed). Any thread.
    void post(std::string conversationId, std::string body);

    /// Sends what is queued and ends the worker. Idempotent.
    void stop();

    /// The ElevenLabs-Signature header value for body at unix time `timestamp`:
    /// "t=<timestamp>,v0=<lowercase hex HMAC-SHA256(secret, "<timestamp>.<body>")>".
    static std::string signature(const std::string& secret, std::int64_t timestamp, const std::string& body);

private:
    struct Item
    {
        std::string conversationId;
        std::string body;
    };

    void run();
    void deliver(const Item& item);

    std::string _url;
    std::string _secret;
    MockAgentStats& _stats;
    std::mutex _mutex;
    std::condition_variable _cv;
    std::deque<Item> _queue;
    bool _stopping = false;
    std::thread _worker;
};

} // namespace mockagent
} // namespace patchbay
