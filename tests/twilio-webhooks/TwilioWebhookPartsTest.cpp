// TwilioWebhookPartsTest.cpp: the webhook building blocks on their own — trusted-proxy matching and Twilio's two timestamp formats.
#include <cppunit/extensions/HelperMacros.h>

#include "TrustedProxies.h"
#include "TwilioTimestamp.h"

using patchbay::twilio::TrustedProxies;
using patchbay::twilio::TwilioTimestamp;

class TwilioWebhookPartsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TwilioWebhookPartsTest);
    CPPUNIT_TEST(proxiesMatchAddressesAndRanges);
    CPPUNIT_TEST(proxiesParseErrorsNameTheEntry);
    CPPUNIT_TEST(rfc2822Timestamps);
    CPPUNIT_TEST(iso8601Timestamps);
    CPPUNIT_TEST_SUITE_END();

public:
    void proxiesMatchAddressesAndRanges()
    {
        TrustedProxies proxies;
        CPPUNIT_ASSERT(TrustedProxies::parse({"10.0.0.0/8", "192.168.1.7", "fd00::/8", "2001:db8::1", "172.16.5.9/12"},
                                             "trustedProxies", proxies)
                           .isOk());
        for (const char* yes : {"10.1.2.3:5000", "10.255.255.255", "192.168.1.7:1", "[fd12:3456::1]:443", "fd00::1",
                                "[2001:db8::1]:80", "[::ffff:10.9.8.7]:1234", "172.31.0.1:1"})
            CPPUNIT_ASSERT_MESSAGE(yes, proxies.contains(yes));
        for (const char* no : {"11.0.0.1:5000", "192.168.1.8:1", "[fe80::1]:443", "2001:db8::2", "127.0.0.1:80", "",
                               "garbage", "[::ffff:11.0.0.1]:1", "172.32.0.1:1", "10.0.0.1.5:1"})
            CPPUNIT_ASSERT_MESSAGE(no, !proxies.contains(no));
        TrustedProxies everyone;
        CPPUNIT_ASSERT(TrustedProxies::parse({"0.0.0.0/0", "::/0"}, "trustedProxies", everyone).isOk());
        CPPUNIT_ASSERT(everyone.contains("8.8.8.8:53") && everyone.contains("[2606:4700::1]:443"));
        TrustedProxies none;
        CPPUNIT_ASSERT(TrustedProxies::parse({}, "trustedProxies", none).isOk() && none.empty());
        CPPUNIT_ASSERT(!none.contains("127.0.0.1:1"));
        CPPUNIT_ASSERT_EQUAL(std::string("::1"), std::string(TrustedProxies::hostOf("[::1]:8080")));
        CPPUNIT_ASSERT_EQUAL(std::string("1.2.3.4"), std::string(TrustedProxies::hostOf("1.2.3.4:80")));
        CPPUNIT_ASSERT_EQUAL(std::string("fe80::1"), std::string(TrustedProxies::hostOf("fe80::1")));
        // Host bits below the prefix are ignored; a mapped range is written in IPv6 bits.
        TrustedProxies loose;
        CPPUNIT_ASSERT(TrustedProxies::parse({"10.1.2.3/8", "::ffff:192.0.2.0/120"}, "trustedProxies", loose).isOk());
        CPPUNIT_ASSERT(loose.contains("10.200.0.1:1") && loose.contains("192.0.2.99:1") && !loose.contains("192.0.3.1:1"));
    }

    void proxiesParseErrorsNameTheEntry()
    {
        TrustedProxies p;
        for (const char* bad : {"10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8", "host.example",
                                "10.0.0.256", " 10.0.0.1", "1.2.3.4:80", "::ffff:1.2.3.4/95", "10.0.0.0/0008"})
        {
            const auto st = TrustedProxies::parse({"10.0.0.1", bad}, "trustedProxies", p);
            CPPUNIT_ASSERT_MESSAGE(bad, !st.isOk());
            CPPUNIT_ASSERT_MESSAGE(st.message(), st.message().find("config.trustedProxies[1] '") == 0 ||
                                                     st.message().find("config.trustedProxies[1] '") != std::string::npos);
        }
    }

    void rfc2822Timestamps()
    {
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1282266822000), *TwilioTimestamp::parseRfc2822("Fri, 20 Aug 2010 01:13:42 +0000"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1282266822000), *TwilioTimestamp::parseRfc2822("20 Aug 2010 03:13:42 +0200"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1282266822000), *TwilioTimestamp::parseRfc2822("Thu, 19 Aug 2010 20:13:42 -0500"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1282266822000), *TwilioTimestamp::parseRfc2822("fri, 20 aug 2010 01:13:42 GMT"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1282266780000), *TwilioTimestamp::parseRfc2822("Fri, 20 Aug 2010 01:13 UT"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(951782400000), *TwilioTimestamp::parseRfc2822("Tue, 29 Feb 2000 00:00:00 +0000"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(0), *TwilioTimestamp::parseRfc2822("Thu, 01 Jan 1970 00:00:00 +0000"));
        for (const char* bad : {"", "Fri 20 Aug 2010 01:13:42 +0000", "32 Aug 2010 01:13:42 +0000", "20 Foo 2010 01:13:42 +0000",
                                "29 Feb 2001 00:00:00 +0000", "20 Aug 2010 24:00:00 +0000", "20 Aug 2010 01:13:42 +2400",
                                "20 Aug 2010 01:13:42", "20 Aug 2010 01:13:42 +0000 trailing", "2010-08-20T01:13:42Z"})
            CPPUNIT_ASSERT_MESSAGE(bad, !TwilioTimestamp::parseRfc2822(bad));
    }

    void iso8601Timestamps()
    {
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1282266822000), *TwilioTimestamp::parseIso8601("2010-08-20T01:13:42Z"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1282266822123), *TwilioTimestamp::parseIso8601("2010-08-20T01:13:42.123Z"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1282266822120), *TwilioTimestamp::parseIso8601("2010-08-20T01:13:42.12Z"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1282266822123), *TwilioTimestamp::parseIso8601("2010-08-20T01:13:42.123456789Z"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1282266822000), *TwilioTimestamp::parseIso8601("2010-08-20T03:13:42+02:00"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1282266822000), *TwilioTimestamp::parseIso8601("2010-08-19 20:13:42-0500"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1282266822000), *TwilioTimestamp::parse("2010-08-20T01:13:42Z"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1282266822000), *TwilioTimestamp::parse("Fri, 20 Aug 2010 01:13:42 +0000"));
        for (const char* bad : {"", "2010-08-20", "2010-08-20T01:13:42", "2010-13-20T01:13:42Z", "2010-08-20T01:13:42.Z",
                                "2010-8-20T01:13:42Z", "2010-08-20T01:13:42Zjunk", "1969-12-31T23:59:59Z"})
            CPPUNIT_ASSERT_MESSAGE(bad, !TwilioTimestamp::parseIso8601(bad));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TwilioWebhookPartsTest);
