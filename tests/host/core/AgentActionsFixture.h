// AgentActionsFixture.h: test doubles for the core's agent actions — a scripted agent, a recording carrier provider and a hand-driven blocking pool.
#ifndef PATCHBAY_TESTS_HOST_CORE_AGENT_ACTIONS_FIXTURE_H
#define PATCHBAY_TESTS_HOST_CORE_AGENT_ACTIONS_FIXTURE_H

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <patchbay/sdk/AgentProvider.h>
#include <patchbay/sdk/InboundProvider.h>

namespace patchbay::testing {

/// What one session was told; outlives the session (the core destroys it when the call ends).
struct SessionLog
{
    sdk::CallChannel* channel = nullptr; ///< valid only while the call lives
    std::vector<std::string> received;
    std::vector<std::string> marks;
    std::vector<std::pair<std::uint64_t, sdk::Status>> results;
    int closes = 0;
    sdk::EndReason closeReason = sdk::EndReason::Error;
    bool destroyed = false;
};

/// An agent session that records what the core tells it; the test acts for the agent on its channel.
class ActionSession final : public sdk::AgentSession
{
public:
    ActionSession(sdk::CallChannel& channel, std::shared_ptr<SessionLog> log) : _log(std::move(log)) { _log->channel = &channel; }
    ~ActionSession() override { _log->destroyed = true; }
    void onAudio(const sdk::AudioFrame& frame) override { _log->received.emplace_back(frame.payload); }
    void onClear() noexcept override {}
    void onMark(std::string_view name) noexcept override { _log->marks.emplace_back(name); }
    void onDtmf(char) noexcept override {}
    void close(sdk::EndReason reason) noexcept override
    {
        ++_log->closes;
        _log->closeReason = reason;
    }
    void onActionResult(std::uint64_t requestId, const sdk::Status& result) override
    {
        _log->results.emplace_back(requestId, result);
    }

private:
    std::shared_ptr<SessionLog> _log;
};

class ActionAgentProvider final : public sdk::AgentProvider
{
public:
    sdk::Result<std::unique_ptr<sdk::AgentSession>> openSession(const sdk::AgentSessionRequest& request, sdk::CallChannel& channel,
                                                                sdk::EventLoop& loop) override
    {
        ++opened;
        lastLoop = &loop;
        lastRequest = request;
        last = std::make_shared<SessionLog>();
        auto session = std::make_unique<ActionSession>(channel, last);
        if (readyInsideOpen) channel.onLegReady({sdk::MediaFormat::ulaw8000(), sdk::MediaFormat::ulaw8000(), "conv_0"});
        return std::unique_ptr<sdk::AgentSession>(std::move(session));
    }
    std::shared_ptr<SessionLog> last;
    bool readyInsideOpen = false; ///< reports ready before openSession() returns
    int opened = 0;
    sdk::EventLoop* lastLoop = nullptr;
    sdk::AgentSessionRequest lastRequest;
};

/// A carrier provider that records call control and answers with scripted statuses. Thread-safe:
/// the core calls it from the blocking pool. `gate`, when set, holds each call until release().
class RecordingInboundProvider final : public sdk::InboundProvider
{
public:
    std::size_t activeLegs() const override { return 0; }

    sdk::Status transferCall(const sdk::CallInfo& call, const std::string& toNumber) override
    {
        waitForGate();
        std::lock_guard<std::mutex> lock(_mutex);
        transfers.emplace_back(call.callSid, toNumber);
        threads.push_back(std::this_thread::get_id());
        return transferResult;
    }

    sdk::Status redirectToFallback(const sdk::CallInfo& call, const sdk::Fallback& fallback) override
    {
        waitForGate();
        std::lock_guard<std::mutex> lock(_mutex);
        fallbacks.emplace_back(call.callSid, fallback);
        threads.push_back(std::this_thread::get_id());
        return fallbackResult;
    }

    void holdCalls()
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _held = true;
    }
    void release()
    {
        {
            std::lock_guard<std::mutex> lock(_mutex);
            _held = false;
        }
        _cv.notify_all();
    }

    std::vector<std::pair<std::string, std::string>> transfers;
    std::vector<std::pair<std::string, sdk::Fallback>> fallbacks;
    std::vector<std::thread::id> threads;
    sdk::Status transferResult;
    sdk::Status fallbackResult;

private:
    void waitForGate()
    {
        std::unique_lock<std::mutex> lock(_mutex);
        _cv.wait(lock, [this] { return !_held; });
    }

    std::mutex _mutex;
    std::condition_variable _cv;
    bool _held = false;
};

/// Stands in for the host's BlockingPool: queues tasks until the test runs them, each on a thread of
/// its own (so a test sees that nothing the core queued ran on the loop thread).
class ManualPool
{
public:
    void submit(std::function<void()> task)
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _tasks.push_back(std::move(task));
    }
    std::size_t queued()
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _tasks.size();
    }
    /// Starts every queued task on its own thread; join() waits for them.
    void start()
    {
        std::deque<std::function<void()>> tasks;
        {
            std::lock_guard<std::mutex> lock(_mutex);
            tasks.swap(_tasks);
        }
        for (auto& t : tasks) _threads.emplace_back(std::move(t));
    }
    void join()
    {
        for (auto& t : _threads) t.join();
        _threads.clear();
    }
    void runAll()
    {
        start();
        join();
    }
    ~ManualPool() { join(); }

private:
    std::mutex _mutex;
    std::deque<std::function<void()>> _tasks;
    std::vector<std::thread> _threads;
};

} // namespace patchbay::testing

#endif
