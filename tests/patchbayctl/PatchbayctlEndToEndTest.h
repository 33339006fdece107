// PatchbayctlEndToEndTest.h: the real patchbayctl against a real patchbay (tenant-sqlite, master keys, admin API, mock agent, callsim).
#ifndef PATCHBAY_TESTS_PATCHBAYCTL_PATCHBAYCTL_END_TO_END_TEST_H
#define PATCHBAY_TESTS_PATCHBAYCTL_PATCHBAYCTL_END_TO_END_TEST_H

#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <memory>
#include <string>
#include <vector>

#include "LiveGateway.h"

/// Every case starts its own gateway on fresh ports with a fresh database and fresh random secrets,
/// drives it only through patchbayctl (plus callsim for calls, and raw requests for bodies the CLI
/// cannot send), and ends by grepping everything the product printed or stored for those secrets.
/// Methods are split over PatchbayctlEndToEndTest.cpp (accounts, tenants, numbers, variants, calls,
/// usage, tenant tokens, suspension) and PatchbayctlEndToEndSecurityTest.cpp (key rotation, secret
/// leaks on error paths, exit codes and help).
class PatchbayctlEndToEndTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PatchbayctlEndToEndTest);
    CPPUNIT_TEST(accountsAddShowRotateDelete);
    CPPUNIT_TEST(tenantsAndNumbersLifecycle);
    CPPUNIT_TEST(variantsCallsAndUsage);
    CPPUNIT_TEST(tenantTokenSeesOnlyItsTenant);
    CPPUNIT_TEST(suspendedTenantGetsFallback);
    CPPUNIT_TEST(keysRotateReencryptsUnderNewKey);
    CPPUNIT_TEST(secretsNeverLeakOnAnyPath);
    CPPUNIT_TEST(exitCodesAndHelp);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override;
    void tearDown() override;

    // PatchbayctlEndToEndTest.cpp
    void accountsAddShowRotateDelete();
    void tenantsAndNumbersLifecycle();
    void variantsCallsAndUsage();
    void tenantTokenSeesOnlyItsTenant();
    void suspendedTenantGetsFallback();

    // PatchbayctlEndToEndSecurityTest.cpp
    void keysRotateReencryptsUnderNewKey();
    void secretsNeverLeakOnAnyPath();
    void exitCodesAndHelp();

protected:
    static const char* const kAccount;
    static const char* const kAccount2;
    static const char* const kApiKeySid;
    static const char* const kNumber;
    static const char* const kNumber2;

    /// `accounts add kAccount` with a fresh auth token (from stdin); returns the token.
    std::string addAccount();
    /// `tenants add` (operator) with the given extra options; asserts exit 0.
    void addTenant(const std::string& id, const std::vector<std::string>& extra = {});
    /// `numbers assign`; asserts exit 0.
    void assignNumber(const std::string& number, const std::string& tenant, const std::string& account);
    /// One callsim call that must end as `expect` (echo, fallback, forbidden); returns its CallSid.
    std::string call(const std::string& authToken, const std::string& to, const std::string& expect,
                     const std::vector<std::string>& extra = {});

    static Poco::JSON::Object::Ptr object(const std::string& json);
    static Poco::JSON::Array::Ptr array(const std::string& json);
    static bool contains(const std::string& text, const std::string& needle);
    /// The line of `text` that contains `needle` ("" when none).
    static std::string lineWith(const std::string& text, const std::string& needle);

    std::unique_ptr<patchbay::tests::LiveGateway> _gw;
};

// Each argument is evaluated once: it is often a patchbayctl run.
#define E2E_ASSERT_CODE(expected, result) \
    do \
    { \
        const patchbay::tests::CtlResult& e2eResult_ = (result); \
        CPPUNIT_ASSERT_EQUAL_MESSAGE(e2eResult_.describe(), (expected), e2eResult_.code); \
    } while (false)
#define E2E_ASSERT_CONTAINS(text, needle) \
    do \
    { \
        const std::string e2eText_ = (text), e2eNeedle_ = (needle); \
        CPPUNIT_ASSERT_MESSAGE("expected to find \"" + e2eNeedle_ + "\" in:\n" + e2eText_, contains(e2eText_, e2eNeedle_)); \
    } while (false)
#define E2E_ASSERT_LACKS(text, needle) \
    do \
    { \
        const std::string e2eText_ = (text), e2eNeedle_ = (needle); \
        CPPUNIT_ASSERT_MESSAGE("did not expect \"" + e2eNeedle_ + "\" in:\n" + e2eText_, !contains(e2eText_, e2eNeedle_)); \
    } while (false)

#endif
