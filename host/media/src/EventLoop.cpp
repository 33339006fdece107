// EventLoop.cpp: epoll + eventfd reactor thread with posted tasks and a lazily-cancelled timer heap.
#include <patchbay/media/EventLoop.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace patchbay {
namespace media {

namespace {

// The eventfd's epoll tag; handler tags are (fd << 32 | generation), and fd is never 0xffffffff.
constexpr std::uint64_t kWakeTag = ~std::uint64_t{0};
constexpr int kMaxEvents = 128;

} // namespace

EventLoop::EventLoop(std::string name):
    _name(std::move(name)),
    _scratch(new char[scratchSize()])
{
    _epfd = ::epoll_create1(EPOLL_CLOEXEC);
    if (_epfd < 0)
        throw std::runtime_error("epoll_create1 failed: " + std::string(std::strerror(errno)));
    _wakeFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (_wakeFd < 0)
    {
        ::close(_epfd);
        throw std::runtime_error("eventfd failed: " + std::string(std::strerror(errno)));
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = kWakeTag;
    ::epoll_ctl(_epfd, EPOLL_CTL_ADD, _wakeFd, &ev);
}

EventLoop::~EventLoop()
{
    stop();
    if (_thread.joinable())
    {
        // Only reachable when stop() was requested from the loop thread and we are destroyed elsewhere.
        if (_thread.get_id() == std::this_thread::get_id())
            _thread.detach();
        else
            _thread.join();
    }
    ::close(_wakeFd);
    ::close(_epfd);
}

void EventLoop::start()
{
    std::lock_guard<std::mutex> lock(_stopMutex);
    if (_started.exchange(true))
        return;
    _thread = std::thread([this] { run(); });
}

void EventLoop::stop()
{
    if (isInLoopThread())
    {
        // Cannot join ourselves, and must not wait on _stopMutex: another thread may hold it while joining us.
        _stopRequested = true;
        wake();
        return;
    }
    std::lock_guard<std::mutex> lock(_stopMutex);
    if (!_started.load())
    {
        // Never started: nothing runs queued tasks, so drop them now (their captures close sockets).
        std::vector<std::function<void()>> dropped;
        {
            std::lock_guard<std::mutex> tl(_taskMutex);
            _exited = true;
            dropped.swap(_tasks);
        }
        _tasksDropped += dropped.size();
        return;
    }
    _stopRequested = true;
    wake();
    if (_thread.joinable())
        _thread.join();
}

bool EventLoop::isInLoopThread() const
{
    return _threadId.load(std::memory_order_relaxed) == std::this_thread::get_id();
}

void EventLoop::post(std::function<void()> fn)
{
    {
        std::lock_guard<std::mutex> lock(_taskMutex);
        if (_exited)
        {
            ++_tasksDropped;
            return;
        }
        _tasks.push_back(std::move(fn));
    }
    if (!_wakePending.exchange(true))
        wake();
}

void EventLoop::wake()
{
    std::uint64_t one = 1;
    // EAGAIN means the counter is already non-zero, i.e. a wake-up is pending anyway.
    [[maybe_unused]] auto rc = ::write(_wakeFd, &one, sizeof one);
}

void EventLoop::drainWakeFd()
{
    std::uint64_t value = 0;
    [[maybe_unused]] auto rc = ::read(_wakeFd, &value, sizeof value);
}

EventLoop::TimerId EventLoop::runAfter(std::chrono::milliseconds delay, std::function<void()> fn)
{
    return addTimer(delay, std::chrono::milliseconds{0}, std::move(fn));
}

EventLoop::TimerId EventLoop::runEvery(std::chrono::milliseconds interval, std::function<void()> fn)
{
    if (interval.count() <= 0)
        interval = std::chrono::milliseconds{1};
    return addTimer(interval, interval, std::move(fn));
}

EventLoop::TimerId EventLoop::addTimer(std::chrono::milliseconds delay, std::chrono::milliseconds interval,
    std::function<void()> fn)
{
    TimerId id = _nextTimerId++;
    _timers.emplace(id, TimerEntry{std::move(fn), interval});
    _heap.push_back(HeapItem{Clock::now() + std::max(delay, std::chrono::milliseconds{0}), id});
    std::push_heap(_heap.begin(), _heap.end(), [](const HeapItem& a, const HeapItem& b) { return a.due > b.due; });
    return id;
}

void EventLoop::cancelTimer(TimerId id)
{
    _timers.erase(id);
}

void EventLoop::addHandler(int fd, std::uint32_t epollEvents, IoHandler* handler)
{
    if (fd < 0 || handler == nullptr)
        throw std::invalid_argument("EventLoop::addHandler: bad fd or handler");
    if (static_cast<std::size_t>(fd) >= _slots.size())
        _slots.resize(static_cast<std::size_t>(fd) + 64);
    Slot& slot = _slots[static_cast<std::size_t>(fd)];
    if (slot.handler != nullptr)
        throw std::logic_error("EventLoop::addHandler: fd already registered");
    ++slot.generation;
    epoll_event ev{};
    ev.events = epollEvents;
    ev.data.u64 = (static_cast<std::uint64_t>(fd) << 32) | slot.generation;
    if (::epoll_ctl(_epfd, EPOLL_CTL_ADD, fd, &ev) != 0)
        throw std::runtime_error("epoll_ctl(ADD) failed: " + std::string(std::strerror(errno)));
    slot.handler = handler;
    ++_handlerCount;
}

void EventLoop::modifyHandler(int fd, std::uint32_t epollEvents)
{
    if (fd < 0 || static_cast<std::size_t>(fd) >= _slots.size() || _slots[static_cast<std::size_t>(fd)].handler == nullptr)
        return;
    epoll_event ev{};
    ev.events = epollEvents;
    ev.data.u64 = (static_cast<std::uint64_t>(fd) << 32) | _slots[static_cast<std::size_t>(fd)].generation;
    ::epoll_ctl(_epfd, EPOLL_CTL_MOD, fd, &ev);
}

void EventLoop::removeHandler(int fd)
{
    if (fd < 0 || static_cast<std::size_t>(fd) >= _slots.size() || _slots[static_cast<std::size_t>(fd)].handler == nullptr)
        return;
    ::epoll_ctl(_epfd, EPOLL_CTL_DEL, fd, nullptr);
    _slots[static_cast<std::size_t>(fd)].handler = nullptr;
    --_handlerCount;
}

int EventLoop::pollTimeoutMs() const
{
    if (_heap.empty())
        return -1;
    auto wait = _heap.front().due - Clock::now();
    if (wait <= Clock::duration::zero())
        return 0;
    // Round up: waking a hair early would just spin through another epoll_wait.
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(wait + std::chrono::microseconds(999)).count();
    return static_cast<int>(std::min<long long>(ms, 60000));
}

void EventLoop::run()
{
    _threadId.store(std::this_thread::get_id());
    epoll_event events[kMaxEvents];
    while (!_stopRequested.load(std::memory_order_relaxed))
    {
        int n = ::epoll_wait(_epfd, events, kMaxEvents, pollTimeoutMs());
        for (int i = 0; i < n; ++i)
        {
            std::uint64_t tag = events[i].data.u64;
            if (tag == kWakeTag)
            {
                drainWakeFd();
                continue;
            }
            auto fd = static_cast<std::size_t>(tag >> 32);
            auto generation = static_cast<std::uint32_t>(tag & 0xffffffffu);
            // A handler earlier in this batch may have removed (or replaced) this fd.
            if (fd >= _slots.size() || _slots[fd].handler == nullptr || _slots[fd].generation != generation)
                continue;
            IoHandler* handler = _slots[fd].handler;
            try
            {
                handler->onIoEvent(events[i].events);
            }
            catch (const std::exception& e)
            {
                ++_taskExceptions;
                warn(std::string("I/O handler threw: ") + e.what());
            }
            catch (...)
            {
                ++_taskExceptions;
                warn("I/O handler threw a non-std exception");
            }
        }
        runTimers();
        runTasks();
    }
    // Shutdown: close what is registered, let queued work (e.g. socket hand-offs) run and be closed too.
    stopHandlers();
    runTasks();
    stopHandlers();
    {
        std::lock_guard<std::mutex> lock(_taskMutex);
        _exited = true;
    }
    runTasks();
    stopHandlers();
    _timers.clear();
    _heap.clear();
}

void EventLoop::stopHandlers()
{
    std::vector<std::pair<int, std::uint32_t>> live;
    for (std::size_t fd = 0; fd < _slots.size(); ++fd)
        if (_slots[fd].handler != nullptr)
            live.emplace_back(static_cast<int>(fd), _slots[fd].generation);
    for (auto [fd, generation] : live)
    {
        Slot& slot = _slots[static_cast<std::size_t>(fd)];
        if (slot.handler == nullptr || slot.generation != generation)
            continue;
        IoHandler* handler = slot.handler;
        guarded([handler] { handler->onLoopStopping(); });
        // A handler that forgot to unregister must not leave a dangling pointer behind.
        if (slot.handler == handler && slot.generation == generation)
            removeHandler(fd);
    }
}

void EventLoop::runTasks()
{
    {
        std::lock_guard<std::mutex> lock(_taskMutex);
        _running.swap(_tasks);
        _wakePending = false;
    }
    for (auto& task : _running)
    {
        guarded(task);
        ++_tasksRun;
    }
    // clear() keeps the capacity, so steady-state posting does not reallocate the vectors.
    _running.clear();
}

void EventLoop::runTimers()
{
    if (_heap.empty())
        return;
    auto now = Clock::now();
    auto later = [](const HeapItem& a, const HeapItem& b) { return a.due > b.due; };
    while (!_heap.empty() && _heap.front().due <= now)
    {
        std::pop_heap(_heap.begin(), _heap.end(), later);
        HeapItem item = _heap.back();
        _heap.pop_back();
        auto it = _timers.find(item.id);
        if (it == _timers.end())
            continue; // cancelled
        // Move the callback out: it may cancel itself or add timers (rehashing the map) while running.
        std::function<void()> fn = std::move(it->second.fn);
        auto interval = it->second.interval;
        if (interval.count() == 0)
            _timers.erase(it);
        guarded(fn);
        if (interval.count() > 0)
        {
            auto again = _timers.find(item.id);
            if (again == _timers.end())
                continue; // cancelled itself
            again->second.fn = std::move(fn);
            auto due = item.due + interval;
            if (due < now)
                due = now + interval;
            _heap.push_back(HeapItem{due, item.id});
            std::push_heap(_heap.begin(), _heap.end(), later);
        }
    }
}

void EventLoop::guarded(const std::function<void()>& fn)
{
    try
    {
        if (fn)
            fn();
    }
    catch (const std::exception& e)
    {
        ++_taskExceptions;
        warn(std::string("task threw: ") + e.what());
    }
    catch (...)
    {
        ++_taskExceptions;
        warn("task threw a non-std exception");
    }
}

void EventLoop::warn(std::string_view what)
{
    if (!_warn)
        return;
    try
    {
        _warn(what);
    }
    catch (...)
    {
    }
}

} // namespace media
} // namespace patchbay
