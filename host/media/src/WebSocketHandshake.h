// WebSocketHandshake.h: internal helpers for the RFC 6455 opening handshake (key generation, accept hash, header checks).
#pragma once

#include <string>
#include <string_view>

namespace patchbay {
namespace media {

class WebSocketHandshake
{
public:
    /// base64(SHA-1(key + RFC 6455 GUID)).
    static std::string acceptFor(std::string_view key);
    /// A fresh Sec-WebSocket-Key: base64 of 16 random bytes.
    static std::string generateKey();
    /// True if key is base64 that decodes to exactly 16 bytes.
    static bool isValidKey(std::string_view key);
    /// Case-insensitive search for token in a comma-separated header value.
    static bool headerHasToken(std::string_view value, std::string_view token);
    static bool equalsIgnoreCase(std::string_view a, std::string_view b);
};

} // namespace media
} // namespace patchbay
