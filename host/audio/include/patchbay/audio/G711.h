// G711.h: ITU-T G.711 μ-law codec — table-driven decode, encode exactly as the ITU-T G.191 reference (ulaw_compress).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace patchbay {
namespace audio {

namespace detail {

// G.191 ulaw_expand, evaluated at compile time for all 256 codes.
constexpr std::int16_t ulawExpand(unsigned code) noexcept
{
    const int sign = code < 0x80 ? -1 : 1;
    const unsigned inverted = ~code & 0xFFu;
    const int exponent = static_cast<int>((inverted >> 4) & 0x07);
    const int mantissa = static_cast<int>(inverted & 0x0F);
    const int step = 4 << (exponent + 1);
    return static_cast<std::int16_t>(sign * ((0x80 << exponent) + step * mantissa + step / 2 - 4 * 33));
}

constexpr std::array<std::int16_t, 256> makeUlawDecodeTable() noexcept
{
    std::array<std::int16_t, 256> table{};
    for (unsigned c = 0; c < 256; ++c)
        table[c] = ulawExpand(c);
    return table;
}

inline constexpr std::array<std::int16_t, 256> kUlawDecodeTable = makeUlawDecodeTable();

} // namespace detail

/// G.711 μ-law ↔ 16-bit linear PCM.
///
/// The linear side is the 16-bit scale Twilio and ElevenLabs use (G.711 itself is defined on 14 bits;
/// the 2 low bits are dropped on encode and are zero on decode). Decoded values lie in [-32124, 32124].
/// Negative input is folded with the one's complement, as in G.191, so -1..-4 encode to "negative
/// zero" (0x7F) and the quantiser is symmetric. Quantisation error of decode(encode(x)):
/// at most half a step of the code's segment (4 << exponent, i.e. 4 .. 512), and |x| - 32124 for the
/// clipped magnitudes above the last level. encode(decode(c)) == c for every code except 0x7F
/// (negative zero), which encodes back as 0xFF. THREAD: Any (stateless).
class G711
{
public:
    static std::int16_t decode(std::uint8_t code) noexcept { return detail::kUlawDecodeTable[code]; }

    static std::uint8_t encode(std::int16_t sample) noexcept
    {
        // G.191 ulaw_compress: 14-bit magnitude plus the bias of 33, clipped to 13 bits.
        int magnitude = (sample < 0 ? (~sample) >> 2 : sample >> 2) + 33;
        if (magnitude > 0x1FFF)
            magnitude = 0x1FFF;
        int segment = 1;
        for (int i = magnitude >> 6; i != 0; i >>= 1)
            ++segment;
        const int high = 8 - segment;
        const int low = 0x0F - ((magnitude >> segment) & 0x0F);
        int code = (high << 4) | low;
        if (sample >= 0)
            code |= 0x80;
        return static_cast<std::uint8_t>(code);
    }

    /// Decodes `count` codes into `out` (which must hold `count` samples).
    static void decode(const std::uint8_t* in, std::size_t count, std::int16_t* out) noexcept
    {
        for (std::size_t i = 0; i < count; ++i)
            out[i] = detail::kUlawDecodeTable[in[i]];
    }

    /// Encodes `count` samples into `out` (which must hold `count` bytes).
    static void encode(const std::int16_t* in, std::size_t count, std::uint8_t* out) noexcept
    {
        for (std::size_t i = 0; i < count; ++i)
            out[i] = encode(in[i]);
    }
};

} // namespace audio
} // namespace patchbay
