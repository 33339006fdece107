// Resampler.h: streaming polyphase windowed-sinc sample-rate converter for mono 16-bit PCM (any rate pair 8–48 kHz).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace patchbay {
namespace audio {

class FilterBank;

/// Converts a mono PCM16 stream from one sample rate to another, chunk by chunk.
///
/// Method: rational resampling by L/M (the rates divided by their gcd) with a polyphase bank of
/// L phases cut from one Kaiser-windowed sinc (β = 8.6, ≈ 86 dB stopband). The low-pass sits at
/// 0.475 × the lower of the two rates (3.8 kHz when 8 kHz is involved) and spans kZeroCrossings
/// samples of the lower rate on each side, so 16 → 8 kHz does not alias and 8 → 16 kHz does not
/// image. Measured (tests/audio/ResamplerTest), every ElevenLabs rate ↔ 8 kHz: 300 Hz – 3.4 kHz tones
/// come out with SNR 87–98 dB against the ideal delayed sine (flat passband); tones from 4.4 kHz up are
/// attenuated ≥ 84 dB when downsampling to 8 kHz (6 kHz at 16 kHz leaves an all-zero output: ≥ 92 dB,
/// the int16 floor); the 8 → 16 kHz image is 99 dB down. The filter is linear-phase.
///
/// Latency: the output lags the input by exactly kZeroCrossings / min(inRate, outRate) seconds
/// (rounded up to whole input samples): 4 ms for every pair with 8 kHz (delaySeconds()).
///
/// Streaming: the last taps' worth of input and the polyphase position are carried across calls, so
/// splitting a signal into chunks of any sizes gives bit-identical output to processing it whole
/// (no clicks at chunk boundaries). Allocation: the filter bank is built once per rate pair and
/// shared by every Resampler in the process (immutable, ≤ 120 KB for the largest ElevenLabs pair);
/// per instance, the input buffer grows to
/// taps + largest chunk and is then reused, so after the first chunk of the largest size (or after
/// reserve()) process() does not allocate, provided `out` has capacity too (maxOutput()).
///
/// THREAD: one instance per direction per call, used by one thread at a time. Construction briefly
/// takes a process-wide lock (the bank cache, ≈ 0.3 µs); the first instance of a rate pair also builds
/// its bank: ≈ 0.01–0.06 ms for 16/24/48 kHz, 1.4–5.5 ms for the 22.05/44.1 kHz pairs (L = 80–441
/// phases) — construct one at startup to keep that off the media thread.
class Resampler
{
public:
    /// Zero crossings of the sinc on each side, counted in samples of the lower rate.
    static constexpr unsigned kZeroCrossings = 32;

    /// Rates from 1 Hz to 384 kHz whose reduced ratio needs at most 2^20 filter coefficients (every
    /// pair of the usual audio rates; not e.g. 8000 -> 47999). Equal rates make a pass-through.
    /// Throws std::invalid_argument for anything supports() refuses.
    Resampler(std::uint32_t inRate, std::uint32_t outRate);

    static bool supports(std::uint32_t inRate, std::uint32_t outRate) noexcept;
    ~Resampler();

    Resampler(const Resampler&) = delete;
    Resampler& operator=(const Resampler&) = delete;
    Resampler(Resampler&&) noexcept;
    Resampler& operator=(Resampler&&) noexcept;

    /// Feeds `count` input samples and appends every output sample they complete to `out`.
    void process(const std::int16_t* in, std::size_t count, std::vector<std::int16_t>& out);

    /// Upper bound on the samples one process() call with `inCount` samples can append.
    std::size_t maxOutput(std::size_t inCount) const noexcept;

    /// Sizes the internal buffer for chunks of up to `maxInCount` samples, so process() never allocates.
    void reserve(std::size_t maxInCount);

    /// Forgets all buffered input (barge-in): the next sample starts a fresh stream.
    void reset() noexcept;

    /// Group delay in seconds (0 for a pass-through).
    double delaySeconds() const noexcept;

    std::uint32_t inRate() const noexcept { return _inRate; }
    std::uint32_t outRate() const noexcept { return _outRate; }
    bool isPassThrough() const noexcept { return !_bank; }

private:
    std::uint32_t _inRate;
    std::uint32_t _outRate;
    std::shared_ptr<const FilterBank> _bank; // null for a pass-through
    std::vector<float> _buffer;              // input history (taps - 1 samples) + the new chunk
    std::size_t _position = 0;               // index in _buffer of the newest input the next output uses
    std::uint32_t _phase = 0;                // polyphase index of the next output, 0 .. L-1
};

} // namespace audio
} // namespace patchbay
