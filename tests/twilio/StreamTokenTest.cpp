// StreamTokenTest.cpp: stream token round trip, URL safety, size bound, tampering, expiry, binding and garbage input.
#include "protocol/StreamToken.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

using patchbay::twilio::StreamToken;
using patchbay::twilio::TokenCheck;
using Reason = TokenCheck::Reason;

namespace {

const std::string kSecret = "node-shared-secret-0123456789abcdef";
const std::string kCallSid = "CA00000000000000000000000000000001";
const std::int64_t kNow = 1700000000;

bool urlSafe(const std::string& token)
{
    for (const char c : token)
    {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '_' || c == '.';
        if (!ok)
            return false;
    }
    return true;
}

} // namespace

class StreamTokenTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(StreamTokenTest);
    CPPUNIT_TEST(testRoundTrip);
    CPPUNIT_TEST(testShapeAndSize);
    CPPUNIT_TEST(testArbitraryIds);
    CPPUNIT_TEST(testIssueRejectsBadInput);
    CPPUNIT_TEST(testExpiry);
    CPPUNIT_TEST(testCallSidBinding);
    CPPUNIT_TEST(testOtherSecret);
    CPPUNIT_TEST(testTamperEveryCharacter);
    CPPUNIT_TEST(testSplicedTokens);
    CPPUNIT_TEST(testGarbage);
    CPPUNIT_TEST_SUITE_END();

