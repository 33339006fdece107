// WebSocketConnection.cpp: non-blocking read/parse/write cycle, close handshake, timers and back-pressure.
#include <patchbay/media/WebSocketConnection.h>
#include <patchbay/media/WebSocketFrameWriter.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <sys/epoll.h>

namespace patchbay {
namespace media {

namespace {

constexpr std::size_t kMaxMessageLimit = 16u << 20;
// An idle connection should not sit on a large write buffer left over from a burst.
constexpr std::size_t kKeepWriteCapacity = 16 * 1024;
// Reads per readiness event before yielding to other connections on the loop.
constexpr int kMaxReadsPerEvent = 16;

std::atomic<std::uint64_t> g_nextId{1};

} // namespace

std::shared_ptr<WebSocketConnection> WebSocketConnection::create(EventLoop& loop, WebSocketRole role,
    std::shared_ptr<WebSocketListener> listener, const WebSocketOptions& options)
{
    return std::make_shared<WebSocketConnection>(PrivateTag{}, loop, role, std::move(listener), options);
}

WebSocketConnection::WebSocketConnection(PrivateTag, EventLoop& loop, WebSocketRole role,
    std::shared_ptr<WebSocketListener> listener, const WebSocketOptions& options):
    _loop(loop),
    _listener(std::move(listener)),
    _options(options),
    _parser(role, std::min(options.maxMessageSize, kMaxMessageLimit), *this),
    _id(g_nextId.fetch_add(1, std::memory_order_relaxed)),
    _role(role)
{
    if (options.maxMessageSize > kMaxMessageLimit)
        warn("maxMessageSize clamped to 16 MiB");
}

WebSocketConnection::~WebSocketConnection()
{
    // Only reachable after finalize() or for a connection that never opened; the socket
    // handle's destructor closes the fd.
}

void WebSocketConnection::adopt(Poco::Net::StreamSocket socket, std::string_view alreadyRead)
{
    if (_state != State::Connecting)
    {
        try
        {
            socket.close();
        }
        catch (...)
        {
        }
        return;
    }
    try
    {
        _channel.attach(socket);
        _remote = _channel.peerAddress();
        _loop.addHandler(_channel.fd(), EPOLLIN | EPOLLRDHUP, this);
    }
    catch (const std::exception& e)
    {
        _channel.close();
        _state = State::Closed;
        if (_role == WebSocketRole::Client && _listener)
            _listener->onConnectFailed(std::string("cannot register socket: ") + e.what());
        return;
    }
    _self = shared_from_this();
    _state = State::Open;
    _opened = true;
    _lastActivity = EventLoop::Clock::now();
    if (_options.pingInterval.count() > 0)
    {
        std::weak_ptr<WebSocketConnection> weak = _self;
        _pingTimer = _loop.runEvery(_options.pingInterval, [weak] {
            if (auto self = weak.lock())
                self->sendPing();
        });
    }
    if (_options.idleTimeout.count() > 0)
        armIdleTimer(_options.idleTimeout);

    auto keep = _self;
    if (auto listener = _listener)
        listener->onOpen(*this);
    if (!alreadyRead.empty() && _state != State::Closed)
    {
        _lastActivity = EventLoop::Clock::now();
        if (alreadyRead.size() <= EventLoop::scratchSize())
        {
            std::memcpy(_loop.scratchBuffer(), alreadyRead.data(), alreadyRead.size());
            feed(_loop.scratchBuffer(), alreadyRead.size());
        }
        else
            _parser.feed(alreadyRead.data(), alreadyRead.size());
    }
    // TLS may hold decrypted bytes epoll cannot see; a plain socket may already be readable.
    if (_state != State::Closed)
        onReadable();
}

void WebSocketConnection::failConnect(std::string_view why)
{
    if (_state != State::Connecting)
        return;
    _state = State::Closed;
    warn(std::string("connect failed: ").append(why));
    if (auto listener = _listener)
        listener->onConnectFailed(why);
}

bool WebSocketConnection::sendText(std::string_view text)
{
    return sendData(WebSocketOpcode::Text, text);
}

bool WebSocketConnection::sendBinary(std::string_view data)
{
    return sendData(WebSocketOpcode::Binary, data);
}

bool WebSocketConnection::sendPing(std::string_view payload)
{
    if (_state != State::Open || payload.size() > 125)
        return false;
    if (queuedBytes() + payload.size() + WebSocketFrameWriter::kMaxHeaderSize > _options.writeQueueLimit)
    {
        ++_stats.drops;
        return false;
    }
    ++_stats.pingsOut;
    enqueueFrame(WebSocketOpcode::Ping, payload);
    return _state != State::Closed;
}

bool WebSocketConnection::sendData(WebSocketOpcode opcode, std::string_view payload)
{
    if (_state != State::Open)
        return false;
    bool mask = _role == WebSocketRole::Client;
    std::size_t frameSize = WebSocketFrameWriter::headerSize(payload.size(), mask) + payload.size();
    if (queuedBytes() + frameSize > _options.writeQueueLimit)
    {
        ++_stats.drops;
        _aboveHighWater = true;
        return false;
    }
    ++_stats.messagesOut;
    _stats.bytesOut += payload.size();
    if (!mask && !_channel.isTls() && queuedBytes() == 0)
    {
        // Server role over plain TCP: header and payload go out in one writev, no copy at all.
        char header[WebSocketFrameWriter::kMaxHeaderSize];
        std::size_t hn = WebSocketFrameWriter::writeHeader(header, opcode, payload.size(), true, nullptr);
        long n = _channel.write2(header, hn, payload.data(), payload.size());
        if (n < 0)
        {
            writeFailed();
            return false;
        }
        auto written = static_cast<std::size_t>(n);
        if (written == hn + payload.size())
            return true;
        if (written < hn)
        {
            appendQueued(header + written, hn - written);
            written = hn;
        }
        appendQueued(payload.data() + (written - hn), payload.size() - (written - hn));
        updateInterest();
    }
    else
    {
        enqueueFrame(opcode, payload);
    }
    if (queuedBytes() > highWater())
        _aboveHighWater = true;
    return true;
}

void WebSocketConnection::enqueueFrame(WebSocketOpcode opcode, std::string_view payload)
{
    bool wasEmpty = queuedBytes() == 0;
    bool mask = _role == WebSocketRole::Client;
    bool spill = !_wspill.empty() ||
        (_channel.retryPending() && _wbuf.size() + payload.size() + WebSocketFrameWriter::kMaxHeaderSize > _wbuf.capacity());
    if (!spill && !_channel.retryPending() && _wpos > 0 && _wpos * 2 >= _wbuf.size())
    {
        _wbuf.erase(0, _wpos);
        _wpos = 0;
    }
    WebSocketFrameWriter::appendFrame(spill ? _wspill : _wbuf, opcode, payload, true, mask);
    if (wasEmpty)
        flush();
}

void WebSocketConnection::enqueueClose(std::uint16_t code, std::string_view reason)
{
    bool wasEmpty = queuedBytes() == 0;
    std::string frame;
    WebSocketFrameWriter::appendClose(frame, code, reason, _role == WebSocketRole::Client);
    appendQueued(frame.data(), frame.size());
    if (wasEmpty)
        flush();
}

void WebSocketConnection::appendQueued(const char* data, std::size_t len)
{
    bool spill = !_wspill.empty() || (_channel.retryPending() && _wbuf.size() + len > _wbuf.capacity());
    (spill ? _wspill : _wbuf).append(data, len);
}

void WebSocketConnection::flush()
{
    if (_state == State::Closed || !_channel.isOpen())
        return;
    for (;;)
    {
        while (_wpos < _wbuf.size())
        {
            long n = _channel.write(_wbuf.data() + _wpos, _wbuf.size() - _wpos);
            if (n < 0)
            {
                writeFailed();
                return;
            }
            if (n == 0)
                break;
            _wpos += static_cast<std::size_t>(n);
        }
        if (_wpos < _wbuf.size())
            break;
        _wbuf.clear();
        _wpos = 0;
        if (_wspill.empty())
            break;
        _wbuf.swap(_wspill);
    }
    if (queuedBytes() == 0)
    {
        if (_wbuf.capacity() > kKeepWriteCapacity)
            std::string().swap(_wbuf);
        if (_wspill.capacity() > kKeepWriteCapacity)
            std::string().swap(_wspill);
    }
    updateInterest();
    if (_aboveHighWater && queuedBytes() < lowWater() && _state == State::Open)
    {
        _aboveHighWater = false;
        auto keep = shared_from_this();
        if (auto listener = _listener)
            listener->onWritable(*this);
    }
    if (_state == State::Draining && queuedBytes() == 0)
        finalize();
}

void WebSocketConnection::onIoEvent(std::uint32_t events)
{
    auto keep = shared_from_this();
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP))
        onReadable();
    if (_state != State::Closed && (events & EPOLLOUT))
        flush();
}

