// WebSocketUpgrade.cpp: handshake validation, 101 response, socket detach + drain and hand-off to the loop.
#include <patchbay/media/WebSocketUpgrade.h>

#include "WebSocketHandshake.h"

#include <Poco/Buffer.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerSession.h>

#include <openssl/ssl.h>

#include <string>

namespace patchbay {
namespace media {

namespace {

void reject(Poco::Net::HTTPServerResponse& response, const std::string& reason)
{
    response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
    response.setContentType("text/plain");
    response.set("Connection", "close");
    response.setKeepAlive(false);
    std::string body = "WebSocket upgrade refused: " + reason + "\n";
    response.sendBuffer(body.data(), body.size());
}

} // namespace

bool WebSocketUpgrade::isUpgradeRequest(const Poco::Net::HTTPServerRequest& request)
{
    return WebSocketHandshake::headerHasToken(request.get("Upgrade", ""), "websocket");
}

std::shared_ptr<WebSocketConnection> WebSocketUpgrade::accept(Poco::Net::HTTPServerRequest& request,
    Poco::Net::HTTPServerResponse& response, EventLoop& loop, std::shared_ptr<WebSocketListener> listener,
    const WebSocketOptions& options)
{
    const std::string key = request.get("Sec-WebSocket-Key", "");
    std::string problem;
    if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_GET)
        problem = "method must be GET";
    else if (!isUpgradeRequest(request))
        problem = "missing 'Upgrade: websocket'";
    else if (!WebSocketHandshake::headerHasToken(request.get("Connection", ""), "upgrade"))
        problem = "missing 'Connection: Upgrade'";
    else if (request.get("Sec-WebSocket-Version", "") != "13")
        problem = "unsupported Sec-WebSocket-Version (need 13)";
    else if (key.empty())
        problem = "missing Sec-WebSocket-Key";
    else if (!WebSocketHandshake::isValidKey(key))
        problem = "Sec-WebSocket-Key is not 16 bytes of base64";
    auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
    if (problem.empty() && impl == nullptr)
        problem = "request is not from Poco::Net::HTTPServer";
    if (!problem.empty())
    {
        if (options.warn)
            options.warn("WebSocket upgrade refused: " + problem);
        reject(response, problem);
        return nullptr;
    }

    response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_SWITCHING_PROTOCOLS);
    response.set("Upgrade", "websocket");
    response.set("Connection", "Upgrade");
    response.set("Sec-WebSocket-Accept", WebSocketHandshake::acceptFor(key));
    response.setContentLength(0);
    response.send().flush();

    Poco::Net::StreamSocket socket = impl->detachSocket();
    // The HTTP session may have read the client's first frames together with the request.
    Poco::Buffer<char> early(0);
    impl->session().drainBuffer(early);
    auto connection = WebSocketConnection::create(loop, WebSocketRole::Server, std::move(listener), options);
    loop.post([connection, socket, leftover = std::string(early.begin(), early.size())]() {
        connection->adopt(socket, leftover);
    });
    return connection;
}

void WebSocketUpgrade::prepareServerContext(const Poco::Net::Context::Ptr& context)
{
    if (context)
        SSL_CTX_set_mode(context->sslContext(), SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
}

} // namespace media
} // namespace patchbay
