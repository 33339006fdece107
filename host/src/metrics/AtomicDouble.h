// AtomicDouble.h: a lock-free double with add(), which std::atomic<double> lacks before C++20.
#ifndef PATCHBAY_HOST_METRICS_ATOMIC_DOUBLE_H
#define PATCHBAY_HOST_METRICS_ATOMIC_DOUBLE_H

#include <atomic>

namespace patchbay::host {

/// THREAD: Any. Relaxed ordering: a metric is a statistic, not a synchronisation point.
class AtomicDouble
{
public:
    explicit AtomicDouble(double initial = 0.0) noexcept : _value(initial) {}

    void add(double by) noexcept
    {
        double current = _value.load(std::memory_order_relaxed);
        while (!_value.compare_exchange_weak(current, current + by, std::memory_order_relaxed))
        {
        }
    }

    void store(double value) noexcept { _value.store(value, std::memory_order_relaxed); }
    double load() const noexcept { return _value.load(std::memory_order_relaxed); }

private:
    static_assert(std::atomic<double>::is_always_lock_free, "metrics updates must not take a lock");
    std::atomic<double> _value;
};

} // namespace patchbay::host

#endif
