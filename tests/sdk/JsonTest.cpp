// JsonTest.cpp: JsonDocument / JsonValue parsing, strictness (RFC 8259), accessors and reuse.
#include "patchbay/sdk/support/Json.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

using patchbay::sdk::support::JsonDocument;
using patchbay::sdk::support::JsonValue;

class JsonTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(JsonTest);
    CPPUNIT_TEST(testScalarsAtRoot);
    CPPUNIT_TEST(testObjectAccess);
    CPPUNIT_TEST(testMissingNeverThrows);
    CPPUNIT_TEST(testIteration);
    CPPUNIT_TEST(testStringViewsIntoInput);
    CPPUNIT_TEST(testEscapes);
    CPPUNIT_TEST(testSurrogatePairs);
    CPPUNIT_TEST(testEscapedKeys);
    CPPUNIT_TEST(testRawUtf8);
    CPPUNIT_TEST(testNumbers);
    CPPUNIT_TEST(testInvalidDocuments);
    CPPUNIT_TEST(testErrorOffsets);
    CPPUNIT_TEST(testNestingLimit);
    CPPUNIT_TEST(testReuse);
    CPPUNIT_TEST(testCopiesAreDetached);
    CPPUNIT_TEST(testDuplicateKeys);
    CPPUNIT_TEST(testRandomInputNeverCrashes);
    CPPUNIT_TEST_SUITE_END();

