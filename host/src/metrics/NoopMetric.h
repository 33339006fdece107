// NoopMetric.h: the metric handed out for rejected registrations; every update is discarded.
#ifndef PATCHBAY_HOST_METRICS_NOOP_METRIC_H
#define PATCHBAY_HOST_METRICS_NOOP_METRIC_H

#include "patchbay/sdk/Metrics.h"

namespace patchbay::host {

/// A bad metric name must not fail a plugin's init or a call, so callers always get something
/// usable back. One shared instance serves as counter, gauge and histogram.
/// THREAD: Any.
class NoopMetric final : public patchbay::sdk::Counter, public patchbay::sdk::Gauge, public patchbay::sdk::Histogram
{
public:
    void inc(double) noexcept override {}
    void set(double) noexcept override {}
    void add(double) noexcept override {}
    void observe(double) noexcept override {}

    static NoopMetric& instance() noexcept
    {
        static NoopMetric metric;
        return metric;
    }
};

} // namespace patchbay::host

#endif
