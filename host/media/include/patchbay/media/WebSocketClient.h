// WebSocketClient.h: outbound ws:// and wss:// connections whose blocking handshake runs on a WebSocketConnector.
#pragma once

#include <patchbay/media/EventLoop.h>
#include <patchbay/media/WebSocketConnection.h>
#include <patchbay/media/WebSocketConnector.h>
#include <patchbay/media/WebSocketListener.h>
#include <patchbay/media/WebSocketOptions.h>

#include <Poco/Net/Context.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace patchbay {
namespace media {

class WebSocketClient
{
public:
    using Headers = std::vector<std::pair<std::string, std::string>>;

    /// Starts connecting to url (ws:// or wss://, with path and query) and returns at once.
    /// A connector thread does TCP connect, TLS and the HTTP upgrade (verifying 101 and
    /// Sec-WebSocket-Accept) within options.connectTimeout, then posts the socket to loop:
    /// listener->onOpen or listener->onConnectFailed runs there. Any thread. The returned
    /// connection is in Connecting state; use it only on loop's thread (close() cancels).
    /// tlsContext == nullptr uses a shared default client context (system CAs, peer and host
    /// name verified).
    static std::shared_ptr<WebSocketConnection> connect(const std::string& url, const Headers& extraHeaders,
        EventLoop& loop, std::shared_ptr<WebSocketListener> listener, const WebSocketOptions& options,
        Poco::Net::Context::Ptr tlsContext, WebSocketConnector& connector);

    /// The default client TLS context used when connect() gets nullptr.
    static Poco::Net::Context::Ptr defaultClientContext();

    /// Sets SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER, needed to retry queued TLS writes from a grown buffer.
    static void prepareClientContext(const Poco::Net::Context::Ptr& context);
};

} // namespace media
} // namespace patchbay
