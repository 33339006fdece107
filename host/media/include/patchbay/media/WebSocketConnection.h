// WebSocketConnection.h: one non-blocking WebSocket (plain or TLS) driven by an EventLoop, with a bounded write queue.
#pragma once

#include <patchbay/media/EventLoop.h>
#include <patchbay/media/IoHandler.h>
#include <patchbay/media/SocketChannel.h>
#include <patchbay/media/WebSocketFrameParser.h>
#include <patchbay/media/WebSocketListener.h>
#include <patchbay/media/WebSocketOptions.h>
#include <patchbay/media/WebSocketProtocol.h>

#include <Poco/Net/StreamSocket.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace patchbay {
namespace media {

/// Counters of one connection; bytes are message payload bytes (text and binary).
struct WebSocketConnectionStats
{
    std::uint64_t messagesIn = 0;
    std::uint64_t messagesOut = 0;
    std::uint64_t bytesIn = 0;
    std::uint64_t bytesOut = 0;
    std::uint64_t drops = 0;     ///< sends refused because the write queue was over its limit
    std::uint64_t pingsOut = 0;
    std::uint64_t pongsIn = 0;
};

/// A WebSocket after its HTTP upgrade, owned by one EventLoop. Created by WebSocketUpgrade
/// (server side) or WebSocketClient (client side); while open it keeps itself alive, so the
/// application may hold only a weak_ptr.
///
/// Thread rules: every method is loop-thread only (use loop().post() from elsewhere), except
/// id(), role() and loop(), which are safe from any thread. The shared_ptr returned by
/// accept()/connect() may be passed around freely; touch the object only on its loop.
///
/// Writes go straight to the socket when the queue is empty; only the unwritten remainder is
/// queued, and EPOLLOUT is armed only while the queue is non-empty. The queue is bounded by
/// WebSocketOptions::writeQueueLimit: a send that would exceed it is refused (returns false)
/// and counted in stats().drops; it never blocks. Control frames (pong, close) bypass the limit.
class WebSocketConnection final: public std::enable_shared_from_this<WebSocketConnection>,
                           private IoHandler,
                           private WebSocketFrameParser::Handler
{
public:
    enum class State : std::uint8_t
    {
        Connecting, ///< client: upgrade in progress on a connector thread
        Open,
        Closing,    ///< we sent a close frame and wait for the reply
        Draining,   ///< close handshake finished or failed; flushing, then TCP close
        Closed
    };

    /// Used by WebSocketUpgrade and WebSocketClient; the connection starts in Connecting and
    /// becomes Open in adopt(). Any thread.
    static std::shared_ptr<WebSocketConnection> create(EventLoop& loop, WebSocketRole role,
        std::shared_ptr<WebSocketListener> listener, const WebSocketOptions& options);

    ~WebSocketConnection();

    WebSocketConnection(const WebSocketConnection&) = delete;
    WebSocketConnection& operator=(const WebSocketConnection&) = delete;

    /// Takes over an upgraded socket; alreadyRead are bytes the HTTP layer read past the
    /// handshake (fed to the parser before anything else). Calls onOpen. Loop thread only.
    /// If the connection was closed while connecting, the socket is closed and nothing is called.
    void adopt(Poco::Net::StreamSocket socket, std::string_view alreadyRead);

    /// Client side: the upgrade failed; calls onConnectFailed once. Loop thread only.
    void failConnect(std::string_view why);

    /// Sends one unfragmented message. False (and nothing sent) if not open or if the write
    /// queue would exceed its limit (counted as a drop).
    bool sendText(std::string_view text);
    bool sendBinary(std::string_view data);
    /// Sends a ping (payload <= 125 bytes). False if not open or over the queue limit.
    bool sendPing(std::string_view payload = std::string_view());

    /// Starts the close handshake: sends a close frame (code must be valid on the wire, else
    /// 1000 is used; 1005 sends no code), waits closeTimeout for the reply, then closes TCP
    /// and calls onClose(code, reason). While connecting it cancels (onConnectFailed).
    /// No-op when already closing or closed.
    void close(std::uint16_t code = WebSocketCloseCode::Normal, std::string_view reason = std::string_view());

    bool isOpen() const { return _state == State::Open; }
    State state() const { return _state; }
    /// Bytes accepted but not yet written to the socket.
    std::size_t queuedBytes() const { return _wbuf.size() - _wpos + _wspill.size(); }
    EventLoop& loop() const { return _loop; }
    /// "ip:port" of the peer (empty until open).
    const std::string& remoteAddress() const { return _remote; }
    std::uint64_t id() const { return _id; }
    WebSocketRole role() const { return _role; }
    bool isTls() const { return _channel.isTls(); }
    const WebSocketConnectionStats& stats() const { return _stats; }

    void setListener(std::shared_ptr<WebSocketListener> listener) { _listener = std::move(listener); }
    const std::shared_ptr<WebSocketListener>& listener() const { return _listener; }

    /// Arbitrary application data (e.g. the call this socket belongs to).
    void setUserData(std::shared_ptr<void> data) { _userData = std::move(data); }
    const std::shared_ptr<void>& userData() const { return _userData; }

private:
    struct PrivateTag
    {
    };

public:
    WebSocketConnection(PrivateTag, EventLoop& loop, WebSocketRole role, std::shared_ptr<WebSocketListener> listener,
        const WebSocketOptions& options);

private:
    // IoHandler
    void onIoEvent(std::uint32_t events) override;
    void onLoopStopping() override;
    // WebSocketFrameParser::Handler
    void onMessage(WebSocketOpcode opcode, std::string_view payload) override;
    void onPing(std::string_view payload) override;
    void onPong(std::string_view payload) override;
    void onClose(std::uint16_t code, std::string_view reason) override;
    void onProtocolError(std::uint16_t closeCode, std::string_view reason) override;

    bool sendData(WebSocketOpcode opcode, std::string_view payload);
    void enqueueFrame(WebSocketOpcode opcode, std::string_view payload);
    void enqueueClose(std::uint16_t code, std::string_view reason);
    void appendQueued(const char* data, std::size_t len);
    void flush();
    void onReadable();
    void feed(char* data, std::size_t len);
    void updateInterest();
    void startDraining();
    void armCloseTimer();
    void armIdleTimer(std::chrono::milliseconds delay);
    void checkIdle();
    void ioFailed(std::string_view what);
    void writeFailed();
    void finalize();
    void warn(std::string_view what) const;
    std::size_t highWater() const;
    std::size_t lowWater() const;

    EventLoop& _loop;
    std::shared_ptr<WebSocketListener> _listener;
    WebSocketOptions _options;
    WebSocketFrameParser _parser;
    SocketChannel _channel;
    std::shared_ptr<WebSocketConnection> _self; // keeps an open connection alive; dropped in finalize()
    std::shared_ptr<void> _userData;
    std::string _remote;
    std::string _closeReason;
    std::string _writeError; // set by writeFailed(), reported when the loop sees the resulting EOF

    // Write queue: [_wpos, _wbuf.size()) is pending. While a TLS write is waiting for a retry,
    // OpenSSL requires the same buffer address, so new frames that would reallocate _wbuf go
    // to _wspill instead.
    std::string _wbuf;
    std::string _wspill;
    std::size_t _wpos = 0;

    WebSocketConnectionStats _stats;
    EventLoop::Clock::time_point _lastActivity{};
    EventLoop::TimerId _pingTimer = 0;
    EventLoop::TimerId _idleTimer = 0;
    EventLoop::TimerId _closeTimer = 0;
    std::uint64_t _id;
    std::uint16_t _closeCode = WebSocketCloseCode::Abnormal;
    WebSocketRole _role;
    State _state = State::Connecting;
    bool _opened = false;
    bool _epollOut = false;
    bool _aboveHighWater = false;
};

} // namespace media
} // namespace patchbay
