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
    /// Reads the key files and variables config.keys names (init() needs them anyway); creates nothing.
    static sdk::Result<TenantSqliteConfig> parse(std::string_view json) noexcept;

    /// What init() would refuse after parse() that can be seen without opening the database, for
    /// Plugin::checkConfig (`patchbay --check-config`):
    ///  - `path`: an existing file must be a regular file this user can read and write, starting
    ///    with SQLite's header (or empty); a missing file must be creatable: its nearest existing
    ///    ancestor is a directory this user can write (init creates the missing directories).
    ///  - a seed with secrets needs config.keys (init's SecretCipher::missingKeysMessage()).
    ///  - when the file is missing or empty (the store starts empty), every seed.numbers entry must
    ///    name a tenant and an account of the seed itself; with an existing store they may be
    ///    there, which only init() can see.
    /// Checks are made as the user running them: run --check-config as the service user.
    /// Side effects: none (stat, access(2) and a read of the file's first 16 bytes).
    sdk::Status checkWithoutOpening() const noexcept;

    /// True when the seed holds a token or API key, which can only be stored sealed with a key.
    static bool seedHasSecrets(const Seed& seed) noexcept;
};

} // namespace patchbay::tenantsqlite

#endif
