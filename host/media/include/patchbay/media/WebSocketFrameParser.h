// WebSocketFrameParser.h: incremental, socket-free RFC 6455 frame parser with message reassembly and validation.
#pragma once

#include <patchbay/media/Utf8Validator.h>
#include <patchbay/media/WebSocketProtocol.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace patchbay {
namespace media {

/// Consumes bytes in arbitrary chunks (split at any byte, many frames per chunk) and reports
/// complete messages and control frames. Rules enforced (close code in brackets): RSV bits
/// zero, known opcodes, control frames unfragmented and <= 125 bytes, no orphan or interleaved
/// continuations, 64-bit length MSB clear, masking according to role, close payload not 1 byte
/// and close code valid [1002]; UTF-8 in text messages and close reasons [1007]; message size
/// [1009]. After a protocol error or a close frame the parser consumes nothing more.
/// Not thread-safe; a parser belongs to one connection.
class WebSocketFrameParser
{
public:
    /// Callbacks; views are valid only during the call.
    class Handler
    {
    public:
        /// A complete message (fragments reassembled); opcode is Text or Binary.
        virtual void onMessage(WebSocketOpcode opcode, std::string_view payload) = 0;
        virtual void onPing(std::string_view payload) = 0;
        virtual void onPong(std::string_view payload) = 0;
        /// code is 1005 (NoStatus) when the close frame carried no payload.
        virtual void onClose(std::uint16_t code, std::string_view reason) = 0;
        virtual void onProtocolError(std::uint16_t closeCode, std::string_view reason) = 0;

    protected:
        ~Handler() = default;
    };

    WebSocketFrameParser(WebSocketRole role, std::size_t maxMessageSize, Handler& handler);

    /// Parses len bytes; returns how many were consumed (less than len only after a protocol
    /// error, a close frame or halt()). Masked payloads are unmasked into an internal buffer.
    std::size_t feed(const char* data, std::size_t len);

    /// Same as feed(), but may unmask inside data, so an unfragmented frame that arrives whole
    /// is delivered as a view into data without any copy (the caller's buffer is scratch).
    std::size_t feedInPlace(char* data, std::size_t len);

    /// Called from a handler callback: makes feed() return right after that callback and
    /// ignore all further input (e.g. the connection was torn down).
    void halt() { _state = State::Halted; }

    /// True after a protocol error.
    bool failed() const { return _state == State::Failed; }
    /// True after a close frame was parsed.
    bool closeReceived() const { return _state == State::Closed; }

    /// Bytes held for an incomplete message or frame.
    std::size_t bufferedBytes() const { return _msg.size() + _hdrHave + _ctlLen; }
    std::size_t maxMessageSize() const { return _maxMessageSize; }

private:
    enum class State : std::uint8_t
    {
        Header,
        Payload,
        Closed,
        Failed,
        Halted
    };

    std::size_t parse(char* mutableData, const char* data, std::size_t len);
    bool headerComplete();
    bool frameComplete();
    void dataChunk(const char* src, std::size_t n);
    void fail(std::uint16_t code, const char* reason);
    void releaseIfLarge();

    Handler& _handler;
    std::size_t _maxMessageSize;
    WebSocketRole _role;
    State _state = State::Header;

    // current frame
    std::uint8_t _hdr[14];
    std::uint8_t _hdrHave = 0;
    std::uint8_t _hdrNeed = 2;
    std::uint8_t _opcode = 0;
    bool _fin = false;
    bool _masked = false;
    std::uint8_t _mask[4] = {0, 0, 0, 0};
    std::uint64_t _payloadLen = 0;
    std::uint64_t _payloadDone = 0;

    // message being reassembled (data frames)
    bool _inMessage = false;
    WebSocketOpcode _msgOpcode = WebSocketOpcode::Binary;
    std::string _msg;
    Utf8Validator _utf8;

    // control frame payload
    std::uint8_t _ctlLen = 0;
    char _ctl[125];
};

} // namespace media
} // namespace patchbay
