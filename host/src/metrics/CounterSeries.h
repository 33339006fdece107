// CounterSeries.h: one labelled series of a Prometheus counter.
#ifndef PATCHBAY_HOST_METRICS_COUNTER_SERIES_H
#define PATCHBAY_HOST_METRICS_COUNTER_SERIES_H

#include "metrics/AtomicDouble.h"

#include "patchbay/sdk/Metrics.h"

namespace patchbay::host {

/// THREAD: Any, lock-free.
class CounterSeries final : public patchbay::sdk::Counter
{
public:
    /// Counters only go up: negative and NaN increments are ignored rather than corrupting rate().
    void inc(double by = 1.0) noexcept override
    {
        if (by >= 0.0) _value.add(by);
    }

    double value() const noexcept { return _value.load(); }

private:
    AtomicDouble _value;
};

} // namespace patchbay::host

#endif
