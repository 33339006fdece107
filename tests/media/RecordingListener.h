// RecordingListener.h: test WebSocketListener that records callbacks as strings and lets the test thread wait for them.
#pragma once

#include <patchbay/media/WebSocketConnection.h>
#include <patchbay/media/WebSocketListener.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

namespace patchbay {
namespace media {
namespace test {

/// Callbacks run on a loop thread, assertions on the test thread: everything goes through the mutex.
/// Binary payloads longer than 64 bytes are recorded as "binary#<size>:<fnv1a>" to keep logs short.
class RecordingListener: public WebSocketListener
{
public:
    static std::string digest(std::string_view data)
    {
        std::uint64_t h = 14695981039346656037ull;
        for (unsigned char c : data)
            h = (h ^ c) * 1099511628211ull;
        return std::to_string(data.size()) + ":" + std::to_string(h);
    }

    void onOpen(WebSocketConnection&) override { add("open"); }
    void onText(WebSocketConnection&, std::string_view text) override
    {
        add(text.size() > 64 ? "text#" + digest(text) : "text:" + std::string(text));
    }
    void onBinary(WebSocketConnection&, std::string_view data) override
    {
        add(data.size() > 64 ? "binary#" + digest(data) : "binary:" + std::string(data));
    }
    void onClose(WebSocketConnection&, std::uint16_t code, std::string_view reason) override
    {
        add("close:" + std::to_string(code) + ":" + std::string(reason));
    }
    void onConnectFailed(std::string_view why) override { add("connectfailed:" + std::string(why)); }
    void onWritable(WebSocketConnection&) override { add("writable"); }

    void add(std::string event)
    {
        {
            std::lock_guard<std::mutex> lock(_mutex);
            _events.push_back(std::move(event));
        }
        _cv.notify_all();
    }

    /// Waits until an event starting with prefix has been recorded (count times); returns it or "".
    std::string waitFor(const std::string& prefix, std::chrono::milliseconds limit = std::chrono::milliseconds(5000),
        std::size_t count = 1)
    {
        std::unique_lock<std::mutex> lock(_mutex);
        std::string found;
        _cv.wait_for(lock, limit, [&] {
            std::size_t n = 0;
            for (const auto& e : _events)
                if (e.compare(0, prefix.size(), prefix) == 0 && ++n == count)
                {
                    found = e;
                    return true;
                }
            return false;
        });
        return found;
    }

    std::size_t count(const std::string& prefix)
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return static_cast<std::size_t>(std::count_if(_events.begin(), _events.end(),
            [&](const std::string& e) { return e.compare(0, prefix.size(), prefix) == 0; }));
    }

    std::vector<std::string> events()
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _events;
    }

    std::string dump()
    {
        std::string out;
        for (const auto& e : events())
            out += "[" + e.substr(0, 120) + "] ";
        return out;
    }

private:
    std::mutex _mutex;
    std::condition_variable _cv;
    std::vector<std::string> _events;
};

/// Server-side behaviour for tests: echoes messages and obeys a few text commands:
/// "close:<code>:<reason>" closes; "flood" sends 64 KiB binaries until the queue refuses one.
class EchoListener: public RecordingListener
{
public:
    void onText(WebSocketConnection& c, std::string_view text) override
    {
        RecordingListener::onText(c, text);
        if (text.compare(0, 6, "close:") == 0)
        {
            auto colon = text.find(':', 6);
            auto code = static_cast<std::uint16_t>(std::stoi(std::string(text.substr(6, colon - 6))));
            c.close(code, colon == std::string_view::npos ? std::string_view() : text.substr(colon + 1));
        }
        else if (text == "flood")
        {
            std::string chunk(64 * 1024, 'f');
            int sent = 0;
            while (sent < 100000 && c.sendBinary(chunk))
                ++sent;
            add("flooded:sent=" + std::to_string(sent) + ":drops=" + std::to_string(c.stats().drops) +
                ":queued=" + std::to_string(c.queuedBytes()));
        }
        else
            c.sendText(text);
    }
    void onBinary(WebSocketConnection& c, std::string_view data) override
    {
        RecordingListener::onBinary(c, data);
        c.sendBinary(data);
    }
};

} // namespace test
} // namespace media
} // namespace patchbay