public:
    void testRoundTrip()
    {
        const std::string token = StreamToken::issue("t_42", kCallSid, kNow + 60, kSecret);
        CPPUNIT_ASSERT(!token.empty());
        const TokenCheck check = StreamToken::verify(token, kCallSid, kNow, kSecret);
        CPPUNIT_ASSERT_MESSAGE(TokenCheck::reasonName(check.reason), check.ok());
        CPPUNIT_ASSERT(static_cast<bool>(check));
        CPPUNIT_ASSERT_EQUAL(std::string("t_42"), check.tenantId);
        CPPUNIT_ASSERT_EQUAL(kCallSid, check.callSid);
        CPPUNIT_ASSERT_EQUAL(kNow + 60, check.expiresAtUnixSec);
        // Deterministic: any node with the secret issues and verifies the same token.
        CPPUNIT_ASSERT_EQUAL(token, StreamToken::issue("t_42", kCallSid, kNow + 60, kSecret));
    }

    void testShapeAndSize()
    {
        const std::string longest = StreamToken::issue(std::string(StreamToken::kMaxTenantIdLength, '\xFF'),
                                                       std::string(StreamToken::kMaxCallSidLength, '~'), INT64_MAX,
                                                       kSecret);
        CPPUNIT_ASSERT(!longest.empty());
        CPPUNIT_ASSERT(longest.size() < 400);
        CPPUNIT_ASSERT(urlSafe(longest));
        CPPUNIT_ASSERT(longest.find('/') == std::string::npos);
        CPPUNIT_ASSERT(StreamToken::verify(longest, {}, kNow, kSecret).ok());
        const std::string typical = StreamToken::issue("t_42", kCallSid, kNow + 60, kSecret);
        CPPUNIT_ASSERT(urlSafe(typical));
        CPPUNIT_ASSERT(typical.size() < 120);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), static_cast<std::size_t>(std::count(typical.begin(), typical.end(), '.')));
    }

    void testArbitraryIds()
    {
        for (const std::string& tenant : {std::string("a"), std::string("tenant.with.dots"), std::string("x/y?z#w"),
                                          std::string("nul\0inside", 10), std::string("Jos\xC3\xA9"), std::string("a.b")})
        {
            const std::string token = StreamToken::issue(tenant, "CA.1", kNow + 1, kSecret);
            CPPUNIT_ASSERT(urlSafe(token));
            const TokenCheck check = StreamToken::verify(token, "CA.1", kNow, kSecret);
            CPPUNIT_ASSERT(check.ok());
            CPPUNIT_ASSERT(check.tenantId == tenant);
        }
    }

    void testIssueRejectsBadInput()
    {
        CPPUNIT_ASSERT(StreamToken::issue("", kCallSid, kNow, kSecret).empty());
        CPPUNIT_ASSERT(StreamToken::issue("t", "", kNow, kSecret).empty());
        CPPUNIT_ASSERT(StreamToken::issue("t", kCallSid, kNow, "").empty());
        CPPUNIT_ASSERT(StreamToken::issue(std::string(StreamToken::kMaxTenantIdLength + 1, 't'), kCallSid, kNow, kSecret).empty());
        CPPUNIT_ASSERT(StreamToken::issue("t", std::string(StreamToken::kMaxCallSidLength + 1, 'C'), kNow, kSecret).empty());
    }

    void testExpiry()
    {
        const std::string token = StreamToken::issue("t", kCallSid, kNow + 30, kSecret);
        CPPUNIT_ASSERT(StreamToken::verify(token, kCallSid, kNow + 29, kSecret).ok());
        TokenCheck check = StreamToken::verify(token, kCallSid, kNow + 30, kSecret);
        CPPUNIT_ASSERT(check.reason == Reason::Expired);
        CPPUNIT_ASSERT_EQUAL(std::string("t"), check.tenantId); // authenticated, so reported for the log
        CPPUNIT_ASSERT(StreamToken::verify(token, kCallSid, kNow + 100000, kSecret).reason == Reason::Expired);
        // Expiry beats the call binding: an old token for another call is "expired".
        CPPUNIT_ASSERT(StreamToken::verify(token, "CAother", kNow + 31, kSecret).reason == Reason::Expired);
        const std::string past = StreamToken::issue("t", kCallSid, -5, kSecret);
        CPPUNIT_ASSERT(StreamToken::verify(past, kCallSid, 0, kSecret).reason == Reason::Expired);
    }

    void testCallSidBinding()
    {
        const std::string token = StreamToken::issue("t", kCallSid, kNow + 30, kSecret);
        TokenCheck check = StreamToken::verify(token, "CA00000000000000000000000000000002", kNow, kSecret);
        CPPUNIT_ASSERT(check.reason == Reason::CallSidMismatch);
        CPPUNIT_ASSERT_EQUAL(kCallSid, check.callSid);
        CPPUNIT_ASSERT(StreamToken::verify(token, kCallSid.substr(0, 33), kNow, kSecret).reason == Reason::CallSidMismatch);
        CPPUNIT_ASSERT(StreamToken::verify(token, kCallSid + "1", kNow, kSecret).reason == Reason::CallSidMismatch);
        // Empty expectation (at the WebSocket handshake): binding checked later by the caller.
        check = StreamToken::verify(token, {}, kNow, kSecret);
        CPPUNIT_ASSERT(check.ok() && check.callSid == kCallSid);
    }

    void testOtherSecret()
    {
        const std::string token = StreamToken::issue("t", kCallSid, kNow + 30, kSecret);
        CPPUNIT_ASSERT(StreamToken::verify(token, kCallSid, kNow, kSecret + "x").reason == Reason::BadSignature);
        CPPUNIT_ASSERT(StreamToken::verify(token, kCallSid, kNow, "other").reason == Reason::BadSignature);
        CPPUNIT_ASSERT(StreamToken::verify(token, kCallSid, kNow, "").reason == Reason::BadSignature);
    }

    void testTamperEveryCharacter()
    {
        const std::string token = StreamToken::issue("t_42", kCallSid, kNow + 60, kSecret);
        const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/";
        for (std::size_t i = 0; i < token.size(); ++i)
        {
            for (const char replacement : alphabet)
            {
                if (replacement == token[i])
                    continue;
                std::string forged = token;
                forged[i] = replacement;
                const TokenCheck check = StreamToken::verify(forged, kCallSid, kNow, kSecret);
                CPPUNIT_ASSERT_MESSAGE(forged, !check.ok());
                CPPUNIT_ASSERT_MESSAGE(forged, check.reason == Reason::Malformed || check.reason == Reason::BadSignature);
                CPPUNIT_ASSERT(check.tenantId.empty());
            }
            std::string truncated = token;
            truncated.erase(i, 1);
            CPPUNIT_ASSERT(!StreamToken::verify(truncated, kCallSid, kNow, kSecret).ok());
            std::string extended = token;
            extended.insert(i, 1, 'A');
            CPPUNIT_ASSERT(!StreamToken::verify(extended, kCallSid, kNow, kSecret).ok());
        }
    }

    void testSplicedTokens()
    {
        const std::string a = StreamToken::issue("tenantA", kCallSid, kNow + 60, kSecret);
        const std::string b = StreamToken::issue("tenantB", kCallSid, kNow + 60, kSecret);
        const std::string payloadA = a.substr(0, a.find('.'));
        const std::string macB = b.substr(b.find('.') + 1);
        CPPUNIT_ASSERT(StreamToken::verify(payloadA + "." + macB, kCallSid, kNow, kSecret).reason == Reason::BadSignature);
        const std::string swapped = a.substr(a.find('.') + 1) + "." + payloadA;
        CPPUNIT_ASSERT(!StreamToken::verify(swapped, kCallSid, kNow, kSecret).ok());
    }

    void testGarbage()
    {
        const std::string good = StreamToken::issue("t", kCallSid, kNow + 60, kSecret);
        std::vector<std::string> garbage = {"", ".", "..", "a.b", "a.b.c", "A.", ".A", good + ".", "." + good,
                                            good + "=", good + "==", good + "..", good + ".x", good.substr(0, good.size() - 1),
                                            "Zm9v.Zm9v", "AQ.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                            std::string(500, 'A') + "." + std::string(43, 'A'), std::string(10000, '.'),
                                            std::string("\0\0.\0", 4), "\xFF\xFE.\xFD", "%2E", "t.42/CA1"};
        std::mt19937 rng(99);
        for (int i = 0; i < 2000; ++i)
        {
            std::string random(rng() % 120, '\0');
            for (char& c : random)
                c = static_cast<char>(rng() & 0xFF);
            garbage.push_back(random);
            std::string mixed = good;
            mixed[rng() % mixed.size()] = static_cast<char>(rng() & 0xFF);
            if (mixed != good)
                garbage.push_back(mixed);
        }
        for (const std::string& token : garbage)
        {
            const TokenCheck check = StreamToken::verify(token, kCallSid, kNow, kSecret);
            CPPUNIT_ASSERT(!check.ok());
            CPPUNIT_ASSERT(check.reason == Reason::Malformed || check.reason == Reason::BadSignature);
        }
        CPPUNIT_ASSERT(StreamToken::verify("", kCallSid, kNow, kSecret).reason == Reason::Malformed);
        CPPUNIT_ASSERT(std::string(TokenCheck::reasonName(Reason::CallSidMismatch)).find("callSid") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("already used"), std::string(TokenCheck::reasonName(Reason::AlreadyUsed)));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StreamTokenTest);
