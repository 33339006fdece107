// HistogramSeries.h: one labelled series of a Prometheus histogram (per-bucket atomic counts, sum).
#ifndef PATCHBAY_HOST_METRICS_HISTOGRAM_SERIES_H
#define PATCHBAY_HOST_METRICS_HISTOGRAM_SERIES_H

#include "metrics/AtomicDouble.h"

#include "patchbay/sdk/Metrics.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace patchbay::host {

/// Buckets are stored non-cumulative (one atomic increment per observation) and summed at render
/// time; _count is the total of the buckets read, so it always equals the +Inf bucket.
/// THREAD: Any, lock-free.
class HistogramSeries final : public patchbay::sdk::Histogram
{
public:
    /// @param bounds ascending, finite upper bounds; +Inf is implied.
    explicit HistogramSeries(std::vector<double> bounds);

    void observe(double value) noexcept override;

    struct Snapshot
    {
        std::vector<std::uint64_t> cumulative; ///< bounds.size() + 1 entries, the last is +Inf
        double sum = 0.0;
        std::uint64_t count = 0;
    };
    Snapshot snapshot() const;

    const std::vector<double>& bounds() const noexcept { return _bounds; }

private:
    std::vector<double> _bounds;
    std::unique_ptr<std::atomic<std::uint64_t>[]> _buckets;
    AtomicDouble _sum;
};

} // namespace patchbay::host

#endif
