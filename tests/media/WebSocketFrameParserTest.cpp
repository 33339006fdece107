// WebSocketFrameParserTest.cpp: RFC 6455 parser/writer rules, split/coalesced input, UTF-8 and close-code validation.
#include <patchbay/media/WebSocketFrameParser.h>
#include <patchbay/media/WebSocketFrameWriter.h>

#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <string>
#include <vector>

using namespace patchbay::media;

namespace {

/// Records every callback as one readable line so whole event sequences compare with ==.
class Recorder: public WebSocketFrameParser::Handler
{
public:
    std::vector<std::string> events;
    const char* lastView = nullptr;

    void onMessage(WebSocketOpcode opcode, std::string_view payload) override
    {
        lastView = payload.data();
        events.push_back(std::string(opcode == WebSocketOpcode::Text ? "text:" : "binary:") + std::string(payload));
    }
    void onPing(std::string_view payload) override { events.push_back("ping:" + std::string(payload)); }
    void onPong(std::string_view payload) override { events.push_back("pong:" + std::string(payload)); }
    void onClose(std::uint16_t code, std::string_view reason) override
    {
        events.push_back("close:" + std::to_string(code) + ":" + std::string(reason));
    }
    void onProtocolError(std::uint16_t code, std::string_view) override { events.push_back("error:" + std::to_string(code)); }
};

/// A frame built by hand, so tests can produce frames the writer would never emit.
std::string rawFrame(std::uint8_t b0, const std::string& payload, bool mask, int lenMode = 0)
{
    std::string out;
    out.push_back(static_cast<char>(b0));
    std::uint8_t maskBit = mask ? 0x80 : 0;
    std::size_t n = payload.size();
    if (lenMode == 0 && n < 126)
        out.push_back(static_cast<char>(maskBit | n));
    else if (lenMode == 16 || (lenMode == 0 && n <= 0xFFFF))
    {
        out.push_back(static_cast<char>(maskBit | 126));
        out.push_back(static_cast<char>(n >> 8));
        out.push_back(static_cast<char>(n));
    }
    else
    {
        out.push_back(static_cast<char>(maskBit | 127));
        for (int i = 7; i >= 0; --i)
            out.push_back(static_cast<char>(static_cast<std::uint64_t>(n) >> (8 * i)));
    }
    std::uint8_t key[4] = {0x12, 0x34, 0x56, 0x78};
    if (mask)
        out.append(reinterpret_cast<char*>(key), 4);
    std::string body = payload;
    if (mask)
        WebSocketFrameWriter::maskCopy(body.data(), payload.data(), payload.size(), key, 0);
    return out + body;
}

std::string closePayload(std::uint16_t code, const std::string& reason)
{
    std::string p;
    p.push_back(static_cast<char>(code >> 8));
    p.push_back(static_cast<char>(code & 0xFF));
    return p + reason;
}

std::vector<std::string> parseAll(WebSocketRole role, const std::string& bytes, std::size_t max = 1 << 20)
{
    Recorder r;
    WebSocketFrameParser p(role, max, r);
    p.feed(bytes.data(), bytes.size());
    return r.events;
}

std::string lastEvent(WebSocketRole role, const std::string& bytes, std::size_t max = 1 << 20)
{
    auto events = parseAll(role, bytes, max);
    return events.empty() ? std::string("<none>") : events.back();
}

constexpr auto S = WebSocketRole::Server; // parser on the server: peer frames are masked
constexpr auto C = WebSocketRole::Client;

} // namespace

