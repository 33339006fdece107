// FormDataTest.cpp: form-urlencoded and query parsing: decoding, order, repeats, strict rejection, encoding.
#include "protocol/FormData.h"

#include <cppunit/extensions/HelperMacros.h>

using patchbay::twilio::FormData;

class FormDataTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(FormDataTest);
    CPPUNIT_TEST(testDecoding);
    CPPUNIT_TEST(testOrderAndRepeats);
    CPPUNIT_TEST(testEmptyAndBareSegments);
    CPPUNIT_TEST(testMalformedEscapes);
    CPPUNIT_TEST(testInvalidUtf8);
    CPPUNIT_TEST(testQuery);
    CPPUNIT_TEST(testEncodeRoundTrip);
    CPPUNIT_TEST_SUITE_END();

public:
    void testDecoding()
    {
        FormData form;
        std::string error;
        CPPUNIT_ASSERT_MESSAGE(error, form.parse("From=%2B14155550100&CallerCity=SAN+FRANCISCO&CallerName=Jos%C3%A9+N%C3%BA%C3%B1ez"
                                                 "&Raw=a+b%20c%2bd%25&Lower=%c3%a9",
                                                 &error));
        CPPUNIT_ASSERT_EQUAL(std::string("+14155550100"), std::string(form.get("From")));
        CPPUNIT_ASSERT_EQUAL(std::string("SAN FRANCISCO"), std::string(form.get("CallerCity")));
        CPPUNIT_ASSERT_EQUAL(std::string("Jos\xC3\xA9 N\xC3\xBA\xC3\xB1" "ez"), std::string(form.get("CallerName")));
        CPPUNIT_ASSERT_EQUAL(std::string("a b c+d%"), std::string(form.get("Raw")));
        CPPUNIT_ASSERT_EQUAL(std::string("\xC3\xA9"), std::string(form.get("Lower")));
        CPPUNIT_ASSERT(form.find("Missing") == nullptr);
        CPPUNIT_ASSERT_EQUAL(std::string("dflt"), std::string(form.get("Missing", "dflt")));
        CPPUNIT_ASSERT(!form.has("from")); // names are case-sensitive
        CPPUNIT_ASSERT(form.parse("%41%3D=%26"));
        CPPUNIT_ASSERT_EQUAL(std::string("&"), std::string(form.get("A=")));
        CPPUNIT_ASSERT(form.parse("a=b=c"));
        CPPUNIT_ASSERT_EQUAL(std::string("b=c"), std::string(form.get("a")));
    }

    void testOrderAndRepeats()
    {
        FormData form;
        CPPUNIT_ASSERT(form.parse("b=2&a=1&StatusCallbackEvent=initiated&StatusCallbackEvent=ringing&a=3"));
        const FormData::Pairs expected = {
            {"b", "2"}, {"a", "1"}, {"StatusCallbackEvent", "initiated"}, {"StatusCallbackEvent", "ringing"}, {"a", "3"}};
        CPPUNIT_ASSERT(form.pairs() == expected);
        CPPUNIT_ASSERT_EQUAL(std::string("1"), std::string(form.get("a")));
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), form.size());
    }

    void testEmptyAndBareSegments()
    {
        FormData form;
        CPPUNIT_ASSERT(form.parse(""));
        CPPUNIT_ASSERT(form.empty());
        CPPUNIT_ASSERT(form.parse("&&a=1&&b&c=&=v&"));
        const FormData::Pairs expected = {{"a", "1"}, {"b", ""}, {"c", ""}, {"", "v"}};
        CPPUNIT_ASSERT(form.pairs() == expected);
        CPPUNIT_ASSERT(form.has("b") && form.get("b", "x").empty());
    }

    void testMalformedEscapes()
    {
        for (const char* body : {"a=%", "a=%2", "a=%zz", "a=%G1", "a=1%", "%=1", "a=%%41", "ok=1&bad=%4"})
        {
            FormData form;
            std::string error;
            CPPUNIT_ASSERT_MESSAGE(body, !form.parse(body, &error));
            CPPUNIT_ASSERT_MESSAGE(body, error.find("percent") != std::string::npos);
            CPPUNIT_ASSERT(form.empty());
        }
    }

    void testInvalidUtf8()
    {
        for (const char* body : {"a=%FF", "a=%C3%28", "a=%C0%AF", "a=%ED%A0%80", "%FE=1", "a=\xC3"})
        {
            FormData form;
            std::string error;
            CPPUNIT_ASSERT_MESSAGE(body, !form.parse(body, &error));
            CPPUNIT_ASSERT_MESSAGE(body, error.find("UTF-8") != std::string::npos);
        }
        FormData form;
        CPPUNIT_ASSERT(form.parse("a=%F0%9F%98%80"));
        CPPUNIT_ASSERT_EQUAL(std::string("\xF0\x9F\x98\x80"), std::string(form.get("a")));
    }

    void testQuery()
    {
        FormData query;
        CPPUNIT_ASSERT(query.parseQuery("https://h.example/p?foo=1&bar=2&bodySHA256=abc#frag=1"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), query.size());
        CPPUNIT_ASSERT_EQUAL(std::string("abc"), std::string(query.get("bodySHA256")));
        CPPUNIT_ASSERT(query.parseQuery("https://h.example/p"));
        CPPUNIT_ASSERT(query.empty());
        CPPUNIT_ASSERT(query.parseQuery("/relative/path"));
        CPPUNIT_ASSERT(query.empty());
        CPPUNIT_ASSERT(query.parseQuery("x=1&next=https://elsewhere"));
        CPPUNIT_ASSERT_EQUAL(std::string("https://elsewhere"), std::string(query.get("next")));
        CPPUNIT_ASSERT(query.parseQuery("?a=1"));
        CPPUNIT_ASSERT_EQUAL(std::string("1"), std::string(query.get("a")));
        CPPUNIT_ASSERT(query.parseQuery("https://h/p?Body=It%27s+amazing"));
        CPPUNIT_ASSERT_EQUAL(std::string("It's amazing"), std::string(query.get("Body")));
        CPPUNIT_ASSERT(!query.parseQuery("https://h/p?a=%zz"));
    }

    void testEncodeRoundTrip()
    {
        FormData form;
        form.add("To", "+15005550006");
        form.add("Twiml", "<Response><Say>It's a \"test\" & more</Say></Response>");
        form.add("Name", "Jos\xC3\xA9 ~_.-");
        form.add("Empty", "");
        const std::string body = form.encode();
        CPPUNIT_ASSERT(body.find("To=%2B15005550006") == 0);
        CPPUNIT_ASSERT(body.find("Name=Jos%C3%A9+~_.-") != std::string::npos);
        FormData back;
        CPPUNIT_ASSERT(back.parse(body));
        CPPUNIT_ASSERT(back.pairs() == form.pairs());
        std::string decoded;
        CPPUNIT_ASSERT(FormData::decodeComponent("a%20b+c", decoded));
        CPPUNIT_ASSERT_EQUAL(std::string("a b c"), decoded);
        CPPUNIT_ASSERT(!FormData::decodeComponent("%x", decoded));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FormDataTest);
