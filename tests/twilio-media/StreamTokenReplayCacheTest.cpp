// StreamTokenReplayCacheTest.cpp: single use of stream tokens — first use wins, expiry frees, bounded size, concurrent callers.
#include "protocol/StreamTokenReplayCache.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

using patchbay::twilio::StreamTokenReplayCache;

namespace {
const std::int64_t kNow = 1700000000;
}

class StreamTokenReplayCacheTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(StreamTokenReplayCacheTest);
    CPPUNIT_TEST(firstUseWinsUntilExpiry);
    CPPUNIT_TEST(callsAreIndependent);
    CPPUNIT_TEST(expiredEntriesArePurged);
    CPPUNIT_TEST(fullCacheEvictsSoonestToExpire);
    CPPUNIT_TEST(concurrentConsumersAgreeOnOneWinner);
    CPPUNIT_TEST_SUITE_END();

public:
    void firstUseWinsUntilExpiry()
    {
        StreamTokenReplayCache cache;
        CPPUNIT_ASSERT(!cache.wasUsed("CA1", kNow));
        CPPUNIT_ASSERT(cache.consume("CA1", kNow + 120, kNow));
        CPPUNIT_ASSERT(cache.wasUsed("CA1", kNow));
        CPPUNIT_ASSERT(!cache.consume("CA1", kNow + 120, kNow + 1));
        // A second token for the same call (a retried webhook) is refused too: one call, one stream.
        CPPUNIT_ASSERT(!cache.consume("CA1", kNow + 300, kNow + 2));
        CPPUNIT_ASSERT(cache.wasUsed("CA1", kNow + 119));
        // At its expiry the token itself is refused by StreamToken::verify; the cache may forget it.
        CPPUNIT_ASSERT(!cache.wasUsed("CA1", kNow + 120));
        CPPUNIT_ASSERT(cache.consume("CA1", kNow + 240, kNow + 120));
    }

    void callsAreIndependent()
    {
        StreamTokenReplayCache cache;
        CPPUNIT_ASSERT(cache.consume("CA1", kNow + 60, kNow));
        CPPUNIT_ASSERT(cache.consume("CA2", kNow + 60, kNow));
        CPPUNIT_ASSERT(!cache.consume("CA1", kNow + 60, kNow));
        CPPUNIT_ASSERT(!cache.consume("CA2", kNow + 60, kNow));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), cache.size());
    }

    void expiredEntriesArePurged()
    {
        StreamTokenReplayCache cache;
        for (int i = 0; i < 1000; ++i) CPPUNIT_ASSERT(cache.consume("CA" + std::to_string(i), kNow + 10, kNow));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1000), cache.size());
        CPPUNIT_ASSERT(cache.consume("CAlater", kNow + 100, kNow + 10));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), cache.size());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), cache.evictions());
    }

    void fullCacheEvictsSoonestToExpire()
    {
        StreamTokenReplayCache cache(3);
        CPPUNIT_ASSERT(cache.consume("CAa", kNow + 30, kNow));
        CPPUNIT_ASSERT(cache.consume("CAb", kNow + 10, kNow));
        CPPUNIT_ASSERT(cache.consume("CAc", kNow + 20, kNow));
        CPPUNIT_ASSERT(cache.consume("CAd", kNow + 40, kNow));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), cache.size());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), cache.evictions());
        CPPUNIT_ASSERT(!cache.wasUsed("CAb", kNow)); // evicted: protection ended early
        CPPUNIT_ASSERT(cache.wasUsed("CAa", kNow) && cache.wasUsed("CAc", kNow) && cache.wasUsed("CAd", kNow));
    }

    void concurrentConsumersAgreeOnOneWinner()
    {
        StreamTokenReplayCache cache(1000);
        std::atomic<int> winners[50] = {};
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 50; ++i)
                    if (cache.consume("CA" + std::to_string(i), kNow + 60, kNow)) ++winners[i];
            });
        for (auto& thread : threads) thread.join();
        for (auto& w : winners) CPPUNIT_ASSERT_EQUAL(1, w.load());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StreamTokenReplayCacheTest);
