// Mulaw.h: G.711 μ-law encoding and the periodic test tone both tools put on the wire.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace patchbay {
namespace tools {

class Mulaw
{
public:
    /// G.711 μ-law of one 16-bit linear sample.
    static std::uint8_t encode(std::int16_t sample);

    /// `samples` μ-law bytes of a sine at frequencyHz (8 kHz sample rate), starting at phase 0.
    /// With 400 Hz every 20 ms frame is identical, which lets the caller verify echoes without
    /// remembering what it sent.
    static std::string tone(double frequencyHz, double amplitude, std::size_t samples);
};

} // namespace tools
} // namespace patchbay
