// HistogramSeries.cpp: bucket selection and snapshots for histograms.
#include "metrics/HistogramSeries.h"

#include <algorithm>
#include <cmath>

namespace patchbay::host {

HistogramSeries::HistogramSeries(std::vector<double> bounds)
    : _bounds(std::move(bounds)), _buckets(new std::atomic<std::uint64_t>[_bounds.size() + 1])
{
    for (std::size_t i = 0; i <= _bounds.size(); ++i)
        _buckets[i].store(0, std::memory_order_relaxed);
}

void HistogramSeries::observe(double value) noexcept
{
    if (std::isnan(value)) return;
    // Bucket i counts value <= bounds[i] (Prometheus "le"); past the last bound lands in +Inf.
    auto it = std::lower_bound(_bounds.begin(), _bounds.end(), value);
    auto index = static_cast<std::size_t>(it - _bounds.begin());
    _buckets[index].fetch_add(1, std::memory_order_relaxed);
    _sum.add(value);
}

HistogramSeries::Snapshot HistogramSeries::snapshot() const
{
    Snapshot s;
    s.cumulative.resize(_bounds.size() + 1);
    std::uint64_t running = 0;
    for (std::size_t i = 0; i <= _bounds.size(); ++i)
    {
        running += _buckets[i].load(std::memory_order_relaxed);
        s.cumulative[i] = running;
    }
    s.count = running;
    s.sum = _sum.load();
    return s;
}

} // namespace patchbay::host
