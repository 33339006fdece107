// BillingTest.cpp: unit tests of support::Billing — per-second rounding, cost rounding and saturation, UTC months.
#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <limits>

#include "patchbay/sdk/support/Billing.h"

using patchbay::sdk::support::Billing;

class BillingTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(BillingTest);
    CPPUNIT_TEST(testEveryStartedSecondIsBilled);
    CPPUNIT_TEST(testCostRoundsUpToTheNextMicro);
    CPPUNIT_TEST(testCostWithoutRateOrDurationIsZero);
    CPPUNIT_TEST(testCostSaturatesInsteadOfWrapping);
    CPPUNIT_TEST(testLongCallCostsAsSumOfMinutes);
    CPPUNIT_TEST(testMonthIsUtcCalendarMonth);
    CPPUNIT_TEST(testMonthBefore1970);
    CPPUNIT_TEST_SUITE_END();

public:
    void testEveryStartedSecondIsBilled()
    {
        CPPUNIT_ASSERT_EQUAL(std::int64_t(0), Billing::billedSeconds(0));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(0), Billing::billedSeconds(-5));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1), Billing::billedSeconds(1));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1), Billing::billedSeconds(1000));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(2), Billing::billedSeconds(1001));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(61), Billing::billedSeconds(60001));
    }

    void testCostRoundsUpToTheNextMicro()
    {
        // 1 s at 100 micros/min = 1.67 micros → 2; 60 s is exactly the rate.
        CPPUNIT_ASSERT_EQUAL(std::int64_t(2), Billing::costMicros(1, 100));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(100), Billing::costMicros(60, 100));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1), Billing::costMicros(1, 1));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(15250), Billing::costMicros(61, 15000)); // 15000 + ceil(15000 / 60)
    }

    void testCostWithoutRateOrDurationIsZero()
    {
        CPPUNIT_ASSERT_EQUAL(std::int64_t(0), Billing::costMicros(0, 15000));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(0), Billing::costMicros(30, 0));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(0), Billing::costMicros(30, -4));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(0), Billing::costMicros(-30, 15000));
    }

    void testCostSaturatesInsteadOfWrapping()
    {
        constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
        CPPUNIT_ASSERT_EQUAL(kMax, Billing::costMicros(kMax, kMax));
        CPPUNIT_ASSERT_EQUAL(kMax, Billing::costMicros(59, kMax));
        CPPUNIT_ASSERT(Billing::costMicros(3600, 1000000) > 0);
    }

    void testLongCallCostsAsSumOfMinutes()
    {
        // A 90-minute call at $0.015/min: whole minutes only, no rounding drift.
        CPPUNIT_ASSERT_EQUAL(std::int64_t(90 * 15000), Billing::costMicros(90 * 60, 15000));
        // 91 s at 60000/min = 91000 exactly.
        CPPUNIT_ASSERT_EQUAL(std::int64_t(91000), Billing::costMicros(91, 60000));
    }

    void testMonthIsUtcCalendarMonth()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("1970-01"), Billing::monthOf(0));
        CPPUNIT_ASSERT_EQUAL(std::string("2024-02"), Billing::monthOf(1709251199999)); // 2024-02-29T23:59:59.999Z
        CPPUNIT_ASSERT_EQUAL(std::string("2024-03"), Billing::monthOf(1709251200000)); // 2024-03-01T00:00:00Z
        CPPUNIT_ASSERT_EQUAL(std::string("2026-12"), Billing::monthOf(1798761599000)); // 2026-12-31T23:59:59Z
        CPPUNIT_ASSERT_EQUAL(std::string("2027-01"), Billing::monthOf(1798761600000));
    }

    void testMonthBefore1970()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("1969-12"), Billing::monthOf(-1));
        CPPUNIT_ASSERT_EQUAL(std::string("1969-12"), Billing::monthOf(-86400000));
        CPPUNIT_ASSERT_EQUAL(std::string("1969-11"), Billing::monthOf(-31LL * 86400000 - 1));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(BillingTest);
