// TenantStoreContractTest.cpp: runs TenantStoreContract against SqliteTenantStore (real temporary file) and FakeTenantStore.
#include <patchbay/sdk/testing/FakeTenantStore.h>

#include <memory>

#include "StoreTestData.h"
#include "TempDir.h"
#include "TenantStoreContract.h"
#include "patchbay/tenantsqlite/SqliteTenantStore.h"

using namespace patchbay;
using namespace patchbay::tenantsqlite;
using namespace patchbay::tenantsqlite::test;

/// The embedded store on a fresh file per test, with a master key configured as in production.
class TenantStoreContractTest_Sqlite : public TenantStoreContract
{
    CPPUNIT_TEST_SUB_SUITE(TenantStoreContractTest_Sqlite, TenantStoreContract);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _dir = std::make_unique<patchbay::testing::TempDir>();
        _store = std::make_unique<SqliteTenantStore>();
        StoreOptions options;
        options.path = _dir->file("tenants.db");
        options.keys = testKeys();
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), _store->open(options).toString());
    }

    void tearDown() override
    {
        _store.reset();
        _dir.reset();
    }

protected:
    sdk::TenantStore& store() override { return *_store; }

private:
    std::unique_ptr<patchbay::testing::TempDir> _dir;
    std::unique_ptr<SqliteTenantStore> _store;
};

/// The in-memory double other suites route with: it must not drift from the real store.
class TenantStoreContractTest_Fake : public TenantStoreContract
{
    CPPUNIT_TEST_SUB_SUITE(TenantStoreContractTest_Fake, TenantStoreContract);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { _store = std::make_unique<sdk::testing::FakeTenantStore>(); }
    void tearDown() override { _store.reset(); }

protected:
    sdk::TenantStore& store() override { return *_store; }

private:
    std::unique_ptr<sdk::testing::FakeTenantStore> _store;
};

CPPUNIT_TEST_SUITE_REGISTRATION(TenantStoreContractTest_Sqlite);
CPPUNIT_TEST_SUITE_REGISTRATION(TenantStoreContractTest_Fake);
