// WebSocketUpgrade.h: server-side RFC 6455 upgrade inside a Poco HTTP handler, handing the socket to an EventLoop.
#pragma once

#include <patchbay/media/EventLoop.h>
#include <patchbay/media/WebSocketConnection.h>
#include <patchbay/media/WebSocketListener.h>
#include <patchbay/media/WebSocketOptions.h>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <memory>

namespace patchbay {
namespace media {

/// Called from a Poco HTTPRequestHandler (HTTP worker thread). Works for HTTPServer on a
/// ServerSocket or a SecureServerSocket. The worker is released as soon as accept() returns.
class WebSocketUpgrade
{
public:
    /// True if the request asks for a WebSocket upgrade (Upgrade: websocket). Any thread.
    static bool isUpgradeRequest(const Poco::Net::HTTPServerRequest& request);

    /// Validates the upgrade (GET, Upgrade: websocket, Connection: upgrade, version 13, a
    /// 16-byte base64 key); on failure answers 400 with the reason and returns nullptr.
    /// Otherwise sends 101, detaches the socket (with any bytes the HTTP layer read past the
    /// handshake) and posts it to loop, where the connection opens (listener->onOpen).
    /// The returned connection may only be used on loop's thread (via loop.post).
    static std::shared_ptr<WebSocketConnection> accept(Poco::Net::HTTPServerRequest& request,
        Poco::Net::HTTPServerResponse& response, EventLoop& loop, std::shared_ptr<WebSocketListener> listener,
        const WebSocketOptions& options);

    /// Prepares a server TLS context for non-blocking use (SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER),
    /// so queued TLS writes may be retried from a grown buffer. Call before the
    /// SecureServerSocket accepts connections. Optional: without it, connections still work.
    static void prepareServerContext(const Poco::Net::Context::Ptr& context);
};

} // namespace media
} // namespace patchbay
