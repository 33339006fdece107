// Base64Test.cpp: RFC 4648 vectors, random round trips of every length 0..300, and strict rejection of bad input.
#include "patchbay/sdk/support/Base64.h"

#include <cppunit/extensions/HelperMacros.h>

#include <random>
#include <string>
#include <vector>

using patchbay::sdk::support::Base64;

class Base64Test : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(Base64Test);
    CPPUNIT_TEST(testRfc4648Vectors);
    CPPUNIT_TEST(testUrlAlphabet);
    CPPUNIT_TEST(testRoundTripAllLengths);
    CPPUNIT_TEST(testInvalidStandard);
    CPPUNIT_TEST(testInvalidUrl);
    CPPUNIT_TEST(testFailureLeavesOutputUntouched);
    CPPUNIT_TEST_SUITE_END();

public:
    void testRfc4648Vectors()
    {
        const std::vector<std::pair<std::string, std::string>> vectors = {
            {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},         {"foo", "Zm9v"},
            {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
        for (const auto& [plain, encoded] : vectors)
        {
            CPPUNIT_ASSERT_EQUAL(encoded, Base64::encode(plain));
            std::string decoded;
            CPPUNIT_ASSERT(Base64::decode(encoded, decoded));
            CPPUNIT_ASSERT_EQUAL(plain, decoded);
            CPPUNIT_ASSERT_EQUAL(Base64::encodedSize(plain.size()), encoded.size());
            std::string url = Base64::encodeUrl(plain);
            CPPUNIT_ASSERT_EQUAL(encoded.substr(0, encoded.find('=')), url);
            CPPUNIT_ASSERT_EQUAL(Base64::encodedUrlSize(plain.size()), url.size());
        }
    }

    void testUrlAlphabet()
    {
        const std::string bytes("\xFB\xFF\xBF\xFE", 4);
        CPPUNIT_ASSERT_EQUAL(std::string("+/+//g=="), Base64::encode(bytes));
        CPPUNIT_ASSERT_EQUAL(std::string("-_-__g"), Base64::encodeUrl(bytes));
        std::string decoded;
        CPPUNIT_ASSERT(Base64::decodeUrl("-_-__g", decoded));
        CPPUNIT_ASSERT_EQUAL(bytes, decoded);
    }

    void testRoundTripAllLengths()
    {
        std::mt19937 rng(42);
        for (std::size_t length = 0; length <= 300; ++length)
        {
            for (int round = 0; round < 4; ++round)
            {
                std::string bytes(length, '\0');
                for (char& c : bytes)
                    c = static_cast<char>(rng() & 0xFF);
                const std::string standard = Base64::encode(bytes);
                const std::string url = Base64::encodeUrl(bytes);
                CPPUNIT_ASSERT_EQUAL(Base64::encodedSize(length), standard.size());
                CPPUNIT_ASSERT_EQUAL(Base64::encodedUrlSize(length), url.size());
                CPPUNIT_ASSERT(url.find_first_of("+/=") == std::string::npos);
                std::string back;
                CPPUNIT_ASSERT(Base64::decode(standard, back));
                CPPUNIT_ASSERT(back == bytes);
                back.clear();
                CPPUNIT_ASSERT(Base64::decodeUrl(url, back));
                CPPUNIT_ASSERT(back == bytes);
                // Each alphabet's decoder rejects the other's distinctive characters.
                if (standard.find_first_of("+/") != std::string::npos)
                    CPPUNIT_ASSERT(!Base64::decodeUrl(standard, back));
                if (url.find_first_of("-_") != std::string::npos)
                    CPPUNIT_ASSERT(!Base64::decode(url + std::string((4 - url.size() % 4) % 4, '='), back));
            }
        }
    }

    void testInvalidStandard()
    {
        const std::vector<std::string> invalid = {"Z", "Zg", "Zg=", "Zm9", "Z===", "====", "=Zm9", "Zm=v", "Zg==Zg==",
                                                  "Zm9v!", "Zm 9v", "Zm9v\n", " Zm9v", "Zh==", "Zm9=", "Zm-_",
                                                  std::string("Zm9\0", 4), "Zm9v\xC3\xA9\xC3\xA9", "Zg==="};
        for (const std::string& text : invalid)
        {
            std::string out;
            CPPUNIT_ASSERT_MESSAGE("accepted: " + text, !Base64::decode(text, out));
            CPPUNIT_ASSERT(out.empty());
        }
    }

    void testInvalidUrl()
    {
        const std::vector<std::string> invalid = {"Z", "Zg==", "Zg=", "Zm9v=", "Zm+v", "Zm/v", "Zh", "Zm9", "Zm9vZ",
                                                  "a.b", "Zm 9v", std::string("\0\0", 2)};
        for (const std::string& text : invalid)
        {
            std::string out;
            CPPUNIT_ASSERT_MESSAGE("accepted: " + text, !Base64::decodeUrl(text, out));
        }
        std::string out;
        CPPUNIT_ASSERT(Base64::decodeUrl("", out) && out.empty());
        CPPUNIT_ASSERT(Base64::decodeUrl("Zm8", out) && out == "fo");
    }

    void testFailureLeavesOutputUntouched()
    {
        std::string out = "keep";
        CPPUNIT_ASSERT(!Base64::decode("Zm9vYmFy!!!!", out));
        CPPUNIT_ASSERT_EQUAL(std::string("keep"), out);
        CPPUNIT_ASSERT(!Base64::decodeUrl("Zm9vYmFyZh", out));
        CPPUNIT_ASSERT_EQUAL(std::string("keep"), out);
        CPPUNIT_ASSERT(Base64::decode("Zm9v", out));
        CPPUNIT_ASSERT_EQUAL(std::string("keepfoo"), out);
        Base64::encode("!", out);
        CPPUNIT_ASSERT_EQUAL(std::string("keepfooIQ=="), out);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(Base64Test);
