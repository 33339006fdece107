// CallDriver.cpp: the per-loop pacing tick.
#include "CallDriver.h"

#include "SimCall.h"

namespace patchbay {
namespace callsim {

CallDriver::CallDriver(media::EventLoop& loop, std::uint32_t frameMs):
    _loop(loop),
    _frameMs(frameMs),
    _epoch(std::chrono::steady_clock::now())
{
}

void CallDriver::start()
{
    // Half a frame: calls compute how many frames are due from their own start time, so the tick
    // only bounds the jitter, and a finer tick keeps it well under one frame.
    const auto period = std::chrono::milliseconds(_frameMs / 2 > 0 ? _frameMs / 2 : 1);
    _loop.runEvery(period, [this] { tick(); });
}

void CallDriver::add(std::shared_ptr<SimCall> call)
{
    _joining.push_back(std::move(call));
}

std::int64_t CallDriver::micros(std::chrono::steady_clock::time_point t) const
{
    return std::chrono::duration_cast<std::chrono::microseconds>(t - _epoch).count();
}

void CallDriver::tick()
{
    if (!_joining.empty())
    {
        for (auto& call : _joining)
            _active.push_back(std::move(call));
        _joining.clear();
    }
    const auto now = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < _active.size();)
    {
        if (_active[i]->tick(now))
        {
            ++i;
            continue;
        }
        _active[i] = std::move(_active.back());
        _active.pop_back();
    }
}

} // namespace callsim
} // namespace patchbay
