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

    void shutdown() noexcept override { _store.close(); }

    sdk::TenantStore* tenantStore() noexcept override { return &_store; }

private:
    SqliteTenantStore _store;
};

} // namespace patchbay::tenantsqlite

using patchbay::tenantsqlite::TenantSqlitePlugin;
PATCHBAY_PLUGIN(TenantSqlitePlugin, "tenant-sqlite", "0.1.0", PATCHBAY_CAP_TENANT_STORE)
