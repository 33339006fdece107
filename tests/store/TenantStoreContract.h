// TenantStoreContract.h: the behaviour every sdk::TenantStore must show, written once and run against each implementation.
#ifndef PATCHBAY_TESTS_STORE_TENANT_STORE_CONTRACT_H
#define PATCHBAY_TESTS_STORE_TENANT_STORE_CONTRACT_H

#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

#include "StoreTestData.h"
#include "patchbay/sdk/TenantStore.h"

// Contract assertions compare status codes, not wording (each store words its own messages).
#define ASSERT_OK(expr) CPPUNIT_ASSERT_EQUAL(std::string("ok"), (expr).toString())
#define ASSERT_CODE(expected, expr)                                                                                    \
    do                                                                                                                 \
    {                                                                                                                  \
        const sdk::Status _status = (expr);                                                                            \
        CPPUNIT_ASSERT_MESSAGE(_status.toString(), _status.code() == sdk::StatusCode::expected);                       \
    } while (false)

namespace patchbay::tenantsqlite::test {

inline const std::string kAccount = "AC00000000000000000000000000000001";
inline const std::int64_t kFeb2024 = 1706745600000; // 2024-02-01T00:00:00Z

/// Abstract: a subclass provides a fresh, empty store per test (setUp) and registers itself with
/// CPPUNIT_TEST_SUB_SUITE, so both stores run exactly these methods. Assertions are on status codes
/// and data, never on message wording, which is each store's own.
class TenantStoreContract : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TenantStoreContract);
    CPPUNIT_TEST(testTenantRoundTrip);
    CPPUNIT_TEST(testTenantReplaceAndList);
    CPPUNIT_TEST(testTenantValidation);
    CPPUNIT_TEST(testDeleteTenant);
    CPPUNIT_TEST(testAccountRoundTripAndList);
    CPPUNIT_TEST(testAccountValidation);
    CPPUNIT_TEST(testDeleteAccount);
    CPPUNIT_TEST(testAssignNumber);
    CPPUNIT_TEST(testAssignNumberRefusals);
    CPPUNIT_TEST(testReleaseNumber);
    CPPUNIT_TEST(testListNumbersPerTenant);
    CPPUNIT_TEST(testCallRecordNewFields);
    CPPUNIT_TEST(testListCallsFilters);
    CPPUNIT_TEST(testListCallsPagination);
    CPPUNIT_TEST(testFinishCallCountsUsageOnce);
    CPPUNIT_TEST(testFinishCallBilledSeconds);
    CPPUNIT_TEST(testFinishCallCost);
    CPPUNIT_TEST(testFinishCallMonthIsUtc);
    CPPUNIT_TEST(testFinishCallPerVariant);
    CPPUNIT_TEST(testFinishCallWithoutTenant);
    CPPUNIT_TEST(testSaveCallDoesNotResetUsage);
    CPPUNIT_TEST(testUsageFilters);
    CPPUNIT_TEST(testStatusHistoryOrdering);
    CPPUNIT_TEST(testStatusValidation);
    CPPUNIT_TEST(testTranscriptOrder);
    CPPUNIT_TEST(testTranscriptValidation);
    CPPUNIT_TEST(testAgentReportRoundTrip);
    CPPUNIT_TEST(testRecordWritesKeepAgentReport);
    CPPUNIT_TEST(testAgentReportUnknownCall);
    CPPUNIT_TEST(testAgentReportValidation);
    CPPUNIT_TEST(testTokenLifecycle);
    CPPUNIT_TEST(testTokenConflicts);
    CPPUNIT_TEST(testTokensGoWithTheirTenant);
    CPPUNIT_TEST(testRotateSecrets);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

public:
    void testTenantRoundTrip();
    void testTenantReplaceAndList();
    void testTenantValidation();
    void testDeleteTenant();
    void testAccountRoundTripAndList();
    void testAccountValidation();
    void testDeleteAccount();
    void testAssignNumber();
    void testAssignNumberRefusals();
    void testReleaseNumber();
    void testListNumbersPerTenant();
    void testCallRecordNewFields();
    void testListCallsFilters();
    void testListCallsPagination();
    void testFinishCallCountsUsageOnce();
    void testFinishCallBilledSeconds();
    void testFinishCallCost();
    void testFinishCallMonthIsUtc();
    void testFinishCallPerVariant();
    void testFinishCallWithoutTenant();
    void testSaveCallDoesNotResetUsage();
    void testUsageFilters();
    void testStatusHistoryOrdering();
    void testStatusValidation();
    void testTranscriptOrder();
    void testTranscriptValidation();
    void testAgentReportRoundTrip();
    void testRecordWritesKeepAgentReport();
    void testAgentReportUnknownCall();
    void testAgentReportValidation();
    void testTokenLifecycle();
    void testTokenConflicts();
    void testTokensGoWithTheirTenant();
    void testRotateSecrets();

protected:
    /// The store under test, empty at the start of each test.
    virtual sdk::TenantStore& store() = 0;

private:
    /// Tenants "acme" and "beta", account AC...01, acme's rate 60000 micros per minute.
    void seedBasics();
    sdk::CallRecord endedCall(const std::string& callSid, const std::string& tenantId, std::int64_t receivedAtMs,
                              std::int64_t durationMs);
    std::vector<std::string> sidsOf(const sdk::CallQuery& query);
    /// A report with every field set to a value unlike the defaults.
    static sdk::AgentCallReport fullReport();
    static void assertSameReport(const sdk::AgentCallReport& expected, const sdk::AgentCallReport& actual);
};

} // namespace patchbay::tenantsqlite::test

#endif
