// AudioTestSignals.h: test signals (sine, log sweep) and measurements (SNR, RMS, tone amplitude) for tests/audio.
#pragma once

#include "patchbay/audio/G711.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace patchbay {
namespace audio {
namespace test {

constexpr double kPi = 3.14159265358979323846;
constexpr double kMinus6dBFS = 16384.0; // 0.5 × full scale

/// A sine at `frequency` Hz, `amplitude`, `count` samples at `rate`, delayed by `delaySeconds`.
inline std::vector<double> sine(double frequency, double amplitude, std::uint32_t rate, std::size_t count,
    double delaySeconds = 0.0)
{
    std::vector<double> s(count);
    for (std::size_t i = 0; i < count; ++i)
        s[i] = amplitude * std::sin(2 * kPi * frequency * (static_cast<double>(i) / rate - delaySeconds));
    return s;
}

/// Logarithmic sine sweep f0 → f1 lasting `seconds`, sampled at `rate` for `count` samples (0: just the
/// sweep) and delayed by `delaySeconds`; silent outside the sweep. 20 ms raised-cosine fades keep its
/// ends free of out-of-band clicks (a hard onset would be low-passed and count as error).
inline std::vector<double> logSweep(double f0, double f1, double amplitude, std::uint32_t rate, double seconds,
    std::size_t count = 0, double delaySeconds = 0.0)
{
    if (count == 0)
        count = static_cast<std::size_t>(seconds * rate);
    const double k = std::log(f1 / f0);
    const double fade = 0.02;
    std::vector<double> s(count, 0.0);
    for (std::size_t i = 0; i < count; ++i)
    {
        const double t = static_cast<double>(i) / rate - delaySeconds;
        if (t < 0.0 || t > seconds)
            continue;
        const double phase = 2 * kPi * f0 * seconds / k * (std::exp(t / seconds * k) - 1.0);
        const double edge = std::min(t, seconds - t);
        const double gain = edge < fade ? 0.5 - 0.5 * std::cos(kPi * edge / fade) : 1.0;
        s[i] = amplitude * gain * std::sin(phase);
    }
    return s;
}

inline std::vector<std::int16_t> toPcm(const std::vector<double>& s)
{
    std::vector<std::int16_t> out(s.size());
    for (std::size_t i = 0; i < s.size(); ++i)
        out[i] = static_cast<std::int16_t>(std::clamp(std::lround(s[i]), -32768L, 32767L));
    return out;
}

inline std::string toPcmBytes(const std::vector<std::int16_t>& s)
{
    std::string out;
    for (std::int16_t v : s)
    {
        out.push_back(static_cast<char>(static_cast<std::uint16_t>(v) & 0xFF));
        out.push_back(static_cast<char>(static_cast<std::uint16_t>(v) >> 8));
    }
    return out;
}

inline std::vector<std::int16_t> fromPcmBytes(const std::string& bytes)
{
    std::vector<std::int16_t> out(bytes.size() / 2);
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<std::int16_t>(static_cast<std::uint8_t>(bytes[2 * i]) | (static_cast<std::uint8_t>(bytes[2 * i + 1]) << 8));
    return out;
}

inline std::string toUlawBytes(const std::vector<std::int16_t>& s)
{
    std::string out;
    for (std::int16_t v : s)
        out.push_back(static_cast<char>(G711::encode(v)));
    return out;
}

inline std::vector<std::int16_t> fromUlawBytes(const std::string& bytes)
{
    std::vector<std::int16_t> out;
    for (char c : bytes)
        out.push_back(G711::decode(static_cast<std::uint8_t>(c)));
    return out;
}

/// SNR in dB of `actual[i + delay]` against `reference[i]` for i in [from, to).
inline double snrDb(const std::vector<double>& reference, const std::vector<std::int16_t>& actual, std::size_t delay,
    std::size_t from, std::size_t to)
{
    double signal = 0.0, noise = 0.0;
    for (std::size_t i = from; i < to && i + delay < actual.size(); ++i)
    {
        const double e = actual[i + delay] - reference[i];
        signal += reference[i] * reference[i];
        noise += e * e;
    }
    return 10.0 * std::log10(signal / std::max(noise, 1e-9));
}

/// The lowest SNR over consecutive windows of `window` samples (the worst frequency region of a sweep).
inline double worstWindowSnrDb(const std::vector<double>& reference, const std::vector<std::int16_t>& actual,
    std::size_t delay, std::size_t from, std::size_t to, std::size_t window)
{
    double worst = 1e9;
    for (std::size_t w = from; w + window <= to; w += window)
        worst = std::min(worst, snrDb(reference, actual, delay, w, w + window));
    return worst;
}

template <typename T>
double rms(const std::vector<T>& s, std::size_t from, std::size_t to)
{
    double sum = 0.0;
    for (std::size_t i = from; i < to; ++i)
        sum += static_cast<double>(s[i]) * static_cast<double>(s[i]);
    return std::sqrt(sum / static_cast<double>(to - from));
}

/// How far the RMS of output[skip, end) lies below the RMS of the input, in dB. An all-zero output is
/// scored at the int16 rounding floor (RMS 1/√12 LSB, ≈ 92 dB below a −6 dBFS sine), not as infinity.
inline double attenuationDb(const std::vector<std::int16_t>& input, const std::vector<std::int16_t>& output, std::size_t skip)
{
    const double floor = 1.0 / std::sqrt(12.0);
    return 20.0 * std::log10(rms(input, 0, input.size()) / std::max(rms(output, skip, output.size()), floor));
}

/// Amplitude of the `frequency` component of s[from, to) (a single-bin DFT; use whole periods).
inline double toneAmplitude(const std::vector<std::int16_t>& s, double frequency, std::uint32_t rate, std::size_t from,
    std::size_t to)
{
    double re = 0.0, im = 0.0;
    for (std::size_t i = from; i < to; ++i)
    {
        const double w = 2 * kPi * frequency * static_cast<double>(i) / rate;
        re += s[i] * std::cos(w);
        im += s[i] * std::sin(w);
    }
    return 2.0 * std::sqrt(re * re + im * im) / static_cast<double>(to - from);
}

/// Prints a measured figure when PATCHBAY_AUDIO_REPORT is set, so the numbers quoted in the headers can be re-measured.
inline void report(const std::string& what, double value, const char* unit)
{
    if (std::getenv("PATCHBAY_AUDIO_REPORT"))
        std::printf("  [measured] %s: %.2f %s\n", what.c_str(), value, unit);
}

} // namespace test
} // namespace audio
} // namespace patchbay
