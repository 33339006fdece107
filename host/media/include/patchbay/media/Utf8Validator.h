// Utf8Validator.h: incremental strict UTF-8 validation (no overlongs, surrogates or code points above U+10FFFF).
#pragma once

#include <cstddef>
#include <cstdint>

namespace patchbay {
namespace media {

/// Validates a byte stream chunk by chunk, so a multi-byte sequence may straddle
/// WebSocket fragments. feed() returns false at the first byte that can never be valid.
class Utf8Validator
{
public:
    /// Returns false as soon as the bytes seen so far cannot be a prefix of valid UTF-8.
    bool feed(const char* data, std::size_t len);

    /// True when no multi-byte sequence is left open (call at the end of a message).
    bool complete() const { return _need == 0; }

    void reset()
    {
        _need = 0;
        _lo = 0x80;
        _hi = 0xBF;
    }

private:
    std::uint8_t _need = 0;
    std::uint8_t _lo = 0x80;
    std::uint8_t _hi = 0xBF;
};

} // namespace media
} // namespace patchbay
