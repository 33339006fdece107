// MediaStreamCodecTest.cpp: every §6 message, shuffled fields, escapes, malformed input, and allocation-free hot path.
#include "AllocationCounter.h"
#include "protocol/MediaStreamCodec.h"

#include "patchbay/sdk/support/JsonDocument.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <new>
#include <random>
#include <string>
#include <vector>

using patchbay::twilio::MediaStreamCodec;
using patchbay::twilio::MediaStreamMessage;
using Event = MediaStreamMessage::Event;

namespace {

const std::string kStreamSid = "MZ00000000000000000000000000000001";
const std::string kPayload = std::string(216, 'A').replace(0, 12, "//7+/n5+fn5+");

const std::string kConnected = R"({"event":"connected","protocol":"Call","version":"1.0.0"})";
const std::string kStart =
    R"({"event":"start","sequenceNumber":"1","streamSid":"MZ00000000000000000000000000000001",
 "start":{"streamSid":"MZ00000000000000000000000000000001",
          "accountSid":"AC00000000000000000000000000000001",
          "callSid":"CA00000000000000000000000000000001",
          "tracks":["inbound"],
          "customParameters":{"tenant":"t_42","callToken":"3f9c0d7e"},
          "mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}}})";
const std::string kMedia = R"({"event":"media","sequenceNumber":"7","streamSid":"MZ00000000000000000000000000000001",
 "media":{"track":"inbound","chunk":"6","timestamp":"120","payload":")" + kPayload + R"("}})";
const std::string kMark = R"({"event":"mark","sequenceNumber":"9","streamSid":"MZ00000000000000000000000000000001","mark":{"name":"resp-12"}})";
const std::string kDtmf = R"({"event":"dtmf","streamSid":"MZ00000000000000000000000000000001","sequenceNumber":"5","dtmf":{"track":"inbound_track","digit":"1"}})";
const std::string kStop = R"({"event":"stop","sequenceNumber":"42","streamSid":"MZ00000000000000000000000000000001",
 "stop":{"accountSid":"AC00000000000000000000000000000001","callSid":"CA00000000000000000000000000000001"}})";

// Re-serialises a flat list of "key":value members in the given order.
std::string object(const std::vector<std::string>& members)
{
    std::string out = "{";
    for (std::size_t i = 0; i < members.size(); ++i)
        out += (i ? "," : "") + members[i];
    return out + "}";
}

} // namespace

class MediaStreamCodecTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(MediaStreamCodecTest);
    CPPUNIT_TEST(testConnected);
    CPPUNIT_TEST(testStart);
    CPPUNIT_TEST(testMedia);
    CPPUNIT_TEST(testMarkDtmfStop);
    CPPUNIT_TEST(testUnknownEvent);
    CPPUNIT_TEST(testShuffledFields);
    CPPUNIT_TEST(testUnicodeEscapes);
    CPPUNIT_TEST(testOutboundEncoders);
    CPPUNIT_TEST(testMalformedJson);
    CPPUNIT_TEST(testMissingOrWrongFields);
    CPPUNIT_TEST(testHugeAndGarbageInput);
    CPPUNIT_TEST(testHotPathDoesNotAllocate);
    CPPUNIT_TEST(testPayloadSizeAndDtmfDigits);
    CPPUNIT_TEST_SUITE_END();