class WebSocketFrameParserTest: public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(WebSocketFrameParserTest);
    CPPUNIT_TEST(testSimpleText);
    CPPUNIT_TEST(testSplitAtEveryByteBoundary);
    CPPUNIT_TEST(testByteByByteLargeFrames);
    CPPUNIT_TEST(testHundredCoalescedFrames);
    CPPUNIT_TEST(testFragmentedTextWithInterleavedPing);
    CPPUNIT_TEST(testUtf8AcrossFragments);
    CPPUNIT_TEST(testInvalidUtf8);
    CPPUNIT_TEST(testReservedBitsAndOpcodes);
    CPPUNIT_TEST(testControlFrameRules);
    CPPUNIT_TEST(testContinuationRules);
    CPPUNIT_TEST(testLengthMsb);
    CPPUNIT_TEST(testCloseCodes);
    CPPUNIT_TEST(testMaskingRules);
    CPPUNIT_TEST(testMaxMessageSize);
    CPPUNIT_TEST(testOneMebibyteMessage);
    CPPUNIT_TEST(testStopsAfterErrorAndClose);
    CPPUNIT_TEST(testZeroCopyViews);
    CPPUNIT_TEST(testWriterRoundTrip);
    CPPUNIT_TEST(testCloseReasonTruncation);
    CPPUNIT_TEST_SUITE_END();

