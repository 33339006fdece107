// AudioProbe.cpp: level and zero-crossing bookkeeping of received caller audio.
#include "AudioProbe.h"

#include <patchbay/audio/G711.h>

namespace patchbay {
namespace mockagent {

void AudioProbe::add(const sdk::MediaFormat& format, std::string_view raw)
{
    ++chunks;
    bytes += raw.size();
    const auto* p = reinterpret_cast<const std::uint8_t*>(raw.data());
    const bool mulaw = format.codec == sdk::AudioCodec::Mulaw;
    if (!mulaw && raw.size() % 2 != 0)
        ++oddChunks;
    const std::size_t count = mulaw ? raw.size() : raw.size() / 2;
    for (std::size_t i = 0; i < count; ++i)
    {
        const std::int32_t s = mulaw ? audio::G711::decode(p[i])
                                     : static_cast<std::int16_t>(static_cast<std::uint16_t>(p[2 * i]) |
                                           static_cast<std::uint16_t>(p[2 * i + 1] << 8));
        if ((s < 0) != (lastSample < 0) && samples > 0)
            ++zeroCrossings;
        lastSample = s;
        const double x = s / 32768.0;
        sumSquares += x * x;
        ++samples;
    }
}

void AudioProbe::merge(const AudioProbe& other)
{
    chunks += other.chunks;
    bytes += other.bytes;
    samples += other.samples;
    oddChunks += other.oddChunks;
    zeroCrossings += other.zeroCrossings;
    sumSquares += other.sumSquares;
}

} // namespace mockagent
} // namespace patchbay
