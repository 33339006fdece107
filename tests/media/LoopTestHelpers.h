// LoopTestHelpers.h: run-on-loop-and-wait and polling helpers shared by the media test suites.
#pragma once

#include <patchbay/media/EventLoop.h>

#include <chrono>
#include <functional>
#include <future>
#include <stdexcept>
#include <thread>
#include <type_traits>

namespace patchbay {
namespace media {
namespace test {

/// Runs fn on the loop thread and returns its result (connection methods are loop-thread only).
template <typename Fn>
auto onLoop(EventLoop& loop, Fn fn) -> decltype(fn())
{
    using R = decltype(fn());
    auto done = std::make_shared<std::promise<R>>();
    auto result = done->get_future();
    loop.post([done, &fn] {
        if constexpr (std::is_void_v<R>)
        {
            fn();
            done->set_value();
        }
        else
            done->set_value(fn());
    });
    if (result.wait_for(std::chrono::seconds(5)) != std::future_status::ready)
        throw std::runtime_error("loop did not run the task within 5 s");
    return result.get();
}

inline bool waitUntil(const std::function<bool()>& pred, std::chrono::milliseconds limit = std::chrono::milliseconds(5000))
{
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline)
    {
        if (pred())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return pred();
}

} // namespace test
} // namespace media
} // namespace patchbay