void WebSocketConnection::onReadable()
{
    char* buffer = _loop.scratchBuffer();
    for (int i = 0; i < kMaxReadsPerEvent && _state != State::Closed; ++i)
    {
        long n = _channel.read(buffer, EventLoop::scratchSize());
        if (n == 0)
            return;
        if (n < 0)
        {
            if (!_writeError.empty())
                ioFailed(_writeError);
            else
                ioFailed(n == -1 ? std::string_view("connection closed by peer without close frame")
                                 : std::string_view(_channel.error()));
            return;
        }
        if (_options.idleTimeout.count() > 0)
            _lastActivity = EventLoop::Clock::now();
        feed(buffer, static_cast<std::size_t>(n));
        // TLS: only bytes OpenSSL already decrypted need another read now (socket bytes re-trigger
        // epoll). Plain: a short read means the socket is drained.
        if (_channel.isTls() ? _channel.buffered() <= 0 : static_cast<std::size_t>(n) < EventLoop::scratchSize())
            return;
    }
}

void WebSocketConnection::feed(char* data, std::size_t len)
{
    // After the close handshake or a protocol error the parser ignores input; so do we.
    if (_state == State::Closed || _state == State::Draining)
        return;
    _parser.feedInPlace(data, len);
}

void WebSocketConnection::onMessage(WebSocketOpcode opcode, std::string_view payload)
{
    if (_state != State::Open)
        return; // after our close frame, data is discarded (RFC 6455 §5.5.1)
    ++_stats.messagesIn;
    _stats.bytesIn += payload.size();
    auto listener = _listener; // setListener() inside the callback must not destroy the running listener
    if (!listener)
        return;
    if (opcode == WebSocketOpcode::Text)
        listener->onText(*this, payload);
    else
        listener->onBinary(*this, payload);
}

