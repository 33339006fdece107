// SqliteTenantStore.cpp: connection setup, the TenantStore methods and their exception edge.
#include "patchbay/tenantsqlite/SqliteTenantStore.h"

#include <Poco/Data/DataException.h>
#include <Poco/File.h>
#include <Poco/Path.h>

#include <algorithm>

#include "patchbay/tenantsqlite/AccountTable.h"
#include "patchbay/tenantsqlite/CallTable.h"
#include "patchbay/tenantsqlite/NumberTable.h"
#include "patchbay/tenantsqlite/StoreError.h"
#include "patchbay/tenantsqlite/TenantTable.h"
#include "patchbay/tenantsqlite/Transaction.h"

namespace patchbay::tenantsqlite {

using namespace Poco::Data::Keywords;
using sdk::Status;

namespace {

constexpr std::size_t kMaxReadConnections = 64;

std::string quoted(std::string_view text)
{
    return StoreError::quoted(text);
}

} // namespace

SqliteTenantStore::SqliteTenantStore(const Migrations& migrations) : _migrations(migrations)
{
}

SqliteTenantStore::~SqliteTenantStore()
{
    close();
}

void SqliteTenantStore::setUpConnection(Poco::Data::Session& session, bool writer) const
{
    // busy_timeout first, so that switching to WAL waits for a lock held by another process.
    session << "PRAGMA busy_timeout = " + std::to_string(_options.busyTimeoutMs), now;
    if (writer)
    {
        // journal_mode is a property of the file: set once by the writer, inherited by readers.
        std::string mode;
        session << "PRAGMA journal_mode = WAL", into(mode), now;
        if (mode != "wal")
            throw Poco::Data::DataException("journal_mode is '" + mode +
                                            "', WAL is required (is the file on a network filesystem?)");
    }
    // FULL: every commit syncs the WAL, so a call record survives power loss once saveCall returns.
    session << "PRAGMA synchronous = FULL", now;
    session << "PRAGMA foreign_keys = ON", now;
    // Overwrite freed space with zeros: a replaced or deleted secret (or v1's plaintext) must not
    // linger in free pages of a file that might be copied off the machine.
    if (writer)
        session << "PRAGMA secure_delete = ON", now;
    if (!writer)
        session << "PRAGMA query_only = ON", now;
}

Status SqliteTenantStore::open(const StoreOptions& options) noexcept
{
    if (options.path.empty())
        return Status::invalidArgument("tenant store path is empty");
    if (options.busyTimeoutMs < 0)
        return Status::invalidArgument("tenant store busyTimeoutMs must not be negative");
    if (options.readConnections == 0 || options.readConnections > kMaxReadConnections)
        return Status::invalidArgument("tenant store readConnections must be from 1 to " +
                                       std::to_string(kMaxReadConnections));
    if (isOpen())
        return Status::internal("tenant store " + _options.path + " is already open");

    _options = options;
    _cipher = SecretCipher(_options.keys);
    const std::string& path = _options.path;
    try
    {
        Poco::Path parent(path);
        parent.makeAbsolute().makeParent();
        Poco::File(parent).createDirectories();
    }
    catch (...)
    {
        return StoreError::fromCurrentException("creating the directory of tenant store " + path);
    }

    try
    {
        _writer.open(path, 1, _options.busyTimeoutMs, [this](Poco::Data::Session& s) { setUpConnection(s, true); });
    }
    catch (...)
    {
        return StoreError::fromCurrentException("opening tenant store " + path);
    }

    sdk::Result<int> migrated = Status::internal("not migrated");
    try
    {
        ConnectionPool::Lease lease = _writer.acquire();
        migrated = _migrations.apply(lease.session(), path);
    }
    catch (...)
    {
        migrated = StoreError::fromCurrentException("migrating tenant store " + path);
    }
    if (!migrated)
    {
        _writer.close();
        return migrated.status();
    }

    try
    {
        _readers.open(path, _options.readConnections, _options.busyTimeoutMs,
                      [this](Poco::Data::Session& s) { setUpConnection(s, false); });
    }
    catch (...)
    {
        _writer.close();
        return StoreError::fromCurrentException("opening read connections to tenant store " + path);
    }
    Status sealed = sealLegacySecrets();
    if (!sealed)
        close();
    return sealed;
}

void SqliteTenantStore::close() noexcept
{
    _readers.close();
    _writer.close();
}

bool SqliteTenantStore::isOpen() const noexcept
{
    try
    {
        return _writer.isOpen();
    }
    catch (...)
    {
        return false;
    }
}

Status SqliteTenantStore::applySeed(const Seed& seed) noexcept
{
    try
    {
        ConnectionPool::Lease lease = _writer.acquire();
        Poco::Data::Session& session = lease.session();
        Transaction transaction(session);
        for (const sdk::CarrierAccount& account : seed.accounts)
            AccountTable::upsert(session, _cipher, account);
        for (const sdk::Tenant& tenant : seed.tenants)
            TenantTable::upsert(session, _cipher, tenant);
        for (std::size_t i = 0; i < seed.numbers.size(); ++i)
        {
            // Checked here rather than left to the foreign keys, whose error does not say which entry.
            const sdk::NumberRoute& route = seed.numbers[i];
            const std::string where = "seed.numbers[" + std::to_string(i) + "]";
            if (!TenantTable::exists(session, route.tenantId))
                return Status::invalidArgument(where + ".tenantId: no tenant " + quoted(route.tenantId) +
                                               " in the seed or the store");
            if (!route.accountSid.empty() && !AccountTable::exists(session, route.accountSid))
                return Status::invalidArgument(where + ".accountSid: no account " + quoted(route.accountSid) +
                                               " in the seed or the store");
            NumberTable::upsert(session, route);
        }
        transaction.commit();
        return Status::ok();
    }
    catch (...)
    {
        return StoreError::fromCurrentException("applying the seed to tenant store " + _options.path);
    }
}

sdk::Result<StoreStats> SqliteTenantStore::stats() noexcept
{
    try
    {
        ConnectionPool::Lease lease = _writer.acquire();
        Poco::Data::Session& session = lease.session();
        StoreStats stats;
        stats.schemaVersion = Migrations::currentVersion(session);
        stats.accounts = AccountTable::count(session);
        stats.tenants = TenantTable::countTenants(session);
        stats.numbers = NumberTable::count(session);
        stats.calls = CallTable::count(session);
        int foreignKeys = 0;
        session << "PRAGMA journal_mode", into(stats.journalMode), now;
        session << "PRAGMA synchronous", into(stats.synchronous), now;
        session << "PRAGMA foreign_keys", into(foreignKeys), now;
        stats.foreignKeys = foreignKeys != 0;
        return stats;
    }
    catch (...)
    {
        return StoreError::fromCurrentException("reading tenant store statistics");
    }
}

sdk::Result<sdk::Tenant> SqliteTenantStore::findTenantByNumber(std::string_view number) noexcept
{
    try
    {
        // Exact E.164 only: "15550100" or "+1 555 0100" are not silently rewritten into a match.
        if (number.empty() || number.front() != '+')
            return Status::notFound("no tenant owns number " + quoted(number) + " (numbers match exactly, in E.164)");
        const std::string key(number);
        ConnectionPool::Lease lease = _readers.acquire();
        std::optional<sdk::Tenant> tenant = TenantTable::findByNumber(lease.session(), _cipher, key);
        if (!tenant)
            return Status::notFound("no tenant owns number " + quoted(number));
        return std::move(*tenant);
    }
    catch (...)
    {
        return StoreError::fromCurrentException("looking up number " + quoted(number));
    }
}

sdk::Result<sdk::Tenant> SqliteTenantStore::findTenant(std::string_view tenantId) noexcept
{
    try
    {
        const std::string key(tenantId);
        ConnectionPool::Lease lease = _readers.acquire();
        std::optional<sdk::Tenant> tenant = TenantTable::find(lease.session(), _cipher, key);
        if (!tenant)
            return Status::notFound("unknown tenant " + quoted(tenantId));
        return std::move(*tenant);
    }
    catch (...)
    {
        return StoreError::fromCurrentException("looking up tenant " + quoted(tenantId));
    }
}

sdk::Result<sdk::CarrierAccount> SqliteTenantStore::findAccount(std::string_view accountSid) noexcept
{
    try
    {
        const std::string key(accountSid);
        ConnectionPool::Lease lease = _readers.acquire();
        std::optional<sdk::CarrierAccount> account = AccountTable::find(lease.session(), _cipher, key);
        if (!account)
            return Status::notFound("unknown carrier account " + quoted(accountSid));
        return std::move(*account);
    }
    catch (...)
    {
        return StoreError::fromCurrentException("looking up carrier account " + quoted(accountSid));
    }
}

Status SqliteTenantStore::saveCall(const sdk::CallRecord& record) noexcept
{
    try
    {
        if (record.call.callSid.empty())
            return Status::invalidArgument("a call record needs a CallSid");
        ConnectionPool::Lease lease = _writer.acquire();
        // One statement in autocommit mode: with synchronous=FULL it is durable when it returns.
        CallTable::upsert(lease.session(), record);
        return Status::ok();
    }
    catch (...)
    {
        return StoreError::fromCurrentException("saving call " + quoted(record.call.callSid));
    }
}

sdk::Result<sdk::CallRecord> SqliteTenantStore::findCall(std::string_view callSid) noexcept
{
    try
    {
        const std::string key(callSid);
        ConnectionPool::Lease lease = _readers.acquire();
        std::optional<sdk::CallRecord> record = CallTable::find(lease.session(), key);
        if (!record)
            return Status::notFound("unknown call " + quoted(callSid));
        return std::move(*record);
    }
    catch (...)
    {
        return StoreError::fromCurrentException("looking up call " + quoted(callSid));
    }
}

sdk::Result<std::vector<sdk::CallRecord>> SqliteTenantStore::listCalls(const sdk::CallQuery& query) noexcept
{
    try
    {
        const std::uint32_t limit = std::min(query.limit, kMaxListLimit);
        if (limit == 0)
            return std::vector<sdk::CallRecord>();
        ConnectionPool::Lease lease = _readers.acquire();
        return CallTable::list(lease.session(), query, limit);
    }
    catch (...)
    {
        return StoreError::fromCurrentException("listing calls");
    }
}

Status SqliteTenantStore::ping() noexcept
{
    try
    {
        ConnectionPool::Lease lease = _readers.acquire();
        // Reads the file header, so a deleted or unreadable file shows here, unlike "SELECT 1".
        Migrations::currentVersion(lease.session());
        return Status::ok();
    }
    catch (...)
    {
        return StoreError::fromCurrentException("tenant store ping");
    }
}

} // namespace patchbay::tenantsqlite
