// Resampler.cpp: the shared polyphase filter banks (one per rate pair) and the streaming convolution.
#include "patchbay/audio/Resampler.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>

namespace patchbay {
namespace audio {

namespace {

constexpr double kPi = 3.14159265358979323846;
// Kaiser β = 8.6 gives ≈ 86 dB of stopband rejection, below the int16 rounding floor of the output.
constexpr double kKaiserBeta = 8.6;
// Cutoff as a fraction of the lower rate: 0.475 × 8 kHz = 3.8 kHz. With 32 zero crossings the Kaiser
// transition band is ≈ 3.46–4.14 kHz, so telephony's 3.4 kHz passband stays flat and what folds back
// from 4.0–4.14 kHz lands above 3.86 kHz, outside it.
constexpr double kCutoff = 0.475;
// Tables larger than this (in coefficients) are refused: only odd rate pairs with a huge L need them.
constexpr std::size_t kMaxCoefficients = std::size_t(1) << 20;
constexpr std::uint32_t kMaxRate = 384000;
// Partial sums per output sample; taps are padded with zeros to a multiple of it.
constexpr std::size_t kLanes = 8;

double besselI0(double x)
{
    // Power series of the modified Bessel function of order 0; converges fast for the β used here.
    double sum = 1.0;
    double term = 1.0;
    const double halfX = x / 2.0;
    for (int k = 1; k < 64; ++k)
    {
        term *= (halfX / k) * (halfX / k);
        sum += term;
        if (term < sum * 1e-17)
            break;
    }
    return sum;
}

struct Geometry
{
    std::uint32_t up = 1;     // L
    std::uint32_t down = 1;   // M
    std::size_t halfWidth = 0; // W, in input samples: the group delay
    std::size_t taps = 0;      // per phase, a multiple of kLanes and >= 2W
};

Geometry geometryFor(std::uint32_t inRate, std::uint32_t outRate)
{
    Geometry g;
    const std::uint32_t divisor = std::gcd(inRate, outRate);
    g.up = outRate / divisor;
    g.down = inRate / divisor;
    const std::uint64_t lower = std::min(inRate, outRate);
    g.halfWidth = static_cast<std::size_t>((std::uint64_t(Resampler::kZeroCrossings) * inRate + lower - 1) / lower);
    g.taps = (2 * g.halfWidth + kLanes - 1) / kLanes * kLanes;
    return g;
}

} // namespace

/// The L polyphase sub-filters of one rate pair, each stored oldest-sample-first so that output
/// = dot(phase(p), the last `taps` input samples). Immutable once built; shared across calls.
class FilterBank
{
public:
    explicit FilterBank(const Geometry& g, std::uint32_t inRate, std::uint32_t outRate)
        : _geometry(g)
        , _coefficients(std::size_t(g.up) * g.taps)
    {
        const double width = static_cast<double>(g.halfWidth);
        const double cutoff = kCutoff * std::min(inRate, outRate) / inRate; // cycles per input sample
        const double windowNorm = besselI0(kKaiserBeta);
        std::vector<double> phase(g.taps);
        for (std::uint32_t p = 0; p < g.up; ++p)
        {
            double sum = 0.0;
            for (std::size_t j = 0; j < g.taps; ++j)
            {
                // Tap j multiplies input sample (newest - k), k = taps-1-j, which lies t input samples
                // from the filter's centre.
                const std::size_t k = g.taps - 1 - j;
                const double t = static_cast<double>(k) + static_cast<double>(p) / g.up - width;
                double h = 0.0;
                if (std::fabs(t) < width)
                {
                    const double x = 2.0 * cutoff * t;
                    const double sinc = x == 0.0 ? 1.0 : std::sin(kPi * x) / (kPi * x);
                    const double r = t / width;
                    h = 2.0 * cutoff * sinc * besselI0(kKaiserBeta * std::sqrt(1.0 - r * r)) / windowNorm;
                }
                phase[j] = h;
                sum += h;
            }
            // Unit DC gain per phase, so upsampling adds no ripple at the input rate (no DC "buzz").
            for (std::size_t j = 0; j < g.taps; ++j)
                _coefficients[std::size_t(p) * g.taps + j] = static_cast<float>(phase[j] / sum);
        }
    }

    const Geometry& geometry() const noexcept { return _geometry; }
    const float* phase(std::uint32_t p) const noexcept { return &_coefficients[std::size_t(p) * _geometry.taps]; }

