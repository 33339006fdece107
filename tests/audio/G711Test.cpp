// G711Test.cpp: G.711 μ-law vectors and exhaustive properties (all 256 codes, every 16-bit sample).
#include "patchbay/audio/G711.h"

#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <cstdlib>
#include <string>

using patchbay::audio::G711;

class G711Test : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(G711Test);
    CPPUNIT_TEST(testDecodeVectors);
    CPPUNIT_TEST(testEncodeVectors);
    CPPUNIT_TEST(testEveryCodeRoundTrips);
    CPPUNIT_TEST(testDecodeIsOddAndMonotonic);
    CPPUNIT_TEST(testEverySampleWithinQuantisationBound);
    CPPUNIT_TEST(testEncoderMatchesSunReferenceForPositiveSamples);
    CPPUNIT_TEST(testBufferFunctions);
    CPPUNIT_TEST_SUITE_END();

public:
    // Values of the G.711 μ-law expansion table (16-bit scale), checked by hand against G.191 ulaw_expand.
    void testDecodeVectors()
    {
        CPPUNIT_ASSERT_EQUAL(std::int16_t(-32124), G711::decode(0x00));
        CPPUNIT_ASSERT_EQUAL(std::int16_t(32124), G711::decode(0x80));
        CPPUNIT_ASSERT_EQUAL(std::int16_t(0), G711::decode(0xFF));
        CPPUNIT_ASSERT_EQUAL(std::int16_t(0), G711::decode(0x7F)); // "negative zero"
        CPPUNIT_ASSERT_EQUAL(std::int16_t(8), G711::decode(0xFE));
        CPPUNIT_ASSERT_EQUAL(std::int16_t(-8), G711::decode(0x7E));
        CPPUNIT_ASSERT_EQUAL(std::int16_t(120), G711::decode(0xF0)); // top of segment 0
        CPPUNIT_ASSERT_EQUAL(std::int16_t(132), G711::decode(0xEF)); // bottom of segment 1
        CPPUNIT_ASSERT_EQUAL(std::int16_t(-132), G711::decode(0x6F));
        CPPUNIT_ASSERT_EQUAL(std::int16_t(7932), G711::decode(0xA0));   // top of segment 5
        CPPUNIT_ASSERT_EQUAL(std::int16_t(15996), G711::decode(0x90));  // top of segment 6
        CPPUNIT_ASSERT_EQUAL(std::int16_t(16764), G711::decode(0x8F));  // bottom of segment 7
        CPPUNIT_ASSERT_EQUAL(std::int16_t(-16764), G711::decode(0x0F));
    }

    void testEncodeVectors()
    {
        CPPUNIT_ASSERT_EQUAL(std::uint8_t(0xFF), G711::encode(0)); // silence
        CPPUNIT_ASSERT_EQUAL(std::uint8_t(0xFF), G711::encode(3));
        CPPUNIT_ASSERT_EQUAL(std::uint8_t(0xFE), G711::encode(4)); // decision level between 0 and 8
        CPPUNIT_ASSERT_EQUAL(std::uint8_t(0x7F), G711::encode(-1)); // one's-complement folding (G.191)
        CPPUNIT_ASSERT_EQUAL(std::uint8_t(0x7F), G711::encode(-4));
        CPPUNIT_ASSERT_EQUAL(std::uint8_t(0x7E), G711::encode(-5));
        CPPUNIT_ASSERT_EQUAL(std::uint8_t(0xF0), G711::encode(123));
        CPPUNIT_ASSERT_EQUAL(std::uint8_t(0xEF), G711::encode(124)); // segment 0 → 1 decision level
        CPPUNIT_ASSERT_EQUAL(std::uint8_t(0x80), G711::encode(32767)); // clipped
        CPPUNIT_ASSERT_EQUAL(std::uint8_t(0x00), G711::encode(-32768));
        CPPUNIT_ASSERT_EQUAL(std::uint8_t(0x80), G711::encode(32124));
        CPPUNIT_ASSERT_EQUAL(std::uint8_t(0x00), G711::encode(-32124));
    }

    void testEveryCodeRoundTrips()
    {
        for (int c = 0; c < 256; ++c)
        {
            const auto code = static_cast<std::uint8_t>(c);
            const std::uint8_t expected = code == 0x7F ? 0xFF : code; // -0 and +0 both decode to 0
            CPPUNIT_ASSERT_EQUAL_MESSAGE("code " + std::to_string(c), expected, G711::encode(G711::decode(code)));
        }
    }

    void testDecodeIsOddAndMonotonic()
    {
        for (int c = 0; c < 128; ++c)
            CPPUNIT_ASSERT_EQUAL(-G711::decode(static_cast<std::uint8_t>(c)), int(G711::decode(static_cast<std::uint8_t>(c | 0x80))));
        // Positive codes: 0x80 is the largest level, 0xFF zero; the magnitude falls as the code rises.
        for (int c = 0x80; c < 0xFF; ++c)
            CPPUNIT_ASSERT(G711::decode(static_cast<std::uint8_t>(c)) > G711::decode(static_cast<std::uint8_t>(c + 1)));
    }

    // Every 16-bit sample: the reconstruction error is at most half the step of the code's segment
    // (4 << exponent: 4, 8, ... 512), plus the clipping excess above the last level (32124), and the
    // quantiser is monotonic.
    void testEverySampleWithinQuantisationBound()
    {
        int previous = -32768;
        int worstInRange = 0;
        for (int x = -32768; x <= 32767; ++x)
        {
            const std::uint8_t code = G711::encode(static_cast<std::int16_t>(x));
            const int y = G711::decode(code);
            const int exponent = ((~code) >> 4) & 0x07;
            const int bound = std::max(4 << exponent, std::abs(x) - 32124);
            const int error = std::abs(x - y);
            CPPUNIT_ASSERT_MESSAGE("sample " + std::to_string(x) + " -> " + std::to_string(y), error <= bound);
            CPPUNIT_ASSERT_MESSAGE("monotonic at " + std::to_string(x), y >= previous);
            previous = y;
            if (std::abs(x) <= 32124)
                worstInRange = std::max(worstInRange, error);
        }
        CPPUNIT_ASSERT_EQUAL(512, worstInRange); // half of the 1024 step of segment 7
    }

    // For x >= 0 the G.191 encoder and the widely used Sun Microsystems g711.c agree bit for bit
    // (they differ only in how negatives are folded); an independent check of the segment search.
    void testEncoderMatchesSunReferenceForPositiveSamples()
    {
        static const int segmentEnd[8] = {0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF};
        for (int x = 0; x <= 32767; ++x)
        {
            int v = std::min(x >> 2, 8159) + (0x84 >> 2);
            int segment = 0;
            while (segment < 8 && v > segmentEnd[segment])
                ++segment;
            const int sun = segment >= 8 ? 0x7F ^ 0xFF : ((segment << 4) | ((v >> (segment + 1)) & 0x0F)) ^ 0xFF;
            CPPUNIT_ASSERT_EQUAL_MESSAGE("sample " + std::to_string(x), sun, int(G711::encode(static_cast<std::int16_t>(x))));
        }
    }

    void testBufferFunctions()
    {
        const std::int16_t pcm[4] = {0, 1000, -1000, 32767};
        std::uint8_t ulaw[4];
        std::int16_t back[4];
        G711::encode(pcm, 4, ulaw);
        G711::decode(ulaw, 4, back);
        for (int i = 0; i < 4; ++i)
        {
            CPPUNIT_ASSERT_EQUAL(G711::encode(pcm[i]), ulaw[i]);
            CPPUNIT_ASSERT_EQUAL(G711::decode(ulaw[i]), back[i]);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(G711Test);