void WebSocketConnection::onPing(std::string_view payload)
{
    if (_state != State::Open)
        return;
    if (queuedBytes() + payload.size() + WebSocketFrameWriter::kMaxHeaderSize > _options.writeQueueLimit)
    {
        ++_stats.drops; // a peer that pings but never reads must not grow our queue
        return;
    }
    enqueueFrame(WebSocketOpcode::Pong, payload);
}

void WebSocketConnection::onPong(std::string_view)
{
    ++_stats.pongsIn;
}

void WebSocketConnection::onClose(std::uint16_t code, std::string_view reason)
{
    if (_state == State::Open)
    {
        _closeCode = code;
        _closeReason.assign(reason.data(), reason.size());
        enqueueClose(code, reason);
        startDraining();
    }
    else if (_state == State::Closing)
    {
        finalize();
    }
}

void WebSocketConnection::onProtocolError(std::uint16_t closeCode, std::string_view reason)
{
    warn(std::string("protocol error from ").append(_remote).append(": ").append(reason));
    if (_state == State::Open)
    {
        _closeCode = closeCode;
        _closeReason.assign(reason.data(), reason.size());
        enqueueClose(closeCode, reason);
        startDraining();
    }
    else if (_state == State::Closing)
    {
        finalize();
    }
}

void WebSocketConnection::close(std::uint16_t code, std::string_view reason)
{
    if (_state == State::Connecting)
    {
        _state = State::Closed;
        if (auto listener = _listener)
            listener->onConnectFailed("cancelled by close()");
        return;
    }
    if (_state != State::Open)
        return;
    if (code != WebSocketCloseCode::NoStatus && !WebSocketCloseCode::isValidOnWire(code))
    {
        warn("close(): invalid close code replaced by 1000");
        code = WebSocketCloseCode::Normal;
    }
    _closeCode = code;
    _closeReason.assign(reason.data(), reason.size());
    _state = State::Closing;
    enqueueClose(code, reason);
    if (_state != State::Closed)
        armCloseTimer();
}

