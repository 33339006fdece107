// ScriptedHttpClient.h: an in-memory sdk::HttpClient for the REST client tests — answers from a script and records every request.
#pragma once

#include <patchbay/sdk/Http.h>

#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace patchbay::twilio::test {

/// Answers requests in order from a queue of scripted results; once the queue is empty it repeats
/// `fallback` (when set) or fails the request with Internal so a test notices the extra call.
/// THREAD: send() may be called from many threads at once.
class ScriptedHttpClient final : public sdk::HttpClient
{
public:
    ScriptedHttpClient& reply(int status, std::string body, sdk::HttpHeaders headers = {{"Content-Type", "application/json"}})
    {
        sdk::HttpClientResponse r;
        r.status = status;
        r.body = std::move(body);
        r.headers = std::move(headers);
        std::lock_guard<std::mutex> lock(_mutex);
        _script.emplace_back(std::move(r));
        return *this;
    }

    /// A transport failure (what the host's client returns for refused connections, timeouts, TLS).
    ScriptedHttpClient& fail(sdk::Status status)
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _script.emplace_back(std::move(status));
        return *this;
    }

    /// What every request gets once the script has run out.
    void replyAlways(int status, std::string body)
    {
        sdk::HttpClientResponse r;
        r.status = status;
        r.body = std::move(body);
        r.headers = {{"Content-Type", "application/json"}};
        std::lock_guard<std::mutex> lock(_mutex);
        _fallback.emplace(std::move(r));
    }

    sdk::Result<sdk::HttpClientResponse> send(const sdk::HttpClientRequest& request) noexcept override
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _requests.push_back(request);
        if (_script.empty())
        {
            if (_fallback) return *_fallback;
            return sdk::Status::internal("ScriptedHttpClient: unscripted request " + request.method + " " + request.url);
        }
        sdk::Result<sdk::HttpClientResponse> next = std::move(_script.front());
        _script.pop_front();
        return next;
    }

    std::vector<sdk::HttpClientRequest> requests() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _requests;
    }

    std::size_t requestCount() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _requests.size();
    }

    sdk::HttpClientRequest lastRequest() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _requests.empty() ? sdk::HttpClientRequest() : _requests.back();
    }

    std::size_t remaining() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _script.size();
    }

private:
    mutable std::mutex _mutex;
    std::deque<sdk::Result<sdk::HttpClientResponse>> _script;
    std::optional<sdk::HttpClientResponse> _fallback;
    std::vector<sdk::HttpClientRequest> _requests;
};

} // namespace patchbay::twilio::test
