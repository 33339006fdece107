// SampleSet.h: collects latency samples (microseconds) and reports percentiles.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace patchbay {
namespace tools {

/// Plain vector of samples: at 50 frames/s per call even 1000 calls for a minute is 3M × 4 bytes,
/// cheap enough to keep exact percentiles instead of a histogram's approximations.
class SampleSet
{
public:
    void add(std::uint32_t micros) { _samples.push_back(micros); }
    void merge(const SampleSet& other);
    std::size_t size() const { return _samples.size(); }
    /// q in [0, 1]; nearest-rank. 0 when empty. Sorts lazily.
    std::uint32_t percentile(double q);
    std::uint32_t max();

private:
    std::vector<std::uint32_t> _samples;
    bool _sorted = false;
};

} // namespace tools
} // namespace patchbay
