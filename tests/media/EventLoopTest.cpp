// EventLoopTest.cpp: EventLoop tasks, timers, cross-thread post, exception containment and EventLoopGroup selection.
#include <patchbay/media/EventLoop.h>
#include <patchbay/media/EventLoopGroup.h>

#include "LoopTestHelpers.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <set>
#include <string>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace patchbay::media;
using namespace std::chrono_literals;

using patchbay::media::test::onLoop;
using patchbay::media::test::waitUntil;

class EventLoopTest: public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(EventLoopTest);
    CPPUNIT_TEST(testPostFromManyThreads);
    CPPUNIT_TEST(testExceptionsAreContained);
    CPPUNIT_TEST(testIsInLoopThread);
    CPPUNIT_TEST(testTimersFireInOrder);
    CPPUNIT_TEST(testCancelTimer);
    CPPUNIT_TEST(testRunEveryAndSelfCancel);
    CPPUNIT_TEST(testStopRunsQueuedTasksAndDropsLater);
    CPPUNIT_TEST(testStopFromLoopThread);
    CPPUNIT_TEST(testGroupSelection);
    CPPUNIT_TEST_SUITE_END();

public:
    void testPostFromManyThreads()
    {
        EventLoop loop("t-post");
        loop.start();
        int counter = 0; // touched only on the loop thread
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 2000; ++i)
                    loop.post([&counter] { ++counter; });
            });
        for (auto& t : threads)
            t.join();
        CPPUNIT_ASSERT_EQUAL(8000, onLoop(loop, [&] { return counter; }));
        CPPUNIT_ASSERT(loop.tasksRun() >= 8000);
        loop.stop();
    }

    void testExceptionsAreContained()
    {
        EventLoop loop("t-exc");
        std::atomic<int> warnings{0};
        loop.setWarn([&](std::string_view) { ++warnings; });
        loop.start();
        loop.post([] { throw std::runtime_error("boom"); });
        loop.post([] { throw 42; });
        onLoop(loop, [&] { loop.runAfter(0ms, [] { throw std::logic_error("timer boom"); }); });
        CPPUNIT_ASSERT(waitUntil([&] { return loop.taskExceptions() == 3; }));
        CPPUNIT_ASSERT_EQUAL(1, onLoop(loop, [] { return 1; })); // still alive
        CPPUNIT_ASSERT_EQUAL(3, warnings.load());
        loop.stop();
    }

    void testIsInLoopThread()
    {
        EventLoop loop("t-thread");
        loop.start();
        CPPUNIT_ASSERT(!loop.isInLoopThread());
        CPPUNIT_ASSERT(onLoop(loop, [&] { return loop.isInLoopThread(); }));
        loop.stop();
    }

    void testTimersFireInOrder()
    {
        EventLoop loop("t-order");
        loop.start();
        std::mutex m;
        std::vector<int> order;
        auto started = std::chrono::steady_clock::now();
        onLoop(loop, [&] {
            for (int delay : {60, 20, 40, 0})
                loop.runAfter(std::chrono::milliseconds(delay), [&, delay] {
                    std::lock_guard<std::mutex> lock(m);
                    order.push_back(delay);
                });
        });
        CPPUNIT_ASSERT(waitUntil([&] {
            std::lock_guard<std::mutex> lock(m);
            return order.size() == 4;
        }));
        CPPUNIT_ASSERT(order == std::vector<int>({0, 20, 40, 60}));
        CPPUNIT_ASSERT(std::chrono::steady_clock::now() - started >= 60ms);
        loop.stop();
    }

    void testCancelTimer()
    {
        EventLoop loop("t-cancel");
        loop.start();
        std::atomic<int> fired{0};
        onLoop(loop, [&] {
            auto a = loop.runAfter(30ms, [&] { fired += 1; });
            loop.runAfter(30ms, [&] { fired += 10; });
            loop.cancelTimer(a);
            loop.cancelTimer(9999); // unknown: ignored
        });
        std::this_thread::sleep_for(150ms);
        CPPUNIT_ASSERT_EQUAL(10, fired.load());
        loop.stop();
    }

    void testRunEveryAndSelfCancel()
    {
        EventLoop loop("t-every");
        loop.start();
        std::atomic<int> ticks{0};
        onLoop(loop, [&] {
            auto id = std::make_shared<EventLoop::TimerId>(0);
            *id = loop.runEvery(5ms, [&loop, &ticks, id] {
                if (++ticks == 5)
                    loop.cancelTimer(*id);
            });
        });
        CPPUNIT_ASSERT(waitUntil([&] { return ticks.load() >= 5; }));
        std::this_thread::sleep_for(50ms);
        CPPUNIT_ASSERT_EQUAL(5, ticks.load());
        loop.stop();
    }

    void testStopRunsQueuedTasksAndDropsLater()
    {
        EventLoop loop("t-stop");
        loop.start();
        std::atomic<int> ran{0};
        for (int i = 0; i < 100; ++i)
            loop.post([&] { ++ran; });
        loop.stop();
        CPPUNIT_ASSERT_EQUAL(100, ran.load());
        loop.post([&] { ++ran; });
        CPPUNIT_ASSERT_EQUAL(100, ran.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), loop.tasksDropped());
        loop.stop(); // idempotent
    }

    void testStopFromLoopThread()
    {
        auto loop = std::make_unique<EventLoop>("t-selfstop");
        loop->start();
        loop->post([&] { loop->stop(); });
        std::this_thread::sleep_for(50ms);
        loop.reset(); // destructor joins
        CPPUNIT_ASSERT(!loop);
    }

    void testGroupSelection()
    {
        EventLoopGroup group(3, "grp");
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), group.size());
        CPPUNIT_ASSERT_EQUAL(std::string("grp-1"), group.at(1).name());
        group.start();
        EventLoop* first = &group.next();
        EventLoop* second = &group.next();
        EventLoop* third = &group.next();
        CPPUNIT_ASSERT(first != second && second != third && first != third);
        CPPUNIT_ASSERT(&group.next() == first);
        CPPUNIT_ASSERT(&group.forKey("CA123") == &group.forKey("CA123"));
        std::set<EventLoop*> used;
        for (int i = 0; i < 50; ++i)
            used.insert(&group.forKey("call-" + std::to_string(i)));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), used.size());
        CPPUNIT_ASSERT(onLoop(group.at(2), [&] { return group.at(2).isInLoopThread(); }));
        group.stop();
        EventLoopGroup defaults(0, "hw");
        CPPUNIT_ASSERT(defaults.size() >= 1);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(EventLoopTest);
