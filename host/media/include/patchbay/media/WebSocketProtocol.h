// WebSocketProtocol.h: RFC 6455 constants shared by the parser, writer and connection (opcodes, roles, close codes).
#pragma once

#include <cstdint>

namespace patchbay {
namespace media {

enum class WebSocketOpcode : std::uint8_t
{
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA
};

/// Server: frames from the peer must be masked and ours are not; Client: the reverse.
enum class WebSocketRole : std::uint8_t
{
    Server,
    Client
};

/// Close status codes (RFC 6455 §7.4) and the rule for which may appear on the wire.
class WebSocketCloseCode
{
public:
    static constexpr std::uint16_t Normal = 1000;
    static constexpr std::uint16_t GoingAway = 1001;
    static constexpr std::uint16_t ProtocolError = 1002;
    static constexpr std::uint16_t UnsupportedData = 1003;
    static constexpr std::uint16_t NoStatus = 1005;         ///< never on the wire: "close frame had no code"
    static constexpr std::uint16_t Abnormal = 1006;         ///< never on the wire: "TCP closed without close frame"
    static constexpr std::uint16_t InvalidPayload = 1007;
    static constexpr std::uint16_t PolicyViolation = 1008;
    static constexpr std::uint16_t MessageTooBig = 1009;
    static constexpr std::uint16_t MandatoryExtension = 1010;
    static constexpr std::uint16_t InternalError = 1011;

    /// True for codes an endpoint may send in a close frame: 1000-1003, 1007-1014 and 3000-4999.
    static constexpr bool isValidOnWire(std::uint16_t code)
    {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }
};

} // namespace media
} // namespace patchbay
