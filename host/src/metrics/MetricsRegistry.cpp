// MetricsRegistry.cpp: validation, series lookup and Prometheus text rendering.
#include "metrics/MetricsRegistry.h"

#include "metrics/CounterSeries.h"
#include "metrics/GaugeSeries.h"
#include "metrics/HistogramSeries.h"
#include "metrics/NoopMetric.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace patchbay::host {

struct MetricsRegistry::Series
{
    std::string labelText; ///< `a="x",b="y"` (sorted by name, escaped), empty without labels
    std::unique_ptr<CounterSeries> counter;
    std::unique_ptr<GaugeSeries> gauge;
    std::unique_ptr<HistogramSeries> histogram;
};

struct MetricsRegistry::Family
{
    Type type = Type::Counter;
    std::string help;
    std::vector<double> bounds;
    std::map<std::string, Series> series; ///< keyed by labelText, so rendering order is stable
};

namespace {

const char* typeName(int type)
{
    static const char* names[] = {"counter", "gauge", "histogram"};
    return names[type];
}

const std::string kPrefix = "patchbay_";

std::string escapeLabelValue(const std::string& v)
{
    std::string out;
    out.reserve(v.size());
    for (char c : v)
    {
        switch (c)
        {
        case '\\': out += "\\\\"; break;
        case '"': out += "\\\""; break;
        case '\n': out += "\\n"; break;
        default: out += c;
        }
    }
    return out;
}

std::string escapeHelp(const std::string& v)
{
    std::string out;
    out.reserve(v.size());
    for (char c : v)
    {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

bool endsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

bool MetricsRegistry::isValidMetricName(const std::string& name) noexcept
{
    if (name.empty()) return false;
    for (std::size_t i = 0; i < name.size(); ++i)
    {
        char c = name[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
                  (i > 0 && c >= '0' && c <= '9');
        if (!ok) return false;
    }
    return true;
}

bool MetricsRegistry::isValidLabelName(const std::string& name) noexcept
{
    if (name.empty() || name.compare(0, 2, "__") == 0) return false; // "__" is reserved by Prometheus
    for (std::size_t i = 0; i < name.size(); ++i)
    {
        char c = name[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
        if (!ok) return false;
    }
    return true;
}

std::string MetricsRegistry::formatValue(double value)
{
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    // Counts are the common case and "8e+05" (shortest form) reads badly; integers print in full
    // while they are exact.
    if (std::fabs(value) < 1e15 && std::trunc(value) == value)
        return std::to_string(static_cast<long long>(value));
    char buf[32];
    auto result = std::to_chars(buf, buf + sizeof(buf), value);
    return std::string(buf, result.ptr);
}

void MetricsRegistry::reject(std::string reason)
{
    _errors.fetch_add(1, std::memory_order_relaxed);
    _lastError = std::move(reason);
}

std::string MetricsRegistry::lastRegistrationError() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _lastError;
}

MetricsRegistry::Series* MetricsRegistry::lookup(Type type, const std::string& rawName, const std::string& help,
                                                 const std::vector<double>* bounds,
                                                 const patchbay::sdk::MetricLabels& labels)
{
    std::lock_guard<std::mutex> lock(_mutex);
    if (!isValidMetricName(rawName))
    {
        reject("invalid metric name \"" + rawName + "\" (expected [a-zA-Z_:][a-zA-Z0-9_:]*)");
        return nullptr;
    }
    std::string name = rawName.compare(0, kPrefix.size(), kPrefix) == 0 ? rawName : kPrefix + rawName;

    auto sorted = labels;
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string labelText;
    for (std::size_t i = 0; i < sorted.size(); ++i)
    {
        const auto& [key, value] = sorted[i];
        if (!isValidLabelName(key))
        {
            reject(name + ": invalid label name \"" + key + "\"");
            return nullptr;
        }
        if (i > 0 && sorted[i - 1].first == key)
        {
            reject(name + ": label \"" + key + "\" given twice");
            return nullptr;
        }
        if (type == Type::Histogram && key == "le")
        {
            reject(name + ": label \"le\" is reserved for histogram buckets");
            return nullptr;
        }
        if (!labelText.empty()) labelText += ',';
        labelText += key + "=\"" + escapeLabelValue(value) + "\"";
    }

    if (bounds)
    {
        for (std::size_t i = 0; i < bounds->size(); ++i)
        {
            double b = (*bounds)[i];
            if (!std::isfinite(b) || (i > 0 && !((*bounds)[i - 1] < b)))
            {
                reject(name + ": histogram bounds must be finite and strictly ascending");
                return nullptr;
            }
        }
    }

    auto it = _families.find(name);
    if (it == _families.end())
    {
        // A histogram's _bucket/_sum/_count lines must not collide with another family.
        for (const char* suffix : {"_bucket", "_sum", "_count"})
        {
            bool clash = type == Type::Histogram ? _families.count(name + suffix) > 0 : false;
            if (!clash && endsWith(name, suffix))
            {
                auto base = _families.find(name.substr(0, name.size() - std::char_traits<char>::length(suffix)));
                clash = base != _families.end() && base->second->type == Type::Histogram;
            }
            if (clash)
            {
                reject(name + ": name clashes with the series of a histogram");
                return nullptr;
            }
        }
        auto family = std::make_unique<Family>();
        family->type = type;
        family->help = help;
        if (bounds) family->bounds = *bounds;
        it = _families.emplace(name, std::move(family)).first;
    }
    Family& family = *it->second;
    if (family.type != type)
    {
        reject(name + ": already registered as a " + typeName(static_cast<int>(family.type)) + ", not a " +
               typeName(static_cast<int>(type)));
        return nullptr;
    }
    if (bounds && family.bounds != *bounds)
    {
        reject(name + ": already registered with other histogram bounds");
        return nullptr;
    }
    auto series = family.series.find(labelText);
    if (series != family.series.end()) return &series->second;
    if (family.series.size() >= kMaxSeriesPerFamily)
    {
        reject(name + ": more than " + std::to_string(kMaxSeriesPerFamily) + " label sets");
        return nullptr;
    }
    Series& s = family.series[labelText];
    s.labelText = labelText;
    switch (type)
    {
    case Type::Counter: s.counter = std::make_unique<CounterSeries>(); break;
    case Type::Gauge: s.gauge = std::make_unique<GaugeSeries>(); break;
    case Type::Histogram: s.histogram = std::make_unique<HistogramSeries>(family.bounds); break;
    }
    return &s;
}

patchbay::sdk::Counter& MetricsRegistry::counter(const std::string& name, const std::string& help,
                                                 const patchbay::sdk::MetricLabels& labels) noexcept
{
    try
    {
        if (Series* s = lookup(Type::Counter, name, help, nullptr, labels)) return *s->counter;
    }
    catch (...)
    {
        _errors.fetch_add(1, std::memory_order_relaxed);
    }
    return NoopMetric::instance();
}

patchbay::sdk::Gauge& MetricsRegistry::gauge(const std::string& name, const std::string& help,
                                             const patchbay::sdk::MetricLabels& labels) noexcept
{
    try
    {
        if (Series* s = lookup(Type::Gauge, name, help, nullptr, labels)) return *s->gauge;
    }
    catch (...)
    {
        _errors.fetch_add(1, std::memory_order_relaxed);
    }
    return NoopMetric::instance();
}

patchbay::sdk::Histogram& MetricsRegistry::histogram(const std::string& name, const std::string& help,
                                                     const std::vector<double>& bounds,
                                                     const patchbay::sdk::MetricLabels& labels) noexcept
{
    try
    {
        if (Series* s = lookup(Type::Histogram, name, help, &bounds, labels)) return *s->histogram;
    }
    catch (...)
    {
        _errors.fetch_add(1, std::memory_order_relaxed);
    }
    return NoopMetric::instance();
}

std::string MetricsRegistry::renderPrometheus() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    std::string out;
    out.reserve(256 * _families.size());
    auto braces = [](const std::string& labelText) { return labelText.empty() ? labelText : "{" + labelText + "}"; };
    for (const auto& [name, family] : _families)
    {
        out += "# HELP " + name + " " + escapeHelp(family->help) + "\n";
        out += "# TYPE " + name + " " + typeName(static_cast<int>(family->type)) + "\n";
        for (const auto& [labelText, s] : family->series)
        {
            switch (family->type)
            {
            case Type::Counter: out += name + braces(labelText) + " " + formatValue(s.counter->value()) + "\n"; break;
            case Type::Gauge: out += name + braces(labelText) + " " + formatValue(s.gauge->value()) + "\n"; break;
            case Type::Histogram:
            {
                auto snap = s.histogram->snapshot();
                std::string prefix = labelText.empty() ? "{" : "{" + labelText + ",";
                for (std::size_t i = 0; i < snap.cumulative.size(); ++i)
                {
                    std::string le = i < family->bounds.size() ? formatValue(family->bounds[i]) : "+Inf";
                    out += name + "_bucket" + prefix + "le=\"" + le + "\"} " + std::to_string(snap.cumulative[i]) + "\n";
                }
                out += name + "_sum" + braces(labelText) + " " + formatValue(snap.sum) + "\n";
                out += name + "_count" + braces(labelText) + " " + std::to_string(snap.count) + "\n";
                break;
            }
            }
        }
    }
    return out;
}

} // namespace patchbay::host
