// TenantSqliteConfig.h: the tenant-sqlite plugin's "config" object — path, busyTimeoutMs, keys, seed.
#ifndef PATCHBAY_TENANTSQLITE_TENANT_SQLITE_CONFIG_H
#define PATCHBAY_TENANTSQLITE_TENANT_SQLITE_CONFIG_H

#include <string_view>

#include "patchbay/sdk/Status.h"
#include "patchbay/tenantsqlite/Seed.h"
#include "patchbay/tenantsqlite/StoreOptions.h"

namespace patchbay::tenantsqlite {

/// Strict: an unknown key is InvalidArgument naming it, so a typo ("busyTimeout") is caught at
/// startup instead of silently keeping a default. Messages never quote values (the seed holds
/// tokens). Value type.
class TenantSqliteConfig
{
public:
    static constexpr int kMaxBusyTimeoutMs = 600000;

    StoreOptions store;
    Seed seed;

    /// @param json the plugin's config object as text (the host has already replaced ${ENV}).
    static sdk::Result<TenantSqliteConfig> parse(std::string_view json) noexcept;
};

} // namespace patchbay::tenantsqlite

#endif