public:
    void testSimpleText()
    {
        std::string f;
        WebSocketFrameWriter::appendFrame(f, WebSocketOpcode::Text, "hello", true, true);
        CPPUNIT_ASSERT_EQUAL(std::string("text:hello"), lastEvent(S, f));
        std::string e;
        WebSocketFrameWriter::appendFrame(e, WebSocketOpcode::Text, "", true, true);
        CPPUNIT_ASSERT_EQUAL(std::string("text:"), lastEvent(S, e));
    }

    static std::string mixedStream()
    {
        std::string s;
        WebSocketFrameWriter::appendFrame(s, WebSocketOpcode::Text, "Hello, ", false, true);
        WebSocketFrameWriter::appendFrame(s, WebSocketOpcode::Ping, "p1", true, true);
        WebSocketFrameWriter::appendFrame(s, WebSocketOpcode::Continuation, "w\xC3\xB6rld \xE2\x82", false, true);
        WebSocketFrameWriter::appendFrame(s, WebSocketOpcode::Continuation, "\xAC!", true, true);
        WebSocketFrameWriter::appendFrame(s, WebSocketOpcode::Binary, std::string(300, 'b'), true, true);
        WebSocketFrameWriter::appendFrame(s, WebSocketOpcode::Pong, "", true, true);
        WebSocketFrameWriter::appendFrame(s, WebSocketOpcode::Text, std::string(70, 'x'), true, true);
        WebSocketFrameWriter::appendClose(s, 4000, "bye", true);
        return s;
    }

    void testSplitAtEveryByteBoundary()
    {
        const std::string stream = mixedStream();
        const auto expected = parseAll(S, stream);
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), expected.size());
        CPPUNIT_ASSERT_EQUAL(std::string("ping:p1"), expected[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("text:Hello, w\xC3\xB6rld \xE2\x82\xAC!"), expected[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("close:4000:bye"), expected[5]);
        for (std::size_t cut = 0; cut <= stream.size(); ++cut)
        {
            for (bool inPlace : {false, true})
            {
                Recorder r;
                WebSocketFrameParser p(S, 1 << 20, r);
                std::string copy = stream;
                if (inPlace)
                {
                    p.feedInPlace(copy.data(), cut);
                    p.feedInPlace(copy.data() + cut, copy.size() - cut);
                }
                else
                {
                    p.feed(copy.data(), cut);
                    p.feed(copy.data() + cut, copy.size() - cut);
                }
                CPPUNIT_ASSERT_MESSAGE("cut at " + std::to_string(cut), r.events == expected);
            }
        }
        // three-way cuts around every header
        for (std::size_t a = 0; a < 40; ++a)
            for (std::size_t b = a; b < stream.size(); b += 7)
            {
                Recorder r;
                WebSocketFrameParser p(S, 1 << 20, r);
                p.feed(stream.data(), a);
                p.feed(stream.data() + a, b - a);
                p.feed(stream.data() + b, stream.size() - b);
                CPPUNIT_ASSERT(r.events == expected);
            }
    }

    void testByteByByteLargeFrames()
    {
        std::string s;
        std::string big(70000, 'q');
        WebSocketFrameWriter::appendFrame(s, WebSocketOpcode::Binary, big, true, true);
        WebSocketFrameWriter::appendFrame(s, WebSocketOpcode::Text, std::string(200, 'y'), true, true);
        Recorder r;
        WebSocketFrameParser p(S, 1 << 20, r);
        for (char c : s)
            CPPUNIT_ASSERT_EQUAL(std::size_t(1), p.feed(&c, 1));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), r.events.size());
        CPPUNIT_ASSERT(r.events[0] == "binary:" + big);
        CPPUNIT_ASSERT(r.events[1] == "text:" + std::string(200, 'y'));
    }

    void testHundredCoalescedFrames()
    {
        std::string s;
        for (int i = 0; i < 100; ++i)
            WebSocketFrameWriter::appendFrame(s, i % 2 ? WebSocketOpcode::Binary : WebSocketOpcode::Text,
                "m" + std::to_string(i), true, true);
        auto events = parseAll(S, s);
        CPPUNIT_ASSERT_EQUAL(std::size_t(100), events.size());
        CPPUNIT_ASSERT_EQUAL(std::string("text:m0"), events[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("binary:m99"), events[99]);
    }

    void testFragmentedTextWithInterleavedPing()
    {
        std::string s;
        WebSocketFrameWriter::appendFrame(s, WebSocketOpcode::Text, "frag", false, false);
        WebSocketFrameWriter::appendFrame(s, WebSocketOpcode::Ping, "are you there", true, false);
        WebSocketFrameWriter::appendFrame(s, WebSocketOpcode::Continuation, "men", false, false);
        WebSocketFrameWriter::appendFrame(s, WebSocketOpcode::Pong, "yes", true, false);
        WebSocketFrameWriter::appendFrame(s, WebSocketOpcode::Continuation, "ted", true, false);
        auto events = parseAll(C, s);
        std::vector<std::string> expected{"ping:are you there", "pong:yes", "text:fragmented"};
        CPPUNIT_ASSERT(events == expected);
    }

    void testUtf8AcrossFragments()
    {
        // U+1F600 (F0 9F 98 80) split over three fragments is valid...
        std::string ok;
        WebSocketFrameWriter::appendFrame(ok, WebSocketOpcode::Text, "a\xF0", false, true);
        WebSocketFrameWriter::appendFrame(ok, WebSocketOpcode::Continuation, "\x9F\x98", false, true);
        WebSocketFrameWriter::appendFrame(ok, WebSocketOpcode::Continuation, "\x80z", true, true);
        CPPUNIT_ASSERT_EQUAL(std::string("text:a\xF0\x9F\x98\x80z"), lastEvent(S, ok));
        // ...but a bad continuation byte in the next fragment fails, and fails before the message ends.
        std::string bad;
        WebSocketFrameWriter::appendFrame(bad, WebSocketOpcode::Text, "a\xE2\x82", false, true);
        WebSocketFrameWriter::appendFrame(bad, WebSocketOpcode::Continuation, "(", false, true);
        CPPUNIT_ASSERT_EQUAL(std::string("error:1007"), lastEvent(S, bad));
        // A message that ends inside a sequence.
        std::string truncated;
        WebSocketFrameWriter::appendFrame(truncated, WebSocketOpcode::Text, "a\xE2\x82", false, true);
        WebSocketFrameWriter::appendFrame(truncated, WebSocketOpcode::Continuation, "", true, true);
        CPPUNIT_ASSERT_EQUAL(std::string("error:1007"), lastEvent(S, truncated));
        // Binary messages are not UTF-8 checked.
        std::string bin;
        WebSocketFrameWriter::appendFrame(bin, WebSocketOpcode::Binary, "\xFF\xFE", true, true);
        CPPUNIT_ASSERT_EQUAL(std::string("binary:\xFF\xFE"), lastEvent(S, bin));
    }

    void testInvalidUtf8()
    {
        const char* invalid[] = {
            "\xC0\xAF",          // overlong '/'
            "\xE0\x80\xAF",      // overlong 3-byte
            "\xF0\x80\x80\xAF",  // overlong 4-byte
            "\xED\xA0\x80",      // UTF-16 surrogate D800
            "\xED\xBF\xBF",      // surrogate DFFF
            "\xF4\x90\x80\x80",  // U+110000
            "\xF5\x80\x80\x80",  // invalid lead
            "\xFF",              //
            "\x80",              // lone continuation
            "ab\xCE",            // truncated at end
        };
        for (const char* s : invalid)
        {
            std::string f;
            WebSocketFrameWriter::appendFrame(f, WebSocketOpcode::Text, s, true, true);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(s, std::string("error:1007"), lastEvent(S, f));
        }
        const char* valid[] = {"\xF4\x8F\xBF\xBF", "\xED\x9F\xBF", "\xEE\x80\x80", "\xC2\x80", "\xEF\xBF\xBF",
            "plain ascii long enough for the word path 0123456789"};
        for (const char* s : valid)
        {
            std::string f;
            WebSocketFrameWriter::appendFrame(f, WebSocketOpcode::Text, s, true, true);
            CPPUNIT_ASSERT_EQUAL(std::string("text:") + s, lastEvent(S, f));
        }
        // close reason must be UTF-8 too
        CPPUNIT_ASSERT_EQUAL(std::string("error:1007"), lastEvent(S, rawFrame(0x88, closePayload(1000, "\xC0\xAF"), true)));
    }

    void testReservedBitsAndOpcodes()
    {
        for (std::uint8_t rsv : {0x10, 0x20, 0x40})
            CPPUNIT_ASSERT_EQUAL(std::string("error:1002"), lastEvent(S, rawFrame(0x81 | rsv, "x", true)));
        for (std::uint8_t op : {0x3, 0x4, 0x7, 0xB, 0xF})
            CPPUNIT_ASSERT_EQUAL(std::string("error:1002"), lastEvent(S, rawFrame(0x80 | op, "", true)));
    }

    void testControlFrameRules()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("error:1002"), lastEvent(S, rawFrame(0x09, "x", true)));  // ping FIN=0
        CPPUNIT_ASSERT_EQUAL(std::string("error:1002"), lastEvent(S, rawFrame(0x88, std::string(126, 'x'), true)));
        CPPUNIT_ASSERT_EQUAL(std::string("ping:" + std::string(125, 'p')), lastEvent(S, rawFrame(0x89, std::string(125, 'p'), true)));
        // 125 bytes announced with the 16-bit form is still a control frame > 125 in encoding terms: rejected
        CPPUNIT_ASSERT_EQUAL(std::string("error:1002"), lastEvent(S, rawFrame(0x89, std::string(10, 'p'), true, 16)));
        CPPUNIT_ASSERT_EQUAL(std::string("error:1002"), lastEvent(S, rawFrame(0x88, "x", true))); // close len 1
    }

    void testContinuationRules()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("error:1002"), lastEvent(S, rawFrame(0x80, "orphan", true)));
        std::string s = rawFrame(0x01, "start", true) + rawFrame(0x81, "new", true);
        CPPUNIT_ASSERT_EQUAL(std::string("error:1002"), lastEvent(S, s));
        std::string b = rawFrame(0x02, "start", true) + rawFrame(0x82, "new", true);
        CPPUNIT_ASSERT_EQUAL(std::string("error:1002"), lastEvent(S, b));
        std::string ok = rawFrame(0x02, "ab", true) + rawFrame(0x00, "cd", true) + rawFrame(0x80, "ef", true) +
            rawFrame(0x81, "next", true);
        auto events = parseAll(S, ok);
        CPPUNIT_ASSERT(events == std::vector<std::string>({"binary:abcdef", "text:next"}));
    }

    void testLengthMsb()
    {
        std::string f;
        f.push_back(static_cast<char>(0x82));
        f.push_back(static_cast<char>(0x80 | 127));
        f.push_back(static_cast<char>(0x80));
        f.append(7, '\0');
        f.append("\x01\x02\x03\x04", 4);
        CPPUNIT_ASSERT_EQUAL(std::string("error:1002"), lastEvent(S, f));
    }

    void testCloseCodes()
    {
        for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999})
            CPPUNIT_ASSERT_EQUAL(std::string("close:") + std::to_string(code) + ":r",
                lastEvent(S, rawFrame(0x88, closePayload(static_cast<std::uint16_t>(code), "r"), true)));
        for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(code), std::string("error:1002"),
                lastEvent(S, rawFrame(0x88, closePayload(static_cast<std::uint16_t>(code), ""), true)));
        CPPUNIT_ASSERT_EQUAL(std::string("close:1005:"), lastEvent(S, rawFrame(0x88, "", true)));
        CPPUNIT_ASSERT_EQUAL(std::string("close:1000:"), lastEvent(S, rawFrame(0x88, closePayload(1000, ""), true)));
    }

    void testMaskingRules()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("error:1002"), lastEvent(S, rawFrame(0x81, "x", false)));
        CPPUNIT_ASSERT_EQUAL(std::string("error:1002"), lastEvent(C, rawFrame(0x81, "x", true)));
        CPPUNIT_ASSERT_EQUAL(std::string("text:x"), lastEvent(C, rawFrame(0x81, "x", false)));
        CPPUNIT_ASSERT_EQUAL(std::string("text:x"), lastEvent(S, rawFrame(0x81, "x", true)));
        // control frames follow the same rule
        CPPUNIT_ASSERT_EQUAL(std::string("error:1002"), lastEvent(S, rawFrame(0x89, "", false)));
    }

    void testMaxMessageSize()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("error:1009"), lastEvent(S, rawFrame(0x82, std::string(1001, 'x'), true), 1000));
        CPPUNIT_ASSERT_EQUAL(std::string("binary:" + std::string(1000, 'x')),
            lastEvent(S, rawFrame(0x82, std::string(1000, 'x'), true), 1000));
        std::string frags = rawFrame(0x02, std::string(600, 'x'), true) + rawFrame(0x80, std::string(401, 'x'), true);
        CPPUNIT_ASSERT_EQUAL(std::string("error:1009"), lastEvent(S, frags, 1000));
        // the 64-bit form with a huge (MSB clear) length is rejected before any payload arrives
        std::string huge;
        huge.push_back(static_cast<char>(0x82));
        huge.push_back(static_cast<char>(0x80 | 127));
        huge.append("\x00\x00\x01\x00\x00\x00\x00\x00", 8);
        huge.append("\x01\x02\x03\x04", 4);
        CPPUNIT_ASSERT_EQUAL(std::string("error:1009"), lastEvent(S, huge));
    }

    void testOneMebibyteMessage()
    {
        std::string big(1 << 20, '\0');
        for (std::size_t i = 0; i < big.size(); ++i)
            big[i] = static_cast<char>('a' + i % 26);
        std::string f;
        WebSocketFrameWriter::appendFrame(f, WebSocketOpcode::Text, big, true, true);
        for (bool inPlace : {false, true})
        {
            Recorder r;
            WebSocketFrameParser p(S, 1 << 20, r);
            std::string copy = f;
            std::size_t cuts[] = {0, 3, 100000, 700001, copy.size()};
            for (int i = 0; i < 4; ++i)
            {
                if (inPlace)
                    p.feedInPlace(copy.data() + cuts[i], cuts[i + 1] - cuts[i]);
                else
                    p.feed(copy.data() + cuts[i], cuts[i + 1] - cuts[i]);
            }
            CPPUNIT_ASSERT_EQUAL(std::size_t(1), r.events.size());
            CPPUNIT_ASSERT(r.events[0] == "text:" + big);
            CPPUNIT_ASSERT_EQUAL(std::size_t(0), p.bufferedBytes());
        }
        // in one piece through feedInPlace: delivered in place
        Recorder r;
        WebSocketFrameParser p(S, 1 << 20, r);
        std::string copy = f;
        p.feedInPlace(copy.data(), copy.size());
        CPPUNIT_ASSERT(r.lastView >= copy.data() && r.lastView < copy.data() + copy.size());
    }

    void testStopsAfterErrorAndClose()
    {
        Recorder r;
        WebSocketFrameParser p(S, 1 << 20, r);
        std::string s = rawFrame(0x81, "ok", true) + rawFrame(0x81, "bad", false) + rawFrame(0x81, "after", true);
        std::size_t used = p.feed(s.data(), s.size());
        CPPUNIT_ASSERT(used < s.size());
        CPPUNIT_ASSERT(p.failed());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), p.feed(s.data(), s.size()));
        CPPUNIT_ASSERT(r.events == std::vector<std::string>({"text:ok", "error:1002"}));

        Recorder r2;
        WebSocketFrameParser p2(S, 1 << 20, r2);
        std::string c = rawFrame(0x88, closePayload(1000, ""), true) + rawFrame(0x81, "after", true);
        CPPUNIT_ASSERT(p2.feed(c.data(), c.size()) < c.size());
        CPPUNIT_ASSERT(p2.closeReceived());
        CPPUNIT_ASSERT(r2.events == std::vector<std::string>({"close:1000:"}));
    }

    void testZeroCopyViews()
    {
        // client role (unmasked frames): even the const feed() delivers a view into the input
        std::string f = rawFrame(0x81, "zero copy", false);
        Recorder r;
        WebSocketFrameParser p(C, 1 << 20, r);
        p.feed(f.data(), f.size());
        CPPUNIT_ASSERT(r.lastView == f.data() + 2);
        // server role, masked: feedInPlace unmasks in the caller's buffer
        std::string m = rawFrame(0x81, "zero copy", true);
        Recorder r2;
        WebSocketFrameParser p2(S, 1 << 20, r2);
        p2.feedInPlace(m.data(), m.size());
        CPPUNIT_ASSERT(r2.lastView == m.data() + 6);
        CPPUNIT_ASSERT_EQUAL(std::string("text:zero copy"), r2.events.at(0));
    }

    void testWriterRoundTrip()
    {
        for (std::size_t size : {0u, 1u, 125u, 126u, 127u, 65535u, 65536u, 200000u})
        {
            std::string payload(size, '\0');
            for (std::size_t i = 0; i < size; ++i)
                payload[i] = static_cast<char>(i * 31);
            for (bool mask : {false, true})
            {
                std::string f;
                WebSocketFrameWriter::appendFrame(f, WebSocketOpcode::Binary, payload, true, mask);
                CPPUNIT_ASSERT_EQUAL(WebSocketFrameWriter::headerSize(size, mask) + size, f.size());
                auto events = parseAll(mask ? S : C, f);
                CPPUNIT_ASSERT_EQUAL(std::size_t(1), events.size());
                CPPUNIT_ASSERT(events[0] == "binary:" + payload);
            }
        }
        // masking keys differ between frames
        std::string a, b;
        WebSocketFrameWriter::appendFrame(a, WebSocketOpcode::Text, "same", true, true);
        WebSocketFrameWriter::appendFrame(b, WebSocketOpcode::Text, "same", true, true);
        CPPUNIT_ASSERT(a != b);
        std::string c;
        WebSocketFrameWriter::appendClose(c, 4000, "done", false);
        CPPUNIT_ASSERT_EQUAL(std::string("close:4000:done"), lastEvent(C, c));
        std::string n;
        WebSocketFrameWriter::appendClose(n, WebSocketCloseCode::NoStatus, "ignored", true);
        CPPUNIT_ASSERT_EQUAL(std::string("close:1005:"), lastEvent(S, n));
    }

    void testCloseReasonTruncation()
    {
        std::string reason = std::string(122, 'r') + "\xE2\x82\xAC"; // 125 bytes; the euro sign straddles 123
        std::string c;
        WebSocketFrameWriter::appendClose(c, 1000, reason, true);
        CPPUNIT_ASSERT_EQUAL(std::string("close:1000:") + std::string(122, 'r'), lastEvent(S, c));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebSocketFrameParserTest);
