// Http.h: HTTP requests and responses as plugins see them, the handler a plugin registers, and the host's outbound HTTP client.
#ifndef PATCHBAY_SDK_HTTP_H
#define PATCHBAY_SDK_HTTP_H

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "patchbay/sdk/Status.h"

namespace patchbay::sdk {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

inline bool headerNameEquals(std::string_view a, std::string_view b) noexcept
{
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
    {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

/// First value of a header, case-insensitive name; empty when absent.
inline std::string_view findHeader(const HttpHeaders& headers, std::string_view name) noexcept
{
    for (const auto& h : headers)
        if (headerNameEquals(h.first, name)) return h.second;
    return {};
}

/// An inbound request, fully read. Value type.
struct HttpRequest
{
    std::string method;        ///< "GET", "POST", ...
    std::string path;          ///< decoded-as-sent path, no query, e.g. "/twilio/voice"
    std::string query;         ///< raw query string without '?', exactly as received (signatures need it)
    HttpHeaders headers;
    std::string body;
    std::string remoteAddress; ///< peer "ip:port" as the socket sees it (a proxy's, behind one)
    bool secure = false;       ///< arrived over TLS on this listener

    std::string_view header(std::string_view name) const noexcept { return findHeader(headers, name); }
};

/// The response a handler fills in. Defaults to 200 with an empty text/plain body.
struct HttpResponse
{
    int status = 200;
    std::string contentType = "text/plain; charset=utf-8";
    HttpHeaders headers;
    std::string body;
};

/// A route's handler, registered through HostServices::addHttpRoute().
/// THREAD: I/O — called concurrently from the HTTP worker pool; must be thread-safe. May block
/// within the route's budget (Twilio waits 15 s at most; aim for well under 1 s).
/// Exceptions must not escape: the host catches them anyway, answers 500 and counts a plugin fault.
class HttpHandler
{
public:
    virtual ~HttpHandler() = default;
    virtual void handle(const HttpRequest& request, HttpResponse& response) = 0;
};

/// An outbound request made through the host's client (the host owns TLS and CA settings).
struct HttpClientRequest
{
    std::string method = "GET";
    std::string url;            ///< absolute http:// or https:// URL
    HttpHeaders headers;
    std::string body;
    std::uint32_t timeoutMs = 5000;
};

struct HttpClientResponse
{
    int status = 0;
    HttpHeaders headers;
    std::string body;
};

/// The host's HTTP(S) client.
/// OWNERSHIP: owned by the host, valid from init() to shutdown().
class HttpClient
{
public:
    /// Performs one request. THREAD: I/O (blocks up to timeoutMs; never call on a media loop —
    /// use HostServices::runBlocking()).
    /// @return the response for any HTTP status; Unavailable for connect/TLS/timeout failures;
    /// InvalidArgument for a malformed URL.
    virtual Result<HttpClientResponse> send(const HttpClientRequest& request) noexcept = 0;

protected:
    ~HttpClient() = default;
};

} // namespace patchbay::sdk

#endif
