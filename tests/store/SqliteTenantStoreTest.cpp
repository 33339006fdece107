// SqliteTenantStoreTest.cpp: SqliteTenantStore on real temporary SQLite files — lookups, call records, durability, WAL, concurrency, failures.
#include "patchbay/tenantsqlite/SqliteTenantStore.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "StoreTestData.h"
#include "TempDir.h"

using namespace patchbay;
using namespace patchbay::tenantsqlite;
using namespace patchbay::tenantsqlite::test;
using patchbay::testing::TempDir;
using namespace Poco::Data::Keywords;

namespace {

StoreOptions optionsFor(const std::string& path, int busyTimeoutMs = StoreOptions::kDefaultBusyTimeoutMs)
{
    StoreOptions options;
    options.path = path;
    options.busyTimeoutMs = busyTimeoutMs;
    options.keys = testKeys();
    return options;
}

bool mentionsSecret(const std::string& text)
{
    return text.find(kAuthToken) != std::string::npos || text.find(kSecondaryToken) != std::string::npos ||
           text.find(kApiKey) != std::string::npos;
}

} // namespace

class SqliteTenantStoreTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SqliteTenantStoreTest);
    CPPUNIT_TEST(testFindTenantByNumber);
    CPPUNIT_TEST(testNumberNotFound);
    CPPUNIT_TEST(testNumberMatchIsExact);
    CPPUNIT_TEST(testSuspendedTenantReturnedWithStatus);
    CPPUNIT_TEST(testFindTenant);
    CPPUNIT_TEST(testFindAccount);
    CPPUNIT_TEST(testSaveCallCreateThenUpdate);
    CPPUNIT_TEST(testSaveCallNeedsCallSid);
    CPPUNIT_TEST(testFindCallNotFound);
    CPPUNIT_TEST(testListCallsNewestFirst);
    CPPUNIT_TEST(testListCallsFilters);
    CPPUNIT_TEST(testSavedCallSurvivesReopen);
    CPPUNIT_TEST(testWalAndDurabilitySettings);
    CPPUNIT_TEST(testConcurrentSaveCall);
    CPPUNIT_TEST(testGarbageFileRefused);
    CPPUNIT_TEST(testClosedStoreIsUnavailable);
    CPPUNIT_TEST(testLockedDatabaseIsUnavailable);
    CPPUNIT_TEST(testSeedIsIdempotentUpsert);
    CPPUNIT_TEST(testSeedWithUnknownTenantChangesNothing);
    CPPUNIT_TEST(testPing);
    CPPUNIT_TEST(testInvalidOptions);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _dir = std::make_unique<TempDir>();
        _path = _dir->file("tenants.db");
        _store = std::make_unique<SqliteTenantStore>();
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), _store->open(optionsFor(_path)).toString());
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), _store->applySeed(sampleSeed()).toString());
    }

    void tearDown() override
    {
        _store.reset();
        _dir.reset();
    }

    void testFindTenantByNumber()
    {
        sdk::Result<sdk::Tenant> found = _store->findTenantByNumber("+15550100");
        CPPUNIT_ASSERT_MESSAGE(found.status().toString(), found.isOk());
        const sdk::Tenant expected = sampleTenant("acme");
        const sdk::Tenant& tenant = found.value();
        CPPUNIT_ASSERT_EQUAL(expected.id, tenant.id);
        CPPUNIT_ASSERT_EQUAL(expected.name, tenant.name);
        CPPUNIT_ASSERT(tenant.status == sdk::TenantStatus::Active);
        CPPUNIT_ASSERT_EQUAL(expected.agent.providerId, tenant.agent.providerId);
        CPPUNIT_ASSERT_EQUAL(expected.agent.agentId, tenant.agent.agentId);
        CPPUNIT_ASSERT_EQUAL(expected.agent.firstMessage, tenant.agent.firstMessage);
        CPPUNIT_ASSERT_EQUAL(expected.agent.prompt, tenant.agent.prompt);
        CPPUNIT_ASSERT_EQUAL(expected.agent.language, tenant.agent.language);
        CPPUNIT_ASSERT_EQUAL(expected.agent.apiKey, tenant.agent.apiKey);
        CPPUNIT_ASSERT_EQUAL(expected.agent.baseUrl, tenant.agent.baseUrl);
        // Order and escaping of dynamic variables survive the JSON column.
        CPPUNIT_ASSERT(expected.agent.dynamicVariables == tenant.agent.dynamicVariables);
        CPPUNIT_ASSERT_EQUAL(expected.limits.maxConcurrentCalls, tenant.limits.maxConcurrentCalls);
        CPPUNIT_ASSERT_EQUAL(expected.limits.callsPerMinute, tenant.limits.callsPerMinute);
        CPPUNIT_ASSERT_EQUAL(expected.limits.maxCallSeconds, tenant.limits.maxCallSeconds);
        CPPUNIT_ASSERT_EQUAL(expected.limits.monthlyMinutes, tenant.limits.monthlyMinutes);
        CPPUNIT_ASSERT_EQUAL(expected.fallback.message, tenant.fallback.message);
        CPPUNIT_ASSERT_EQUAL(expected.fallback.dialNumber, tenant.fallback.dialNumber);
    }

    void testNumberNotFound()
    {
        sdk::Result<sdk::Tenant> missing = _store->findTenantByNumber("+15559999");
        CPPUNIT_ASSERT(!missing.isOk());
        CPPUNIT_ASSERT(missing.status().code() == sdk::StatusCode::NotFound);
        CPPUNIT_ASSERT(missing.status().message().find("+15559999") != std::string::npos);
        CPPUNIT_ASSERT(_store->findTenantByNumber("").status().code() == sdk::StatusCode::NotFound);
    }

    void testNumberMatchIsExact()
    {
        // Nothing is normalised: these all name +15550100 to a human, but only the exact E.164 form matches.
        for (const char* variant : {"15550100", "+1 5550100", " +15550100", "+15550100 ", "0015550100", "tel:+15550100"})
        {
            sdk::Result<sdk::Tenant> result = _store->findTenantByNumber(variant);
            CPPUNIT_ASSERT_MESSAGE(variant, result.status().code() == sdk::StatusCode::NotFound);
        }
        // A hostile, very long input is refused without echoing all of it.
        const std::string huge = "+" + std::string(10000, '9');
        sdk::Result<sdk::Tenant> result = _store->findTenantByNumber(huge);
        CPPUNIT_ASSERT(result.status().code() == sdk::StatusCode::NotFound);
        CPPUNIT_ASSERT(result.status().message().size() < 200);
    }

    void testSuspendedTenantReturnedWithStatus()
    {
        // The store reports; the core decides what a suspended tenant's caller hears.
        sdk::Result<sdk::Tenant> found = _store->findTenantByNumber("+15550101");
        CPPUNIT_ASSERT_MESSAGE(found.status().toString(), found.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("dormant"), found->id);
        CPPUNIT_ASSERT(found->status == sdk::TenantStatus::Suspended);
    }

    void testFindTenant()
    {
        sdk::Result<sdk::Tenant> found = _store->findTenant("acme");
        CPPUNIT_ASSERT(found.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("agent_acme"), found->agent.agentId);
        sdk::Result<sdk::Tenant> missing = _store->findTenant("nobody");
        CPPUNIT_ASSERT(missing.status().code() == sdk::StatusCode::NotFound);
        CPPUNIT_ASSERT(missing.status().message().find("nobody") != std::string::npos);
    }

    void testFindAccount()
    {
        sdk::Result<sdk::CarrierAccount> found = _store->findAccount("AC00000000000000000000000000000001");
        CPPUNIT_ASSERT_MESSAGE(found.status().toString(), found.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("AC00000000000000000000000000000000"), found->parentSid);
        CPPUNIT_ASSERT_EQUAL(std::string(kAuthToken), found->authToken);
        CPPUNIT_ASSERT_EQUAL(std::string(kSecondaryToken), found->secondaryToken);

        sdk::Result<sdk::CarrierAccount> missing = _store->findAccount("AC99");
        CPPUNIT_ASSERT(missing.status().code() == sdk::StatusCode::NotFound);
        CPPUNIT_ASSERT(!mentionsSecret(missing.status().message()));
    }

    void testSaveCallCreateThenUpdate()
    {
        sdk::CallRecord record = sampleCall("CA1", "acme", 1000);
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), _store->saveCall(record).toString());
        sdk::Result<sdk::CallRecord> first = _store->findCall("CA1");
        CPPUNIT_ASSERT(first.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("received"), first->status);
        CPPUNIT_ASSERT_EQUAL(std::string("+15557654321"), first->call.from);
        CPPUNIT_ASSERT_EQUAL(std::string("twilio"), first->call.inboundProvider);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(0), first->endedAtMs);

        record.status = "ended";
        record.call.direction = sdk::CallDirection::Outbound;
        record.streamStartedAtMs = 1500;
        record.endedAtMs = 61500;
        record.durationMs = 60000;
        record.endReason = sdk::endReasonName(sdk::EndReason::AgentEnded);
        record.endDetail = "agent said goodbye";
        record.agentConversationId = "conv_123";
        record.framesFromCaller = 3000;
        record.framesToCaller = (std::uint64_t(1) << 40) + 7;
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), _store->saveCall(record).toString());

        sdk::Result<sdk::CallRecord> updated = _store->findCall("CA1");
        CPPUNIT_ASSERT(updated.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("ended"), updated->status);
        CPPUNIT_ASSERT(updated->call.direction == sdk::CallDirection::Outbound);
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), updated->call.tenantId);
        CPPUNIT_ASSERT_EQUAL(std::string("+15550100"), updated->call.to);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1000), updated->receivedAtMs);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1500), updated->streamStartedAtMs);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(61500), updated->endedAtMs);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(60000), updated->durationMs);
        CPPUNIT_ASSERT_EQUAL(std::string("agent-ended"), updated->endReason);
        CPPUNIT_ASSERT_EQUAL(std::string("agent said goodbye"), updated->endDetail);
        CPPUNIT_ASSERT_EQUAL(std::string("conv_123"), updated->agentConversationId);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3000), updated->framesFromCaller);
        CPPUNIT_ASSERT_EQUAL((std::uint64_t(1) << 40) + 7, updated->framesToCaller);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1), _store->stats().value().calls);
    }

    void testSaveCallNeedsCallSid()
    {
        sdk::Status status = _store->saveCall(sampleCall("", "acme", 1));
        CPPUNIT_ASSERT(status.code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(0), _store->stats().value().calls);
    }

    void testFindCallNotFound()
    {
        sdk::Result<sdk::CallRecord> missing = _store->findCall("CA404");
        CPPUNIT_ASSERT(missing.status().code() == sdk::StatusCode::NotFound);
    }

    void testListCallsNewestFirst()
    {
        // Saved out of order; two share a timestamp (tie broken by CallSid, descending).
        CPPUNIT_ASSERT(_store->saveCall(sampleCall("CA2", "acme", 2000)));
        CPPUNIT_ASSERT(_store->saveCall(sampleCall("CA4", "acme", 4000)));
        CPPUNIT_ASSERT(_store->saveCall(sampleCall("CA1", "acme", 1000)));
        CPPUNIT_ASSERT(_store->saveCall(sampleCall("CA3a", "acme", 3000)));
        CPPUNIT_ASSERT(_store->saveCall(sampleCall("CA3b", "acme", 3000)));

        sdk::Result<std::vector<sdk::CallRecord>> all = _store->listCalls(sdk::CallQuery{});
        CPPUNIT_ASSERT(all.isOk());
        std::vector<std::string> sids;
        for (const auto& record : all.value())
            sids.push_back(record.call.callSid);
        CPPUNIT_ASSERT(sids == (std::vector<std::string>{"CA4", "CA3b", "CA3a", "CA2", "CA1"}));
    }

    void testListCallsFilters()
    {
        for (int i = 0; i < 10; ++i)
        {
            CPPUNIT_ASSERT(_store->saveCall(sampleCall("CA-acme-" + std::to_string(i), "acme", 1000 + i * 100)));
            CPPUNIT_ASSERT(_store->saveCall(sampleCall("CA-dormant-" + std::to_string(i), "dormant", 1050 + i * 100)));
        }
        // A rejected call for an unknown number has no tenant and is still recorded.
        CPPUNIT_ASSERT(_store->saveCall(sampleCall("CA-rejected", "", 5000)));

        sdk::CallQuery byTenant;
        byTenant.tenantId = "acme";
        std::vector<sdk::CallRecord> acme = _store->listCalls(byTenant).value();
        CPPUNIT_ASSERT_EQUAL(std::size_t(10), acme.size());
        for (const auto& record : acme)
            CPPUNIT_ASSERT_EQUAL(std::string("acme"), record.call.tenantId);
        CPPUNIT_ASSERT_EQUAL(std::string("CA-acme-9"), acme.front().call.callSid);

        sdk::CallQuery since = byTenant;
        since.sinceMs = 1500; // inclusive: 1500, 1600, ... 1900
        std::vector<sdk::CallRecord> recent = _store->listCalls(since).value();
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), recent.size());
        CPPUNIT_ASSERT_EQUAL(std::string("CA-acme-5"), recent.back().call.callSid);

        sdk::CallQuery limited;
        limited.limit = 3;
        std::vector<sdk::CallRecord> top = _store->listCalls(limited).value();
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), top.size());
        CPPUNIT_ASSERT_EQUAL(std::string("CA-rejected"), top[0].call.callSid);
        CPPUNIT_ASSERT_EQUAL(std::string("CA-dormant-9"), top[1].call.callSid);
        CPPUNIT_ASSERT_EQUAL(std::string("CA-acme-9"), top[2].call.callSid);

        sdk::CallQuery none;
        none.limit = 0;
        CPPUNIT_ASSERT(_store->listCalls(none).value().empty());

        sdk::CallQuery unknown;
        unknown.tenantId = "nobody";
        CPPUNIT_ASSERT(_store->listCalls(unknown).value().empty());
    }

    void testSavedCallSurvivesReopen()
    {
        sdk::CallRecord record = sampleCall("CA-durable", "acme", 1234);
        record.status = "ended";
        record.durationMs = 4321;
        CPPUNIT_ASSERT(_store->saveCall(record));
        _store->close();
        CPPUNIT_ASSERT(!_store->isOpen());

        SqliteTenantStore reopened;
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), reopened.open(optionsFor(_path)).toString());
        sdk::Result<sdk::CallRecord> found = reopened.findCall("CA-durable");
        CPPUNIT_ASSERT(found.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("ended"), found->status);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(4321), found->durationMs);
        CPPUNIT_ASSERT(reopened.findTenantByNumber("+15550100").isOk());
    }

    void testWalAndDurabilitySettings()
    {
        // Read back by an independent connection: WAL is a property of the file.
        Poco::Data::SQLite::Connector::registerConnector();
        {
            Poco::Data::Session other(Poco::Data::SQLite::Connector::KEY, _path);
            std::string mode;
            other << "PRAGMA journal_mode", into(mode), now;
            CPPUNIT_ASSERT_EQUAL(std::string("wal"), mode);
        }
        // synchronous and foreign_keys are per connection: read back from the store's writer.
        sdk::Result<StoreStats> stats = _store->stats();
        CPPUNIT_ASSERT(stats.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("wal"), stats->journalMode);
        CPPUNIT_ASSERT_EQUAL(2, stats->synchronous); // FULL
        CPPUNIT_ASSERT(stats->foreignKeys);
        CPPUNIT_ASSERT_EQUAL(Migrations::standard().latestVersion(), stats->schemaVersion);
    }

    void testConcurrentSaveCall()
    {
        constexpr int kThreads = 8;
        constexpr int kCallsPerThread = 200;
        std::atomic<int> failures{0};
        std::atomic<int> readFailures{0};
        std::atomic<bool> writing{true};
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t)
        {
            threads.emplace_back([&, t] {
                for (int i = 0; i < kCallsPerThread; ++i)
                {
                    const std::string sid = "CA-" + std::to_string(t) + "-" + std::to_string(i);
                    sdk::CallRecord record = sampleCall(sid, t % 2 ? "acme" : "dormant", t * 100000 + i);
                    if (!_store->saveCall(record))
                        ++failures;
                    // Every call is saved twice (received, then ended) as the host does.
                    record.status = "ended";
                    record.durationMs = i;
                    if (!_store->saveCall(record))
                        ++failures;
                }
            });
        }
        // Readers run beside the writers (WAL): they must neither fail nor block the writes.
        std::thread reader([&] {
            while (writing)
            {
                if (!_store->findTenantByNumber("+15550100") || !_store->listCalls(sdk::CallQuery{}))
                    ++readFailures;
            }
        });
        for (auto& thread : threads)
            thread.join();
        writing = false;
        reader.join();

        CPPUNIT_ASSERT_EQUAL(0, failures.load());
        CPPUNIT_ASSERT_EQUAL(0, readFailures.load());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(kThreads * kCallsPerThread), _store->stats().value().calls);
        sdk::CallQuery everything;
        everything.limit = SqliteTenantStore::kMaxListLimit;
        std::vector<sdk::CallRecord> all = _store->listCalls(everything).value();
        std::set<std::string> sids;
        for (const auto& record : all)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("ended"), record.status);
            sids.insert(record.call.callSid);
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(kThreads * kCallsPerThread), sids.size());
    }

    void testGarbageFileRefused()
    {
        const std::string garbagePath = _dir->file("garbage.db");
        std::string garbage;
        for (int i = 0; i < 8192; ++i)
            garbage.push_back(static_cast<char>((i * 7919 + 13) & 0xff));
        TempDir::write(garbagePath, garbage);

        SqliteTenantStore store;
        sdk::Status status = store.open(optionsFor(garbagePath));
        CPPUNIT_ASSERT(!status.isOk());
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.code() == sdk::StatusCode::Internal);
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.message().find("not a database") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.message().find(garbagePath) != std::string::npos);
        CPPUNIT_ASSERT(!store.isOpen());
        CPPUNIT_ASSERT(TempDir::read(garbagePath) == garbage); // refused without touching it
        CPPUNIT_ASSERT(store.findTenant("acme").status().code() == sdk::StatusCode::Unavailable);
    }

    void testClosedStoreIsUnavailable()
    {
        SqliteTenantStore store;
        CPPUNIT_ASSERT(store.findTenantByNumber("+15550100").status().code() == sdk::StatusCode::Unavailable);
        CPPUNIT_ASSERT(store.findAccount("AC1").status().code() == sdk::StatusCode::Unavailable);
        CPPUNIT_ASSERT(store.saveCall(sampleCall("CA1", "acme", 1)).code() == sdk::StatusCode::Unavailable);
        CPPUNIT_ASSERT(store.findCall("CA1").status().code() == sdk::StatusCode::Unavailable);
        CPPUNIT_ASSERT(store.listCalls(sdk::CallQuery{}).status().code() == sdk::StatusCode::Unavailable);
        CPPUNIT_ASSERT(store.ping().code() == sdk::StatusCode::Unavailable);
        _store->close();
        CPPUNIT_ASSERT(_store->ping().code() == sdk::StatusCode::Unavailable);
    }

    void testLockedDatabaseIsUnavailable()
    {
        // Another process (here: another connection) holds the write lock longer than our budget.
        _store->close();
        SqliteTenantStore store;
        CPPUNIT_ASSERT(store.open(optionsFor(_path, 100)));
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::Session other(Poco::Data::SQLite::Connector::KEY, _path);
        other << "BEGIN IMMEDIATE", now;

        const auto started = std::chrono::steady_clock::now();
        sdk::Status status = store.saveCall(sampleCall("CA-locked", "acme", 1));
        const auto waited = std::chrono::steady_clock::now() - started;
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.code() == sdk::StatusCode::Unavailable);
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.message().find("busy") != std::string::npos);
        CPPUNIT_ASSERT(waited >= std::chrono::milliseconds(90));
        CPPUNIT_ASSERT(waited < std::chrono::seconds(5));
        // WAL: readers are not blocked by the other writer.
        CPPUNIT_ASSERT(store.findTenantByNumber("+15550100").isOk());

        other << "ROLLBACK", now;
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), store.saveCall(sampleCall("CA-locked", "acme", 1)).toString());
    }

    void testSeedIsIdempotentUpsert()
    {
        CPPUNIT_ASSERT(_store->applySeed(sampleSeed()));
        CPPUNIT_ASSERT(_store->applySeed(sampleSeed()));
        StoreStats stats = _store->stats().value();
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1), stats.accounts);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(2), stats.tenants);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(2), stats.numbers);

        // A changed seed updates in place: the tenant keeps its numbers, the number moves tenant.
        Seed changed = sampleSeed();
        changed.tenants[0].name = "Acme Renamed";
        changed.tenants[0].agent.dynamicVariables.clear();
        changed.accounts[0].secondaryToken.clear();
        changed.numbers[1].tenantId = "acme";
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), _store->applySeed(changed).toString());
        CPPUNIT_ASSERT_EQUAL(std::string("Acme Renamed"), _store->findTenant("acme")->name);
        CPPUNIT_ASSERT(_store->findTenant("acme")->agent.dynamicVariables.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), _store->findTenantByNumber("+15550101")->id);
        CPPUNIT_ASSERT(_store->findAccount("AC00000000000000000000000000000001")->secondaryToken.empty());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(2), _store->stats().value().tenants);
    }

    void testSeedWithUnknownTenantChangesNothing()
    {
        Seed seed;
        seed.tenants.push_back(sampleTenant("newco"));
        seed.numbers.push_back(sampleRoute("+15550200", "newco"));
        seed.numbers.push_back(sampleRoute("+15550201", "ghost"));
        sdk::Status status = _store->applySeed(seed);
        CPPUNIT_ASSERT(status.code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.message().find("seed.numbers[1].tenantId") != std::string::npos);
        // All or nothing: the valid tenant and number before the bad entry were rolled back.
        CPPUNIT_ASSERT(_store->findTenant("newco").status().code() == sdk::StatusCode::NotFound);
        CPPUNIT_ASSERT(_store->findTenantByNumber("+15550200").status().code() == sdk::StatusCode::NotFound);

        Seed badAccount;
        badAccount.numbers.push_back(sampleRoute("+15550300", "acme", "AC-missing"));
        status = _store->applySeed(badAccount);
        CPPUNIT_ASSERT(status.code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.message().find("seed.numbers[0].accountSid") != std::string::npos);
        CPPUNIT_ASSERT(!mentionsSecret(status.message()));
    }

    void testPing()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), _store->ping().toString());
    }

    void testInvalidOptions()
    {
        SqliteTenantStore store;
        CPPUNIT_ASSERT(store.open(optionsFor("")).code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT(store.open(optionsFor(_path, -1)).code() == sdk::StatusCode::InvalidArgument);
        StoreOptions noReaders = optionsFor(_path);
        noReaders.readConnections = 0;
        CPPUNIT_ASSERT(store.open(noReaders).code() == sdk::StatusCode::InvalidArgument);
        // Opening twice is a caller bug, reported rather than leaking the first connections.
        CPPUNIT_ASSERT(_store->open(optionsFor(_path)).code() == sdk::StatusCode::Internal);
    }

private:
    std::unique_ptr<TempDir> _dir;
    std::string _path;
    std::unique_ptr<SqliteTenantStore> _store;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SqliteTenantStoreTest);
