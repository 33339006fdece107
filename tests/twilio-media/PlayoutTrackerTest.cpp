// PlayoutTrackerTest.cpp: our marks every kMarkIntervalBytes — played vs flushed after a clear, core marks, losses, bounds.
#include "AllocationCounter.h"
#include "protocol/PlayoutTracker.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

using patchbay::twilio::PlayoutTracker;
using Outcome = PlayoutTracker::Outcome;

class TwilioPlayoutTrackerTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TwilioPlayoutTrackerTest);
    CPPUNIT_TEST(markDueOnlyEveryIntervalOfAudio);
    CPPUNIT_TEST(coreMarkRestartsTheInterval);
    CPPUNIT_TEST(clearFlushesUnmarkedAudioAndRestartsTheInterval);
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

    /// What MediaStreamSession::sendMedia() does with a chunk that went out. @return the name of the
    /// mark that followed it, or "" when none did.
    static std::string sendChunk(PlayoutTracker& t, std::uint64_t bytes)
    {
        if (t.markDue(bytes) && t.hasRoom()) return markChunk(t, bytes);
        t.chunkUnmarked(bytes);
        return std::string();
    }

    /// Sends `n` chunks of `bytes`. @return the 1-based numbers of the chunks a mark followed.
    static std::vector<int> sendChunks(PlayoutTracker& t, int n, std::uint64_t bytes, std::vector<std::string>* names = nullptr)
    {
        std::vector<int> marked;
        for (int i = 1; i <= n; ++i)
        {
            const std::string name = sendChunk(t, bytes);
            if (name.empty()) continue;
            marked.push_back(i);
            if (names) names->push_back(name);
        }
        return marked;
    }

public:
    void markDueOnlyEveryIntervalOfAudio()
    {
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1600), PlayoutTracker::kMarkIntervalBytes); // 200 ms of 8 kHz μ-law
        PlayoutTracker t;
        std::vector<std::string> names;
        // 25 chunks of 20 ms: a mark behind the 10th and the 20th only.
        CPPUNIT_ASSERT(std::vector<int>({10, 20}) == sendChunks(t, 25, 160, &names));
        CPPUNIT_ASSERT(std::vector<std::string>({"pb-1", "pb-2"}) == names);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), t.outstanding());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(4000), t.sentBytes());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(800), t.unmarkedBytes());
        // Each mark carries the unmarked chunks before it as well as its own.
        PlayoutTracker::Echo e = t.echoed("pb-1");
        CPPUNIT_ASSERT(e.outcome == Outcome::Played && !e.core);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1600), e.bytes);
        e = t.echoed("pb-2");
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1600), e.bytes);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3200), t.playedBytes());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), t.flushedBytes());
        // The last 5 chunks went out after the last mark: sent, but not known heard.
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(800), t.unconfirmedBytes());

        // Uneven chunks: due on the chunk that reaches the interval, not before, and it carries all of it.
        PlayoutTracker u;
        CPPUNIT_ASSERT(!u.markDue(1599));
        CPPUNIT_ASSERT(u.markDue(1600));
        CPPUNIT_ASSERT(sendChunk(u, 1000).empty());
        CPPUNIT_ASSERT(!u.markDue(599));
        CPPUNIT_ASSERT_EQUAL(std::string("pb-1"), sendChunk(u, 1000));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), u.unmarkedBytes());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2000), u.echoed("pb-1").bytes);
        // One chunk of at least the interval is marked on its own.
        CPPUNIT_ASSERT_EQUAL(std::string("pb-2"), sendChunk(u, 4000));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(4000), u.echoed("pb-2").bytes);
        CPPUNIT_ASSERT_EQUAL(u.sentBytes(), u.playedBytes());
    }

    void coreMarkRestartsTheInterval()
    {
        PlayoutTracker t;
        CPPUNIT_ASSERT(sendChunks(t, 5, 160).empty());
        CPPUNIT_ASSERT(t.coreMarkSent("patchbay-hangup-1"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), t.unmarkedBytes());
        // Counted from the core mark: 9 more chunks are not enough (14 since the last mark of ours would be).
        CPPUNIT_ASSERT(std::vector<int>({10}) == sendChunks(t, 12, 160));
        PlayoutTracker::Echo e = t.echoed("patchbay-hangup-1");
        CPPUNIT_ASSERT(e.core && e.outcome == Outcome::Played);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(800), e.bytes); // exactly the audio before it
        e = t.echoed("pb-1");
        CPPUNIT_ASSERT(!e.core && e.outcome == Outcome::Played);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1600), e.bytes);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2400), t.playedBytes());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(320), t.unconfirmedBytes());
        // A core mark right behind one of ours carries nothing, and is still tracked and answered.
        PlayoutTracker u;
        sendChunks(u, 10, 160);
        CPPUNIT_ASSERT(u.coreMarkSent("resp-1"));
        u.echoed("pb-1");
        e = u.echoed("resp-1");
        CPPUNIT_ASSERT(e.core && e.outcome == Outcome::Played);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), e.bytes);
    }

    void clearFlushesUnmarkedAudioAndRestartsTheInterval()
    {
        PlayoutTracker t;
        CPPUNIT_ASSERT(std::vector<int>({10}) == sendChunks(t, 13, 160)); // pb-1, then 3 chunks unmarked
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(480), t.cleared());           // no echo will report those
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(480), t.flushedBytes());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), t.unmarkedBytes());
        // The next mark of ours waits a whole interval of new audio.
        CPPUNIT_ASSERT(std::vector<int>({10}) == sendChunks(t, 10, 160));
        PlayoutTracker::Echo e = t.echoed("pb-1"); // sent before the clear
        CPPUNIT_ASSERT(e.outcome == Outcome::Flushed);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1600), e.bytes);
        e = t.echoed("pb-2");
        CPPUNIT_ASSERT(e.outcome == Outcome::Played);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1600), e.bytes);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2080), t.flushedBytes());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1600), t.playedBytes());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), t.unconfirmedBytes());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), t.cleared()); // nothing unmarked left to flush
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), t.clears());
    }

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
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(80), t.cleared());
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
