// WebSocketListener.h: the application's callbacks for one or many WebSocket connections.
#pragma once

#include <cstdint>
#include <string_view>

namespace patchbay {
namespace media {

class WebSocketConnection;

/// All callbacks run on the connection's loop thread; they must not block. Views are valid
/// only during the call. Defaults do nothing. Callbacks may call any connection method,
/// including close(); a connection stays alive for the duration of each callback.
class WebSocketListener
{
public:
    virtual ~WebSocketListener() = default;

    /// The connection is open (handshake done). Not called for client connections that fail.
    virtual void onOpen(WebSocketConnection& /*connection*/) {}
    virtual void onText(WebSocketConnection& /*connection*/, std::string_view /*text*/) {}
    virtual void onBinary(WebSocketConnection& /*connection*/, std::string_view /*data*/) {}
    /// Exactly once for every connection that was opened, whatever ended it:
    ///  - peer close: the peer's code/reason (1005 if it sent none);
    ///  - our close(): our code/reason;
    ///  - protocol error: the code we sent (1002/1007/1009) and the reason;
    ///  - I/O error or TCP closed without close frame: 1006 and a description;
    ///  - idle timeout: 1001 "idle timeout"; loop stop: 1001 "event loop stopping".
    virtual void onClose(WebSocketConnection& /*connection*/, std::uint16_t /*code*/, std::string_view /*reason*/) {}
    /// Client connections only, instead of onOpen: the connect/TLS/upgrade failed or was cancelled.
    virtual void onConnectFailed(std::string_view /*why*/) {}
    /// The write queue fell below writeLowWater after having exceeded writeHighWater.
    virtual void onWritable(WebSocketConnection& /*connection*/) {}
};

} // namespace media
} // namespace patchbay
