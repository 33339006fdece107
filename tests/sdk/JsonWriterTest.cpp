// JsonWriterTest.cpp: JsonWriter output shape, escaping, numbers, and writer→parser round trips.
#include "patchbay/sdk/support/Json.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>

using patchbay::sdk::support::JsonDocument;
using patchbay::sdk::support::JsonWriter;

class JsonWriterTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(JsonWriterTest);
    CPPUNIT_TEST(testShape);
    CPPUNIT_TEST(testEscaping);
    CPPUNIT_TEST(testInvalidUtf8Replaced);
    CPPUNIT_TEST(testNumbers);
    CPPUNIT_TEST(testRaw);
    CPPUNIT_TEST(testAppendsToExistingBuffer);
    CPPUNIT_TEST(testRoundTripRandomStrings);
    CPPUNIT_TEST_SUITE_END();

public:
    void testShape()
    {
        std::string out;
        JsonWriter w(out);
        w.beginObject()
            .key("event")
            .value("mark")
            .key("list")
            .beginArray()
            .value(1)
            .beginObject()
            .endObject()
            .beginArray()
            .endArray()
            .null()
            .value(false)
            .endArray()
            .key("o")
            .beginObject()
            .key("n")
            .value(std::string("s"))
            .endObject()
            .endObject();
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"event":"mark","list":[1,{},[],null,false],"o":{"n":"s"}})"), out);
        JsonDocument doc;
        CPPUNIT_ASSERT(doc.parse(out));
    }

    void testEscaping()
    {
        std::string out;
        static const char input[] = "q\" b\\ s/ \n\r\t\b\f \x01\x1F\x7F \0end";
        JsonWriter::appendQuoted(out, std::string(input, sizeof input - 1));
        CPPUNIT_ASSERT_EQUAL(std::string(R"("q\" b\\ s/ \u000a\u000d\u0009\u0008\u000c \u0001\u001f)"
                                         "\x7F"
                                         R"( \u0000end")"),
                             out);
        out.clear();
        JsonWriter::appendQuoted(out, "Jos\xC3\xA9 \xF0\x9F\x98\x80 \xE2\x82\xAC");
        CPPUNIT_ASSERT_EQUAL(std::string("\"Jos\xC3\xA9 \xF0\x9F\x98\x80 \xE2\x82\xAC\""), out);
        std::string key;
        JsonWriter(key).beginObject().key("k\"ey").value("v").endObject();
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"k\"ey":"v"})"), key);
    }

    void testInvalidUtf8Replaced()
    {
        std::string out;
        JsonWriter::appendQuoted(out, "a\xFF" "b\xC3" "c\xED\xA0\x80" "d\xC0\xAF");
        CPPUNIT_ASSERT(out.find('\xFF') == std::string::npos);
        JsonDocument doc;
        CPPUNIT_ASSERT(doc.parse(out));
        const std::string r = "\xEF\xBF\xBD";
        CPPUNIT_ASSERT_EQUAL("a" + r + "b" + r + "c" + r + r + r + "d" + r + r, std::string(doc.root().asString()));
    }

    void testNumbers()
    {
        std::string out;
        JsonWriter w(out);
        w.beginArray()
            .value(std::numeric_limits<std::int64_t>::min())
            .value(std::numeric_limits<std::int64_t>::max())
            .value(std::numeric_limits<std::uint64_t>::max())
            .value(0)
            .value(-1)
            .value(0.1)
            .value(-2.5e-300)
            .value(1e300)
            .value(std::nan(""))
            .value(std::numeric_limits<double>::infinity())
            .value(true)
            .endArray();
        CPPUNIT_ASSERT_EQUAL(std::string("[-9223372036854775808,9223372036854775807,18446744073709551615,0,-1,0.1,"
                                         "-2.5e-300,1e+300,null,null,true]"),
                             out);
        JsonDocument doc;
        CPPUNIT_ASSERT(doc.parse(out));
        CPPUNIT_ASSERT_EQUAL(std::numeric_limits<std::int64_t>::min(), doc.root()[0].asInt64());
        CPPUNIT_ASSERT_EQUAL(0.1, doc.root()[5].asDouble());
        CPPUNIT_ASSERT_EQUAL(-2.5e-300, doc.root()[6].asDouble());
    }

    void testRaw()
    {
        std::string out;
        JsonWriter(out).beginObject().key("a").raw(R"({"pre":"encoded"})").key("b").raw("[1,2]").endObject();
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"a":{"pre":"encoded"},"b":[1,2]})"), out);
    }

    void testAppendsToExistingBuffer()
    {
        std::string out = "prefix:";
        JsonWriter w(out);
        w.value("x");
        CPPUNIT_ASSERT_EQUAL(std::string("prefix:\"x\""), out);
        CPPUNIT_ASSERT(&w.buffer() == &out);
    }

    void testRoundTripRandomStrings()
    {
        std::mt19937 rng(7);
        JsonDocument doc;
        std::string out;
        for (int round = 0; round < 3000; ++round)
        {
            std::string text;
            const int len = static_cast<int>(rng() % 40);
            for (int i = 0; i < len; ++i)
            {
                std::uint32_t cp = 0;
                switch (rng() % 4)
                {
                case 0: cp = rng() % 0x20; break;
                case 1: cp = 0x20 + rng() % 0x60; break;
                case 2: cp = 0x80 + rng() % 0xD780; break;
                default: cp = 0x10000 + rng() % 0x100000; break;
                }
                char buffer[4];
                text.append(buffer, patchbay::sdk::support::Utf8::encode(cp, buffer));
            }
            out.clear();
            JsonWriter(out).beginObject().key(text).value(text).endObject();
            std::string error;
            CPPUNIT_ASSERT_MESSAGE(error, doc.parse(out, &error));
            CPPUNIT_ASSERT(doc.root()[text].asString() == text);
            CPPUNIT_ASSERT(doc.root().begin()->key() == text);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JsonWriterTest);