public:
    void testScalarsAtRoot()
    {
        JsonDocument doc;
        CPPUNIT_ASSERT(doc.parse("1"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1), doc.root().asInt64());
        CPPUNIT_ASSERT(doc.parse(" \t\r\n\"x\" \n"));
        CPPUNIT_ASSERT_EQUAL(std::string("x"), std::string(doc.root().asString()));
        CPPUNIT_ASSERT(doc.parse("true") && doc.root().isBool() && doc.root().asBool());
        CPPUNIT_ASSERT(doc.parse("false") && doc.root().isBool() && !doc.root().asBool(true));
        CPPUNIT_ASSERT(doc.parse("null") && doc.root().isNull() && doc.root().exists());
        CPPUNIT_ASSERT(doc.parse("{}") && doc.root().isObject() && doc.root().empty());
        CPPUNIT_ASSERT(doc.parse("[]") && doc.root().isArray() && doc.root().size() == 0);
        CPPUNIT_ASSERT(doc.parse("[ ]") && doc.parse("{ }") && doc.parse("\"\""));
    }

    void testObjectAccess()
    {
        JsonDocument doc;
        const std::string text =
            R"({"start":{"callSid":"CA1","n":42,"f":1.5,"b":true,"z":null,"arr":[1,"two",{"three":3}]},"x":"y"})";
        std::string error;
        CPPUNIT_ASSERT_MESSAGE(error, doc.parse(text, &error));
        const JsonValue& root = doc.root();
        CPPUNIT_ASSERT(root.isObject());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), root.size());
        CPPUNIT_ASSERT_EQUAL(std::string("CA1"), std::string(root["start"]["callSid"].asString()));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(42), root["start"]["n"].asInt64());
        CPPUNIT_ASSERT(root["start"]["n"].isInteger());
        CPPUNIT_ASSERT_DOUBLES_EQUAL(1.5, root["start"]["f"].asDouble(), 0.0);
        CPPUNIT_ASSERT(!root["start"]["f"].isInteger());
        CPPUNIT_ASSERT(root["start"]["b"].asBool());
        CPPUNIT_ASSERT(root["start"]["z"].isNull());
        const JsonValue& arr = root["start"]["arr"];
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), arr.size());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1), arr[0].asInt64());
        CPPUNIT_ASSERT_EQUAL(std::string("two"), std::string(arr[1].asString()));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(3), arr[2]["three"].asInt64());
        CPPUNIT_ASSERT(!arr[3].exists());
        CPPUNIT_ASSERT_EQUAL(std::string("y"), std::string(root["x"].asString()));
        CPPUNIT_ASSERT(root.find("x") != nullptr);
        CPPUNIT_ASSERT(root.find("nope") == nullptr);
        CPPUNIT_ASSERT_EQUAL(std::string("x"), std::string(root.find("x")->key()));
    }

    void testMissingNeverThrows()
    {
        JsonDocument doc;
        CPPUNIT_ASSERT(doc.parse(R"({"a":{"b":1},"s":"str","n":5})"));
        const JsonValue& root = doc.root();
        CPPUNIT_ASSERT(!root["x"].exists());
        CPPUNIT_ASSERT(!root["x"]["y"]["z"].exists());
        CPPUNIT_ASSERT(!root["a"]["b"]["c"].exists());
        CPPUNIT_ASSERT(!root["s"][0].exists());
        CPPUNIT_ASSERT(!root[5].exists());
        CPPUNIT_ASSERT(!root["x"].isNull());
        CPPUNIT_ASSERT_EQUAL(std::string("dflt"), std::string(root["x"].asString("dflt")));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(-7), root["s"].asInt64(-7));
        CPPUNIT_ASSERT_EQUAL(std::string("fb"), std::string(root["n"].asString("fb")));
        CPPUNIT_ASSERT(root["x"].begin() == root["x"].end());
        CPPUNIT_ASSERT(root["n"].begin() == root["n"].end());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), root["s"].size());
        CPPUNIT_ASSERT(root["n"].numberText() == "5");
        CPPUNIT_ASSERT(root["s"].numberText().empty());

        JsonDocument failed;
        CPPUNIT_ASSERT(!failed.parse("{"));
        CPPUNIT_ASSERT(!failed.root().exists());
        CPPUNIT_ASSERT(!failed.root()["a"].exists());
        JsonDocument never;
        CPPUNIT_ASSERT(!never.root().exists());
    }

    void testIteration()
    {
        JsonDocument doc;
        CPPUNIT_ASSERT(doc.parse(R"({"a":[1,[2,3],{"x":[4]}],"b":{"c":{"d":5}},"e":6})"));
        std::vector<std::string> keys;
        for (const JsonValue& member : doc.root())
            keys.emplace_back(member.key());
        CPPUNIT_ASSERT((keys == std::vector<std::string>{"a", "b", "e"}));
        std::vector<JsonValue::Type> types;
        for (const JsonValue& item : doc.root()["a"])
            types.push_back(item.type());
        CPPUNIT_ASSERT((types == std::vector<JsonValue::Type>{JsonValue::Type::Number, JsonValue::Type::Array,
                                                              JsonValue::Type::Object}));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(6), doc.root()["e"].asInt64());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(5), doc.root()["b"]["c"]["d"].asInt64());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(4), doc.root()["a"][2]["x"][0].asInt64());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(3), doc.root()["a"][1][1].asInt64());
        int count = 0;
        for (auto it = doc.root()["a"].begin(); it != doc.root()["a"].end(); it++)
            ++count;
        CPPUNIT_ASSERT_EQUAL(3, count);
    }

    void testStringViewsIntoInput()
    {
        JsonDocument doc;
        const std::string text = R"({"plain":"abc/def+==","esc":"a\/b"})";
        CPPUNIT_ASSERT(doc.parse(text));
        const std::string_view plain = doc.root()["plain"].asString();
        CPPUNIT_ASSERT(plain.data() >= text.data() && plain.data() + plain.size() <= text.data() + text.size());
        const std::string_view esc = doc.root()["esc"].asString();
        CPPUNIT_ASSERT_EQUAL(std::string("a/b"), std::string(esc));
        CPPUNIT_ASSERT(esc.data() < text.data() || esc.data() >= text.data() + text.size());
    }

    void testEscapes()
    {
        JsonDocument doc;
        CPPUNIT_ASSERT(doc.parse(R"(["\"\\\/\b\f\n\r\t", "\u0041\u00e9\u20AC", "x\u0000y", "pre\nmid\tpost"])"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"\\/\b\f\n\r\t"), std::string(doc.root()[0].asString()));
        CPPUNIT_ASSERT_EQUAL(std::string("A\xC3\xA9\xE2\x82\xAC"), std::string(doc.root()[1].asString()));
        CPPUNIT_ASSERT_EQUAL(std::string("x\0y", 3), std::string(doc.root()[2].asString()));
        CPPUNIT_ASSERT_EQUAL(std::string("pre\nmid\tpost"), std::string(doc.root()[3].asString()));
    }

    void testSurrogatePairs()
    {
        JsonDocument doc;
        CPPUNIT_ASSERT(doc.parse(R"(["\ud83d\ude00", "\uD834\uDD1E!", "\uDBFF\uDFFF", "\uFFFF"])"));
        CPPUNIT_ASSERT_EQUAL(std::string("\xF0\x9F\x98\x80"), std::string(doc.root()[0].asString()));
        CPPUNIT_ASSERT_EQUAL(std::string("\xF0\x9D\x84\x9E!"), std::string(doc.root()[1].asString()));
        CPPUNIT_ASSERT_EQUAL(std::string("\xF4\x8F\xBF\xBF"), std::string(doc.root()[2].asString()));
        CPPUNIT_ASSERT_EQUAL(std::string("\xEF\xBF\xBF"), std::string(doc.root()[3].asString()));
        for (const char* bad : {R"("\ud800")", R"("\udc00")", R"("\ud800\u0041")", R"("\ud800x")",
                                R"("\ud800\")", R"("\ud800\ud800")", R"("\ude00\ud83d")", R"("\ud83d\u")"})
            CPPUNIT_ASSERT_MESSAGE(bad, !doc.parse(bad));
    }

    void testEscapedKeys()
    {
        JsonDocument doc;
        CPPUNIT_ASSERT(doc.parse(R"({"a\u0062":1,"c\"d":2})"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1), doc.root()["ab"].asInt64());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(2), doc.root()["c\"d"].asInt64());
    }

    void testRawUtf8()
    {
        JsonDocument doc;
        const std::string text = "[\"Jos\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\", \"\xE4\xB8\xAD\\n\"]";
        CPPUNIT_ASSERT(doc.parse(text));
        CPPUNIT_ASSERT_EQUAL(std::string("Jos\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"), std::string(doc.root()[0].asString()));
        CPPUNIT_ASSERT_EQUAL(std::string("\xE4\xB8\xAD\n"), std::string(doc.root()[1].asString()));
        CPPUNIT_ASSERT(doc.parse("\"\x7F\"")); // DEL is not a JSON control character
    }

    void testNumbers()
    {
        JsonDocument doc;
        const std::string text = "[0,-0,123,-45,9223372036854775807,-9223372036854775808,9223372036854775808,"
                                 "-9223372036854775809,1.5,-2.25e2,1e3,1E-2,1e400,-1e400,1e-400,0.000001,"
                                 "12345678901234567890123,2.5,8000.0,0e0]";
        std::string error;
        CPPUNIT_ASSERT_MESSAGE(error, doc.parse(text, &error));
        const JsonValue& a = doc.root();
        CPPUNIT_ASSERT(a[0].isInteger() && a[0].asInt64(9) == 0);
        CPPUNIT_ASSERT(a[1].isInteger() && a[1].asInt64(9) == 0);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(123), a[2].asInt64());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(-45), a[3].asInt64());
        CPPUNIT_ASSERT_EQUAL(std::numeric_limits<std::int64_t>::max(), a[4].asInt64());
        CPPUNIT_ASSERT_EQUAL(std::numeric_limits<std::int64_t>::min(), a[5].asInt64());
        CPPUNIT_ASSERT(!a[6].isInteger() && a[6].isNumber());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(-1), a[6].asInt64(-1));
        CPPUNIT_ASSERT_DOUBLES_EQUAL(9223372036854775808.0, a[6].asDouble(), 0.0);
        CPPUNIT_ASSERT(!a[7].isInteger());
        CPPUNIT_ASSERT_DOUBLES_EQUAL(-9223372036854775808.0, a[7].asDouble(), 0.0);
        CPPUNIT_ASSERT_DOUBLES_EQUAL(1.5, a[8].asDouble(), 0.0);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(7), a[8].asInt64(7));
        CPPUNIT_ASSERT_DOUBLES_EQUAL(-225.0, a[9].asDouble(), 0.0);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(-225), a[9].asInt64());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1000), a[10].asInt64());
        CPPUNIT_ASSERT_DOUBLES_EQUAL(0.01, a[11].asDouble(), 1e-18);
        CPPUNIT_ASSERT(std::isinf(a[12].asDouble()) && a[12].asDouble() > 0);
        CPPUNIT_ASSERT(std::isinf(a[13].asDouble()) && a[13].asDouble() < 0);
        CPPUNIT_ASSERT_EQUAL(0.0, a[14].asDouble(1.0));
        CPPUNIT_ASSERT_DOUBLES_EQUAL(1e-6, a[15].asDouble(), 1e-20);
        CPPUNIT_ASSERT_DOUBLES_EQUAL(1.2345678901234568e22, a[16].asDouble(), 1e7);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(-3), a[17].asInt64(-3));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(8000), a[18].asInt64());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(0), a[19].asInt64(5));
        CPPUNIT_ASSERT(a[9].numberText() == "-2.25e2");
        CPPUNIT_ASSERT_DOUBLES_EQUAL(0.0, doc.root()["x"].asDouble(), 0.0);
    }

    void testInvalidDocuments()
    {
        const std::vector<std::string> invalid = {
            "", " ", "{", "[", "}", "]", "[1,]", "[,1]", "[,]", "{,}", R"({"a":1,})", "{a:1}", "{'a':1}",
            R"({"a"})", R"({"a" 1})", R"({"a":})", R"({"a":1 "b":2})", R"(["a":1])", "[1 2]", "[1,,2]", "01", "-01",
            "00", "-", "--1", "+1", "1.", ".5", "1.e5", "1e", "1e+", "1E-", "0x10", "1_000", "NaN", "Infinity",
            "-Infinity", "tru", "truth", "nul", "nulll", "fals", "True", "NULL", "undefined", "\"abc", "\"\\x\"",
            "\"\\u12\"", "\"\\u12G4\"", "\"\\uZZZZ\"", "\"\\\"", "\"\t\"", "\"\n\"", std::string("\"\0\"", 3),
            "\"\x01\"", "\"\x1F\"", "\"\xFF\"", "\"\xC0\xAF\"", "\"\xE0\x80\xAF\"", "\"\xED\xA0\x80\"",
            "\"\xF4\x90\x80\x80\"", "\"\xF0\x9F\x98\"", "\"\x80\"", "\"\xC3\"", "[1]x", "{} {}", "1 2", "/*c*/1",
            "[1]//", "# c\n1", "\"a\" \"b\"", "\xEF\xBB\xBF{}", std::string("[1]\0", 4), "\x0B[]", "\f[]", "'single'",
            "[\"unterminated", "{\"a\":[1,2}", "{\"a\":{\"b\":1]}", "[1}", "{]"};
        JsonDocument doc;
        for (const std::string& text : invalid)
        {
            std::string error;
            CPPUNIT_ASSERT_MESSAGE("accepted: " + text, !doc.parse(text, &error));
            CPPUNIT_ASSERT_MESSAGE("no message for: " + text, !error.empty() && doc.errorMessage() != nullptr);
            CPPUNIT_ASSERT(doc.errorOffset() <= text.size());
            CPPUNIT_ASSERT(!doc.root().exists());
        }
    }

    void testErrorOffsets()
    {
        JsonDocument doc;
        std::string error;
        CPPUNIT_ASSERT(!doc.parse("[1,]", &error));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), doc.errorOffset());
        CPPUNIT_ASSERT(error.find("offset 3") != std::string::npos);
        CPPUNIT_ASSERT(!doc.parse(R"({"a":tru})"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), doc.errorOffset());
        CPPUNIT_ASSERT(!doc.parse("[1] x"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), doc.errorOffset());
        CPPUNIT_ASSERT(!doc.parse(R"(["ab\qc"])"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), doc.errorOffset());
        CPPUNIT_ASSERT(!doc.parse("\"abc"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), doc.errorOffset());
        CPPUNIT_ASSERT(!doc.parse("\"a\x01\""));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), doc.errorOffset());
        CPPUNIT_ASSERT(!doc.parse(""));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), doc.errorOffset());
    }

    void testNestingLimit()
    {
        JsonDocument doc;
        const int limit = JsonDocument::kMaxDepth;
        std::string ok = std::string(limit, '[') + std::string(limit, ']');
        CPPUNIT_ASSERT(doc.parse(ok));
        std::string tooDeep = std::string(limit + 1, '[') + std::string(limit + 1, ']');
        std::string error;
        CPPUNIT_ASSERT(!doc.parse(tooDeep, &error));
        CPPUNIT_ASSERT(error.find("nesting") != std::string::npos);
        std::string objects;
        for (int i = 0; i < limit; ++i)
            objects += "{\"a\":";
        objects += "1" + std::string(limit, '}');
        CPPUNIT_ASSERT(doc.parse(objects));
        CPPUNIT_ASSERT(!doc.parse("[" + objects + "]"));
        // A hostile depth must fail fast, not overflow the stack.
        CPPUNIT_ASSERT(!doc.parse(std::string(1000000, '[')));
        CPPUNIT_ASSERT(!doc.parse(std::string(500000, '[') + std::string(500000, ']')));
    }

    void testReuse()
    {
        JsonDocument doc;
        for (int i = 0; i < 100; ++i)
        {
            const std::string text = R"({"i":)" + std::to_string(i) + R"(,"s":"v\u00e9)" + std::to_string(i) + "\"}";
            CPPUNIT_ASSERT(doc.parse(text));
            CPPUNIT_ASSERT_EQUAL(std::int64_t(i), doc.root()["i"].asInt64());
            CPPUNIT_ASSERT_EQUAL("v\xC3\xA9" + std::to_string(i), std::string(doc.root()["s"].asString()));
            CPPUNIT_ASSERT(!doc.parse("[1,"));
            CPPUNIT_ASSERT(!doc.root().exists());
        }
        CPPUNIT_ASSERT(doc.parse(R"(["kept\u00e9"])"));
        const std::string_view kept = doc.root()[0].asString();
        JsonDocument moved(std::move(doc));
        // Views survive the move; the moved-from document is empty and still usable.
        CPPUNIT_ASSERT(moved.root()[0].asString() == kept && kept == "kept\xC3\xA9");
        CPPUNIT_ASSERT(!doc.root().exists() && !doc.ok());
        CPPUNIT_ASSERT(doc.parse(R"(["\u00e9"])") && doc.root()[0].asString() == "\xC3\xA9");
        CPPUNIT_ASSERT(moved.parse("[true]") && moved.root()[0].asBool());
        // Long escaped strings exercise the arena growing between documents.
        std::string big = "\"";
        for (int i = 0; i < 5000; ++i)
            big += "\\u00e9";
        big += "\"";
        CPPUNIT_ASSERT(moved.parse(big));
        CPPUNIT_ASSERT_EQUAL(std::size_t(10000), moved.root().asString().size());
        doc = std::move(moved);
        CPPUNIT_ASSERT(doc.parse("{}"));
    }

    void testCopiesAreDetached()
    {
        JsonDocument doc;
        CPPUNIT_ASSERT(doc.parse(R"({"s":"text","n":-5,"o":{"a":1},"l":[1,2]})"));
        const JsonValue s = doc.root()["s"];
        const JsonValue n = doc.root()["n"];
        JsonValue o = doc.root()["o"];
        CPPUNIT_ASSERT(s.asString() == "text" && s.key() == "s");
        CPPUNIT_ASSERT_EQUAL(std::int64_t(-5), n.asInt64());
        CPPUNIT_ASSERT(o.isObject() && o.empty() && !o["a"].exists() && o.begin() == o.end());
        o = doc.root()["l"];
        CPPUNIT_ASSERT(o.isArray() && o.size() == 0 && !o[0].exists());
    }

    void testDuplicateKeys()
    {
        JsonDocument doc;
        CPPUNIT_ASSERT(doc.parse(R"({"a":1,"a":2})"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1), doc.root()["a"].asInt64());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), doc.root().size());
    }

    void testRandomInputNeverCrashes()
    {
        std::mt19937 rng(12345);
        const std::string seed = R"({"event":"media","a":[1,-2.5e3,true,null,"x\u00e9\ud83d\ude00"],"o":{"k":"v"}})";
        JsonDocument doc;
        JsonDocument reference;
        CPPUNIT_ASSERT(reference.parse(seed));
        const std::string alphabet = "{}[]\":,\\/u0123456789abcdefeE+-.tfnrl \t\n\x01\x80\xC3\xA9\xFF";
        for (int round = 0; round < 20000; ++round)
        {
            std::string text = seed;
            const int edits = 1 + static_cast<int>(rng() % 4);
            for (int e = 0; e < edits; ++e)
            {
                const std::size_t pos = rng() % (text.size() + 1);
                switch (rng() % 3)
                {
                case 0:
                    text.insert(pos, 1, alphabet[rng() % alphabet.size()]);
                    break;
                case 1:
                    if (pos < text.size())
                        text.erase(pos, 1);
                    break;
                default:
                    if (pos < text.size())
                        text[pos] = alphabet[rng() % alphabet.size()];
                    break;
                }
            }
            if (doc.parse(text))
            {
                // Walk the whole tree; it must be internally consistent.
                walk(doc.root(), 0);
            }
        }
    }

private:
    static void walk(const JsonValue& value, int depth)
    {
        CPPUNIT_ASSERT(depth <= JsonDocument::kMaxDepth);
        std::size_t count = 0;
        for (const JsonValue& child : value)
        {
            ++count;
            walk(child, depth + 1);
        }
        CPPUNIT_ASSERT_EQUAL(value.size(), count);
        (void)value.asDouble();
        (void)value.asInt64();
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JsonTest);
