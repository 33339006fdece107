// TenantSqliteConfig.cpp: validates the plugin config and turns it into StoreOptions plus a Seed.
#include "patchbay/tenantsqlite/TenantSqliteConfig.h"

#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <system_error>

#include "patchbay/sdk/support/Json.h"
#include "patchbay/tenantsqlite/MasterKeyLoader.h"
#include "patchbay/tenantsqlite/SecretCipher.h"
#include "patchbay/tenantsqlite/StoreError.h"

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

namespace {

namespace fs = std::filesystem;

/// The first 16 bytes of every SQLite 3 database file (sqlite.org/fileformat.html, 1.3).
constexpr char kSqliteHeader[] = "SQLite format 3";

std::string userNote()
{
    return " (checked as uid " + std::to_string(::geteuid()) + ": run the check as the service user)";
}

Status pathProblem(const std::string& what, const std::string& fix)
{
    return Status::invalidArgument("tenant-sqlite config key 'path': " + what + " \xE2\x80\x94 " + fix);
}

/// The database file and its directory, as init() will use them. Only stat, access(2) and a read
/// of the header: nothing is created, so a check never leaves a database or a directory behind.
Status checkDatabasePath(const std::string& configured, bool& storeEmpty)
{
    std::error_code ec;
    const fs::path file = fs::absolute(fs::path(configured), ec);
    if (ec)
        return pathProblem("cannot resolve " + configured + ": " + ec.message(), "use an absolute path");
    const fs::file_status status = fs::status(file, ec);
    if (fs::exists(status))
    {
        if (fs::is_directory(status))
            return pathProblem(file.string() + " is a directory", "name the SQLite file, e.g. " +
                                                                     (file / "tenants.db").string());
        if (!fs::is_regular_file(status))
            return pathProblem(file.string() + " is not a regular file", "name the SQLite file");
        if (::access(file.c_str(), R_OK | W_OK) != 0)
            return pathProblem(file.string() + " is not readable and writable" + userNote(),
                               "fix the file's owner or mode");
        const std::uintmax_t size = fs::file_size(file, ec);
        storeEmpty = !ec && size == 0;
        if (!storeEmpty)
        {
            char header[sizeof(kSqliteHeader)] = {};
            std::ifstream in(file, std::ios::binary);
            in.read(header, sizeof(header));
            if (in.gcount() != static_cast<std::streamsize>(sizeof(header)) ||
                std::memcmp(header, kSqliteHeader, sizeof(header)) != 0)
                return pathProblem(file.string() + " is not an SQLite database (wrong file header)",
                                   "point 'path' at the tenant store's file, or move that file away to start an empty store");
        }
        return Status::ok();
    }
    // ENOTDIR: a file stands where a directory of the path should be; the walk below names it.
    if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory)
        return pathProblem("cannot inspect " + file.string() + ": " + ec.message(), "fix the path or its permissions");

    // Missing: init() creates the missing directories and the file, so the nearest existing
    // ancestor must be a directory this user may create entries in.
    storeEmpty = true;
    fs::path ancestor = file.parent_path();
    while (!ancestor.empty() && !fs::exists(ancestor, ec) && ancestor != ancestor.root_path())
        ancestor = ancestor.parent_path();
    if (!fs::is_directory(ancestor, ec))
        return pathProblem("cannot create " + file.string() + ": " + ancestor.string() + " is not a directory",
                           "fix the path");
    if (::access(ancestor.c_str(), W_OK | X_OK) != 0)
        return pathProblem("cannot create " + file.string() + ": directory " + ancestor.string() + " is not writable" +
                               userNote(),
                           "create the directory for the service user, or choose a writable path");
    return Status::ok();
}

/// The references SqliteTenantStore::applySeed checks, for an empty store: only the seed can satisfy them.
Status checkSeedReferences(const Seed& seed)
{
    std::set<std::string> tenants;
    std::set<std::string> accounts;
    for (const sdk::Tenant& tenant : seed.tenants)
        tenants.insert(tenant.id);
    for (const sdk::CarrierAccount& account : seed.accounts)
        accounts.insert(account.sid);
    for (std::size_t i = 0; i < seed.numbers.size(); ++i)
    {
        const sdk::NumberRoute& route = seed.numbers[i];
        const std::string where = "seed.numbers[" + std::to_string(i) + "]";
        // The same words as applySeed's, so the check and the start name a problem alike.
        if (!tenants.count(route.tenantId))
            return Status::invalidArgument(where + ".tenantId: no tenant " + StoreError::quoted(route.tenantId) +
                                           " in the seed or the store (the store is new: add the tenant to seed.tenants)");
        if (!route.accountSid.empty() && !accounts.count(route.accountSid))
            return Status::invalidArgument(where + ".accountSid: no account " + StoreError::quoted(route.accountSid) +
                                           " in the seed or the store (the store is new: add the account to seed.accounts)");
    }
    return Status::ok();
}

} // namespace

bool TenantSqliteConfig::seedHasSecrets(const Seed& seed) noexcept
{
    for (const sdk::CarrierAccount& account : seed.accounts)
    {
        if (!account.authToken.empty() || !account.secondaryToken.empty() || !account.apiKeySecret.empty())
            return true;
    }
    for (const sdk::Tenant& tenant : seed.tenants)
    {
        if (!tenant.agent.apiKey.empty())
            return true;
        for (const sdk::AgentVariant& variant : tenant.variants)
        {
            if (!variant.agent.apiKey.empty())
                return true;
        }
    }
    return false;
}

Status TenantSqliteConfig::checkWithoutOpening() const noexcept
{
    try
    {
        bool storeEmpty = false;
        Status status = checkDatabasePath(store.path, storeEmpty);
        if (!status)
            return status;
        if (store.keys.empty() && seedHasSecrets(seed))
            return Status::invalidArgument(SecretCipher::missingKeysMessage());
        return storeEmpty ? checkSeedReferences(seed) : Status::ok();
    }
    catch (const std::exception& e)
    {
        return Status::internal(std::string("checking the tenant-sqlite config: ") + e.what());
    }
}

} // namespace patchbay::tenantsqlite
