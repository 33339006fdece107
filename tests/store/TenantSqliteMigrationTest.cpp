// TenantSqliteMigrationTest.cpp: schema migrations keyed on PRAGMA user_version — fresh files, re-opens, later steps, refusals, rollback.
#include "patchbay/tenantsqlite/Migrations.h"
#include "patchbay/tenantsqlite/SqliteTenantStore.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/File.h>

#include <cppunit/extensions/HelperMacros.h>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "StoreTestData.h"
#include "V1Database.h"
#include "TempDir.h"

using namespace patchbay;
using namespace patchbay::tenantsqlite;
using namespace patchbay::tenantsqlite::test;
using patchbay::testing::TempDir;
using namespace Poco::Data::Keywords;

namespace {

StoreOptions optionsFor(const std::string& path)
{
    StoreOptions options;
    options.path = path;
    options.keys = testKeys();
    return options;
}

/// An independent connection, as an operator's sqlite3 shell would be.
class RawFile
{
public:
    explicit RawFile(const std::string& path)
    {
        Poco::Data::SQLite::Connector::registerConnector();
        _session = std::make_unique<Poco::Data::Session>(Poco::Data::SQLite::Connector::KEY, path);
    }

    int userVersion()
    {
        int version = 0;
        *_session << "PRAGMA user_version", into(version), now;
        return version;
    }

    bool hasTable(const std::string& name)
    {
        int n = 0;
        std::string table = name;
        *_session << "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", into(n), use(table), now;
        return n == 1;
    }

    Poco::Data::Session& session() { return *_session; }

private:
    std::unique_ptr<Poco::Data::Session> _session;
};

const int kLatest = Migrations::standard().latestVersion();

/// The history up to v2 (ABI 1.2's release), to build files the v3 step then upgrades.
Migrations v2Only()
{
    const std::vector<MigrationStep>& steps = Migrations::standard().steps();
    return Migrations({steps.at(0), steps.at(1)});
}

/// The standard history plus one more step of the kind a later issue will add.
Migrations withNextVersion(std::vector<std::string> statements)
{
    std::vector<MigrationStep> steps = Migrations::standard().steps();
    MigrationStep next;
    next.version = kLatest + 1;
    next.summary = "test step";
    next.statements = std::move(statements);
    steps.push_back(std::move(next));
    return Migrations(std::move(steps));
}

} // namespace

class TenantSqliteMigrationTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TenantSqliteMigrationTest);
    CPPUNIT_TEST(testStandardHistory);
    CPPUNIT_TEST(testMigratesEmptyFile);
    CPPUNIT_TEST(testCreatesMissingFileAndDirectories);
    CPPUNIT_TEST(testReopenIsIdempotent);
    CPPUNIT_TEST(testNewerSchemaRefused);
    CPPUNIT_TEST(testAppliesLaterStep);
    CPPUNIT_TEST(testFailingStepRollsBack);
    CPPUNIT_TEST(testStepsMustBeContiguous);
    CPPUNIT_TEST(testConcurrentOpenMigratesOnce);
    CPPUNIT_TEST(testUpgradesV1FileWithItsData);
    CPPUNIT_TEST(testUpgradedV1FileReopensUnchanged);
    CPPUNIT_TEST(testV2SchemaShape);
    CPPUNIT_TEST(testUpgradesV2FileKeepingCalls);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { _dir = std::make_unique<TempDir>(); }
    void tearDown() override { _dir.reset(); }

    void testStandardHistory()
    {
        const Migrations& standard = Migrations::standard();
        CPPUNIT_ASSERT_EQUAL(3, standard.latestVersion());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), standard.steps().size());
        CPPUNIT_ASSERT_EQUAL(1, standard.steps()[0].version);
        CPPUNIT_ASSERT_EQUAL(2, standard.steps()[1].version);
        CPPUNIT_ASSERT_EQUAL(3, standard.steps()[2].version);
    }

    void testMigratesEmptyFile()
    {
        const std::string path = _dir->file("empty.db");
        TempDir::write(path, "");
        SqliteTenantStore store;
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), store.open(optionsFor(path)).toString());
        CPPUNIT_ASSERT_EQUAL(kLatest, store.stats().value().schemaVersion);
        store.close();

        RawFile raw(path);
        CPPUNIT_ASSERT_EQUAL(kLatest, raw.userVersion());
        for (const char* table : {"accounts", "tenants", "phone_numbers", "calls", "tenant_variants",
                                  "call_status_events", "transcripts", "monthly_usage", "tenant_tokens"})
            CPPUNIT_ASSERT_MESSAGE(table, raw.hasTable(table));
        int indexes = 0;
        raw.session() << "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'calls_by_tenant_time'",
            into(indexes), now;
        CPPUNIT_ASSERT_EQUAL(1, indexes);
    }

    void testCreatesMissingFileAndDirectories()
    {
        const std::string path = _dir->file("a/b/c/tenants.db");
        SqliteTenantStore store;
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), store.open(optionsFor(path)).toString());
        CPPUNIT_ASSERT(Poco::File(path).exists());
        CPPUNIT_ASSERT_EQUAL(kLatest, store.stats().value().schemaVersion);
    }

    void testReopenIsIdempotent()
    {
        const std::string path = _dir->file("tenants.db");
        {
            SqliteTenantStore store;
            CPPUNIT_ASSERT(store.open(optionsFor(path)));
            CPPUNIT_ASSERT(store.applySeed(sampleSeed()));
            CPPUNIT_ASSERT(store.saveCall(sampleCall("CA1", "acme", 1)));
        }
        for (int i = 0; i < 3; ++i)
        {
            SqliteTenantStore store;
            CPPUNIT_ASSERT_EQUAL(std::string("ok"), store.open(optionsFor(path)).toString());
            StoreStats stats = store.stats().value();
            CPPUNIT_ASSERT_EQUAL(kLatest, stats.schemaVersion);
            CPPUNIT_ASSERT_EQUAL(std::int64_t(2), stats.tenants);
            CPPUNIT_ASSERT_EQUAL(std::int64_t(1), stats.calls);
        }
    }

    void testNewerSchemaRefused()
    {
        const std::string path = _dir->file("future.db");
        {
            RawFile raw(path);
            raw.session() << "CREATE TABLE from_the_future (x INTEGER)", now;
            raw.session() << "PRAGMA user_version = 99", now;
        }
        SqliteTenantStore store;
        sdk::Status status = store.open(optionsFor(path));
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.code() == sdk::StatusCode::Internal);
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.message().find("v99") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.message().find("newer") != std::string::npos);
        CPPUNIT_ASSERT(!store.isOpen());

        RawFile raw(path);
        CPPUNIT_ASSERT_EQUAL(99, raw.userVersion());
        CPPUNIT_ASSERT(!raw.hasTable("tenants"));
    }

    void testAppliesLaterStep()
    {
        const std::string path = _dir->file("tenants.db");
        {
            SqliteTenantStore current;
            CPPUNIT_ASSERT(current.open(optionsFor(path)));
            CPPUNIT_ASSERT(current.applySeed(sampleSeed()));
        }
        const Migrations next = withNextVersion({
            "ALTER TABLE tenants ADD COLUMN agent_api_key_id_test TEXT NOT NULL DEFAULT ''",
            "CREATE TABLE usage_periods (tenant_id TEXT NOT NULL, period TEXT NOT NULL, seconds INTEGER NOT NULL)",
        });
        {
            SqliteTenantStore store(next);
            CPPUNIT_ASSERT_EQUAL(std::string("ok"), store.open(optionsFor(path)).toString());
            CPPUNIT_ASSERT_EQUAL(kLatest + 1, store.stats().value().schemaVersion);
            CPPUNIT_ASSERT(store.findTenantByNumber("+15550100").isOk()); // data kept across the step
        }
        RawFile raw(path);
        CPPUNIT_ASSERT_EQUAL(kLatest + 1, raw.userVersion());
        CPPUNIT_ASSERT(raw.hasTable("usage_periods"));

        // This build now meets a newer file and refuses it.
        SqliteTenantStore old;
        CPPUNIT_ASSERT(old.open(optionsFor(path)).code() == sdk::StatusCode::Internal);
    }

    void testFailingStepRollsBack()
    {
        const std::string path = _dir->file("tenants.db");
        {
            SqliteTenantStore current;
            CPPUNIT_ASSERT(current.open(optionsFor(path)));
        }
        const Migrations broken = withNextVersion({
            "CREATE TABLE half_done (x INTEGER)",
            "THIS IS NOT SQL",
        });
        SqliteTenantStore store(broken);
        sdk::Status status = store.open(optionsFor(path));
        CPPUNIT_ASSERT(!status.isOk());
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.message().find("schema v" + std::to_string(kLatest + 1)) !=
                                                                   std::string::npos);
        CPPUNIT_ASSERT(!store.isOpen());

        RawFile raw(path);
        CPPUNIT_ASSERT_EQUAL(kLatest, raw.userVersion());
        CPPUNIT_ASSERT(!raw.hasTable("half_done"));
    }

    void testStepsMustBeContiguous()
    {
        MigrationStep v2;
        v2.version = 2;
        CPPUNIT_ASSERT_THROW(Migrations({v2}), std::invalid_argument);
    }

    void testConcurrentOpenMigratesOnce()
    {
        // Two processes starting on one fresh file: the version re-read under the write lock means
        // the second one finds v1 and skips the step instead of failing on "table exists".
        const std::string path = _dir->file("race.db");
        constexpr int kStores = 4;
        std::vector<std::unique_ptr<SqliteTenantStore>> stores;
        std::vector<sdk::Status> results(kStores);
        for (int i = 0; i < kStores; ++i)
            stores.push_back(std::make_unique<SqliteTenantStore>());
        std::vector<std::thread> threads;
        for (int i = 0; i < kStores; ++i)
            threads.emplace_back([&, i] { results[i] = stores[i]->open(optionsFor(path)); });
        for (auto& thread : threads)
            thread.join();
        for (const auto& status : results)
            CPPUNIT_ASSERT_EQUAL(std::string("ok"), status.toString());
        CPPUNIT_ASSERT_EQUAL(kLatest, stores[0]->stats().value().schemaVersion);
    }

    void testUpgradesV1FileWithItsData()
    {
        const std::string path = _dir->file("v1.db");
        createV1Database(path);
        CPPUNIT_ASSERT_EQUAL(1, RawFile(path).userVersion());

        SqliteTenantStore store;
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), store.open(optionsFor(path)).toString());
        CPPUNIT_ASSERT_EQUAL(kLatest, store.stats().value().schemaVersion);

        sdk::Result<sdk::Tenant> tenant = store.findTenantByNumber("+15550100");
        CPPUNIT_ASSERT_MESSAGE(tenant.status().toString(), tenant.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), tenant->id);
        CPPUNIT_ASSERT_EQUAL(std::string(kApiKey), tenant->agent.apiKey);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(3), tenant->limits.maxConcurrentCalls);
        CPPUNIT_ASSERT(tenant->agent.dynamicVariables == (sdk::KeyValues{{"company", "Acme"}}));
        CPPUNIT_ASSERT(tenant->variants.empty());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(0), tenant->rates.perMinuteMicros); // new columns take defaults
        CPPUNIT_ASSERT_EQUAL(std::string("USD"), tenant->rates.currency);

        sdk::Result<sdk::CarrierAccount> account = store.findAccount("AC00000000000000000000000000000001");
        CPPUNIT_ASSERT_MESSAGE(account.status().toString(), account.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string(kAuthToken), account->authToken);
        CPPUNIT_ASSERT_EQUAL(std::string(kSecondaryToken), account->secondaryToken);
        CPPUNIT_ASSERT(account->apiKeySecret.empty());

        sdk::Result<sdk::NumberRoute> route = store.findNumber("+15550100");
        CPPUNIT_ASSERT(route.isOk());
        CPPUNIT_ASSERT(route->phoneNumberSid.empty());

        sdk::Result<sdk::CallRecord> call = store.findCall("CA-v1");
        CPPUNIT_ASSERT(call.isOk());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(61000), call->durationMs);
        CPPUNIT_ASSERT(call->variant.empty());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(0), call->costMicros);
        // A call v1 recorded was never counted, so finishing it now bills it once.
        CPPUNIT_ASSERT(store.finishCall(call.value()));
        CPPUNIT_ASSERT(store.finishCall(call.value()));
        std::vector<sdk::MonthlyUsage> usage = store.usage("acme", "").value();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), usage.size());
        CPPUNIT_ASSERT_EQUAL(std::string("1970-01"), usage[0].month);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(61), usage[0].seconds);
    }

    void testUpgradedV1FileReopensUnchanged()
    {
        const std::string path = _dir->file("v1.db");
        createV1Database(path);
        for (int i = 0; i < 3; ++i)
        {
            SqliteTenantStore store;
            CPPUNIT_ASSERT_EQUAL(std::string("ok"), store.open(optionsFor(path)).toString());
            StoreStats stats = store.stats().value();
            CPPUNIT_ASSERT_EQUAL(kLatest, stats.schemaVersion);
            CPPUNIT_ASSERT_EQUAL(std::int64_t(1), stats.accounts);
            CPPUNIT_ASSERT_EQUAL(std::int64_t(1), stats.tenants);
            CPPUNIT_ASSERT_EQUAL(std::int64_t(1), stats.numbers);
            CPPUNIT_ASSERT_EQUAL(std::int64_t(1), stats.calls);
            CPPUNIT_ASSERT_EQUAL(std::string(kAuthToken), store.findAccount("AC00000000000000000000000000000001")->authToken);
        }
    }

    void testV2SchemaShape()
    {
        const std::string path = _dir->file("v2.db");
        {
            SqliteTenantStore store;
            CPPUNIT_ASSERT(store.open(optionsFor(path)));
        }
        RawFile raw(path);
        auto hasColumn = [&](const std::string& table, const std::string& column) {
            int n = 0;
            std::string t = table, c = column;
            raw.session() << "SELECT count(*) FROM pragma_table_info(?) WHERE name = ?", into(n), use(t), use(c), now;
            return n == 1;
        };
        for (const char* column : {"friendly_name", "api_key_sid", "api_key_secret"})
            CPPUNIT_ASSERT_MESSAGE(column, hasColumn("accounts", column));
        for (const char* column : {"rate_per_minute_micros", "rate_currency"})
            CPPUNIT_ASSERT_MESSAGE(column, hasColumn("tenants", column));
        CPPUNIT_ASSERT(hasColumn("phone_numbers", "phone_number_sid"));
        for (const char* column : {"variant", "answered_at_ms", "cost_micros", "usage_counted"})
            CPPUNIT_ASSERT_MESSAGE(column, hasColumn("calls", column));
        for (const char* column : {"tenant_id", "name", "weight", "agent_id", "agent_api_key"})
            CPPUNIT_ASSERT_MESSAGE(column, hasColumn("tenant_variants", column));
        for (const char* column : {"id", "tenant_id", "sha256", "label", "created_at_ms", "revoked_at_ms"})
            CPPUNIT_ASSERT_MESSAGE(column, hasColumn("tenant_tokens", column));
        for (const char* column : {"tenant_id", "month", "variant", "calls", "seconds", "cost_micros"})
            CPPUNIT_ASSERT_MESSAGE(column, hasColumn("monthly_usage", column));
    }

    void testUpgradesV2FileKeepingCalls()
    {
        // A file as the ABI 1.2 release left it: v1 and v2 only, with a finished call and history.
        const std::string path = _dir->file("v2.db");
        sdk::CallRecord record = sampleCall("CA-v2", "acme", 1706745600000);
        record.status = "ended";
        record.durationMs = 61000;
        record.endReason = "caller-hangup";
        record.agentConversationId = "conv_v2";
        record.variant = "blue";
        {
            const Migrations history = v2Only(); // the store keeps a reference to it
            SqliteTenantStore v2(history);
            CPPUNIT_ASSERT_EQUAL(std::string("ok"), v2.open(optionsFor(path)).toString());
            CPPUNIT_ASSERT_EQUAL(2, v2.stats().value().schemaVersion);
            CPPUNIT_ASSERT(v2.applySeed(sampleSeed()));
            CPPUNIT_ASSERT_EQUAL(std::string("ok"), v2.finishCall(record).toString());
            CPPUNIT_ASSERT(v2.addTranscript("CA-v2", sdk::TranscriptEntry{"user", "hello", 1706745601000}));
            // The v2 build cannot hold a report: its calls table has no columns for one.
            CPPUNIT_ASSERT(!v2.saveAgentReport("CA-v2", sdk::AgentCallReport{}).isOk());
        }
        CPPUNIT_ASSERT_EQUAL(2, RawFile(path).userVersion());

        SqliteTenantStore store;
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), store.open(optionsFor(path)).toString());
        CPPUNIT_ASSERT_EQUAL(3, store.stats().value().schemaVersion);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1), store.stats().value().calls);
        sdk::Result<sdk::CallRecord> call = store.findCall("CA-v2");
        CPPUNIT_ASSERT_MESSAGE(call.status().toString(), call.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("ended"), call->status);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(61000), call->durationMs);
        CPPUNIT_ASSERT_EQUAL(std::string("conv_v2"), call->agentConversationId);
        CPPUNIT_ASSERT_EQUAL(std::string("blue"), call->variant);
        // The new columns take their "no report" defaults.
        CPPUNIT_ASSERT(call->agentReport.empty());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(-1), call->agentReport.durationSeconds);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(-1), call->agentReport.cost);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), store.transcript("CA-v2").value().size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), store.usage("acme", "").value().size());
        CPPUNIT_ASSERT(store.findTenantByNumber("+15550100").isOk());

        // The migrated row takes a report, and finishing it again neither bills it twice nor drops it.
        sdk::AgentCallReport report;
        report.conversationId = "conv_v2";
        report.status = "done";
        report.durationSeconds = 60;
        report.receivedAtMs = 1706745700000;
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), store.saveAgentReport("CA-v2", report).toString());
        CPPUNIT_ASSERT(store.finishCall(record));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(60), store.findCall("CA-v2")->agentReport.durationSeconds);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), store.usage("acme", "").value().at(0).calls);

        RawFile raw(path);
        CPPUNIT_ASSERT_EQUAL(3, raw.userVersion());
        int columns = 0;
        raw.session() << "SELECT count(*) FROM pragma_table_info('calls') WHERE name LIKE 'agent_report_%'", into(columns), now;
        CPPUNIT_ASSERT_EQUAL(9, columns);
    }

private:
    std::unique_ptr<TempDir> _dir;
};

CPPUNIT_TEST_SUITE_REGISTRATION(TenantSqliteMigrationTest);
