// TenantSqlitePlugin.cpp: the tenant-sqlite plugin — reads its config, opens and seeds the store, serves it as the TenantStore.
#include <string>

#include "patchbay/sdk/Plugin.h"
#include "patchbay/tenantsqlite/SqliteTenantStore.h"
#include "patchbay/tenantsqlite/TenantSqliteConfig.h"

namespace patchbay::tenantsqlite {

/// THREAD: Control for the lifecycle; the store itself is I/O (see SqliteTenantStore).
class TenantSqlitePlugin final : public sdk::Plugin
{
public:
    sdk::Status init(sdk::HostServices& host, std::string_view configJson) noexcept override
    {
        sdk::Result<TenantSqliteConfig> config = TenantSqliteConfig::parse(configJson);
        if (!config)
            return config.status();

        sdk::Status status = _store.open(config->store);
        if (!status)
            return status;
        status = checkKeys(host, config.value());
        if (!status)
        {
            _store.close();
            return status;
        }
        if (!config->seed.empty())
        {
            status = _store.applySeed(config->seed);
            if (!status)
            {
                _store.close();
                return status;
            }
        }

        sdk::Result<StoreStats> stats = _store.stats();
        if (!stats)
        {
            _store.close();
            return stats.status();
        }
        return sdk::guarded([&] {
            host.logger().info("tenant store ready: " + config->store.path + ", schema v" +
                               std::to_string(stats->schemaVersion) + ", " + std::to_string(stats->tenants) +
                               " tenants, " + std::to_string(stats->numbers) + " numbers");
            return sdk::Status::ok();
        });
    }

    /// parse() as init() runs it (the key files and variables are read, as init() reads them),
    /// then every check of init() that needs no database; see TenantSqliteConfig::checkWithoutOpening.
    /// Nothing is created: the file, its directory and this object's store stay as they were.
    sdk::Status checkConfig(std::string_view configJson) const noexcept override
    {
        sdk::Result<TenantSqliteConfig> config = TenantSqliteConfig::parse(configJson);
        if (!config)
            return config.status();
        return config->checkWithoutOpening();
    }

    void shutdown() noexcept override { _store.close(); }

    sdk::TenantStore* tenantStore() noexcept override { return &_store; }

private:
    /// Secrets need a key: refused at startup rather than at the first admin write. The
    /// development key is accepted, loudly.
    sdk::Status checkKeys(sdk::HostServices& host, const TenantSqliteConfig& config) noexcept
    {
        const MasterKeys& keys = config.store.keys;
        if (keys.empty())
        {
            sdk::Result<bool> holds = _store.holdsSecrets();
            if (!holds)
                return holds.status();
            if (holds.value() || TenantSqliteConfig::seedHasSecrets(config.seed))
                return sdk::Status::invalidArgument(SecretCipher::missingKeysMessage());
            return sdk::Status::ok();
        }
        if (keys.keys.count(MasterKeys::kInsecureDevelopmentKeyId))
            host.logger().warn("tenant-sqlite: config.keys.insecureDevelopmentKey is ON - secrets in " +
                               config.store.path +
                               " are encrypted with a key anyone can derive from the source; NEVER use this in "
                               "production (configure config.keys.files or config.keys.env instead)");
        return sdk::Status::ok();
    }

    SqliteTenantStore _store;
};

} // namespace patchbay::tenantsqlite

using patchbay::tenantsqlite::TenantSqlitePlugin;
PATCHBAY_PLUGIN(TenantSqlitePlugin, "tenant-sqlite", "0.1.0", PATCHBAY_CAP_TENANT_STORE)
