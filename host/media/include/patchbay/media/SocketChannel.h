// SocketChannel.h: non-blocking byte transport over a Poco plain or TLS socket, hiding Poco 1.11's TLS quirks.
#pragma once

#include <Poco/Net/StreamSocket.h>

#include <cstddef>
#include <string>

namespace patchbay {
namespace media {

/// One connected socket in non-blocking mode. Plain sockets use ::recv/::send(MSG_NOSIGNAL)
/// directly, because Poco's sendBytes throws on EAGAIN. TLS goes through Poco's
/// SecureStreamSocketImpl with zero socket timeouts, and Poco::TimeoutException means "would block".
class SocketChannel
{
public:
    /// Takes over socket and makes it non-blocking (TCP_NODELAY, zero timeouts for TLS). Throws Poco::Exception.
    void attach(Poco::Net::StreamSocket socket);

    /// >0 bytes read, 0 would block, -1 orderly EOF, -2 error (see error()).
    long read(char* buffer, std::size_t len);
    /// >=0 bytes written (0: would block), -1 error (see error()). For TLS, after a 0 the next
    /// call must pass the same start address with at least the same length (OpenSSL retry rule).
    long write(const char* data, std::size_t len);
    /// Plain sockets only: header + payload in one sendmsg. Same return convention as write().
    long write2(const char* a, std::size_t alen, const char* b, std::size_t blen);

    /// True while a TLS write is waiting to be retried from the same buffer.
    bool retryPending() const { return _retryPending; }
    /// Decrypted bytes held inside OpenSSL, which epoll cannot see (always 0 for plain sockets).
    int buffered();

    /// Shuts the fd down in both directions without closing it: the loop then sees EOF/HUP,
    /// so a failure detected inside a send is reported from the event path, not re-entrantly.
    void abort();

    void close();

    int fd() const { return _fd; }
    bool isTls() const { return _tls; }
    bool isOpen() const { return _fd >= 0; }
    std::string peerAddress() const;
    const std::string& error() const { return _error; }

private:
    Poco::Net::StreamSocket _socket;
    std::string _error;
    int _fd = -1;
    bool _tls = false;
    bool _retryPending = false;
};

} // namespace media
} // namespace patchbay
