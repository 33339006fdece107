// FakeAdminServer.h: a canned stand-in for the gateway's admin API — records every request and answers from a script.
#ifndef PATCHBAY_TESTS_PATCHBAYCTL_FAKE_ADMIN_SERVER_H
#define PATCHBAY_TESTS_PATCHBAYCTL_FAKE_ADMIN_SERVER_H

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace Poco::Net {
class HTTPServer;
}

namespace patchbay::tests {

/// Real HTTP on 127.0.0.1, port picked by the OS, so the CLI under test goes through its real client
/// code; the answers are canned, so these tests do not depend on the real admin API's progress.
class FakeAdminServer
{
public:
    struct Request
    {
        std::string method;
        std::string uri; ///< as sent: path plus query, still percent-encoded
        std::string path;
        std::string query;
        std::string authorization;
        std::string contentType;
        std::string body;
    };

    struct Reply
    {
        int status = 200;
        std::string body;
        std::string contentType = "application/json";
    };

    FakeAdminServer();
    ~FakeAdminServer();

    FakeAdminServer(const FakeAdminServer&) = delete;
    FakeAdminServer& operator=(const FakeAdminServer&) = delete;

    std::uint16_t port() const;
    std::string url() const;

    /// Answer `method path` (path without query, percent-encoded as sent) with this reply from now on.
    void on(const std::string& method, const std::string& path, int status, const std::string& body,
            const std::string& contentType = "application/json");
    /// Any request without a scripted answer gets this one (default: 404 problem).
    void otherwise(int status, const std::string& body, const std::string& contentType = "application/problem+json");

    std::vector<Request> requests() const;
    /// The only request received; fails (throws) unless exactly one arrived.
    Request only() const;
    void clear();

    // Called by the handler (any server thread).
    Reply answer(const Request& request);

private:
    mutable std::mutex _mutex;
    std::vector<Request> _requests;
    std::map<std::string, Reply> _replies;
    Reply _fallback;
    std::unique_ptr<Poco::Net::HTTPServer> _server;
};

} // namespace patchbay::tests

#endif
