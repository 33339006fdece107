// Mulaw.cpp: G.711 μ-law encoder (the classic segment/bias algorithm) and tone generator.
#include "Mulaw.h"

#include <cmath>

namespace patchbay {
namespace tools {

std::uint8_t Mulaw::encode(std::int16_t sample)
{
    constexpr int kBias = 0x84;
    constexpr int kClip = 32635;
    int value = sample;
    const int sign = value < 0 ? 0x80 : 0;
    if (value < 0)
        value = -value;
    if (value > kClip)
        value = kClip;
    value += kBias;
    int exponent = 7;
    for (int mask = 0x4000; (value & mask) == 0 && exponent > 0; mask >>= 1)
        --exponent;
    const int mantissa = (value >> (exponent + 3)) & 0x0F;
    return static_cast<std::uint8_t>(~(sign | (exponent << 4) | mantissa));
}

std::string Mulaw::tone(double frequencyHz, double amplitude, std::size_t samples)
{
    constexpr double kPi = 3.14159265358979323846;
    std::string out(samples, '\0');
    for (std::size_t i = 0; i < samples; ++i)
    {
        const double v = amplitude * 32767.0 * std::sin(2.0 * kPi * frequencyHz * static_cast<double>(i) / 8000.0);
        out[i] = static_cast<char>(encode(static_cast<std::int16_t>(std::lround(v))));
    }
    return out;
}

} // namespace tools
} // namespace patchbay
