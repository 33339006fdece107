// EventLoopGroup.h: a fixed set of EventLoops with round-robin and stable key-based selection.
#pragma once

#include <patchbay/media/EventLoop.h>

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace patchbay {
namespace media {

/// Owns N loops named "<prefix>-0" ... "<prefix>-(N-1)". All methods are thread-safe;
/// the set of loops is fixed at construction, so next()/forKey()/at() need no lock.
class EventLoopGroup
{
public:
    /// n == 0 means one loop per hardware core (at least one).
    explicit EventLoopGroup(std::size_t n, std::string namePrefix);
    ~EventLoopGroup();

    EventLoopGroup(const EventLoopGroup&) = delete;
    EventLoopGroup& operator=(const EventLoopGroup&) = delete;

    void start();
    /// Stops every loop (each closes its remaining connections) and joins the threads.
    void stop();

    /// Round robin.
    EventLoop& next();
    /// The same key always maps to the same loop (FNV-1a, stable across runs and processes),
    /// so e.g. everything belonging to one call can be pinned to one loop.
    EventLoop& forKey(std::string_view key);

    std::size_t size() const { return _loops.size(); }
    EventLoop& at(std::size_t index) { return *_loops.at(index); }

private:
    std::vector<std::unique_ptr<EventLoop>> _loops;
    std::atomic<std::size_t> _next{0};
};

} // namespace media
} // namespace patchbay
