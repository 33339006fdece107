// TenantSqlitePluginTest.cpp: the built tenant-sqlite .so loaded through dlopen and driven through its C entry points, plus its config rules.
#include "patchbay/sdk/Plugin.h"
#include "patchbay/sdk/testing/FakeHostServices.h"
#include "patchbay/tenantsqlite/TenantSqliteConfig.h"

#include <cppunit/extensions/HelperMacros.h>

#include <dlfcn.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include "StoreTestData.h"
#include "TempDir.h"

#ifndef TENANT_SQLITE_PLUGIN_PATH
#error "TENANT_SQLITE_PLUGIN_PATH must name the built libpatchbay-tenant-sqlite.so"
#endif

using namespace patchbay;
using namespace patchbay::tenantsqlite;
using namespace patchbay::tenantsqlite::test;
using patchbay::testing::TempDir;

namespace {

/// The plugin library, opened once and never closed — as the host does (plugins are never unloaded).
struct PluginLibrary
{
    using Describe = const patchbay_plugin_descriptor* (*)();
    using Create = void* (*)();
    using Destroy = void (*)(void*);

    Describe describe = nullptr;
    Create create = nullptr;
    Destroy destroy = nullptr;

    static const PluginLibrary& get()
    {
        static const PluginLibrary library = load();
        return library;
    }

private:
    static PluginLibrary load()
    {
        void* handle = ::dlopen(TENANT_SQLITE_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
        if (!handle)
            throw std::runtime_error(std::string("dlopen failed: ") + ::dlerror());
        PluginLibrary library;
        library.describe = reinterpret_cast<Describe>(::dlsym(handle, PATCHBAY_SYMBOL_DESCRIBE));
        library.create = reinterpret_cast<Create>(::dlsym(handle, PATCHBAY_SYMBOL_CREATE));
        library.destroy = reinterpret_cast<Destroy>(::dlsym(handle, PATCHBAY_SYMBOL_DESTROY));
        if (!library.describe || !library.create || !library.destroy)
            throw std::runtime_error("the plugin lacks an entry point");
        return library;
    }
};

/// One plugin object, destroyed through the plugin's own entry point.
class PluginInstance
{
public:
    PluginInstance()
    {
        void* object = PluginLibrary::get().create();
        if (!object)
            throw std::runtime_error("patchbay_plugin_create returned NULL");
        _plugin = static_cast<sdk::Plugin*>(object);
    }
    PluginInstance(const PluginInstance&) = delete;
    PluginInstance& operator=(const PluginInstance&) = delete;
    ~PluginInstance() { PluginLibrary::get().destroy(_plugin); }

    sdk::Plugin* operator->() const noexcept { return _plugin; }

private:
    sdk::Plugin* _plugin = nullptr;
};

std::string demoConfig(const std::string& path, const std::string& extra = "")
{
    return R"({"path": ")" + path + R"(", "busyTimeoutMs": 2000, "keys": {"insecureDevelopmentKey": true})" + extra + R"(,
      "seed": {
        "accounts": [{"sid": "AC00000000000000000000000000000001", "authToken": ")" + std::string(kAuthToken) + R"(",
                      "secondaryToken": ")" + kSecondaryToken + R"("}],
        "tenants": [{"id": "demo", "name": "Demo tenant",
                     "agent": {"provider": "elevenlabs", "agentId": "agent_demo", "apiKey": ")" + kApiKey + R"(",
                               "dynamicVariables": {"company": "Demo Ltd", "tier": "gold"}},
                     "limits": {"maxConcurrentCalls": 2, "maxCallSeconds": 300},
                     "fallback": {"message": "Please call back later.", "dialNumber": "+15550199"}},
                    {"id": "paused", "name": "Paused tenant", "status": "suspended", "agent": {"agentId": "agent_p"}}],
        "numbers": [{"number": "+15550100", "tenantId": "demo", "accountSid": "AC00000000000000000000000000000001"},
                    {"number": "+15550101", "tenantId": "paused"}]
      }})";
}

bool mentionsSecret(const std::string& text)
{
    return text.find(kAuthToken) != std::string::npos || text.find(kSecondaryToken) != std::string::npos ||
           text.find(kApiKey) != std::string::npos;
}

