// PatchbayctlTest.h: the patchbayctl suite — the real binary against a canned admin API (requests, output, exit codes).
#ifndef PATCHBAY_TESTS_PATCHBAYCTL_PATCHBAYCTL_TEST_H
#define PATCHBAY_TESTS_PATCHBAYCTL_PATCHBAYCTL_TEST_H

#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Object.h>

#include <memory>
#include <string>
#include <vector>

#include "CtlRunner.h"
#include "FakeAdminServer.h"

/// Methods are split over PatchbayctlTest.cpp (help, usage errors, exit codes, tokens and stdin
/// secrets), PatchbayctlCommandTest.cpp (what each command sends), PatchbayctlOutputTest.cpp
/// (tables, show blocks, --json) and PatchbayctlCarrierTest.cpp (calls place/hangup/transfer,
/// numbers assign --configure, doctor, and help texts that must match what commands do).
class PatchbayctlTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PatchbayctlTest);
    CPPUNIT_TEST(helpEverywhereExitsZero);
    CPPUNIT_TEST(usageErrorsExitTwoAndSendNothing);
    CPPUNIT_TEST(problemBodiesExitOneWithOneLine);
    CPPUNIT_TEST(authFailuresExitFour);
    CPPUNIT_TEST(connectionFailureExitsThree);
    CPPUNIT_TEST(tokenAndUrlFromEnvironmentAndFlags);
    CPPUNIT_TEST(secretsFromStdin);
    CPPUNIT_TEST(secretsNeverPrinted);
    CPPUNIT_TEST(tenantCommandsSendRightRequests);
    CPPUNIT_TEST(tenantUpdateMergesIntoCurrent);
    CPPUNIT_TEST(numberCommandsEncodeE164);
    CPPUNIT_TEST(accountCommandsSendRightRequests);
    CPPUNIT_TEST(variantCommandsSendRightRequests);
    CPPUNIT_TEST(callCommandsSendFilters);
    CPPUNIT_TEST(usageTokenAndKeyCommands);
    CPPUNIT_TEST(listsPrintAlignedTables);
    CPPUNIT_TEST(showPrintsKeyValueBlocks);
    CPPUNIT_TEST(callShowPrintsHistoryAndTranscript);
    CPPUNIT_TEST(jsonPrintsApiJsonAsIs);
    CPPUNIT_TEST(tokensCreatePrintsTokenOnce);
    CPPUNIT_TEST(carrierCommandsSendRightRequests);
    CPPUNIT_TEST(carrierCommandUsageErrors);
    CPPUNIT_TEST(doctorPrintsOneLinePerCheck);
    CPPUNIT_TEST(helpTextsMatchBehaviour);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override;
    void tearDown() override;

    // PatchbayctlTest.cpp
    void helpEverywhereExitsZero();
    void usageErrorsExitTwoAndSendNothing();
    void problemBodiesExitOneWithOneLine();
    void authFailuresExitFour();
    void connectionFailureExitsThree();
    void tokenAndUrlFromEnvironmentAndFlags();
    void secretsFromStdin();
    void secretsNeverPrinted();

    // PatchbayctlCommandTest.cpp
    void tenantCommandsSendRightRequests();
    void tenantUpdateMergesIntoCurrent();
    void numberCommandsEncodeE164();
    void accountCommandsSendRightRequests();
    void variantCommandsSendRightRequests();
    void callCommandsSendFilters();
    void usageTokenAndKeyCommands();

    // PatchbayctlOutputTest.cpp
    void listsPrintAlignedTables();
    void showPrintsKeyValueBlocks();
    void callShowPrintsHistoryAndTranscript();
    void jsonPrintsApiJsonAsIs();
    void tokensCreatePrintsTokenOnce();

    // PatchbayctlCarrierTest.cpp
    void carrierCommandsSendRightRequests();
    void carrierCommandUsageErrors();
    void doctorPrintsOneLinePerCheck();
    void helpTextsMatchBehaviour();

protected:
    static const char* const kToken;

    /// Runs patchbayctl with --url of the fake server and --token kToken before `args`.
    patchbay::tests::CtlResult ctl(const std::vector<std::string>& args, const std::string& stdinText = std::string());

    /// Runs a command expected to send exactly one request, and returns that request.
    patchbay::tests::FakeAdminServer::Request one(const std::vector<std::string>& args,
                                                  const std::string& stdinText = std::string());

    static Poco::JSON::Object::Ptr parseObject(const std::string& json);
    static bool contains(const std::string& text, const std::string& needle);
    static std::vector<std::string> lines(const std::string& text);

    std::unique_ptr<patchbay::tests::FakeAdminServer> _server;
};

#define PB_ASSERT_CODE(expected, result) \
    CPPUNIT_ASSERT_EQUAL_MESSAGE((result).describe(), (expected), (result).code)
#define PB_ASSERT_CONTAINS(text, needle) \
    CPPUNIT_ASSERT_MESSAGE("expected to find \"" + std::string(needle) + "\" in:\n" + (text), contains((text), (needle)))
#define PB_ASSERT_LACKS(text, needle) \
    CPPUNIT_ASSERT_MESSAGE("did not expect \"" + std::string(needle) + "\" in:\n" + (text), !contains((text), (needle)))

#endif