    static std::shared_ptr<const FilterBank> get(std::uint32_t inRate, std::uint32_t outRate)
    {
        const Geometry g = geometryFor(inRate, outRate);
        if (std::size_t(g.up) * g.taps > kMaxCoefficients)
            throw std::invalid_argument("Resampler: rate pair " + std::to_string(inRate) + " -> "
                + std::to_string(outRate) + " needs too many filter phases");
        // One bank per reduced ratio for the life of the process: only a handful of pairs exist.
        static std::mutex mutex;
        static std::map<std::pair<std::uint32_t, std::uint32_t>, std::shared_ptr<const FilterBank>> banks;
        std::lock_guard<std::mutex> lock(mutex);
        auto& slot = banks[{g.up, g.down}];
        if (!slot)
            slot = std::make_shared<const FilterBank>(g, inRate, outRate);
        return slot;
    }

private:
    Geometry _geometry;
    std::vector<float> _coefficients;
};

bool Resampler::supports(std::uint32_t inRate, std::uint32_t outRate) noexcept
{
    if (inRate == 0 || outRate == 0 || inRate > kMaxRate || outRate > kMaxRate)
        return false;
    if (inRate == outRate)
        return true;
    const Geometry g = geometryFor(inRate, outRate);
    return std::size_t(g.up) * g.taps <= kMaxCoefficients;
}

Resampler::Resampler(std::uint32_t inRate, std::uint32_t outRate)
    : _inRate(inRate)
    , _outRate(outRate)
{
    if (inRate == 0 || outRate == 0 || inRate > kMaxRate || outRate > kMaxRate)
        throw std::invalid_argument("Resampler: sample rate out of range");
    if (inRate != outRate)
        _bank = FilterBank::get(inRate, outRate);
    reset();
}

Resampler::~Resampler() = default;
Resampler::Resampler(Resampler&&) noexcept = default;
Resampler& Resampler::operator=(Resampler&&) noexcept = default;

void Resampler::reset() noexcept
{
    _phase = 0;
    if (!_bank)
        return;
    // Start from silence: taps-1 zeros of history, so the first input sample already yields output.
    const std::size_t history = _bank->geometry().taps - 1;
    _buffer.assign(history, 0.0f); // keeps the capacity already reserved
    _position = history;
}

void Resampler::reserve(std::size_t maxInCount)
{
    if (_bank)
        _buffer.reserve(_bank->geometry().taps - 1 + maxInCount);
}

std::size_t Resampler::maxOutput(std::size_t inCount) const noexcept
{
    if (!_bank)
        return inCount;
    const Geometry& g = _bank->geometry();
    return static_cast<std::size_t>((std::uint64_t(inCount) * g.up + g.down - 1) / g.down) + 1;
}

double Resampler::delaySeconds() const noexcept
{
    return _bank ? static_cast<double>(_bank->geometry().halfWidth) / _inRate : 0.0;
}

void Resampler::process(const std::int16_t* in, std::size_t count, std::vector<std::int16_t>& out)
{
    if (!_bank)
    {
        out.insert(out.end(), in, in + count);
        return;
    }
    const Geometry& g = _bank->geometry();
    const std::size_t start = _buffer.size();
    _buffer.resize(start + count);
    for (std::size_t i = 0; i < count; ++i)
        _buffer[start + i] = static_cast<float>(in[i]);

    const std::size_t taps = g.taps;
    while (_position < _buffer.size())
    {
        const float* x = &_buffer[_position + 1 - taps];
        const float* c = _bank->phase(_phase);
        // kLanes independent partial sums in a fixed order: the compiler turns them into several SIMD
        // accumulators (one chain would be bound by add latency), and the order is still fixed, which
        // is what makes chunked and whole-signal output bit-identical.
        float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f, a4 = 0.0f, a5 = 0.0f, a6 = 0.0f, a7 = 0.0f;
        for (std::size_t j = 0; j < taps; j += kLanes)
        {
            a0 += c[j] * x[j];
            a1 += c[j + 1] * x[j + 1];
            a2 += c[j + 2] * x[j + 2];
            a3 += c[j + 3] * x[j + 3];
            a4 += c[j + 4] * x[j + 4];
            a5 += c[j + 5] * x[j + 5];
            a6 += c[j + 6] * x[j + 6];
            a7 += c[j + 7] * x[j + 7];
        }
        const float y = std::clamp(((a0 + a4) + (a1 + a5)) + ((a2 + a6) + (a3 + a7)), -32768.0f, 32767.0f);
        // Round half away from zero by hand: std::nearbyint is a libm call on baseline x86-64 (no
        // SSE4.1 roundss) and cost a third of the time per output sample.
        out.push_back(static_cast<std::int16_t>(static_cast<int>(y + (y < 0.0f ? -0.5f : 0.5f))));
        _phase += g.down;
        _position += _phase / g.up;
        _phase %= g.up;
    }
    // Keep only the taps-1 samples the next output can still reach (fewer if it already skipped ahead).
    const std::size_t keepFrom = std::min(_position + 1 - taps, _buffer.size());
    _buffer.erase(_buffer.begin(), _buffer.begin() + static_cast<std::ptrdiff_t>(keepFrom));
    _position -= keepFrom;
}

} // namespace audio
} // namespace patchbay
