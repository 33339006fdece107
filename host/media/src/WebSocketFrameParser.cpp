// WebSocketFrameParser.cpp: the RFC 6455 frame state machine (header, payload, reassembly, validation).
#include <patchbay/media/WebSocketFrameParser.h>
#include <patchbay/media/WebSocketFrameWriter.h>

#include <cstring>

namespace patchbay {
namespace media {

namespace {

// A reassembly buffer that grew for one big message is given back once idle, so a
// connection that saw a 1 MiB message once does not keep 1 MiB forever.
constexpr std::size_t kKeepCapacity = 16 * 1024;

bool knownOpcode(std::uint8_t op)
{
    return op <= 0x2 || (op >= 0x8 && op <= 0xA);
}

} // namespace

WebSocketFrameParser::WebSocketFrameParser(WebSocketRole role, std::size_t maxMessageSize, Handler& handler):
    _handler(handler),
    _maxMessageSize(maxMessageSize),
    _role(role)
{
}

std::size_t WebSocketFrameParser::feed(const char* data, std::size_t len)
{
    return parse(nullptr, data, len);
}

std::size_t WebSocketFrameParser::feedInPlace(char* data, std::size_t len)
{
    return parse(data, data, len);
}

std::size_t WebSocketFrameParser::parse(char* mutableData, const char* data, std::size_t len)
{
    std::size_t pos = 0;
    while (pos < len)
    {
        if (_state == State::Header)
        {
            std::size_t take = std::min<std::size_t>(len - pos, static_cast<std::size_t>(_hdrNeed - _hdrHave));
            std::memcpy(_hdr + _hdrHave, data + pos, take);
            _hdrHave = static_cast<std::uint8_t>(_hdrHave + take);
            pos += take;
            if (_hdrHave < _hdrNeed)
                continue;
            if (_hdrNeed == 2)
            {
                // Validate as soon as the first two bytes are known: fail fast, before any length is trusted.
                std::uint8_t b0 = _hdr[0];
                std::uint8_t b1 = _hdr[1];
                _opcode = b0 & 0x0F;
                _fin = (b0 & 0x80) != 0;
                _masked = (b1 & 0x80) != 0;
                std::uint8_t len7 = b1 & 0x7F;
                if (b0 & 0x70)
                    return fail(WebSocketCloseCode::ProtocolError, "reserved bits set without extension"), pos;
                if (!knownOpcode(_opcode))
                    return fail(WebSocketCloseCode::ProtocolError, "unknown opcode"), pos;
                if (_role == WebSocketRole::Server && !_masked)
                    return fail(WebSocketCloseCode::ProtocolError, "client frame not masked"), pos;
                if (_role == WebSocketRole::Client && _masked)
                    return fail(WebSocketCloseCode::ProtocolError, "server frame masked"), pos;
                if (_opcode & 0x8)
                {
                    if (!_fin)
                        return fail(WebSocketCloseCode::ProtocolError, "fragmented control frame"), pos;
                    if (len7 > 125)
                        return fail(WebSocketCloseCode::ProtocolError, "control frame payload over 125 bytes"), pos;
                }
                else if (_opcode == 0 && !_inMessage)
                    return fail(WebSocketCloseCode::ProtocolError, "continuation frame without a started message"), pos;
                else if (_opcode != 0 && _inMessage)
                    return fail(WebSocketCloseCode::ProtocolError, "new data frame inside a fragmented message"), pos;
                _hdrNeed = static_cast<std::uint8_t>(2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + (_masked ? 4 : 0));
                if (_hdrHave < _hdrNeed)
                    continue;
            }
            if (!headerComplete())
                return pos;
            continue;
        }
        if (_state != State::Payload)
            return pos;

        std::uint64_t remaining = _payloadLen - _payloadDone;
        std::size_t n = remaining < len - pos ? static_cast<std::size_t>(remaining) : len - pos;
        const char* src = data + pos;
        if (_opcode & 0x8)
        {
            if (_masked)
                WebSocketFrameWriter::maskCopy(_ctl + _ctlLen, src, n, _mask, static_cast<std::size_t>(_payloadDone));
            else
                std::memcpy(_ctl + _ctlLen, src, n);
            _ctlLen = static_cast<std::uint8_t>(_ctlLen + n);
            _payloadDone += n;
            pos += n;
            if (_payloadDone == _payloadLen && !frameComplete())
                return pos;
        }
        else if (_payloadDone == 0 && n == _payloadLen && _fin && !_inMessage)
        {
            // Fast path: a whole unfragmented frame in this chunk is delivered without reassembly.
            std::string_view view;
            if (!_masked)
                view = std::string_view(src, n);
            else if (mutableData != nullptr)
            {
                WebSocketFrameWriter::maskCopy(mutableData + pos, src, n, _mask, 0);
                view = std::string_view(mutableData + pos, n);
            }
            else
            {
                _msg.resize(n);
                WebSocketFrameWriter::maskCopy(_msg.data(), src, n, _mask, 0);
                view = _msg;
            }
            pos += n;
            if (_msgOpcode == WebSocketOpcode::Text)
            {
                Utf8Validator utf8;
                if (!utf8.feed(view.data(), view.size()) || !utf8.complete())
                    return fail(WebSocketCloseCode::InvalidPayload, "invalid UTF-8 in text message"), pos;
            }
            _state = State::Header;
            _handler.onMessage(_msgOpcode, view);
            _msg.clear();
            releaseIfLarge();
        }
        else
        {
            dataChunk(src, n);
            pos += n;
            if (_state != State::Payload)
                return pos;
            if (_payloadDone == _payloadLen && !frameComplete())
                return pos;
        }
    }
    return pos;
}

bool WebSocketFrameParser::headerComplete()
{
    std::uint8_t len7 = _hdr[1] & 0x7F;
    std::size_t idx = 2;
    std::uint64_t len = len7;
    if (len7 == 126)
    {
        len = (std::uint64_t{_hdr[2]} << 8) | _hdr[3];
        idx = 4;
    }
    else if (len7 == 127)
    {
        len = 0;
        for (int i = 0; i < 8; ++i)
            len = (len << 8) | _hdr[2 + i];
        idx = 10;
        if (len >> 63)
            return fail(WebSocketCloseCode::ProtocolError, "64-bit payload length has its high bit set"), false;
    }
    if (_masked)
        std::memcpy(_mask, _hdr + idx, 4);
    _payloadLen = len;
    _payloadDone = 0;
    _hdrHave = 0;
    _hdrNeed = 2;

    if (_opcode & 0x8)
    {
        if (_opcode == static_cast<std::uint8_t>(WebSocketOpcode::Close) && len == 1)
            return fail(WebSocketCloseCode::ProtocolError, "close frame with a 1-byte payload"), false;
        _ctlLen = 0;
    }
    else
    {
        std::uint64_t sofar = _opcode == 0 ? _msg.size() : 0;
        if (len > _maxMessageSize || sofar + len > _maxMessageSize)
            return fail(WebSocketCloseCode::MessageTooBig, "message exceeds the maximum size"), false;
        if (_opcode != 0)
        {
            _msgOpcode = static_cast<WebSocketOpcode>(_opcode);
            _utf8.reset();
            _msg.clear();
        }
        if (!_fin)
            _inMessage = true;
    }
    _state = State::Payload;
    if (len == 0)
        return frameComplete();
    return true;
}

void WebSocketFrameParser::dataChunk(const char* src, std::size_t n)
{
    std::size_t old = _msg.size();
    _msg.resize(old + n);
    char* dst = _msg.data() + old;
    if (_masked)
        WebSocketFrameWriter::maskCopy(dst, src, n, _mask, static_cast<std::size_t>(_payloadDone));
    else
        std::memcpy(dst, src, n);
    _payloadDone += n;
    // Checked per chunk so a bad byte fails the connection now, not after a 16 MiB message.
    if (_msgOpcode == WebSocketOpcode::Text && !_utf8.feed(dst, n))
        fail(WebSocketCloseCode::InvalidPayload, "invalid UTF-8 in text message");
}

bool WebSocketFrameParser::frameComplete()
{
    // State is reset before any callback so a handler may halt() the parser.
    _state = State::Header;
    if (_opcode & 0x8)
    {
        std::string_view payload(_ctl, _ctlLen);
        _ctlLen = 0;
        switch (static_cast<WebSocketOpcode>(_opcode))
        {
        case WebSocketOpcode::Ping:
            _handler.onPing(payload);
            break;
        case WebSocketOpcode::Pong:
            _handler.onPong(payload);
            break;
        default:
        {
            if (payload.empty())
            {
                _state = State::Closed;
                _handler.onClose(WebSocketCloseCode::NoStatus, std::string_view());
                return false;
            }
            auto code = static_cast<std::uint16_t>((static_cast<std::uint8_t>(payload[0]) << 8) |
                static_cast<std::uint8_t>(payload[1]));
            if (!WebSocketCloseCode::isValidOnWire(code))
                return fail(WebSocketCloseCode::ProtocolError, "invalid close code"), false;
            std::string_view reason = payload.substr(2);
            Utf8Validator utf8;
            if (!utf8.feed(reason.data(), reason.size()) || !utf8.complete())
                return fail(WebSocketCloseCode::InvalidPayload, "invalid UTF-8 in close reason"), false;
            _state = State::Closed;
            _handler.onClose(code, reason);
            return false;
        }
        }
        return _state == State::Header;
    }
    if (!_fin)
        return true;
    if (_msgOpcode == WebSocketOpcode::Text && !_utf8.complete())
        return fail(WebSocketCloseCode::InvalidPayload, "text message ends inside a UTF-8 sequence"), false;
    _inMessage = false;
    _handler.onMessage(_msgOpcode, _msg);
    _msg.clear();
    releaseIfLarge();
    return _state == State::Header;
}

void WebSocketFrameParser::fail(std::uint16_t code, const char* reason)
{
    _state = State::Failed;
    _handler.onProtocolError(code, reason);
}

void WebSocketFrameParser::releaseIfLarge()
{
    if (_msg.empty() && _msg.capacity() > kKeepCapacity)
        std::string().swap(_msg);
}

} // namespace media
} // namespace patchbay
