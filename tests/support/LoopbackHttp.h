// LoopbackHttp.h: one blocking HTTP/1.1 exchange with a server under test on 127.0.0.1.
#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timespan.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace patchbay::testsupport {

struct HttpResult
{
    int status = 0;
    std::string contentType;
    std::string body;
};

/// Sends one request (10 s timeout) and reads the whole answer. `host` sets the Host header (as a
/// proxy in front would) when not empty; a POST always carries Content-Length.
inline HttpResult httpExchange(std::uint16_t port, const std::string& method, const std::string& pathAndQuery,
                               const std::string& body, const std::string& contentType,
                               const std::vector<std::pair<std::string, std::string>>& headers, const std::string& host = {})
{
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request(method, pathAndQuery, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!host.empty()) request.setHost(host, port);
    for (const auto& [name, value] : headers) request.set(name, value);
    if (!contentType.empty()) request.setContentType(contentType);
    if (method == "POST") request.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    HttpResult result;
    result.status = response.getStatus();
    result.contentType = response.getContentType();
    Poco::StreamCopier::copyToString(in, result.body);
    return result;
}

} // namespace patchbay::testsupport
