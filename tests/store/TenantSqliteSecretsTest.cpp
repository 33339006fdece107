// TenantSqliteSecretsTest.cpp: secrets at rest — AES-256-GCM in the file, key ids, rotation, tampering, refusal without keys.
#include "patchbay/tenantsqlite/MasterKeyLoader.h"
#include "patchbay/tenantsqlite/SecretCipher.h"
#include "patchbay/tenantsqlite/SqliteTenantStore.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/File.h>

#include <cppunit/extensions/HelperMacros.h>

#include <cstdlib>
#include <string>

#include "StoreTestData.h"
#include "TempDir.h"
#include "V1Database.h"
#include "patchbay/sdk/support/Base64.h"
#include "patchbay/sdk/support/Json.h"

using namespace patchbay;
using namespace patchbay::tenantsqlite;
using namespace patchbay::tenantsqlite::test;
using patchbay::testing::TempDir;
using namespace Poco::Data::Keywords;

namespace {

const char* const kApiKeySecret = "api-key-secret-5e5e5e5e5e";
const char* const kVariantKey = "sk-variant-key-7a7a7a7a";
const std::string kSid = "AC00000000000000000000000000000001";

StoreOptions optionsWith(const std::string& path, const MasterKeys& keys)
{
    StoreOptions options;
    options.path = path;
    options.keys = keys;
    return options;
}

MasterKeys twoKeys(const std::string& active)
{
    MasterKeys keys = testKeys("k1", '1');
    keys.keys["k2"] = std::string(MasterKeys::kKeyBytes, '2');
    keys.activeId = active;
    return keys;
}

bool mentionsSecret(const std::string& text)
{
    for (const char* secret : {kAuthToken, kSecondaryToken, kApiKey, kApiKeySecret, kVariantKey})
    {
        if (text.find(secret) != std::string::npos)
            return true;
    }
    return false;
}

/// Every secret column of the file, as stored.
std::vector<std::string> rawSecrets(const std::string& path)
{
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY, path);
    std::vector<std::string> a, b, c, d, e;
    session << "SELECT auth_token, secondary_token, api_key_secret FROM accounts ORDER BY sid", into(a), into(b),
        into(c), now;
    session << "SELECT agent_api_key FROM tenants ORDER BY id", into(d), now;
    session << "SELECT agent_api_key FROM tenant_variants ORDER BY tenant_id, name", into(e), now;
    std::vector<std::string> all;
    for (auto* column : {&a, &b, &c, &d, &e})
        all.insert(all.end(), column->begin(), column->end());
    return all;
}

void rawExecute(const std::string& path, const std::string& sql)
{
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY, path);
    session << sql, now;
}

} // namespace

class TenantSqliteSecretsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TenantSqliteSecretsTest);
    CPPUNIT_TEST(testCopiedFilesHoldNoPlaintext);
    CPPUNIT_TEST(testStoredFormNamesKeyId);
    CPPUNIT_TEST(testMissingKeyIsNamed);
    CPPUNIT_TEST(testRotationReencryptsThenOldKeyCanGo);
    CPPUNIT_TEST(testTamperedCiphertextIsAnError);
    CPPUNIT_TEST(testCiphertextIsBoundToItsRow);
    CPPUNIT_TEST(testWithoutKeysSecretsAreRefused);
    CPPUNIT_TEST(testLegacyPlaintextSealedAtOpen);
    CPPUNIT_TEST(testKeyDecoding);
    CPPUNIT_TEST(testKeysConfig);
    CPPUNIT_TEST(testKeysConfigErrorsNameTheKeyNotItsValue);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _dir = std::make_unique<TempDir>();
        _path = _dir->file("tenants.db");
    }

    void tearDown() override { _dir.reset(); }

    /// Account with every secret, tenant "acme" with an agent key and a variant with its own key.
    void fill(SqliteTenantStore& store)
    {
        sdk::CarrierAccount account = sampleAccount(kSid);
        account.apiKeySid = "SK01";
        account.apiKeySecret = kApiKeySecret;
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), store.saveAccount(account).toString());
        sdk::Tenant tenant = sampleTenant("acme");
        sdk::AgentVariant variant;
        variant.name = "b";
        variant.agent.agentId = "agent_b";
        variant.agent.apiKey = kVariantKey;
        tenant.variants.push_back(variant);
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), store.saveTenant(tenant).toString());
    }

    void assertReadsBack(SqliteTenantStore& store)
    {
        sdk::Result<sdk::CarrierAccount> account = store.findAccount(kSid);
        CPPUNIT_ASSERT_MESSAGE(account.status().toString(), account.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string(kAuthToken), account->authToken);
        CPPUNIT_ASSERT_EQUAL(std::string(kSecondaryToken), account->secondaryToken);
        CPPUNIT_ASSERT_EQUAL(std::string(kApiKeySecret), account->apiKeySecret);
        sdk::Result<sdk::Tenant> tenant = store.findTenant("acme");
        CPPUNIT_ASSERT_MESSAGE(tenant.status().toString(), tenant.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string(kApiKey), tenant->agent.apiKey);
        CPPUNIT_ASSERT_EQUAL(std::string(kVariantKey), tenant->variants.at(0).agent.apiKey);
    }

    void testCopiedFilesHoldNoPlaintext()
    {
        SqliteTenantStore store;
        CPPUNIT_ASSERT(store.open(optionsWith(_path, testKeys())));
        fill(store);
        assertReadsBack(store);
        // Copied while open: the main file and the WAL, where the latest writes still are.
        const std::string db = TempDir::read(_path);
        const std::string wal = TempDir::read(_path + "-wal");
        CPPUNIT_ASSERT(!wal.empty());
        CPPUNIT_ASSERT(!mentionsSecret(db));
        CPPUNIT_ASSERT(!mentionsSecret(wal));
        // And after a replace (secure_delete leaves no old value in free space) and a clean close.
        sdk::CarrierAccount account = store.findAccount(kSid).value();
        account.secondaryToken.clear();
        CPPUNIT_ASSERT(store.saveAccount(account));
        store.close();
        CPPUNIT_ASSERT(!mentionsSecret(TempDir::read(_path)));
        CPPUNIT_ASSERT(!Poco::File(_path + "-wal").exists() || !mentionsSecret(TempDir::read(_path + "-wal")));
    }

    void testStoredFormNamesKeyId()
    {
        {
            SqliteTenantStore store;
            CPPUNIT_ASSERT(store.open(optionsWith(_path, testKeys("k1", '1'))));
            fill(store);
        }
        std::vector<std::string> stored = rawSecrets(_path);
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), stored.size());
        for (const std::string& value : stored)
            CPPUNIT_ASSERT_MESSAGE(value, value.rfind("v1:k1:", 0) == 0);
        // A random nonce per value: the same plaintext never seals to the same text.
        SecretCipher cipher(testKeys("k1", '1'));
        CPPUNIT_ASSERT(cipher.seal("same", "t.c:r") != cipher.seal("same", "t.c:r"));
        CPPUNIT_ASSERT_EQUAL(std::string("same"), cipher.open(cipher.seal("same", "t.c:r"), "t.c:r"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), cipher.seal("", "t.c:r")); // "not set" stays empty
    }

    void testMissingKeyIsNamed()
    {
        {
            SqliteTenantStore store;
            CPPUNIT_ASSERT(store.open(optionsWith(_path, testKeys("k1", '1'))));
            fill(store);
        }
        SqliteTenantStore store;
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), store.open(optionsWith(_path, testKeys("k2", '2'))).toString());
        for (const sdk::Status& status : {store.findAccount(kSid).status(), store.findTenant("acme").status(),
                                          store.listAccounts().status(), store.listTenants().status(),
                                          store.rotateSecrets().status()})
        {
            CPPUNIT_ASSERT(!status.isOk());
            CPPUNIT_ASSERT_MESSAGE(status.toString(), status.message().find("'k1'") != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(status.toString(), status.message().find("not configured") != std::string::npos);
            CPPUNIT_ASSERT(!mentionsSecret(status.message()));
        }
    }

    void testRotationReencryptsThenOldKeyCanGo()
    {
        {
            SqliteTenantStore store;
            CPPUNIT_ASSERT(store.open(optionsWith(_path, testKeys("k1", '1'))));
            fill(store);
        }
        const std::vector<std::string> before = rawSecrets(_path);
        {
            SqliteTenantStore store;
            CPPUNIT_ASSERT(store.open(optionsWith(_path, twoKeys("k2"))));
            assertReadsBack(store); // old values open under k1 while k2 is active
            sdk::Result<std::uint64_t> rotated = store.rotateSecrets();
            CPPUNIT_ASSERT_MESSAGE(rotated.status().toString(), rotated.isOk());
            CPPUNIT_ASSERT_EQUAL(std::uint64_t(5), rotated.value());
            CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), store.rotateSecrets().value());
            assertReadsBack(store);
        }
        const std::vector<std::string> after = rawSecrets(_path);
        CPPUNIT_ASSERT_EQUAL(before.size(), after.size());
        for (std::size_t i = 0; i < after.size(); ++i)
        {
            CPPUNIT_ASSERT(before[i] != after[i]);
            CPPUNIT_ASSERT_MESSAGE(after[i], after[i].rfind("v1:k2:", 0) == 0);
        }
        // k1 is no longer needed.
        SqliteTenantStore store;
        CPPUNIT_ASSERT(store.open(optionsWith(_path, testKeys("k2", '2'))));
        assertReadsBack(store);
    }

    void testTamperedCiphertextIsAnError()
    {
        {
            SqliteTenantStore store;
            CPPUNIT_ASSERT(store.open(optionsWith(_path, testKeys())));
            fill(store);
        }
        std::string stored = rawSecrets(_path).at(0);
        const std::size_t at = stored.size() - 10;
        stored[at] = stored[at] == 'A' ? 'B' : 'A'; // one bit of ciphertext or tag changes
        rawExecute(_path, "UPDATE accounts SET auth_token = '" + stored + "'");
        SqliteTenantStore store;
        CPPUNIT_ASSERT(store.open(optionsWith(_path, testKeys())));
        sdk::Status status = store.findAccount(kSid).status();
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.code() == sdk::StatusCode::Internal);
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.message().find("accounts.auth_token") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.message().find("authentication") != std::string::npos);
        CPPUNIT_ASSERT(!mentionsSecret(status.message()));

        for (const char* damaged : {"v1:test:", "v1:test:!!!!", "v1:", "garbage-without-prefix"})
        {
            rawExecute(_path, std::string("UPDATE accounts SET auth_token = '") + damaged + "'");
            CPPUNIT_ASSERT_MESSAGE(damaged, store.findAccount(kSid).status().code() == sdk::StatusCode::Internal);
        }
    }

    void testCiphertextIsBoundToItsRow()
    {
        {
            SqliteTenantStore store;
            CPPUNIT_ASSERT(store.open(optionsWith(_path, testKeys())));
            fill(store);
            CPPUNIT_ASSERT(store.saveAccount(sampleAccount("AC2")));
        }
        // Another row's, or another column's, ciphertext does not open here.
        rawExecute(_path, "UPDATE accounts SET auth_token = (SELECT auth_token FROM accounts WHERE sid = '" + kSid +
                              "') WHERE sid = 'AC2'");
        rawExecute(_path, "UPDATE accounts SET secondary_token = auth_token WHERE sid = '" + kSid + "'");
        SqliteTenantStore store;
        CPPUNIT_ASSERT(store.open(optionsWith(_path, testKeys())));
        CPPUNIT_ASSERT(store.findAccount("AC2").status().code() == sdk::StatusCode::Internal);
        CPPUNIT_ASSERT(store.findAccount(kSid).status().code() == sdk::StatusCode::Internal);
    }

    void testWithoutKeysSecretsAreRefused()
    {
        SqliteTenantStore store;
        CPPUNIT_ASSERT(store.open(optionsWith(_path, MasterKeys())));
        sdk::Status status = store.saveAccount(sampleAccount(kSid));
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.message().find(SecretCipher::missingKeysMessage()) !=
                                                      std::string::npos);
        CPPUNIT_ASSERT(!mentionsSecret(status.message()));
        CPPUNIT_ASSERT(store.findAccount(kSid).status().code() == sdk::StatusCode::NotFound);

        sdk::Tenant tenant = sampleTenant("acme");
        CPPUNIT_ASSERT(store.saveTenant(tenant).code() == sdk::StatusCode::InvalidArgument);
        tenant.agent.apiKey.clear(); // no secret, nothing to protect
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), store.saveTenant(tenant).toString());
        CPPUNIT_ASSERT(store.rotateSecrets().status().code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT(!store.holdsSecrets().value());
    }

    void testLegacyPlaintextSealedAtOpen()
    {
        createV1Database(_path);
        CPPUNIT_ASSERT(mentionsSecret(TempDir::read(_path))); // v1 stored them in the clear
        {
            SqliteTenantStore store;
            CPPUNIT_ASSERT_EQUAL(std::string("ok"), store.open(optionsWith(_path, testKeys())).toString());
            CPPUNIT_ASSERT(!mentionsSecret(TempDir::read(_path)));
            CPPUNIT_ASSERT(!mentionsSecret(TempDir::read(_path + "-wal")));
            CPPUNIT_ASSERT_EQUAL(std::string(kAuthToken), store.findAccount(kSid)->authToken);
            CPPUNIT_ASSERT_EQUAL(std::string(kApiKey), store.findTenant("acme")->agent.apiKey);
            CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), store.rotateSecrets().value()); // already under the active key
        }
        CPPUNIT_ASSERT(!mentionsSecret(TempDir::read(_path)));
        for (const std::string& value : rawSecrets(_path))
            CPPUNIT_ASSERT_MESSAGE(value, value.empty() || value.rfind("v1:test:", 0) == 0);
    }

    void testKeyDecoding()
    {
        std::string key;
        const std::string raw(32, '\x5a');
        std::string base64;
        sdk::support::Base64::encode(raw, base64);
        CPPUNIT_ASSERT(MasterKeyLoader::decodeKey(base64 + "\n", key));
        CPPUNIT_ASSERT(key == raw);
        CPPUNIT_ASSERT(MasterKeyLoader::decodeKey("  " + std::string(64, 'A') + "\r\n", key));
        CPPUNIT_ASSERT(key == std::string(32, '\xaa'));
        CPPUNIT_ASSERT(!MasterKeyLoader::decodeKey(std::string(62, 'a'), key)); // 31 bytes
        std::string short64;
        sdk::support::Base64::encode(std::string(16, 'x'), short64);
        CPPUNIT_ASSERT(!MasterKeyLoader::decodeKey(short64, key));
        CPPUNIT_ASSERT(!MasterKeyLoader::decodeKey("not a key at all", key));
        CPPUNIT_ASSERT(!MasterKeyLoader::decodeKey("", key));
    }

    void testKeysConfig()
    {
        std::string hex;
        for (int i = 0; i < 32; ++i)
            hex += "0f";
        TempDir::write(_dir->file("k1.key"), hex + "\n");
        ::setenv("PATCHBAY_TEST_MASTER_KEY_K2", std::string(43, 'A').append("=").c_str(), 1);
        sdk::Result<MasterKeys> keys = parse(R"({"active": "k2", "files": {"k1": ")" + _dir->file("k1.key") +
                                             R"("}, "env": {"k2": "PATCHBAY_TEST_MASTER_KEY_K2"}})");
        CPPUNIT_ASSERT_MESSAGE(keys.status().toString(), keys.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("k2"), keys->activeId);
        CPPUNIT_ASSERT(keys->keys.at("k1") == std::string(32, '\x0f'));
        CPPUNIT_ASSERT(keys->keys.at("k2") == std::string(32, '\0'));

        sdk::Result<MasterKeys> single = parse(R"({"files": {"k1": ")" + _dir->file("k1.key") + R"("}})");
        CPPUNIT_ASSERT_EQUAL(std::string("k1"), single->activeId); // the only key is the active one

        sdk::Result<MasterKeys> development = parse(R"({"insecureDevelopmentKey": true})");
        CPPUNIT_ASSERT(development.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string(MasterKeys::kInsecureDevelopmentKeyId), development->activeId);
        // Fixed, so a development database opens again after a restart.
        CPPUNIT_ASSERT(development->keys == parse(R"({"insecureDevelopmentKey": true})")->keys);
        ::unsetenv("PATCHBAY_TEST_MASTER_KEY_K2");
    }

    void testKeysConfigErrorsNameTheKeyNotItsValue()
    {
        const std::string secretText = "c2VjcmV0LWtleS10b28tc2hvcnQ="; // 20 bytes: wrong length
        TempDir::write(_dir->file("short.key"), secretText);
        ::setenv("PATCHBAY_TEST_BAD_KEY", secretText.c_str(), 1);
        const struct
        {
            std::string json;
            const char* mentions;
        } cases[] = {
            {R"({"files": {"k9": ")" + _dir->file("short.key") + R"("}})", "'k9'"},
            {R"({"env": {"k8": "PATCHBAY_TEST_BAD_KEY"}})", "'k8'"},
            {R"({"env": {"k7": "PATCHBAY_TEST_UNSET_VARIABLE"}})", "PATCHBAY_TEST_UNSET_VARIABLE"},
            {R"({"files": {"k6": "/nonexistent/k6.key"}})", "'k6'"},
            {R"({"files": {"bad:id": "/x"}})", "bad:id"},
            {R"({"active": "k5", "insecureDevelopmentKey": true})", "k5"},
            {R"({"activ": "k1"})", "activ"},
            {R"({})", "configures no key"},
            {R"({"insecureDevelopmentKey": "yes"})", "insecureDevelopmentKey"},
        };
        for (const auto& c : cases)
        {
            sdk::Result<MasterKeys> keys = parse(c.json);
            CPPUNIT_ASSERT_MESSAGE(c.json, !keys.isOk());
            CPPUNIT_ASSERT_MESSAGE(keys.status().toString(), keys.status().code() == sdk::StatusCode::InvalidArgument);
            CPPUNIT_ASSERT_MESSAGE(keys.status().toString(), keys.status().message().find(c.mentions) != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(keys.status().toString(), keys.status().message().find(secretText) == std::string::npos);
        }
        ::unsetenv("PATCHBAY_TEST_BAD_KEY");
    }

private:
    static sdk::Result<MasterKeys> parse(const std::string& json)
    {
        sdk::support::JsonDocument document;
        if (!document.parse(json))
            return sdk::Status::invalidArgument("test JSON does not parse: " + json);
        return MasterKeyLoader::fromJson(document.root(), "config.keys");
    }

    std::unique_ptr<TempDir> _dir;
    std::string _path;
};

CPPUNIT_TEST_SUITE_REGISTRATION(TenantSqliteSecretsTest);
