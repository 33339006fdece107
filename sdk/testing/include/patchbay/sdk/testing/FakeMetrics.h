// FakeMetrics.h: an in-memory sdk::Metrics registry whose values a test reads back by name and labels.
#ifndef PATCHBAY_SDK_TESTING_FAKE_METRICS_H
#define PATCHBAY_SDK_TESTING_FAKE_METRICS_H

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "patchbay/sdk/Metrics.h"

namespace patchbay::sdk::testing {

/// Names are normalised like the host does ("patchbay_" is prepended unless present), so a test can
/// read "calls_total" or "patchbay_calls_total" alike. Label order does not matter. Reading a metric
/// that was never registered gives 0 / no observations; has() tells the two apart.
class FakeMetrics : public sdk::Metrics
{
public:
    FakeMetrics() = default;
    FakeMetrics(const FakeMetrics&) = delete;
    FakeMetrics& operator=(const FakeMetrics&) = delete;
    virtual ~FakeMetrics() = default;

    sdk::Counter& counter(const std::string& name, const std::string& /*help*/, const sdk::MetricLabels& labels = {}) noexcept override
    {
        return slot(name, labels, Kind::Counter);
    }

    sdk::Gauge& gauge(const std::string& name, const std::string& /*help*/, const sdk::MetricLabels& labels = {}) noexcept override
    {
        return slot(name, labels, Kind::Gauge);
    }

    sdk::Histogram& histogram(const std::string& name, const std::string& /*help*/, const std::vector<double>& /*bounds*/,
                              const sdk::MetricLabels& labels = {}) noexcept override
    {
        return slot(name, labels, Kind::Histogram);
    }

    // ---- test side ----

    bool has(const std::string& name, const sdk::MetricLabels& labels = {}) const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _values.count(key(name, labels)) != 0;
    }

    /// Counter total or gauge value (a histogram reads as its sum).
    double value(const std::string& name, const sdk::MetricLabels& labels = {}) const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        auto it = _values.find(key(name, labels));
        return it == _values.end() ? 0.0 : it->second->read();
    }

    double counterValue(const std::string& name, const sdk::MetricLabels& labels = {}) const { return value(name, labels); }
    double gaugeValue(const std::string& name, const sdk::MetricLabels& labels = {}) const { return value(name, labels); }

    std::vector<double> observations(const std::string& name, const sdk::MetricLabels& labels = {}) const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        auto it = _values.find(key(name, labels));
        return it == _values.end() ? std::vector<double>{} : it->second->observationsCopy();
    }

    /// Every registered metric as "name{k=v,...}" keys, for assertion messages.
    std::vector<std::string> names() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        std::vector<std::string> out;
        for (const auto& entry : _values) out.push_back(entry.first);
        return out;
    }

private:
    enum class Kind { Counter, Gauge, Histogram };

    /// One metric of any kind; the registry hands out the matching interface.
    class Value : public sdk::Counter, public sdk::Gauge, public sdk::Histogram
    {
    public:
        virtual ~Value() = default;
        void inc(double by) noexcept override { add(by); }
        void set(double value) noexcept override
        {
            std::lock_guard<std::mutex> lock(_m);
            _value = value;
        }
        void add(double by) noexcept override
        {
            std::lock_guard<std::mutex> lock(_m);
            _value += by;
        }
        void observe(double value) noexcept override
        {
            std::lock_guard<std::mutex> lock(_m);
            _value += value;
            try
            {
                _observations.push_back(value);
            }
            catch (...)
            {
            }
        }
        double read() const
        {
            std::lock_guard<std::mutex> lock(_m);
            return _value;
        }
        std::vector<double> observationsCopy() const
        {
            std::lock_guard<std::mutex> lock(_m);
            return _observations;
        }

    private:
        mutable std::mutex _m;
        double _value = 0.0;
        std::vector<double> _observations;
    };

    Value& slot(const std::string& name, const sdk::MetricLabels& labels, Kind) noexcept
    {
        try
        {
            std::lock_guard<std::mutex> lock(_mutex);
            auto& value = _values[key(name, labels)];
            if (!value) value = std::make_unique<Value>();
            return *value;
        }
        catch (...)
        {
            return _fallback; // out of memory: count into a sink rather than throw across the boundary
        }
    }

    static std::string key(const std::string& name, sdk::MetricLabels labels)
    {
        std::string k = name.rfind("patchbay_", 0) == 0 ? name : "patchbay_" + name;
        std::sort(labels.begin(), labels.end());
        k += "{";
        for (std::size_t i = 0; i < labels.size(); ++i)
        {
            if (i) k += ",";
            k += labels[i].first + "=" + labels[i].second;
        }
        k += "}";
        return k;
    }

    mutable std::mutex _mutex;
    std::map<std::string, std::unique_ptr<Value>> _values;
    Value _fallback;
};

} // namespace patchbay::sdk::testing

#endif
