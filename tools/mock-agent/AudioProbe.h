// AudioProbe.h: measures the caller audio a conversation receives, decoded as the announced input format.
#pragma once

#include <patchbay/sdk/Media.h>

#include <cstdint>
#include <string_view>

namespace patchbay {
namespace mockagent {

/// Why: a test must be able to tell whether the gateway really converted its μ-law to the agent's
/// user_input_audio_format. Decoding with the announced format and measuring level and pitch does
/// that without any reference: a 400 Hz tone decodes to ≈ 400 Hz at a sane level, whereas μ-law bytes
/// read as PCM16 (or PCM at the wrong rate) give noise or a wrong pitch, and odd PCM16 chunk sizes
/// show up directly. Counts are plain sums so several probes add up (MockAgentStats::addAudioIn).
struct AudioProbe
{
    std::uint64_t chunks = 0;
    std::uint64_t bytes = 0;
    std::uint64_t samples = 0;
    std::uint64_t oddChunks = 0;      ///< PCM16 chunks with an odd byte count
    std::uint64_t zeroCrossings = 0;
    double sumSquares = 0.0;           ///< of the samples scaled to [-1, 1]
    std::int32_t lastSample = 0;

    /// Adds one decoded chunk (raw bytes, not base64) in `format`.
    void add(const sdk::MediaFormat& format, std::string_view raw);

    /// Adds another probe's sums (zero-crossing state is not joined: a boundary costs at most one).
    void merge(const AudioProbe& other);
};

} // namespace mockagent
} // namespace patchbay
