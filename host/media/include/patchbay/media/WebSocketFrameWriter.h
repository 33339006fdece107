// WebSocketFrameWriter.h: static helpers that encode RFC 6455 frames (header, masking, close payloads).
#pragma once

#include <patchbay/media/WebSocketProtocol.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace patchbay {
namespace media {

/// Stateless frame encoding. Client-role frames are masked with a key from a per-thread
/// xorshift generator seeded once from std::random_device (RFC 6455 only needs the key to be
/// unpredictable to script in the browser sense, not cryptographically strong).
class WebSocketFrameWriter
{
public:
    static constexpr std::size_t kMaxHeaderSize = 14;

    /// Bytes of header for a payload of this length.
    static std::size_t headerSize(std::size_t payloadLen, bool masked);

    /// Writes a header into out (>= kMaxHeaderSize bytes); maskKey == nullptr means unmasked.
    /// Returns the header length.
    static std::size_t writeHeader(char* out, WebSocketOpcode opcode, std::size_t payloadLen, bool fin,
        const std::uint8_t* maskKey);

    /// Appends one frame. With mask == true a fresh random key is used.
    static void appendFrame(std::string& out, WebSocketOpcode opcode, std::string_view payload, bool fin = true,
        bool mask = false);

    /// Appends a close frame. code NoStatus (1005) writes an empty payload; the reason is cut
    /// to the 123 bytes a control frame allows, never inside a UTF-8 sequence.
    static void appendClose(std::string& out, std::uint16_t code, std::string_view reason, bool mask);

    /// dst[i] = src[i] ^ key[(offset + i) % 4]; dst may equal src.
    static void maskCopy(char* dst, const char* src, std::size_t n, const std::uint8_t key[4], std::size_t offset);

    /// A fresh 4-byte masking key from the per-thread generator.
    static void randomMaskKey(std::uint8_t key[4]);

    /// Fills n bytes from the per-thread generator (e.g. a Sec-WebSocket-Key nonce).
    static void randomBytes(std::uint8_t* out, std::size_t n);
};

} // namespace media
} // namespace patchbay
