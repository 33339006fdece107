// WebSocket.h: WebSocket connections owned by the host's media engine, and the handlers and endpoints plugins give it.
#ifndef PATCHBAY_SDK_WEBSOCKET_H
#define PATCHBAY_SDK_WEBSOCKET_H

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "patchbay/sdk/EventLoop.h"
#include "patchbay/sdk/Http.h"

namespace patchbay::sdk {

/// Close codes from RFC 6455 §7.4.1 that plugins use.
namespace CloseCode {
constexpr std::uint16_t Normal = 1000;
constexpr std::uint16_t GoingAway = 1001;
constexpr std::uint16_t ProtocolError = 1002;
constexpr std::uint16_t UnsupportedData = 1003;
constexpr std::uint16_t InvalidPayload = 1007;
constexpr std::uint16_t PolicyViolation = 1008;
constexpr std::uint16_t MessageTooBig = 1009;
constexpr std::uint16_t InternalError = 1011;
} // namespace CloseCode

/// One open WebSocket (server or client side), framed by the host's RFC 6455 codec.
/// THREAD: Media — every method only on the connection's loop thread (loop().isInLoopThread()).
/// OWNERSHIP: owned by the host. The reference handed to WebSocketHandler::onOpen() stays valid until
/// WebSocketHandler::onClose() returns; never keep it past that.
class WebSocketConnection
{
public:
    /// Queues a text message. Never blocks. @return false if the connection is closing or its
    /// bounded write queue is full (the message is dropped and counted).
    virtual bool sendText(std::string_view message) noexcept = 0;
    /// Same for a binary message.
    virtual bool sendBinary(std::string_view message) noexcept = 0;
    /// Starts the close handshake; onClose() follows once it completes or times out.
    virtual void close(std::uint16_t code, std::string_view reason) noexcept = 0;
    virtual bool isOpen() const noexcept = 0;
    /// Bytes waiting to be written (for back-pressure decisions).
    virtual std::size_t queuedBytes() const noexcept = 0;
    /// The loop this connection lives on; timers for this connection belong there.
    virtual EventLoop& loop() noexcept = 0;
    /// Peer address "ip:port".
    virtual std::string remoteAddress() const = 0;
    /// Process-unique id, for logs.
    virtual std::uint64_t id() const noexcept = 0;

protected:
    ~WebSocketConnection() = default;
};

/// Receives a connection's events. THREAD: Media (the connection's loop), one call at a time.
/// OWNERSHIP: shared between the plugin and the host; the host keeps its reference until after
/// onClose() / onConnectFailed() returned.
class WebSocketHandler
{
public:
    virtual ~WebSocketHandler() = default;
    /// The connection is open and may send.
    virtual void onOpen(WebSocketConnection& /*connection*/) {}
    /// A complete text message (UTF-8 already validated). The view is valid only during the call.
    virtual void onText(WebSocketConnection& /*connection*/, std::string_view /*message*/) {}
    /// A complete binary message. The view is valid only during the call.
    virtual void onBinary(WebSocketConnection& /*connection*/, std::string_view /*message*/) {}
    /// The write queue drained after sendText()/sendBinary() had reported it full.
    virtual void onWritable(WebSocketConnection& /*connection*/) {}
    /// Last call for an opened connection, whatever ended it (1006 = no close frame).
    virtual void onClose(WebSocketConnection& /*connection*/, std::uint16_t /*code*/, std::string_view /*reason*/) {}
    /// Client side only: the connection never opened (DNS, TCP, TLS or handshake failure). Last call.
    virtual void onConnectFailed(std::string_view /*reason*/) {}
};

/// The upgrade request a WebSocketEndpoint decides on. THREAD: I/O.
struct WebSocketUpgrade
{
    const HttpRequest& request;
    /// Set to keep related sockets on one loop: connections with equal keys share a loop
    /// (e.g. the CallSid, so a call's inbound and agent sockets meet on the same thread).
    std::string affinityKey;
    /// When refusing: the HTTP status (e.g. 403) and a short reason; sent instead of 101.
    int refuseStatus = 403;
    std::string refuseReason;
};

/// A WebSocket route registered through HostServices::addWebSocketEndpoint().
/// THREAD: I/O for accept(). Exceptions must not escape (the host refuses with 500 if they do).
class WebSocketEndpoint
{
public:
    virtual ~WebSocketEndpoint() = default;
    /// Decides on one upgrade before the 101 is sent.
    /// @return the handler for the new connection, or nullptr to refuse (with upgrade.refuseStatus).
    virtual std::shared_ptr<WebSocketHandler> accept(WebSocketUpgrade& upgrade) = 0;
};

/// Options for an outbound connection made through HostServices::connectWebSocket().
struct WebSocketConnectOptions
{
    std::string url;               ///< ws:// or wss://, with path and query
    HttpHeaders headers;           ///< extra upgrade headers (e.g. xi-api-key); SECRET values are never logged
    std::uint32_t connectTimeoutMs = 5000;
    std::size_t maxMessageBytes = 1u << 20;
};

} // namespace patchbay::sdk

#endif
