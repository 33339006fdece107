// FakeHttpClient.h: an sdk::HttpClient answering from scripted responses by URL prefix and recording every request.
#ifndef PATCHBAY_SDK_TESTING_FAKE_HTTP_CLIENT_H
#define PATCHBAY_SDK_TESTING_FAKE_HTTP_CLIENT_H

#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "patchbay/sdk/Http.h"

namespace patchbay::sdk::testing {

/// The longest scripted prefix matching the URL answers. Each prefix holds a queue: every send takes
/// the next entry, and the last entry repeats. An unscripted URL answers Unavailable ("no scripted
/// response"), a URL that is not http(s):// answers InvalidArgument, like the host's client.
class FakeHttpClient : public sdk::HttpClient
{
public:
    FakeHttpClient() = default;
    FakeHttpClient(const FakeHttpClient&) = delete;
    FakeHttpClient& operator=(const FakeHttpClient&) = delete;
    virtual ~FakeHttpClient() = default;

    /// Queues a response for URLs starting with urlPrefix.
    void respond(const std::string& urlPrefix, sdk::HttpClientResponse response)
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _script[urlPrefix].push_back(Entry{std::move(response), sdk::Status::ok()});
    }

    /// Shorthand: status + body.
    void respond(const std::string& urlPrefix, int status, std::string body)
    {
        sdk::HttpClientResponse response;
        response.status = status;
        response.body = std::move(body);
        respond(urlPrefix, std::move(response));
    }

    /// Queues a transport failure (e.g. Status::unavailable("timeout")) for URLs starting with urlPrefix.
    void fail(const std::string& urlPrefix, sdk::Status status)
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _script[urlPrefix].push_back(Entry{{}, std::move(status)});
    }

    sdk::Result<sdk::HttpClientResponse> send(const sdk::HttpClientRequest& request) noexcept override
    {
        try
        {
            std::lock_guard<std::mutex> lock(_mutex);
            _requests.push_back(request);
            if (request.url.rfind("http://", 0) != 0 && request.url.rfind("https://", 0) != 0)
                return sdk::Status::invalidArgument("not an http(s) URL: " + request.url);
            auto best = _script.end();
            for (auto it = _script.begin(); it != _script.end(); ++it)
                if (request.url.rfind(it->first, 0) == 0 && (best == _script.end() || it->first.size() > best->first.size()))
                    best = it;
            if (best == _script.end() || best->second.empty())
                return sdk::Status::unavailable("no scripted response for " + request.url);
            Entry entry = best->second.front();
            if (best->second.size() > 1) best->second.pop_front();
            if (!entry.status.isOk()) return entry.status;
            return entry.response;
        }
        catch (const std::exception& e)
        {
            return sdk::Status::internal(e.what());
        }
    }

    // ---- test side ----

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

    /// Forgets requests and script.
    void reset()
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _requests.clear();
        _script.clear();
    }

private:
    struct Entry
    {
        sdk::HttpClientResponse response;
        sdk::Status status;
    };

    mutable std::mutex _mutex;
    std::map<std::string, std::deque<Entry>> _script;
    std::vector<sdk::HttpClientRequest> _requests;
};

} // namespace patchbay::sdk::testing

#endif
