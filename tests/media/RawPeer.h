// RawPeer.h: a blocking raw-socket WebSocket peer for adversarial tests (coalesced handshake, half frames, no reading).
#pragma once

#include <patchbay/media/WebSocketFrameParser.h>
#include <patchbay/media/WebSocketFrameWriter.h>

#include <Poco/Exception.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <string>
#include <vector>

namespace patchbay {
namespace media {
namespace test {

class RawPeer: private WebSocketFrameParser::Handler
{
public:
    RawPeer(Poco::UInt16 port, Poco::Net::Context::Ptr tls = nullptr):
        _parser(WebSocketRole::Client, 16 << 20, *this)
    {
        Poco::Net::SocketAddress addr("127.0.0.1", port);
        if (tls)
            _socket = Poco::Net::SecureStreamSocket(addr, tls);
        else
            _socket = Poco::Net::StreamSocket(addr);
        _socket.setReceiveTimeout(Poco::Timespan(0, 200000));
    }

    static std::string handshake(const std::string& path = "/ws")
    {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    }

    static std::string maskedText(const std::string& text)
    {
        std::string f;
        WebSocketFrameWriter::appendFrame(f, WebSocketOpcode::Text, text, true, true);
        return f;
    }

    void send(const std::string& bytes) { _socket.sendBytes(bytes.data(), static_cast<int>(bytes.size())); }

    /// Reads until the HTTP response head is complete; returns it (bytes after it go to the parser).
    std::string readResponseHead(std::chrono::milliseconds limit = std::chrono::milliseconds(5000))
    {
        auto deadline = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < deadline)
        {
            auto end = _head.find("\r\n\r\n");
            if (end != std::string::npos)
            {
                std::string rest = _head.substr(end + 4);
                _head.resize(end + 4);
                _headDone = true;
                _parser.feed(rest.data(), rest.size());
                return _head;
            }
            char buf[4096];
            int n = receive(buf, sizeof buf);
            if (n < 0)
                break;
            _head.append(buf, static_cast<std::size_t>(n));
        }
        return _head;
    }

    /// Reads frames until at least count events were parsed (or EOF / timeout).
    const std::vector<std::string>& readEvents(std::size_t count, std::chrono::milliseconds limit = std::chrono::milliseconds(5000))
    {
        auto deadline = std::chrono::steady_clock::now() + limit;
        while (events.size() < count && !eof && std::chrono::steady_clock::now() < deadline)
            pump();
        return events;
    }

    /// Reads until the server closes TCP.
    bool waitEof(std::chrono::milliseconds limit = std::chrono::milliseconds(5000))
    {
        auto deadline = std::chrono::steady_clock::now() + limit;
        while (!eof && std::chrono::steady_clock::now() < deadline)
            pump();
        return eof;
    }

    /// Reads whatever arrives and throws it away; returns bytes read.
    std::size_t drain(std::chrono::milliseconds limit)
    {
        std::size_t total = 0;
        auto deadline = std::chrono::steady_clock::now() + limit;
        char buf[65536];
        while (!eof && std::chrono::steady_clock::now() < deadline)
        {
            int n = receive(buf, sizeof buf);
            if (n > 0)
                total += static_cast<std::size_t>(n);
        }
        return total;
    }

    Poco::Net::StreamSocket& socket() { return _socket; }

    std::vector<std::string> events;
    bool eof = false;

private:
    int receive(char* buf, int len)
    {
        try
        {
            int n = _socket.receiveBytes(buf, len);
            if (n <= 0)
            {
                eof = true;
                return -1;
            }
            return n;
        }
        catch (const Poco::TimeoutException&)
        {
            return 0;
        }
        catch (const Poco::Exception&)
        {
            eof = true;
            return -1;
        }
    }

    void pump()
    {
        char buf[65536];
        int n = receive(buf, sizeof buf);
        if (n > 0)
            _parser.feed(buf, static_cast<std::size_t>(n));
    }

    void onMessage(WebSocketOpcode op, std::string_view p) override
    {
        events.push_back((op == WebSocketOpcode::Text ? "text:" : "binary:") + std::string(p.substr(0, 100)));
    }
    void onPing(std::string_view p) override { events.push_back("ping:" + std::string(p)); }
    void onPong(std::string_view p) override { events.push_back("pong:" + std::string(p)); }
    void onClose(std::uint16_t code, std::string_view reason) override
    {
        events.push_back("close:" + std::to_string(code) + ":" + std::string(reason));
    }
    void onProtocolError(std::uint16_t code, std::string_view) override { events.push_back("error:" + std::to_string(code)); }

    Poco::Net::StreamSocket _socket;
    WebSocketFrameParser _parser;
    std::string _head;
    bool _headDone = false;
};

} // namespace test
} // namespace media
} // namespace patchbay
