// SampleSet.cpp: exact nearest-rank percentiles over the collected samples.
#include "SampleSet.h"

#include <algorithm>
#include <cmath>

namespace patchbay {
namespace tools {

void SampleSet::merge(const SampleSet& other)
{
    _samples.insert(_samples.end(), other._samples.begin(), other._samples.end());
    _sorted = false;
}

std::uint32_t SampleSet::percentile(double q)
{
    if (_samples.empty())
        return 0;
    if (!_sorted)
    {
        std::sort(_samples.begin(), _samples.end());
        _sorted = true;
    }
    const double rank = std::ceil(q * static_cast<double>(_samples.size()));
    std::size_t index = rank < 1.0 ? 0 : static_cast<std::size_t>(rank) - 1;
    if (index >= _samples.size())
        index = _samples.size() - 1;
    return _samples[index];
}

std::uint32_t SampleSet::max()
{
    return _samples.empty() ? 0 : *std::max_element(_samples.begin(), _samples.end());
}

} // namespace tools
} // namespace patchbay
