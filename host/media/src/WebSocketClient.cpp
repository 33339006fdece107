// WebSocketClient.cpp: the connector job (HTTP(S)ClientSession upgrade, detach) and its hand-off to the loop.
#include <patchbay/media/WebSocketClient.h>

#include "WebSocketHandshake.h"

#include <Poco/Buffer.h>
#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/URI.h>

#include <openssl/ssl.h>

#include <exception>

namespace patchbay {
namespace media {

namespace {

void runHandshake(const std::string& url, const WebSocketClient::Headers& extraHeaders, EventLoop& loop,
    const std::shared_ptr<WebSocketConnection>& connection, std::chrono::milliseconds timeout,
    Poco::Net::Context::Ptr tlsContext)
{
    Poco::URI uri(url);
    const std::string scheme = uri.getScheme();
    bool tls;
    if (scheme == "wss")
        tls = true;
    else if (scheme == "ws")
        tls = false;
    else
        throw Poco::InvalidArgumentException("URL scheme must be ws or wss", url);
    if (uri.getHost().empty())
        throw Poco::InvalidArgumentException("URL has no host", url);
    Poco::UInt16 port = uri.getSpecifiedPort();
    if (port == 0)
        port = tls ? 443 : 80;

    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (tls)
    {
        if (!tlsContext)
            tlsContext = WebSocketClient::defaultClientContext();
        else
            WebSocketClient::prepareClientContext(tlsContext);
        session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), port, tlsContext);
    }
    else
        session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), port);
    Poco::Timespan span(static_cast<Poco::Timespan::TimeDiff>(timeout.count()) * 1000);
    session->setTimeout(span, span, span);
    // Without keep-alive HTTPClientSession rewrites "Connection: Upgrade" to "Connection: close".
    session->setKeepAlive(true);

    std::string target = uri.getPathEtc();
    if (target.empty())
        target = "/";
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, target, Poco::Net::HTTPMessage::HTTP_1_1);
    const std::string key = WebSocketHandshake::generateKey();
    request.set("Upgrade", "websocket");
    request.set("Connection", "Upgrade");
    request.set("Sec-WebSocket-Key", key);
    request.set("Sec-WebSocket-Version", "13");
    for (const auto& [name, value] : extraHeaders)
        request.set(name, value);
    session->sendRequest(request);

    Poco::Net::HTTPResponse response;
    session->receiveResponse(response);
    if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_SWITCHING_PROTOCOLS)
        throw Poco::ProtocolException("upgrade refused: HTTP " + std::to_string(static_cast<int>(response.getStatus())) +
            " " + response.getReason());
    if (!WebSocketHandshake::headerHasToken(response.get("Upgrade", ""), "websocket"))
        throw Poco::ProtocolException("101 response without 'Upgrade: websocket'");
    if (response.get("Sec-WebSocket-Accept", "") != WebSocketHandshake::acceptFor(key))
        throw Poco::ProtocolException("wrong Sec-WebSocket-Accept");

    Poco::Buffer<char> early(0);
    session->drainBuffer(early);
    Poco::Net::StreamSocket socket = session->detachSocket();
    loop.post([connection, socket, leftover = std::string(early.begin(), early.size())]() {
        connection->adopt(socket, leftover);
    });
}

} // namespace

std::shared_ptr<WebSocketConnection> WebSocketClient::connect(const std::string& url, const Headers& extraHeaders,
    EventLoop& loop, std::shared_ptr<WebSocketListener> listener, const WebSocketOptions& options,
    Poco::Net::Context::Ptr tlsContext, WebSocketConnector& connector)
{
    auto connection = WebSocketConnection::create(loop, WebSocketRole::Client, std::move(listener), options);
    EventLoop* loopPtr = &loop;
    auto fail = [connection, loopPtr](std::string why) {
        loopPtr->post([connection, why = std::move(why)]() { connection->failConnect(why); });
    };
    bool queued = connector.submit(
        [url, extraHeaders, loopPtr, connection, timeout = options.connectTimeout, tlsContext, fail]() {
            try
            {
                runHandshake(url, extraHeaders, *loopPtr, connection, timeout, tlsContext);
            }
            catch (const Poco::Exception& e)
            {
                fail(url + ": " + e.displayText());
            }
            catch (const std::exception& e)
            {
                fail(url + ": " + e.what());
            }
        },
        [fail, url]() { fail(url + ": connector shut down"); });
    if (!queued)
        fail(url + ": connector shut down");
    return connection;
}

Poco::Net::Context::Ptr WebSocketClient::defaultClientContext()
{
    static Poco::Net::Context::Ptr context = [] {
        Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
            Poco::Net::Context::VERIFY_RELAXED, 9, true, "ALL:!ADH:!LOW:!EXP:!MD5:@STRENGTH");
        prepareClientContext(ctx);
        return ctx;
    }();
    return context;
}

void WebSocketClient::prepareClientContext(const Poco::Net::Context::Ptr& context)
{
    if (context)
        SSL_CTX_set_mode(context->sslContext(), SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
}

} // namespace media
} // namespace patchbay
