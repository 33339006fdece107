// Metrics.h: counters, gauges and histograms a plugin registers in the host's Prometheus registry.
#ifndef PATCHBAY_SDK_METRICS_H
#define PATCHBAY_SDK_METRICS_H

#include <string>
#include <utility>
#include <vector>

namespace patchbay::sdk {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

/// THREAD: Any (lock-free). OWNERSHIP: owned by the host registry, valid until process exit.
class Counter
{
public:
    virtual void inc(double by = 1.0) noexcept = 0;
protected:
    ~Counter() = default;
};

class Gauge
{
public:
    virtual void set(double value) noexcept = 0;
    virtual void add(double by) noexcept = 0;
protected:
    ~Gauge() = default;
};

class Histogram
{
public:
    virtual void observe(double value) noexcept = 0;
protected:
    ~Histogram() = default;
};

/// The host's metrics registry. Names follow Prometheus rules ([a-zA-Z_:][a-zA-Z0-9_:]*) and are
/// prefixed "patchbay_" by the host when they are not already. Registering the same name and labels
/// twice returns the same metric. Label values must never contain secrets.
/// THREAD: Any for lookups; cache the returned reference on hot paths.
class Metrics
{
public:
    virtual Counter& counter(const std::string& name, const std::string& help, const MetricLabels& labels = {}) noexcept = 0;
    virtual Gauge& gauge(const std::string& name, const std::string& help, const MetricLabels& labels = {}) noexcept = 0;
    /// @param bounds upper bounds of the buckets, ascending; +Inf is implied.
    virtual Histogram& histogram(const std::string& name, const std::string& help, const std::vector<double>& bounds,
                                 const MetricLabels& labels = {}) noexcept = 0;

protected:
    ~Metrics() = default;
};

} // namespace patchbay::sdk

#endif
