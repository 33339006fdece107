// PlayoutTrackerTest.cpp: marks after each chunk — played vs flushed after a clear, core marks, losses, bounds.
#include "AllocationCounter.h"
#include "protocol/PlayoutTracker.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

using patchbay::twilio::PlayoutTracker;
using Outcome = PlayoutTracker::Outcome;

class TwilioPlayoutTrackerTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TwilioPlayoutTrackerTest);
    CPPUNIT_TEST(echoesInOrderArePlayed);
    CPPUNIT_TEST(marksOutstandingAtClearAreFlushed);
    CPPUNIT_TEST(coreMarksAreTrackedAndReportedAsCore);
    CPPUNIT_TEST(unknownAndSkippedEchoes);
    CPPUNIT_TEST(fullTrackerAttributesAudioToNextMark);
    CPPUNIT_TEST(ringGrowsAndWrapsAround);
    CPPUNIT_TEST(steadyStateDoesNotAllocate);
    CPPUNIT_TEST_SUITE_END();

    static std::string markChunk(PlayoutTracker& t, std::uint64_t bytes)
    {
        const std::string name(t.nextMarkName());
        t.chunkMarked(bytes);
        return name;
    }

public:
    void echoesInOrderArePlayed()
    {
        PlayoutTracker t;
        CPPUNIT_ASSERT_EQUAL(std::string("pb-1"), std::string(t.nextMarkName()));
        const std::string a = markChunk(t, 160), b = markChunk(t, 320);
        CPPUNIT_ASSERT_EQUAL(std::string("pb-2"), b);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), t.outstanding());
        PlayoutTracker::Echo e = t.echoed(a);
        CPPUNIT_ASSERT(e.outcome == Outcome::Played && !e.core);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(160), e.bytes);
        e = t.echoed(b);
        CPPUNIT_ASSERT(e.outcome == Outcome::Played);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(480), t.playedBytes());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(480), t.sentBytes());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), t.outstanding());
        // A second echo of the same mark is not counted twice.
        CPPUNIT_ASSERT(t.echoed(b).outcome == Outcome::Unknown);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(480), t.playedBytes());
    }

    void marksOutstandingAtClearAreFlushed()
    {
        PlayoutTracker t;
        const std::string a = markChunk(t, 160), b = markChunk(t, 160), c = markChunk(t, 160);
        CPPUNIT_ASSERT(t.echoed(a).outcome == Outcome::Played);
        t.cleared();
        const std::string d = markChunk(t, 160); // new audio after the clear plays normally
        // Twilio answers every pending mark right after the clear (twilio.md §6.4).
        CPPUNIT_ASSERT(t.echoed(b).outcome == Outcome::Flushed);
        CPPUNIT_ASSERT(t.echoed(c).outcome == Outcome::Flushed);
        CPPUNIT_ASSERT(t.echoed(d).outcome == Outcome::Played);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(320), t.playedBytes());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(320), t.flushedBytes());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), t.clears());
    }

    void coreMarksAreTrackedAndReportedAsCore()
    {
        PlayoutTracker t;
        const std::string a = markChunk(t, 160);
        CPPUNIT_ASSERT(t.coreMarkSent("resp-1"));
        t.cleared();
        CPPUNIT_ASSERT(t.echoed(a).outcome == Outcome::Flushed);
        PlayoutTracker::Echo e = t.echoed("resp-1");
        CPPUNIT_ASSERT(e.core && e.outcome == Outcome::Flushed);
        // A core mark named like ours still matches the core entry.
        CPPUNIT_ASSERT(t.coreMarkSent("pb-999"));
        e = t.echoed("pb-999");
        CPPUNIT_ASSERT(e.core && e.outcome == Outcome::Played);
        // Names that are not ours and not outstanding belong to the core (they are forwarded).
        e = t.echoed("resp-2");
        CPPUNIT_ASSERT(e.core && e.outcome == Outcome::Unknown);
        CPPUNIT_ASSERT(PlayoutTracker::isGatewayMarkName("pb-12"));
        CPPUNIT_ASSERT(!PlayoutTracker::isGatewayMarkName("pb-"));
        CPPUNIT_ASSERT(!PlayoutTracker::isGatewayMarkName("pb-1x"));
        CPPUNIT_ASSERT(!PlayoutTracker::isGatewayMarkName("resp-1"));
    }

    void unknownAndSkippedEchoes()
    {
        PlayoutTracker t;
        markChunk(t, 160);
        markChunk(t, 160);
        const std::string c = markChunk(t, 160);
        CPPUNIT_ASSERT(t.echoed("pb-77").outcome == Outcome::Unknown);
        CPPUNIT_ASSERT(!t.echoed("pb-77").core);
        PlayoutTracker::Echo e = t.echoed(c); // pb-1 and pb-2 never came back
        CPPUNIT_ASSERT(e.outcome == Outcome::Played);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), e.skipped);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(160), t.playedBytes());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), t.outstanding());
    }

    void fullTrackerAttributesAudioToNextMark()
    {
        PlayoutTracker t;
        std::string first;
        for (std::size_t i = 0; i < PlayoutTracker::kMaxOutstanding; ++i)
        {
            const std::string name = markChunk(t, 160);
            if (i == 0) first = name;
        }
        CPPUNIT_ASSERT(!t.hasRoom());
        CPPUNIT_ASSERT(!t.coreMarkSent("resp-x"));
        t.chunkUnmarked(160);
        t.chunkUnmarked(160);
        CPPUNIT_ASSERT(t.echoed(first).outcome == Outcome::Played);
        CPPUNIT_ASSERT(t.hasRoom());
        const std::string next = markChunk(t, 160);
        for (std::size_t i = 1; i < PlayoutTracker::kMaxOutstanding; ++i) t.echoed("pb-" + std::to_string(i + 1));
        PlayoutTracker::Echo e = t.echoed(next);
        CPPUNIT_ASSERT(e.outcome == Outcome::Played);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(480), e.bytes); // its own chunk plus the two unmarked ones
        CPPUNIT_ASSERT_EQUAL(t.sentBytes(), t.playedBytes());
        // Unmarked audio at a clear is flushed without any echo.
        t.chunkUnmarked(80);
        t.cleared();
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(80), t.flushedBytes());
    }

    void ringGrowsAndWrapsAround()
    {
        PlayoutTracker t;
        std::uint64_t expectNext = 1;
        for (int round = 0; round < 50; ++round)
        {
            for (int i = 0; i < 37; ++i) markChunk(t, 8);
            for (int i = 0; i < 30; ++i)
                CPPUNIT_ASSERT(t.echoed("pb-" + std::to_string(expectNext++)).outcome == Outcome::Played);
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(50 * 7), t.outstanding());
        while (t.outstanding()) CPPUNIT_ASSERT(t.echoed("pb-" + std::to_string(expectNext++)).outcome == Outcome::Played);
        CPPUNIT_ASSERT_EQUAL(t.sentBytes(), t.playedBytes());
    }

    void steadyStateDoesNotAllocate()
    {
        PlayoutTracker t;
        char echo[32];
        for (int i = 0; i < 200; ++i) t.chunkMarked(160); // grows the ring once
        for (int i = 1; i <= 200; ++i) t.echoed("pb-" + std::to_string(i));
        // No CppUnit asserts inside the measured loop: each one builds std::strings.
        const std::uint64_t before = patchbay::testsupport::threadAllocations();
        bool ok = true;
        for (int i = 0; i < 10000; ++i)
        {
            const std::string_view name = t.nextMarkName();
            std::copy(name.begin(), name.end(), echo);
            const std::size_t size = name.size();
            t.chunkMarked(160);
            if (i % 50 == 0) t.cleared();
            ok = t.echoed(std::string_view(echo, size)).outcome != Outcome::Unknown && ok;
        }
        const std::uint64_t allocations = patchbay::testsupport::threadAllocations() - before;
        CPPUNIT_ASSERT(ok);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), allocations);
        CPPUNIT_ASSERT_EQUAL(t.sentBytes(), t.playedBytes() + t.flushedBytes());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TwilioPlayoutTrackerTest);
