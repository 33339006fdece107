// TenantSqliteConfig.cpp: validates the plugin config and turns it into StoreOptions plus a Seed.
#include "patchbay/tenantsqlite/TenantSqliteConfig.h"

#include <string>

#include "patchbay/sdk/support/Json.h"
#include "patchbay/tenantsqlite/MasterKeyLoader.h"

namespace patchbay::tenantsqlite {

using sdk::Status;

sdk::Result<TenantSqliteConfig> TenantSqliteConfig::parse(std::string_view json) noexcept
{
    try
    {
        sdk::support::JsonDocument document;
        std::string error;
        if (!document.parse(json, &error))
            return Status::invalidArgument("tenant-sqlite config is not valid JSON: " + error);
        const sdk::support::JsonValue& root = document.root();
        if (!root.isObject())
            return Status::invalidArgument("tenant-sqlite config must be a JSON object");

        for (const sdk::support::JsonValue& member : root)
        {
            const std::string_view key = member.key();
            if (key != "path" && key != "busyTimeoutMs" && key != "seed" && key != "keys")
                return Status::invalidArgument("unknown tenant-sqlite config key '" + std::string(key) +
                                               "' (known: path, busyTimeoutMs, keys, seed)");
        }

        TenantSqliteConfig config;
        const sdk::support::JsonValue& path = root["path"];
        if (!path.exists())
            return Status::invalidArgument("tenant-sqlite config key 'path' is required (the SQLite file)");
        if (!path.isString() || path.asString().empty())
            return Status::invalidArgument("tenant-sqlite config key 'path' must be a non-empty string");
        config.store.path = std::string(path.asString());

        const sdk::support::JsonValue& timeout = root["busyTimeoutMs"];
        if (timeout.exists())
        {
            const std::int64_t ms = timeout.asInt64(-1);
            if (!timeout.isInteger() || ms < 0 || ms > kMaxBusyTimeoutMs)
                return Status::invalidArgument("tenant-sqlite config key 'busyTimeoutMs' must be an integer from 0 to " +
                                               std::to_string(kMaxBusyTimeoutMs));
            config.store.busyTimeoutMs = static_cast<int>(ms);
        }

        const sdk::support::JsonValue& keys = root["keys"];
        if (keys.exists())
        {
            sdk::Result<MasterKeys> loaded = MasterKeyLoader::fromJson(keys, "config.keys");
            if (!loaded)
                return loaded.status();
            config.store.keys = std::move(loaded).value();
        }

        const sdk::support::JsonValue& seed = root["seed"];
        if (seed.exists())
        {
            sdk::Result<Seed> parsed = Seed::fromJson(seed, "seed");
            if (!parsed)
                return parsed.status();
            config.seed = std::move(parsed).value();
        }
        return config;
    }
    catch (const std::exception& e)
    {
        return Status::internal(std::string("reading the tenant-sqlite config: ") + e.what());
    }
}

} // namespace patchbay::tenantsqlite
