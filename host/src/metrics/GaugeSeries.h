// GaugeSeries.h: one labelled series of a Prometheus gauge.
#ifndef PATCHBAY_HOST_METRICS_GAUGE_SERIES_H
#define PATCHBAY_HOST_METRICS_GAUGE_SERIES_H

#include "metrics/AtomicDouble.h"

#include "patchbay/sdk/Metrics.h"

namespace patchbay::host {

/// THREAD: Any, lock-free.
class GaugeSeries final : public patchbay::sdk::Gauge
{
public:
    void set(double value) noexcept override { _value.store(value); }
    void add(double by) noexcept override { _value.add(by); }

    double value() const noexcept { return _value.load(); }

private:
    AtomicDouble _value;
};

} // namespace patchbay::host

#endif
