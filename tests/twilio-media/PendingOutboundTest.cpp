// PendingOutboundTest.cpp: the pre-start queue — order kept, bounded, oldest dropped, clear discards audio only.
#include "protocol/PendingOutbound.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

using patchbay::twilio::PendingOutbound;

namespace {

std::vector<std::string> drained(PendingOutbound& q)
{
    std::vector<std::string> out;
    q.drain([&](const PendingOutbound::Item& item) {
        out.push_back((item.kind == PendingOutbound::Kind::Media ? "media:" : "mark:") + item.data);
    });
    return out;
}

} // namespace

class TwilioPendingOutboundTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TwilioPendingOutboundTest);
    CPPUNIT_TEST(keepsArrivalOrder);
    CPPUNIT_TEST(dropsOldestWhenFull);
    CPPUNIT_TEST(clearDiscardsAudioKeepsMarks);
    CPPUNIT_TEST_SUITE_END();

public:
    void keepsArrivalOrder()
    {
        PendingOutbound q;
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), q.pushMedia("AAAA", 3));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), q.pushMark("m1"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), q.pushMedia("BBBB", 3));
        CPPUNIT_ASSERT_EQUAL(std::size_t(10), q.bytes());
        const std::vector<std::string> expected{"media:AAAA", "mark:m1", "media:BBBB"};
        CPPUNIT_ASSERT(expected == drained(q));
        CPPUNIT_ASSERT(q.empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), q.bytes());
    }

    void dropsOldestWhenFull()
    {
        PendingOutbound byBytes(10, 100);
        byBytes.pushMedia("AAAA", 3);
        byBytes.pushMedia("BBBB", 3);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), byBytes.pushMedia("CCCC", 3)); // 12 > 10: AAAA goes
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), byBytes.pushMedia(std::string(11, 'x'), 8)); // alone too big
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), byBytes.dropped());
        const std::vector<std::string> expected{"media:BBBB", "media:CCCC"};
        CPPUNIT_ASSERT(expected == drained(byBytes));

        PendingOutbound byItems(1000, 2);
        byItems.pushMark("a");
        byItems.pushMark("b");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), byItems.pushMark("c"));
        const std::vector<std::string> expected2{"mark:b", "mark:c"};
        CPPUNIT_ASSERT(expected2 == drained(byItems));
    }

    void clearDiscardsAudioKeepsMarks()
    {
        PendingOutbound q;
        q.pushMedia("AAAA", 3);
        q.pushMark("m1");
        q.pushMedia("BBBB", 3);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), q.discardMedia());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), q.bytes());
        q.pushMedia("CCCC", 3);
        const std::vector<std::string> expected{"mark:m1", "media:CCCC"};
        CPPUNIT_ASSERT(expected == drained(q));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TwilioPendingOutboundTest);
