// MetricsRegistry.h: the host's Prometheus registry (sdk::Metrics) — counters, gauges, histograms with labels — and its text exposition.
#ifndef PATCHBAY_HOST_METRICS_METRICS_REGISTRY_H
#define PATCHBAY_HOST_METRICS_METRICS_REGISTRY_H

#include "patchbay/sdk/Metrics.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace patchbay::host {

/// Registration (and rendering) take a mutex; updates through the returned references are
/// lock-free atomics, so hot paths cache the reference once.
///
/// Names are prefixed "patchbay_" unless they already start with it. A registration that cannot
/// be honoured — invalid metric or label name, duplicate label, "le" on a histogram, a name already
/// used with another type (or other histogram bounds), too many series — returns a shared no-op
/// metric and is counted in registrationErrors(); it never throws or aborts.
/// THREAD: Any. OWNERSHIP: metrics live as long as the registry.
class MetricsRegistry final : public patchbay::sdk::Metrics
{
public:
    /// Cardinality guard: label values that explode (a CallSid as a label) stop here.
    static constexpr std::size_t kMaxSeriesPerFamily = 10000;
    static constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

    MetricsRegistry();
    ~MetricsRegistry();
    MetricsRegistry(const MetricsRegistry&) = delete;
    MetricsRegistry& operator=(const MetricsRegistry&) = delete;

    patchbay::sdk::Counter& counter(const std::string& name, const std::string& help,
                                    const patchbay::sdk::MetricLabels& labels = {}) noexcept override;
    patchbay::sdk::Gauge& gauge(const std::string& name, const std::string& help,
                                const patchbay::sdk::MetricLabels& labels = {}) noexcept override;
    patchbay::sdk::Histogram& histogram(const std::string& name, const std::string& help,
                                        const std::vector<double>& bounds,
                                        const patchbay::sdk::MetricLabels& labels = {}) noexcept override;

    /// Prometheus text format 0.0.4: families sorted by name, series by label set.
    std::string renderPrometheus() const;

    std::uint64_t registrationErrors() const noexcept { return _errors.load(std::memory_order_relaxed); }
    /// The reason of the most recent rejected registration (for a log line), or empty.
    std::string lastRegistrationError() const;

    static bool isValidMetricName(const std::string& name) noexcept;
    static bool isValidLabelName(const std::string& name) noexcept;
    /// Shortest round-trip decimal; "+Inf", "-Inf", "NaN" as Prometheus spells them.
    static std::string formatValue(double value);

private:
    enum class Type { Counter, Gauge, Histogram };
    struct Family;
    struct Series;

    /// Finds or creates the series; nullptr (and an error counted) when the request is invalid.
    Series* lookup(Type type, const std::string& name, const std::string& help, const std::vector<double>* bounds,
                   const patchbay::sdk::MetricLabels& labels);
    void reject(std::string reason);

    mutable std::mutex _mutex;
    std::map<std::string, std::unique_ptr<Family>> _families;
    std::atomic<std::uint64_t> _errors{0};
    std::string _lastError;
};

} // namespace patchbay::host

#endif