sdk::Status parseStatus(const std::string& json)
{
    sdk::Result<TenantSqliteConfig> config = TenantSqliteConfig::parse(json);
    return config ? sdk::Status::ok() : config.status();
}

} // namespace

class TenantSqlitePluginTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TenantSqlitePluginTest);
    CPPUNIT_TEST(testDescriptor);
    CPPUNIT_TEST(testInitOpensSeedsAndServesStore);
    CPPUNIT_TEST(testSeedIdempotentAcrossRestarts);
    CPPUNIT_TEST(testUnknownConfigKeyRefused);
    CPPUNIT_TEST(testMissingPathRefused);
    CPPUNIT_TEST(testMalformedConfigRefused);
    CPPUNIT_TEST(testInvalidSeedNamesField);
    CPPUNIT_TEST(testSeedReferencingUnknownTenantFailsInit);
    CPPUNIT_TEST(testGarbageFileFailsInit);
    CPPUNIT_TEST(testConfigValues);
    CPPUNIT_TEST(testSeedSecretsRequireKeys);
    CPPUNIT_TEST(testInsecureDevelopmentKeyWarnsLoudly);
    CPPUNIT_TEST(testKeyFileConfig);
    CPPUNIT_TEST(testSeedV2Fields);
    CPPUNIT_TEST(testInvalidV2SeedNamesField);
    CPPUNIT_TEST(testCheckConfigAcceptsWithoutCreatingAnything);
    CPPUNIT_TEST(testCheckConfigRefusesLikeInit);
    CPPUNIT_TEST(testCheckConfigKeys);
    CPPUNIT_TEST(testCheckConfigPath);
    CPPUNIT_TEST(testCheckConfigSeedReferences);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _dir = std::make_unique<TempDir>();
        _path = _dir->file("data/tenants.db");
    }

    void tearDown() override { _dir.reset(); }

    void testDescriptor()
    {
        const patchbay_plugin_descriptor* d = PluginLibrary::get().describe();
        CPPUNIT_ASSERT(d != nullptr);
        CPPUNIT_ASSERT(d->struct_size >= sizeof(patchbay_plugin_descriptor));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(PATCHBAY_ABI_MAJOR), d->abi_major);
        CPPUNIT_ASSERT(d->abi_minor <= PATCHBAY_ABI_MINOR);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(0), d->reserved_flags);
        CPPUNIT_ASSERT_EQUAL(std::string(PATCHBAY_BUILD_SIGNATURE), std::string(d->build_signature));
        CPPUNIT_ASSERT_EQUAL(std::string("tenant-sqlite"), std::string(d->id));
        CPPUNIT_ASSERT_EQUAL(std::string("0.1.0"), std::string(d->version));
        CPPUNIT_ASSERT_EQUAL(PATCHBAY_CAP_TENANT_STORE, d->capabilities);
        for (const void* slot : d->reserved)
            CPPUNIT_ASSERT(slot == nullptr);
    }

    void testInitOpensSeedsAndServesStore()
    {
        sdk::testing::FakeHostServices host("tenant-sqlite");
        PluginInstance plugin;
        sdk::Status status = plugin->init(host, demoConfig(_path));
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), status.toString());
        CPPUNIT_ASSERT(plugin->inboundProvider() == nullptr);
        CPPUNIT_ASSERT(plugin->agentProvider() == nullptr);
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), plugin->start().toString());

        const std::string ready = "tenant store ready: " + _path + ", schema v3, 2 tenants, 2 numbers";
        CPPUNIT_ASSERT_MESSAGE(host.recordingLogger().dump(),
                               host.recordingLogger().contains(sdk::LogLevel::Info, ready));

        sdk::TenantStore* store = plugin->tenantStore();
        CPPUNIT_ASSERT(store != nullptr);
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), store->ping().toString());
        sdk::Result<sdk::Tenant> demo = store->findTenantByNumber("+15550100");
        CPPUNIT_ASSERT_MESSAGE(demo.status().toString(), demo.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("Demo tenant"), demo->name);
        CPPUNIT_ASSERT_EQUAL(std::string("agent_demo"), demo->agent.agentId);
        CPPUNIT_ASSERT_EQUAL(std::string(kApiKey), demo->agent.apiKey);
        CPPUNIT_ASSERT(demo->agent.dynamicVariables ==
                       (sdk::KeyValues{{"company", "Demo Ltd"}, {"tier", "gold"}}));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(2), demo->limits.maxConcurrentCalls);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(0), demo->limits.callsPerMinute);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(300), demo->limits.maxCallSeconds);
        CPPUNIT_ASSERT_EQUAL(std::string("+15550199"), demo->fallback.dialNumber);
        CPPUNIT_ASSERT(store->findTenantByNumber("+15550101")->status == sdk::TenantStatus::Suspended);
        CPPUNIT_ASSERT_EQUAL(std::string(kAuthToken),
                             store->findAccount("AC00000000000000000000000000000001")->authToken);
        CPPUNIT_ASSERT(store->saveCall(sampleCall("CA-plugin", "demo", 42)));
        CPPUNIT_ASSERT(store->findCall("CA-plugin").isOk());

        plugin->stop();
        plugin->shutdown();
        CPPUNIT_ASSERT(store->ping().code() == sdk::StatusCode::Unavailable);
        CPPUNIT_ASSERT_MESSAGE(host.recordingLogger().dump(), !mentionsSecret(host.recordingLogger().dump()));
    }

    void testSeedIdempotentAcrossRestarts()
    {
        for (int run = 0; run < 3; ++run)
        {
            sdk::testing::FakeHostServices host("tenant-sqlite");
            PluginInstance plugin;
            CPPUNIT_ASSERT_EQUAL(std::string("ok"), plugin->init(host, demoConfig(_path)).toString());
            CPPUNIT_ASSERT_MESSAGE(host.recordingLogger().dump(),
                                   host.recordingLogger().contains("schema v3, 2 tenants, 2 numbers"));
            if (run == 0)
                CPPUNIT_ASSERT(plugin->tenantStore()->saveCall(sampleCall("CA-kept", "demo", 1)));
            // Records written between restarts are untouched by re-seeding.
            CPPUNIT_ASSERT(plugin->tenantStore()->findCall("CA-kept").isOk());
            plugin->shutdown();
        }
    }

    void testUnknownConfigKeyRefused()
    {
        sdk::testing::FakeHostServices host("tenant-sqlite");
        PluginInstance plugin;
        sdk::Status status = plugin->init(host, demoConfig(_path, R"(, "busyTimeout": 10)"));
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.message().find("'busyTimeout'") != std::string::npos);
        CPPUNIT_ASSERT(!mentionsSecret(status.message()));
        plugin->shutdown();
    }

    void testMissingPathRefused()
    {
        sdk::testing::FakeHostServices host("tenant-sqlite");
        PluginInstance plugin;
        sdk::Status status = plugin->init(host, R"({"busyTimeoutMs": 100})");
        CPPUNIT_ASSERT(status.code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.message().find("'path'") != std::string::npos);
        CPPUNIT_ASSERT(parseStatus(R"({"path": ""})").code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT(parseStatus(R"({"path": 7})").code() == sdk::StatusCode::InvalidArgument);
        plugin->shutdown();
    }

    void testMalformedConfigRefused()
    {
        sdk::testing::FakeHostServices host("tenant-sqlite");
        PluginInstance plugin;
        sdk::Status status = plugin->init(host, R"({"path": "x.db", "seed": {"accounts": [{"authToken": "abc)");
        CPPUNIT_ASSERT(status.code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT(status.message().find("abc") == std::string::npos);
        CPPUNIT_ASSERT(parseStatus("[]").code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT(parseStatus("").code() == sdk::StatusCode::InvalidArgument);
        plugin->shutdown();
    }

    void testInvalidSeedNamesField()
    {
        struct Case
        {
            const char* seed;
            const char* field;
        };
        const std::string token = kAuthToken;
        const Case cases[] = {
            {R"({"accounts": [{"sid": "AC1"}]})", "seed.accounts[0].authToken"},
            {R"({"accounts": [{"authToken": "SECRET"}]})", "seed.accounts[0].sid"},
            {R"({"tenants": [{"id": "t", "name": "T"}]})", "seed.tenants[0].agent"},
            {R"({"tenants": [{"id": "t", "name": "T", "agent": {"provider": "elevenlabs"}}]})",
             "seed.tenants[0].agent.agentId"},
            {R"({"tenants": [{"name": "T", "agent": {"agentId": "a"}}]})", "seed.tenants[0].id"},
            {R"({"tenants": [{"id": "t", "name": "T", "status": "paused", "agent": {"agentId": "a"}}]})",
             "seed.tenants[0].status"},
            {R"({"tenants": [{"id": "t", "name": "T", "agent": {"agentId": "a"}, "limits": {"callsPerMinute": -1}}]})",
             "seed.tenants[0].limits.callsPerMinute"},
            {R"({"tenants": [{"id": "t", "name": "T", "agent": {"agentId": "a", "dynamicVariables": {"n": 1}}}]})",
             "seed.tenants[0].agent.dynamicVariables.n"},
            {R"({"tenants": [{"id": "t", "name": "T", "agent": {"agentId": "a"}, "fallback": {"dialNumber": "555"}}]})",
             "seed.tenants[0].fallback.dialNumber"},
            {R"({"numbers": [{"tenantId": "t"}]})", "seed.numbers[0].number"},
            {R"({"numbers": [{"number": "15550100", "tenantId": "t"}]})", "seed.numbers[0].number"},
            {R"({"numbers": [{"number": "+15550100"}]})", "seed.numbers[0].tenantId"},
            {R"({"numbers": [{"number": "+15550100", "tenantId": "t"}, {"number": "+15550100", "tenantId": "u"}]})",
             "seed.numbers[1]"},
            {R"({"tenants": {"id": "t"}})", "seed.tenants"},
            {R"({"accounts": [{"sid": "AC1", "authtoken": "SECRET"}]})", "authtoken"},
            {R"({"users": []})", "users"},
        };
        for (const Case& c : cases)
        {
            sdk::Status status = parseStatus(R"({"path": "x.db", "seed": )" + std::string(c.seed) + "}");
            CPPUNIT_ASSERT_MESSAGE(c.seed, status.code() == sdk::StatusCode::InvalidArgument);
            CPPUNIT_ASSERT_MESSAGE(std::string(c.seed) + " -> " + status.message(),
                                   status.message().find(c.field) != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(status.message(), status.message().find("SECRET") == std::string::npos);
        }

        // Through the plugin too, and the file is not even created for a config that cannot work.
        sdk::testing::FakeHostServices host("tenant-sqlite");
        PluginInstance plugin;
        sdk::Status status = plugin->init(
            host, R"({"path": ")" + _path + R"(", "seed": {"accounts": [{"sid": "AC1", "authToken": ")" + token +
                      R"("}], "tenants": [{"id": "t", "name": "T", "agent": {}}]}})");
        CPPUNIT_ASSERT(status.code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.message().find("seed.tenants[0].agent.agentId") != std::string::npos);
        CPPUNIT_ASSERT(!mentionsSecret(status.message()));
        CPPUNIT_ASSERT(!Poco::File(_path).exists());
        plugin->shutdown();
    }

    void testSeedReferencingUnknownTenantFailsInit()
    {
        sdk::testing::FakeHostServices host("tenant-sqlite");
        PluginInstance plugin;
        sdk::Status status = plugin->init(
            host, R"({"path": ")" + _path + R"(", "seed": {"numbers": [{"number": "+15550100", "tenantId": "ghost"}]}})");
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.message().find("seed.numbers[0].tenantId") != std::string::npos);
        CPPUNIT_ASSERT(plugin->tenantStore()->ping().code() == sdk::StatusCode::Unavailable);
        plugin->shutdown();
    }

    void testGarbageFileFailsInit()
    {
        const std::string path = _dir->file("garbage.db");
        TempDir::write(path, std::string(4096, '\x5a'));
        sdk::testing::FakeHostServices host("tenant-sqlite");
        PluginInstance plugin;
        sdk::Status status = plugin->init(host, R"({"path": ")" + path + R"("})");
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.code() == sdk::StatusCode::Internal);
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.message().find("not a database") != std::string::npos);
        plugin->shutdown();
    }

    void testConfigValues()
    {
        sdk::Result<TenantSqliteConfig> defaults = TenantSqliteConfig::parse(R"({"path": "/var/lib/patchbay/t.db"})");
        CPPUNIT_ASSERT(defaults.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("/var/lib/patchbay/t.db"), defaults->store.path);
        CPPUNIT_ASSERT_EQUAL(5000, defaults->store.busyTimeoutMs);
        CPPUNIT_ASSERT(defaults->seed.empty());

        sdk::Result<TenantSqliteConfig> tuned = TenantSqliteConfig::parse(R"({"path": "t.db", "busyTimeoutMs": 0})");
        CPPUNIT_ASSERT(tuned.isOk());
        CPPUNIT_ASSERT_EQUAL(0, tuned->store.busyTimeoutMs);

        for (const char* bad : {"-1", "1.5", "\"100\"", "600001", "true"})
        {
            sdk::Status status = parseStatus(R"({"path": "t.db", "busyTimeoutMs": )" + std::string(bad) + "}");
            CPPUNIT_ASSERT_MESSAGE(bad, status.code() == sdk::StatusCode::InvalidArgument);
            CPPUNIT_ASSERT_MESSAGE(status.message(), status.message().find("busyTimeoutMs") != std::string::npos);
        }
    }

    void testSeedSecretsRequireKeys()
    {
        sdk::testing::FakeHostServices host("tenant-sqlite");
        PluginInstance plugin;
        const std::string config = R"({"path": ")" + _path + R"(", "seed": {"accounts": [{"sid": "AC1", "authToken": ")" +
                                   kAuthToken + R"("}]}})";
        sdk::Status status = plugin->init(host, config);
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT_EQUAL(std::string("tenant-sqlite: config.keys is required to store secrets (generate one with "
                                         "`head -c32 /dev/urandom | base64 > k1.key`)"),
                             status.message());
        plugin->shutdown();
        CPPUNIT_ASSERT(!mentionsSecret(TempDir::read(_path)));

        // Without secrets (and without keys) the store starts: tenants and numbers need no key.
        sdk::testing::FakeHostServices host2("tenant-sqlite");
        PluginInstance plain;
        CPPUNIT_ASSERT_EQUAL(std::string("ok"),
                             plain->init(host2, R"({"path": ")" + _path + R"(", "seed": {"tenants": [{"id": "t",)"
                                                R"( "name": "T", "agent": {"agentId": "a"}}]}})")
                                 .toString());
        plain->shutdown();

        // A file already holding secrets needs its key too, even with no seed.
        {
            sdk::testing::FakeHostServices host3("tenant-sqlite");
            PluginInstance keyed;
            CPPUNIT_ASSERT(keyed->init(host3, demoConfig(_path)));
            keyed->shutdown();
        }
        sdk::testing::FakeHostServices host4("tenant-sqlite");
        PluginInstance keyless;
        status = keyless->init(host4, R"({"path": ")" + _path + R"("})");
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.message().find("config.keys is required") != std::string::npos);
        keyless->shutdown();
    }

    void testInsecureDevelopmentKeyWarnsLoudly()
    {
        sdk::testing::FakeHostServices host("tenant-sqlite");
        PluginInstance plugin;
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), plugin->init(host, demoConfig(_path)).toString());
        CPPUNIT_ASSERT_MESSAGE(host.recordingLogger().dump(),
                               host.recordingLogger().contains(sdk::LogLevel::Warn, "insecureDevelopmentKey is ON"));
        // Failing operations and every log line stay free of secrets.
        sdk::TenantStore* store = plugin->tenantStore();
        sdk::CarrierAccount account = sampleAccount("");
        CPPUNIT_ASSERT(!mentionsSecret(store->saveAccount(account).message()));
        CPPUNIT_ASSERT(!mentionsSecret(store->findAccount("AC-missing").status().message()));
        CPPUNIT_ASSERT(store->rotateSecrets().isOk());
        plugin->shutdown();
        CPPUNIT_ASSERT_MESSAGE(host.recordingLogger().dump(), !mentionsSecret(host.recordingLogger().dump()));
        CPPUNIT_ASSERT(!mentionsSecret(TempDir::read(_path)));
    }

    void testKeyFileConfig()
    {
        std::string hex;
        for (int i = 0; i < 32; ++i)
            hex += "a5";
        TempDir::write(_dir->file("k1.key"), hex + "\n");
        // Replacing the development key with a file key (the helper's default is the dev key).
        std::string withFile = demoConfig(_path);
        const std::string dev = R"("keys": {"insecureDevelopmentKey": true})";
        withFile.replace(withFile.find(dev), dev.size(), R"("keys": {"files": {"k1": ")" + _dir->file("k1.key") + R"("}})");
        sdk::testing::FakeHostServices host("tenant-sqlite");
        PluginInstance plugin;
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), plugin->init(host, withFile).toString());
        CPPUNIT_ASSERT_EQUAL(0, static_cast<int>(host.recordingLogger().count(sdk::LogLevel::Warn)));
        CPPUNIT_ASSERT_EQUAL(std::string(kAuthToken),
                             plugin->tenantStore()->findAccount("AC00000000000000000000000000000001")->authToken);
        plugin->shutdown();
        CPPUNIT_ASSERT(!mentionsSecret(host.recordingLogger().dump()));
    }

    void testSeedV2Fields()
    {
        const std::string config = R"({"path": ")" + _path + R"(", "keys": {"insecureDevelopmentKey": true},
          "seed": {
            "accounts": [{"sid": "AC1", "authToken": "t", "friendlyName": "Main", "apiKeySid": "SK1",
                          "apiKeySecret": "s"}],
            "tenants": [{"id": "ab", "name": "AB", "agent": {"agentId": "a0"},
                         "rates": {"perMinuteMicros": 15000, "currency": "EUR"},
                         "variants": [{"name": "control", "weight": 3, "agent": {"agentId": "a1"}},
                                      {"name": "short", "agent": {"agentId": "a2", "prompt": "Be brief."}}]}],
            "numbers": [{"number": "+15550100", "tenantId": "ab", "accountSid": "AC1", "phoneNumberSid": "PN1"}]}})";
        sdk::testing::FakeHostServices host("tenant-sqlite");
        PluginInstance plugin;
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), plugin->init(host, config).toString());
        sdk::TenantStore* store = plugin->tenantStore();
        sdk::Tenant tenant = store->findTenant("ab").value();
        CPPUNIT_ASSERT_EQUAL(std::int64_t(15000), tenant.rates.perMinuteMicros);
        CPPUNIT_ASSERT_EQUAL(std::string("EUR"), tenant.rates.currency);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), tenant.variants.size());
        CPPUNIT_ASSERT_EQUAL(std::string("control"), tenant.variants[0].name);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(3), tenant.variants[0].weight);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(1), tenant.variants[1].weight); // default
        CPPUNIT_ASSERT_EQUAL(std::string("Be brief."), tenant.variants[1].agent.prompt);
        sdk::CarrierAccount account = store->findAccount("AC1").value();
        CPPUNIT_ASSERT_EQUAL(std::string("Main"), account.friendlyName);
        CPPUNIT_ASSERT_EQUAL(std::string("SK1"), account.apiKeySid);
        CPPUNIT_ASSERT_EQUAL(std::string("s"), account.apiKeySecret);
        CPPUNIT_ASSERT_EQUAL(std::string("PN1"), store->findNumber("+15550100")->phoneNumberSid);
        plugin->shutdown();
    }

    void testInvalidV2SeedNamesField()
    {
        const struct
        {
            const char* seed;
            const char* path;
        } cases[] = {
            {R"({"tenants": [{"id": "t", "name": "T", "agent": {"agentId": "a"}, "variants": [{"name": "Bad Name",)"
             R"( "agent": {"agentId": "b"}}]}]})",
             "seed.tenants[0].variants[0].name"},
            {R"({"tenants": [{"id": "t", "name": "T", "agent": {"agentId": "a"}, "variants": [{"name": "v"}]}]})",
             "seed.tenants[0].variants[0].agent"},
            {R"({"tenants": [{"id": "t", "name": "T", "agent": {"agentId": "a"}, "variants": [{"name": "v",)"
             R"( "agent": {"agentId": "b"}}, {"name": "v", "agent": {"agentId": "c"}}]}]})",
             "seed.tenants[0].variants[1]"},
            {R"({"tenants": [{"id": "t", "name": "T", "agent": {"agentId": "a"}, "rates": {"perMinuteMicros": -1}}]})",
             "seed.tenants[0].rates.perMinuteMicros"},
            {R"({"tenants": [{"id": "t", "name": "T", "agent": {"agentId": "a"}, "rates": {"currency": "euro"}}]})",
             "seed.tenants[0].rates.currency"},
            {R"({"accounts": [{"sid": "AC1", "authToken": "x", "apiKeySid": "SK1"}]})", "seed.accounts[0]"},
        };
        for (const auto& c : cases)
        {
            sdk::Status status = parseStatus(R"({"path": "x.db", "seed": )" + std::string(c.seed) + "}");
            CPPUNIT_ASSERT_MESSAGE(c.seed, status.code() == sdk::StatusCode::InvalidArgument);
            CPPUNIT_ASSERT_MESSAGE(status.toString(), status.message().find(c.path) != std::string::npos);
        }
    }

    // --check-config (SDK 1.3): init()'s config verdicts without opening, creating or migrating anything.

    void testCheckConfigAcceptsWithoutCreatingAnything()
    {
        PluginInstance plugin;
        const std::string parent = _dir->file("data");
        CPPUNIT_ASSERT(!Poco::File(parent).exists());
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), plugin->checkConfig(demoConfig(_path)).toString());
        // init() would have created both; the check leaves the file system as it was.
        CPPUNIT_ASSERT(!Poco::File(_path).exists());
        CPPUNIT_ASSERT(!Poco::File(parent).exists());
        CPPUNIT_ASSERT(plugin->tenantStore()->ping().code() == sdk::StatusCode::Unavailable);

        // The same text then starts for real, on the same object.
        sdk::testing::FakeHostServices host("tenant-sqlite");
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), plugin->init(host, demoConfig(_path)).toString());
        plugin->shutdown();
        // An existing store: still OK, and the check does not open it (no -wal/-shm appear, the file is unchanged).
        const bool walBefore = Poco::File(_path + "-wal").exists();
        const bool shmBefore = Poco::File(_path + "-shm").exists();
        const std::string bytesBefore = TempDir::read(_path);
        PluginInstance checker;
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), checker->checkConfig(demoConfig(_path)).toString());
        CPPUNIT_ASSERT_EQUAL(walBefore, Poco::File(_path + "-wal").exists());
        CPPUNIT_ASSERT_EQUAL(shmBefore, Poco::File(_path + "-shm").exists());
        CPPUNIT_ASSERT(bytesBefore == TempDir::read(_path));
    }

    void testCheckConfigRefusesLikeInit()
    {
        const std::pair<std::string, std::string> cases[] = {
            {demoConfig(_path, R"(, "busyTimeout": 10)"), "'busyTimeout'"},
            {R"({"path": ")" + _path + R"(", "busyTimeoutMs": "100"})", "'busyTimeoutMs' must be an integer from 0 to 600000"},
            {R"({"path": ")" + _path + R"(", "busyTimeoutMs": 600001})", "'busyTimeoutMs' must be an integer from 0 to 600000"},
            {R"({"path": 7})", "'path' must be a non-empty string"},
            {R"({"busyTimeoutMs": 100})", "'path' is required"},
            {R"({"path": ")" + _path + R"(", "seed": {"tenants": [{"id": "t", "name": "T", "agent": {}}]}})",
             "seed.tenants[0].agent.agentId"},
            {R"({"path": ")" + _path + R"(", "keys": {"insecureDevelopmentKey": "yes"}})", "config.keys.insecureDevelopmentKey"},
            {R"({"path": ")" + _path + R"(", "seed": {"accounts": [{"sid": "AC1", "authToken": ")" + kAuthToken + R"("}]}})",
             "config.keys is required to store secrets"},
        };
        for (const auto& [config, expected] : cases)
        {
            PluginInstance checker;
            const sdk::Status checked = checker->checkConfig(config);
            CPPUNIT_ASSERT_MESSAGE(config + " -> " + checked.toString(), checked.code() == sdk::StatusCode::InvalidArgument);
            CPPUNIT_ASSERT_MESSAGE(checked.message(), checked.message().find(expected) != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(checked.message(), !mentionsSecret(checked.message()));
            CPPUNIT_ASSERT_MESSAGE(config, !Poco::File(_path).exists());
            // Word for word what init() says about the same text.
            sdk::testing::FakeHostServices host("tenant-sqlite");
            PluginInstance plugin;
            CPPUNIT_ASSERT_EQUAL(plugin->init(host, config).toString(), checked.toString());
            plugin->shutdown();
            if (Poco::File(_dir->file("data")).exists())
                Poco::File(_dir->file("data")).remove(true); // init() may have created the store: start over
        }
    }

    void testCheckConfigKeys()
    {
        // Key files are read as init() reads them: missing or malformed is caught ahead.
        const std::string missing = _dir->file("missing.key");
        const std::string config = R"({"path": ")" + _path + R"(", "keys": {"files": {"k1": ")" + missing + R"("}}})";
        PluginInstance plugin;
        sdk::Status status = plugin->checkConfig(config);
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT_MESSAGE(status.message(), status.message().find("cannot read key file " + missing) != std::string::npos);

        TempDir::write(missing, "too short\n");
        status = plugin->checkConfig(config);
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.message().find("master key 'k1'") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.message().find("32 random bytes") != std::string::npos);

        std::string hex;
        for (int i = 0; i < 32; ++i)
            hex += "5a";
        TempDir::write(missing, hex + "\n");
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), plugin->checkConfig(config).toString());
        CPPUNIT_ASSERT(!Poco::File(_path).exists());
    }

    void testCheckConfigPath()
    {
        PluginInstance plugin;
        auto check = [&](const std::string& path) {
            return plugin->checkConfig(R"({"path": ")" + path + R"("})");
        };
        // A directory where the file should be.
        Poco::File(_dir->file("adir")).createDirectories();
        sdk::Status status = check(_dir->file("adir"));
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT_MESSAGE(status.message(), status.message().find("'path'") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(status.message(), status.message().find("is a directory") != std::string::npos);

        // A file that is not SQLite's: init() would fail with "not a database".
        const std::string garbage = _dir->file("garbage.db");
        TempDir::write(garbage, std::string(4096, '\x5a'));
        status = check(garbage);
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.message().find("is not an SQLite database") != std::string::npos);
        TempDir::write(garbage, "");
        CPPUNIT_ASSERT_EQUAL_MESSAGE("an empty file is an empty database", std::string("ok"), check(garbage).toString());

        // A directory that cannot be created because a file is in its way.
        TempDir::write(_dir->file("plain"), "x");
        status = check(_dir->file("plain/sub/t.db"));
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.message().find("is not a directory") != std::string::npos);
        CPPUNIT_ASSERT(!Poco::File(_dir->file("plain/sub")).exists());

        // Missing directories are fine: init() creates them.
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), check(_dir->file("a/b/c/t.db")).toString());
        CPPUNIT_ASSERT(!Poco::File(_dir->file("a")).exists());
    }

    void testCheckConfigSeedReferences()
    {
        // A new store has only the seed's tenants: a number pointing elsewhere fails init(), so the check says so.
        // (keys: the store demoConfig creates below holds secrets, which a keyless start refuses.)
        const std::string ghost = R"({"path": ")" + _path + R"(", "keys": {"insecureDevelopmentKey": true},)"
                                  R"( "seed": {"numbers": [{"number": "+15550100", "tenantId": "demo"}]}})";
        PluginInstance plugin;
        sdk::Status status = plugin->checkConfig(ghost);
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT_MESSAGE(status.message(), status.message().find("seed.numbers[0].tenantId: no tenant 'demo'") != std::string::npos);
        {
            sdk::testing::FakeHostServices host("tenant-sqlite");
            PluginInstance starter;
            const sdk::Status init = starter->init(host, ghost);
            CPPUNIT_ASSERT_MESSAGE(init.toString(), init.message().find("seed.numbers[0].tenantId") != std::string::npos);
            starter->shutdown();
        }
        if (Poco::File(_dir->file("data")).exists())
            Poco::File(_dir->file("data")).remove(true);

        // Once the store holds tenant "demo", the same seed is fine (and init() agrees).
        {
            sdk::testing::FakeHostServices host("tenant-sqlite");
            PluginInstance starter;
            CPPUNIT_ASSERT(starter->init(host, demoConfig(_path)).isOk());
            starter->shutdown();
        }
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), plugin->checkConfig(ghost).toString());
        sdk::testing::FakeHostServices host("tenant-sqlite");
        PluginInstance starter;
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), starter->init(host, ghost).toString());
        starter->shutdown();
    }

private:
    std::unique_ptr<TempDir> _dir;
    std::string _path;
};

CPPUNIT_TEST_SUITE_REGISTRATION(TenantSqlitePluginTest);
