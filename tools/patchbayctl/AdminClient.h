// AdminClient.h: HTTP/JSON client of the gateway's admin API; turns transport and API failures into CtlErrors.
#ifndef PATCHBAY_TOOLS_PATCHBAYCTL_ADMIN_CLIENT_H
#define PATCHBAY_TOOLS_PATCHBAYCTL_ADMIN_CLIENT_H

#include <Poco/Dynamic/Var.h>
#include <Poco/URI.h>

#include <string>
#include <utility>
#include <vector>

namespace patchbay {
namespace ctl {

/// One connection per request: the CLI makes one or two calls per run, so keep-alive buys nothing
/// and a fresh session keeps failure handling simple.
class AdminClient
{
public:
    struct Response
    {
        int status = 0;
        std::string body;
        Poco::Dynamic::Var json; ///< parsed body; empty when the body is empty
    };

    using Query = std::vector<std::pair<std::string, std::string>>;

    /// Throws CtlError(Usage) for a URL that is not http(s)://host[:port][/prefix].
    AdminClient(const std::string& baseUrl, std::string token);

    /// Sends the request and returns a 2xx response. Throws CtlError: Connection when the API cannot
    /// be reached, Auth for 401/403, ApiError for any other status or a body that is not JSON.
    Response call(const std::string& method, const std::string& path, const Query& query = {},
                  const std::string& body = std::string());

    /// How long to wait for the answer (default 60 s); the doctor waits for carrier round trips.
    void setReceiveTimeout(int seconds) { _receiveTimeoutSeconds = seconds; }

    /// Percent-encodes one path segment ('+' in E.164 numbers must not reach the server as '+').
    static std::string segment(const std::string& text);

    /// Parses JSON keeping object member order, so --json prints what the API sent.
    static Poco::Dynamic::Var parseJson(const std::string& text);

private:
    std::string where() const;

    Poco::URI _base;
    std::string _prefix;
    std::string _token;
    int _receiveTimeoutSeconds = 60;
};

} // namespace ctl
} // namespace patchbay

#endif
