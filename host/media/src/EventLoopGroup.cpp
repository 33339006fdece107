// EventLoopGroup.cpp: creation, start/stop and loop selection for a group of EventLoops.
#include <patchbay/media/EventLoopGroup.h>

#include <algorithm>
#include <string>
#include <thread>

namespace patchbay {
namespace media {

EventLoopGroup::EventLoopGroup(std::size_t n, std::string namePrefix)
{
    if (n == 0)
        n = std::max(1u, std::thread::hardware_concurrency());
    _loops.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        _loops.push_back(std::make_unique<EventLoop>(namePrefix + "-" + std::to_string(i)));
}

EventLoopGroup::~EventLoopGroup()
{
    stop();
}

void EventLoopGroup::start()
{
    for (auto& loop : _loops)
        loop->start();
}

void EventLoopGroup::stop()
{
    for (auto& loop : _loops)
        loop->stop();
}

EventLoop& EventLoopGroup::next()
{
    return *_loops[_next.fetch_add(1, std::memory_order_relaxed) % _loops.size()];
}

EventLoop& EventLoopGroup::forKey(std::string_view key)
{
    std::uint64_t hash = 14695981039346656037ull;
    for (unsigned char c : key)
    {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    return *_loops[hash % _loops.size()];
}

} // namespace media
} // namespace patchbay