public:
    void testConnected()
    {
        MediaStreamCodec codec;
        MediaStreamMessage msg;
        CPPUNIT_ASSERT_MESSAGE(codec.error(), codec.decode(kConnected, msg));
        CPPUNIT_ASSERT(msg.event == Event::Connected);
        CPPUNIT_ASSERT_EQUAL(std::string("Call"), msg.connected.protocol);
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), msg.connected.version);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(-1), msg.sequenceNumber);
        CPPUNIT_ASSERT(msg.streamSid.empty());
        CPPUNIT_ASSERT(codec.decode(R"({"event":"connected"})", msg));
    }

    void testStart()
    {
        MediaStreamCodec codec;
        MediaStreamMessage msg;
        CPPUNIT_ASSERT_MESSAGE(codec.error(), codec.decode(kStart, msg));
        CPPUNIT_ASSERT(msg.event == Event::Start);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1), msg.sequenceNumber);
        CPPUNIT_ASSERT(msg.streamSid == kStreamSid);
        CPPUNIT_ASSERT_EQUAL(kStreamSid, msg.start.streamSid);
        CPPUNIT_ASSERT_EQUAL(std::string("AC00000000000000000000000000000001"), msg.start.accountSid);
        CPPUNIT_ASSERT_EQUAL(std::string("CA00000000000000000000000000000001"), msg.start.callSid);
        CPPUNIT_ASSERT((msg.start.tracks == std::vector<std::string>{"inbound"}));
        const std::vector<std::pair<std::string, std::string>> params = {{"tenant", "t_42"}, {"callToken", "3f9c0d7e"}};
        CPPUNIT_ASSERT(msg.start.customParameters == params);
        CPPUNIT_ASSERT_EQUAL(std::string("3f9c0d7e"), *msg.start.parameter("callToken"));
        CPPUNIT_ASSERT(msg.start.parameter("nope") == nullptr);
        CPPUNIT_ASSERT_EQUAL(std::string("audio/x-mulaw"), msg.start.mediaFormat.encoding);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(8000), msg.start.mediaFormat.sampleRate);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1), msg.start.mediaFormat.channels);

        // streamSid only inside "start", minimal fields, owned strings outlive the input.
        std::string minimal = R"({"event":"start","start":{"streamSid":"MZ9","accountSid":"AC9","callSid":"CA9"}})";
        CPPUNIT_ASSERT_MESSAGE(codec.error(), codec.decode(minimal, msg));
        minimal.assign(minimal.size(), 'x');
        CPPUNIT_ASSERT_EQUAL(std::string("CA9"), msg.start.callSid);
        CPPUNIT_ASSERT_EQUAL(std::string("MZ9"), msg.start.streamSid);
        CPPUNIT_ASSERT(msg.start.tracks.empty() && msg.start.customParameters.empty());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(0), msg.start.mediaFormat.sampleRate);
    }

    void testMedia()
    {
        MediaStreamCodec codec;
        MediaStreamMessage msg;
        CPPUNIT_ASSERT_MESSAGE(codec.error(), codec.decode(kMedia, msg));
        CPPUNIT_ASSERT(msg.event == Event::Media);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(7), msg.sequenceNumber);
        CPPUNIT_ASSERT(msg.streamSid == kStreamSid);
        CPPUNIT_ASSERT(msg.media.track == "inbound");
        CPPUNIT_ASSERT_EQUAL(std::int64_t(6), msg.media.chunk);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(120), msg.media.timestamp);
        CPPUNIT_ASSERT(msg.media.payload == kPayload);
        // The payload is a view into the received text: no copy, no decode.
        CPPUNIT_ASSERT(msg.media.payload.data() > kMedia.data() && msg.media.payload.data() < kMedia.data() + kMedia.size());
        // Optional fields absent; numbers instead of strings accepted.
        CPPUNIT_ASSERT(codec.decode(R"({"event":"media","streamSid":"MZ1","media":{"payload":""}})", msg));
        CPPUNIT_ASSERT(msg.media.payload.empty() && msg.media.chunk == -1 && msg.media.timestamp == -1 && msg.media.track.empty());
        CPPUNIT_ASSERT(codec.decode(R"({"event":"media","sequenceNumber":3,"streamSid":"MZ1","media":{"timestamp":99999999999,"payload":"AA=="}})", msg));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(3), msg.sequenceNumber);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(99999999999), msg.media.timestamp);
    }

    void testMarkDtmfStop()
    {
        MediaStreamCodec codec;
        MediaStreamMessage msg;
        CPPUNIT_ASSERT_MESSAGE(codec.error(), codec.decode(kMark, msg));
        CPPUNIT_ASSERT(msg.event == Event::Mark && msg.mark.name == "resp-12" && msg.sequenceNumber == 9);
        CPPUNIT_ASSERT_MESSAGE(codec.error(), codec.decode(kDtmf, msg));
        CPPUNIT_ASSERT(msg.event == Event::Dtmf && msg.dtmf.digit == "1" && msg.dtmf.track == "inbound_track");
        CPPUNIT_ASSERT_EQUAL(std::int64_t(5), msg.sequenceNumber);
        CPPUNIT_ASSERT_MESSAGE(codec.error(), codec.decode(kStop, msg));
        CPPUNIT_ASSERT(msg.event == Event::Stop && msg.sequenceNumber == 42);
        CPPUNIT_ASSERT_EQUAL(std::string("CA00000000000000000000000000000001"), msg.stop.callSid);
        CPPUNIT_ASSERT_EQUAL(std::string("AC00000000000000000000000000000001"), msg.stop.accountSid);
        CPPUNIT_ASSERT(codec.decode(R"({"event":"stop","streamSid":"MZ1"})", msg));
        CPPUNIT_ASSERT(msg.event == Event::Stop && msg.stop.callSid.empty());
        // Earlier message contents do not leak into the next one.
        CPPUNIT_ASSERT(msg.mark.name.empty() && msg.dtmf.digit.empty());
    }

    void testUnknownEvent()
    {
        MediaStreamCodec codec;
        MediaStreamMessage msg;
        CPPUNIT_ASSERT(codec.decode(R"({"event":"transcription","sequenceNumber":"3","streamSid":"MZ1","x":{"y":[1]}})", msg));
        CPPUNIT_ASSERT(msg.event == Event::Unknown);
        CPPUNIT_ASSERT(msg.eventName == "transcription");
        CPPUNIT_ASSERT(msg.streamSid == "MZ1" && msg.sequenceNumber == 3);
        // An unknown event's odd shape is not our business.
        CPPUNIT_ASSERT(codec.decode(R"({"event":"future","sequenceNumber":{"a":1},"streamSid":7})", msg));
        CPPUNIT_ASSERT(msg.event == Event::Unknown && msg.sequenceNumber == -1 && msg.streamSid.empty());
        // "clear" is something we send, never receive.
        CPPUNIT_ASSERT(codec.decode(R"({"event":"clear","streamSid":"MZ1"})", msg));
        CPPUNIT_ASSERT(msg.event == Event::Unknown);
        CPPUNIT_ASSERT(codec.decode(R"({"event":"","streamSid":"MZ1"})", msg));
        CPPUNIT_ASSERT(msg.event == Event::Unknown);
        CPPUNIT_ASSERT(codec.decode(R"({"event":"MEDIA","streamSid":"MZ1"})", msg));
        CPPUNIT_ASSERT(msg.event == Event::Unknown);
    }

    void testShuffledFields()
    {
        MediaStreamCodec codec;
        MediaStreamMessage msg;
        std::vector<std::string> media = {R"("event":"media")", R"("sequenceNumber":"7")", R"("streamSid":"MZ1")",
                                          R"("extra":{"nested":[1,2,{"z":null}]})",
                                          R"("media":{"payload":"AAEC","timestamp":"120","chunk":"6","track":"inbound"})"};
        std::sort(media.begin(), media.end());
        int permutations = 0;
        do
        {
            const std::string text = object(media);
            CPPUNIT_ASSERT_MESSAGE(text + ": " + codec.error(), codec.decode(text, msg));
            CPPUNIT_ASSERT(msg.event == Event::Media && msg.media.payload == "AAEC" && msg.media.timestamp == 120 &&
                           msg.media.chunk == 6 && msg.sequenceNumber == 7 && msg.streamSid == "MZ1");
            ++permutations;
        } while (std::next_permutation(media.begin(), media.end()));
        CPPUNIT_ASSERT_EQUAL(120, permutations);

        std::vector<std::string> start = {
            R"("start":{"mediaFormat":{"channels":1,"sampleRate":8000,"encoding":"audio/x-mulaw"},"customParameters":{"b":"2","a":"1"},"tracks":["inbound"],"callSid":"CA1","accountSid":"AC1","streamSid":"MZ1"})",
            R"("streamSid":"MZ1")", R"("event":"start")", R"("sequenceNumber":"1")"};
        std::sort(start.begin(), start.end());
        do
        {
            CPPUNIT_ASSERT_MESSAGE(codec.error(), codec.decode(object(start), msg));
            CPPUNIT_ASSERT(msg.event == Event::Start && msg.start.callSid == "CA1" && msg.start.accountSid == "AC1");
            CPPUNIT_ASSERT(msg.start.customParameters.size() == 2 && msg.start.customParameters[0].first == "b");
            CPPUNIT_ASSERT(msg.start.mediaFormat.sampleRate == 8000 && msg.start.mediaFormat.channels == 1);
        } while (std::next_permutation(start.begin(), start.end()));
    }

    void testUnicodeEscapes()
    {
        MediaStreamCodec codec;
        MediaStreamMessage msg;
        const std::string start =
            R"({"\u0065vent":"st\u0061rt","streamSid":"MZ\u0031","start":{"accountSid":"AC1","callSid":"CA\u0031",)"
            R"("customParameters":{"name":"Jos\u00e9 \ud83d\ude00","emoji\u2603":"\"quoted\" \\ back\/slash"}}})";
        CPPUNIT_ASSERT_MESSAGE(codec.error(), codec.decode(start, msg));
        CPPUNIT_ASSERT(msg.event == Event::Start && msg.streamSid == "MZ1" && msg.start.callSid == "CA1");
        CPPUNIT_ASSERT_EQUAL(std::string("Jos\xC3\xA9 \xF0\x9F\x98\x80"), *msg.start.parameter("name"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"quoted\" \\ back/slash"), *msg.start.parameter("emoji\xE2\x98\x83"));
        // Some encoders escape '/' in base64: the payload comes out unescaped.
        CPPUNIT_ASSERT(codec.decode(R"({"event":"media","streamSid":"MZ1","media":{"payload":"\/\/7+\/n5+"}})", msg));
        CPPUNIT_ASSERT(msg.media.payload == "//7+/n5+");
        CPPUNIT_ASSERT(!codec.decode(R"({"event":"media","streamSid":"MZ1","media":{"payload":"\ud83d"}})", msg));
    }

    void testOutboundEncoders()
    {
        MediaStreamCodec codec;
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"event":"media","streamSid":"MZ1","media":{"payload":"f39/f39/"}})"),
                             std::string(codec.encodeMedia("MZ1", "f39/f39/")));
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"event":"mark","streamSid":"MZ1","mark":{"name":"resp-12"}})"),
                             std::string(codec.encodeMark("MZ1", "resp-12")));
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"event":"clear","streamSid":"MZ1"})"), std::string(codec.encodeClear("MZ1")));
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"event":"mark","streamSid":"MZ\"1","mark":{"name":"a\"b\\c\u000a"}})"),
                             std::string(codec.encodeMark("MZ\"1", "a\"b\\c\n")));
        std::string out = "stale";
        MediaStreamCodec::encodeClear(out, "MZ2");
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"event":"clear","streamSid":"MZ2"})"), out);
        // What we send parses back as the same mark/media (Twilio echoes marks with the same shape).
        MediaStreamMessage msg;
        MediaStreamCodec::encodeMark(out, "MZ2", "m\xC3\xA9");
        CPPUNIT_ASSERT(codec.decode(out, msg) && msg.event == Event::Mark && msg.mark.name == "m\xC3\xA9");
        MediaStreamCodec::encodeMedia(out, "MZ2", kPayload);
        CPPUNIT_ASSERT(codec.decode(out, msg) && msg.event == Event::Media && msg.media.payload == kPayload);
    }

    void testMalformedJson()
    {
        const std::vector<std::string> malformed = {
            "", " ", "{", "}", "{\"event\":\"media\"", "{\"event\":\"media\",}", "{event:\"media\"}", "{'event':'media'}",
            "{\"event\":\"media\"}}", "{\"event\":\"media\"} x", "{\"event\":\"med\nia\"}", "{\"event\":\"media\",\"streamSid\":\"MZ\\x\"}",
            "{\"event\":\"media\",\"sequenceNumber\":01}", "{\"event\":\"m\xFF\"}", "[{\"event\":\"media\"]", "nul", std::string(1, '\0'),
            kMedia.substr(0, kMedia.size() / 2), kStart.substr(0, kStart.size() - 1), kMedia + kMedia};
        MediaStreamCodec codec;
        MediaStreamMessage msg;
        for (const std::string& text : malformed)
        {
            CPPUNIT_ASSERT_MESSAGE("accepted: " + text, !codec.decode(text, msg));
            CPPUNIT_ASSERT_MESSAGE(text, codec.error().find("malformed JSON") == 0);
            CPPUNIT_ASSERT(codec.error().find("offset") != std::string::npos);
        }
    }

    void testMissingOrWrongFields()
    {
        const std::vector<std::pair<std::string, std::string>> cases = {
            {"[]", "not a JSON object"},
            {"\"media\"", "not a JSON object"},
            {"{}", "missing \"event\""},
            {R"({"event":5})", "\"event\" is not a string"},
            {R"({"event":null,"streamSid":"MZ1"})", "\"event\" is not a string"},
            {R"({"event":"media","media":{"payload":"AA=="}})", "missing \"streamSid\""},
            {R"({"event":"media","streamSid":"","media":{"payload":"AA=="}})", "missing \"streamSid\""},
            {R"({"event":"media","streamSid":5,"media":{"payload":"AA=="}})", "\"streamSid\" is not a string"},
            {R"({"event":"media","streamSid":"MZ1"})", "missing \"media\" object"},
            {R"({"event":"media","streamSid":"MZ1","media":"AA=="})", "missing \"media\" object"},
            {R"({"event":"media","streamSid":"MZ1","media":{}})", "missing \"media.payload\""},
            {R"({"event":"media","streamSid":"MZ1","media":{"payload":7}})", "\"media.payload\" is not a string"},
            {R"({"event":"media","streamSid":"MZ1","media":{"payload":"A","chunk":"x"}})", "media.chunk"},
            {R"({"event":"media","streamSid":"MZ1","media":{"payload":"A","timestamp":"-1"}})", "media.timestamp"},
            {R"({"event":"media","streamSid":"MZ1","media":{"payload":"A","timestamp":1.5}})", "media.timestamp"},
            {R"({"event":"media","streamSid":"MZ1","media":{"payload":"A","track":1}})", "media.track"},
            {R"({"event":"media","sequenceNumber":"abc","streamSid":"MZ1","media":{"payload":"A"}})", "sequenceNumber"},
            {R"({"event":"media","sequenceNumber":"","streamSid":"MZ1","media":{"payload":"A"}})", "sequenceNumber"},
            {R"({"event":"media","sequenceNumber":"+1","streamSid":"MZ1","media":{"payload":"A"}})", "sequenceNumber"},
            {R"({"event":"media","sequenceNumber":"99999999999999999999","streamSid":"MZ1","media":{"payload":"A"}})", "sequenceNumber"},
            {R"({"event":"media","sequenceNumber":"9223372036854775808","streamSid":"MZ1","media":{"payload":"A"}})", "sequenceNumber"},
            {R"({"event":"media","sequenceNumber":-1,"streamSid":"MZ1","media":{"payload":"A"}})", "sequenceNumber"},
            {R"({"event":"media","sequenceNumber":null,"streamSid":"MZ1","media":{"payload":"A"}})", "sequenceNumber"},
            {R"({"event":"mark","streamSid":"MZ1"})", "mark.name"},
            {R"({"event":"mark","streamSid":"MZ1","mark":{"name":1}})", "mark.name"},
            {R"({"event":"dtmf","streamSid":"MZ1","dtmf":{}})", "dtmf.digit"},
            {R"({"event":"dtmf","streamSid":"MZ1","dtmf":{"digit":"1","track":[]}})", "dtmf.track"},
            {R"({"event":"stop","streamSid":"MZ1","stop":{"callSid":1}})", "stop."},
            {R"({"event":"stop"})", "missing \"streamSid\""},
            {R"({"event":"start","streamSid":"MZ1"})", "missing \"start\" object"},
            {R"({"event":"start","start":{"accountSid":"AC1","callSid":"CA1"}})", "missing \"streamSid\""},
            {R"({"event":"start","streamSid":"MZ1","start":{"accountSid":"AC1"}})", "start.callSid"},
            {R"({"event":"start","streamSid":"MZ1","start":{"accountSid":"AC1","callSid":""}})", "start.callSid"},
            {R"({"event":"start","streamSid":"MZ1","start":{"callSid":"CA1"}})", "start.accountSid"},
            {R"({"event":"start","streamSid":"MZ1","start":{"streamSid":"MZ2","accountSid":"AC1","callSid":"CA1"}})", "differ"},
            {R"({"event":"start","streamSid":"MZ1","start":{"accountSid":"AC1","callSid":"CA1","tracks":"inbound"}})", "tracks"},
            {R"({"event":"start","streamSid":"MZ1","start":{"accountSid":"AC1","callSid":"CA1","tracks":[1]}})", "tracks"},
            {R"({"event":"start","streamSid":"MZ1","start":{"accountSid":"AC1","callSid":"CA1","customParameters":[]}})", "customParameters"},
            {R"({"event":"start","streamSid":"MZ1","start":{"accountSid":"AC1","callSid":"CA1","customParameters":{"a":1}}})", "customParameters"},
            {R"({"event":"start","streamSid":"MZ1","start":{"accountSid":"AC1","callSid":"CA1","mediaFormat":{"sampleRate":"8000"}}})", "sampleRate"},
            {R"({"event":"start","streamSid":"MZ1","start":{"accountSid":"AC1","callSid":"CA1","mediaFormat":{"encoding":1}}})", "encoding"},
            {R"({"event":"start","streamSid":"MZ1","start":{"accountSid":"AC1","callSid":"CA1","mediaFormat":"mulaw"}})", "mediaFormat"},
            {R"({"event":"connected","protocol":1})", "protocol"}};
        MediaStreamCodec codec;
        MediaStreamMessage msg;
        for (const auto& [text, reason] : cases)
        {
            CPPUNIT_ASSERT_MESSAGE("accepted: " + text, !codec.decode(text, msg));
            CPPUNIT_ASSERT_MESSAGE(text + " -> " + codec.error(), codec.error().find(reason) != std::string::npos);
            // A failed decode leaves no half-filled data behind.
            CPPUNIT_ASSERT(msg.streamSid.empty() && msg.media.payload.empty() && msg.start.callSid.empty());
        }
        // And the codec is still fine afterwards.
        CPPUNIT_ASSERT(codec.decode(kMedia, msg) && codec.error().empty());
    }

    void testHugeAndGarbageInput()
    {
        MediaStreamCodec codec;
        MediaStreamMessage msg;
        const std::string bigPayload(200 * 1024, 'A');
        const std::string big = R"({"event":"media","streamSid":"MZ1","media":{"payload":")" + bigPayload + "\"}}";
        CPPUNIT_ASSERT_MESSAGE(codec.error(), codec.decode(big, msg));
        CPPUNIT_ASSERT_EQUAL(bigPayload.size(), msg.media.payload.size());
        const std::string tooBig = R"({"event":"media","streamSid":"MZ1","media":{"payload":")" +
                                   std::string(MediaStreamCodec::kMaxMessageSize, 'A') + "\"}}";
        CPPUNIT_ASSERT(!codec.decode(tooBig, msg));
        CPPUNIT_ASSERT(codec.error().find("too large") != std::string::npos);
        CPPUNIT_ASSERT(!codec.decode(std::string(100000, '['), msg));
        CPPUNIT_ASSERT(!codec.decode(std::string(100000, '{'), msg));
        std::string deep = R"({"event":"media","streamSid":"MZ1","media":{"payload":"A"},"x":)";
        deep += std::string(70, '[') + std::string(70, ']') + "}";
        CPPUNIT_ASSERT(!codec.decode(deep, msg));

        std::mt19937 rng(2024);
        const std::vector<std::string> seeds = {kConnected, kStart, kMedia, kMark, kDtmf, kStop};
        for (int round = 0; round < 20000; ++round)
        {
            std::string text = seeds[rng() % seeds.size()];
            const int edits = 1 + static_cast<int>(rng() % 3);
            for (int e = 0; e < edits; ++e)
            {
                const std::size_t pos = rng() % text.size();
                if (rng() % 2)
                    text[pos] = static_cast<char>(rng() & 0xFF);
                else
                    text.erase(pos, 1 + rng() % 8);
                if (text.empty())
                    text = "{";
            }
            if (codec.decode(text, msg))
                CPPUNIT_ASSERT(codec.error().empty());
            else
                CPPUNIT_ASSERT(!codec.error().empty());
        }
        for (int round = 0; round < 2000; ++round)
        {
            std::string text(rng() % 400, '\0');
            for (char& c : text)
                c = static_cast<char>(rng() & 0xFF);
            if (!codec.decode(text, msg))
                CPPUNIT_ASSERT(!codec.error().empty());
        }
    }

    void testHotPathDoesNotAllocate()
    {
        MediaStreamCodec codec;
        MediaStreamMessage msg;
        // Warm up: sizes the node array, arena and output buffer.
        for (int i = 0; i < 4; ++i)
        {
            CPPUNIT_ASSERT(codec.decode(kStart, msg));
            CPPUNIT_ASSERT(codec.decode(kMedia, msg));
            CPPUNIT_ASSERT(codec.decode(kMark, msg));
            codec.encodeMedia(kStreamSid, kPayload);
            codec.encodeMark(kStreamSid, "resp-1234567890");
            codec.encodeClear(kStreamSid);
        }
        const std::string escaped = R"({"event":"media","sequenceNumber":"8","streamSid":"MZ1","media":{"payload":"\/\/7+"}})";
        std::string reused;
        MediaStreamCodec::encodeMedia(reused, kStreamSid, kPayload);
        // No CppUnit asserts inside the measured loop: each one builds std::strings.
        const std::uint64_t before = patchbay::testsupport::threadAllocations();
        std::size_t total = 0;
        bool ok = true;
        for (int i = 0; i < 1000; ++i)
        {
            ok = codec.decode(kMedia, msg) && ok;
            total += msg.media.payload.size();
            ok = codec.decode(escaped, msg) && ok;
            ok = codec.decode(kMark, msg) && ok;
            ok = codec.decode(kDtmf, msg) && ok;
            total += codec.encodeMedia(kStreamSid, kPayload).size();
            total += codec.encodeMark(kStreamSid, "resp-12").size();
            total += codec.encodeClear(kStreamSid).size();
            MediaStreamCodec::encodeMedia(reused, kStreamSid, kPayload);
        }
        const std::uint64_t allocations = patchbay::testsupport::threadAllocations() - before;
        CPPUNIT_ASSERT(ok);
        CPPUNIT_ASSERT(total > 0);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), allocations);
        // The counter itself works (guards against the replacement operator new not being linked in).
        const std::uint64_t probe = patchbay::testsupport::threadAllocations();
        auto* heap = new std::string(100, 'x');
        delete heap;
        CPPUNIT_ASSERT(patchbay::testsupport::threadAllocations() > probe);
    }

    void testPayloadSizeAndDtmfDigits()
    {
        // Playout accounting counts audio bytes without decoding the base64 (one pass less per frame).
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), MediaStreamCodec::decodedSize(""));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), MediaStreamCodec::decodedSize("AQID"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), MediaStreamCodec::decodedSize("AQI="));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), MediaStreamCodec::decodedSize("AQ=="));
        CPPUNIT_ASSERT_EQUAL(std::size_t(160), MediaStreamCodec::decodedSize(std::string(212, 'A') + "AA=="));
        for (const char* ok : {"0", "9", "*", "#", "A", "D"})
            CPPUNIT_ASSERT_MESSAGE(ok, MediaStreamCodec::isDtmfDigit(ok));
        for (const char* bad : {"", "12", "E", "a", " ", "w"})
            CPPUNIT_ASSERT_MESSAGE(bad, !MediaStreamCodec::isDtmfDigit(bad));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MediaStreamCodecTest);
