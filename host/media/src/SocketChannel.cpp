// SocketChannel.cpp: EAGAIN/WANT_READ/TimeoutException mapping for plain and TLS sockets on an event loop.
#include <patchbay/media/SocketChannel.h>

#include <Poco/Exception.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SecureStreamSocketImpl.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <sys/uio.h>

namespace patchbay {
namespace media {

namespace {

// Cap one SSL_write so a multi-MiB queue does not monopolise the loop.
constexpr std::size_t kMaxTlsWrite = 256 * 1024;

bool wouldBlock(int n)
{
    return n == Poco::Net::SecureStreamSocket::ERR_SSL_WANT_READ || n == Poco::Net::SecureStreamSocket::ERR_SSL_WANT_WRITE;
}

} // namespace

void SocketChannel::attach(Poco::Net::StreamSocket socket)
{
    _socket = socket;
    _fd = static_cast<int>(_socket.impl()->sockfd());
    _tls = dynamic_cast<Poco::Net::SecureStreamSocketImpl*>(_socket.impl()) != nullptr;
    _socket.setBlocking(false);
    _socket.setNoDelay(true);
    if (_tls)
    {
        // Poco's TLS layer does not forward non-blocking mode to its inner socket and would poll
        // for SO_RCVTIMEO/SO_SNDTIMEO (60 s from HTTPServer) on WANT_READ/WANT_WRITE, blocking
        // the whole loop. With zero timeouts it throws TimeoutException instead.
        _socket.setReceiveTimeout(Poco::Timespan(0));
        _socket.setSendTimeout(Poco::Timespan(0));
    }
}

long SocketChannel::read(char* buffer, std::size_t len)
{
    if (!_tls)
    {
        for (;;)
        {
            ssize_t n = ::recv(_fd, buffer, len, 0);
            if (n > 0)
                return static_cast<long>(n);
            if (n == 0)
                return -1;
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return 0;
            _error = std::string("recv failed: ") + std::strerror(errno);
            return -2;
        }
    }
    try
    {
        int n = _socket.impl()->receiveBytes(buffer, static_cast<int>(std::min<std::size_t>(len, 1 << 30)));
        if (n > 0)
            return n;
        if (n == 0)
            return -1;
        if (wouldBlock(n))
            return 0;
        _error = "TLS receive failed";
        return -2;
    }
    catch (const Poco::TimeoutException&)
    {
        return 0;
    }
    catch (const Poco::Exception& e)
    {
        _error = "TLS receive failed: " + e.displayText();
        return -2;
    }
}

long SocketChannel::write(const char* data, std::size_t len)
{
    if (!_tls)
    {
        for (;;)
        {
            ssize_t n = ::send(_fd, data, len, MSG_NOSIGNAL);
            if (n >= 0)
                return static_cast<long>(n);
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return 0;
            _error = std::string("send failed: ") + std::strerror(errno);
            return -1;
        }
    }
    try
    {
        int n = _socket.impl()->sendBytes(data, static_cast<int>(std::min(len, kMaxTlsWrite)));
        if (n > 0)
        {
            _retryPending = false;
            return n;
        }
        if (wouldBlock(n))
        {
            _retryPending = true;
            return 0;
        }
        _error = "TLS send failed";
        return -1;
    }
    catch (const Poco::TimeoutException&)
    {
        _retryPending = true;
        return 0;
    }
    catch (const Poco::Exception& e)
    {
        _error = "TLS send failed: " + e.displayText();
        return -1;
    }
}

long SocketChannel::write2(const char* a, std::size_t alen, const char* b, std::size_t blen)
{
    iovec iov[2];
    iov[0].iov_base = const_cast<char*>(a);
    iov[0].iov_len = alen;
    iov[1].iov_base = const_cast<char*>(b);
    iov[1].iov_len = blen;
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = blen == 0 ? 1 : 2;
    for (;;)
    {
        ssize_t n = ::sendmsg(_fd, &msg, MSG_NOSIGNAL);
        if (n >= 0)
            return static_cast<long>(n);
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        _error = std::string("send failed: ") + std::strerror(errno);
        return -1;
    }
}

int SocketChannel::buffered()
{
    if (!_tls || _fd < 0)
        return 0;
    try
    {
        return _socket.impl()->available();
    }
    catch (...)
    {
        return 0;
    }
}

std::string SocketChannel::peerAddress() const
{
    try
    {
        return _socket.peerAddress().toString();
    }
    catch (...)
    {
        return std::string();
    }
}

void SocketChannel::abort()
{
    if (_fd >= 0)
        ::shutdown(_fd, SHUT_RDWR);
}

void SocketChannel::close()
{
    if (_fd < 0)
        return;
    if (!_tls)
        ::shutdown(_fd, SHUT_WR); // FIN after our last frame rather than relying on close() alone
    try
    {
        // For TLS this also attempts a close_notify; on a non-blocking socket that may throw.
        _socket.close();
    }
    catch (...)
    {
    }
    _socket = Poco::Net::StreamSocket();
    _fd = -1;
    _retryPending = false;
}

} // namespace media
} // namespace patchbay