void WebSocketConnection::startDraining()
{
    if (_state == State::Closed)
        return;
    _state = State::Draining;
    flush();
    if (_state != State::Closed)
        armCloseTimer();
}

void WebSocketConnection::armCloseTimer()
{
    if (_closeTimer != 0)
        return;
    std::weak_ptr<WebSocketConnection> weak = shared_from_this();
    _closeTimer = _loop.runAfter(_options.closeTimeout, [weak] {
        if (auto self = weak.lock())
        {
            self->_closeTimer = 0;
            if (self->_state != State::Closed)
            {
                self->warn("close handshake timed out");
                self->finalize();
            }
        }
    });
}

void WebSocketConnection::armIdleTimer(std::chrono::milliseconds delay)
{
    std::weak_ptr<WebSocketConnection> weak = _self;
    _idleTimer = _loop.runAfter(delay, [weak] {
        if (auto self = weak.lock())
        {
            self->_idleTimer = 0;
            self->checkIdle();
        }
    });
}

void WebSocketConnection::checkIdle()
{
    if (_state != State::Open)
        return;
    auto idle = std::chrono::duration_cast<std::chrono::milliseconds>(EventLoop::Clock::now() - _lastActivity);
    if (idle >= _options.idleTimeout)
    {
        warn("idle timeout");
        close(WebSocketCloseCode::GoingAway, "idle timeout");
    }
    else
        armIdleTimer(_options.idleTimeout - idle);
}

void WebSocketConnection::updateInterest()
{
    bool want = queuedBytes() > 0;
    if (want == _epollOut || !_channel.isOpen() || _state == State::Closed)
        return;
    _epollOut = want;
    _loop.modifyHandler(_channel.fd(), EPOLLIN | EPOLLRDHUP | (want ? EPOLLOUT : 0u));
}

void WebSocketConnection::ioFailed(std::string_view what)
{
    if (_state == State::Closed)
        return;
    if (_state == State::Open)
    {
        _closeCode = WebSocketCloseCode::Abnormal;
        _closeReason.assign(what.data(), what.size());
        warn(std::string("connection ").append(_remote).append(": ").append(what));
    }
    finalize();
}

void WebSocketConnection::writeFailed()
{
    // Sends happen inside application callbacks (often another connection's); tearing down here
    // would call onClose re-entrantly. Abort the fd instead and let the loop report it.
    if (_writeError.empty())
        _writeError = _channel.error().empty() ? std::string("send failed") : _channel.error();
    _wbuf.clear();
    _wspill.clear();
    _wpos = 0;
    _channel.abort();
}

void WebSocketConnection::onLoopStopping()
{
    auto keep = shared_from_this();
    if (_state == State::Open)
    {
        _closeCode = WebSocketCloseCode::GoingAway;
        _closeReason = "event loop stopping";
        enqueueClose(_closeCode, _closeReason); // best effort: one write attempt, no waiting
    }
    else if (_state == State::Draining || _state == State::Closing)
        flush();
    finalize();
}

void WebSocketConnection::finalize()
{
    if (_state == State::Closed)
        return;
    auto keep = std::move(_self);
    _state = State::Closed;
    _parser.halt();
    for (EventLoop::TimerId* timer : {&_pingTimer, &_idleTimer, &_closeTimer})
    {
        if (*timer != 0)
            _loop.cancelTimer(*timer);
        *timer = 0;
    }
    if (_channel.isOpen())
    {
        _loop.removeHandler(_channel.fd());
        _channel.close();
    }
    std::string().swap(_wbuf);
    std::string().swap(_wspill);
    _wpos = 0;
    if (_opened)
    {
        std::string reason;
        reason.swap(_closeReason);
        if (auto listener = _listener)
            listener->onClose(*this, _closeCode, reason);
    }
}

void WebSocketConnection::warn(std::string_view what) const
{
    if (!_options.warn)
        return;
    try
    {
        _options.warn(what);
    }
    catch (...)
    {
    }
}

std::size_t WebSocketConnection::highWater() const
{
    return _options.writeHighWater != 0 ? _options.writeHighWater : _options.writeQueueLimit / 2;
}

std::size_t WebSocketConnection::lowWater() const
{
    return _options.writeLowWater != 0 ? _options.writeLowWater : _options.writeQueueLimit / 4;
}

} // namespace media
} // namespace patchbay
