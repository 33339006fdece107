// SqliteTenantStore.h: the sdk::TenantStore on one SQLite file — WAL, one writer, pooled readers, durable commits.
#ifndef PATCHBAY_TENANTSQLITE_SQLITE_TENANT_STORE_H
#define PATCHBAY_TENANTSQLITE_SQLITE_TENANT_STORE_H

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "patchbay/sdk/TenantStore.h"
#include "patchbay/tenantsqlite/ConnectionPool.h"
#include "patchbay/tenantsqlite/Migrations.h"
#include "patchbay/tenantsqlite/SecretCipher.h"
#include "patchbay/tenantsqlite/Seed.h"
#include "patchbay/tenantsqlite/StoreOptions.h"
#include "patchbay/tenantsqlite/StoreStats.h"

namespace patchbay::tenantsqlite {

/// Every connection runs with journal_mode=WAL (readers never block the writer), busy_timeout from
/// the options, synchronous=FULL (a commit is on disk when it returns, so saveCall's Ok means
/// durable) and foreign_keys=ON; readers are additionally query_only. Writes go through a single
/// writer connection, so this process never contends with itself for SQLite's write lock.
///
/// Number lookup is an exact match on the stored E.164 text: nothing is normalised, and input that
/// does not start with '+' is simply NotFound.
///
/// Secrets (auth tokens, API key secrets, agent API keys) are sealed with AES-256-GCM under
/// options.keys (see SecretCipher); without a key they are refused. Values left in plaintext by
/// schema v1 are sealed at open when a key is configured.
///
/// Every TenantStore method is noexcept and catches at its edge: a lock held longer than the busy
/// budget, or no free connection within it, is Unavailable; messages never contain tokens or keys.
///
/// THREAD: TenantStore methods, applySeed() and stats() are I/O and thread-safe. open() and close()
/// are Control: call them while no other thread uses the store.
class SqliteTenantStore final : public sdk::TenantStore
{
public:
    /// Largest page listCalls() returns, whatever the query asks for (bounds memory per request).
    static constexpr std::uint32_t kMaxListLimit = 10000;

    /// @param migrations the schema history to apply; tests pass their own, production the default.
    explicit SqliteTenantStore(const Migrations& migrations = Migrations::standard());
    SqliteTenantStore(const SqliteTenantStore&) = delete;
    SqliteTenantStore& operator=(const SqliteTenantStore&) = delete;
    ~SqliteTenantStore();

    /// Creates the parent directory if missing, opens the connections, migrates the schema and
    /// seals secrets left in plaintext by schema v1 (when a key is configured).
    /// @return InvalidArgument for bad options; Internal for a file that is not SQLite or has a
    ///         newer schema than this build; Unavailable when the file is locked or unreachable.
    sdk::Status open(const StoreOptions& options) noexcept;

    /// Closes every connection (waiting for statements in flight). Idempotent.
    void close() noexcept;

    bool isOpen() const noexcept;
    const StoreOptions& options() const noexcept { return _options; }

    /// Upserts the seed in one transaction: all of it or none.
    /// @return InvalidArgument naming the entry when a number refers to a tenant or account that
    ///         neither the seed nor the file holds.
    sdk::Status applySeed(const Seed& seed) noexcept;

    sdk::Result<StoreStats> stats() noexcept;

    // sdk::TenantStore
    sdk::Result<sdk::Tenant> findTenantByNumber(std::string_view number) noexcept override;
    sdk::Result<sdk::Tenant> findTenant(std::string_view tenantId) noexcept override;
    sdk::Result<sdk::CarrierAccount> findAccount(std::string_view accountSid) noexcept override;
    sdk::Status saveCall(const sdk::CallRecord& record) noexcept override;
    sdk::Result<sdk::CallRecord> findCall(std::string_view callSid) noexcept override;
    sdk::Result<std::vector<sdk::CallRecord>> listCalls(const sdk::CallQuery& query) noexcept override;
    sdk::Status ping() noexcept override;

    sdk::Status saveTenant(const sdk::Tenant& tenant) noexcept override;
    sdk::Status deleteTenant(std::string_view tenantId) noexcept override;
    sdk::Result<std::vector<sdk::Tenant>> listTenants() noexcept override;
    sdk::Status saveAccount(const sdk::CarrierAccount& account) noexcept override;
    sdk::Status deleteAccount(std::string_view accountSid) noexcept override;
    sdk::Result<std::vector<sdk::CarrierAccount>> listAccounts() noexcept override;
    sdk::Status assignNumber(const sdk::NumberRoute& route) noexcept override;
    sdk::Status releaseNumber(std::string_view number) noexcept override;
    sdk::Result<sdk::NumberRoute> findNumber(std::string_view number) noexcept override;
    sdk::Result<std::vector<sdk::NumberRoute>> listNumbers(std::string_view tenantId) noexcept override;
    sdk::Status finishCall(const sdk::CallRecord& record) noexcept override;
    sdk::Status addCallStatus(const sdk::CallStatusEvent& event) noexcept override;
    sdk::Result<std::vector<sdk::CallStatusEvent>> callStatusHistory(std::string_view callSid) noexcept override;
    sdk::Status addTranscript(std::string_view callSid, const sdk::TranscriptEntry& entry) noexcept override;
    sdk::Result<std::vector<sdk::TranscriptEntry>> transcript(std::string_view callSid) noexcept override;
    sdk::Result<std::vector<sdk::MonthlyUsage>> usage(std::string_view tenantId,
                                                      std::string_view month) noexcept override;
    sdk::Status saveTenantToken(const sdk::TenantToken& token) noexcept override;
    sdk::Status revokeTenantToken(std::string_view tokenId, std::int64_t revokedAtMs) noexcept override;
    sdk::Result<sdk::TenantToken> findTenantTokenByHash(std::string_view sha256Hex) noexcept override;
    sdk::Result<std::vector<sdk::TenantToken>> listTenantTokens(std::string_view tenantId) noexcept override;
    sdk::Result<std::uint64_t> rotateSecrets() noexcept override;
    /// Column-only UPDATE of the row's agent_report_* columns (schema v3); saveCall()/finishCall()
    /// never name those columns, so neither side can undo the other.
    /// @return InvalidArgument for an empty CallSid or an analysisJson that is not a JSON object or
    ///         is over AgentCallReport::kMaxAnalysisJsonBytes; NotFound for an unknown CallSid.
    sdk::Status saveAgentReport(std::string_view callSid, const sdk::AgentCallReport& report) noexcept override;

    /// Whether the file holds any secret value (sealed or not). The plugin refuses to start without
    /// keys when it does.
    sdk::Result<bool> holdsSecrets() noexcept;

private:
    using Body = std::function<sdk::Status(Poco::Data::Session&)>;

    void setUpConnection(Poco::Data::Session& session, bool writer) const;

    /// Runs body on the writer inside BEGIN IMMEDIATE; commits only when it returns Ok (commit is
    /// durable under synchronous=FULL). Exceptions become a Status naming `context`.
    sdk::Status write(const std::string& context, const Body& body) noexcept;

    /// Runs body on a reader connection.
    sdk::Status read(const std::string& context, const Body& body) noexcept;

    /// Seals "plain:" values left by schema v1; part of open().
    sdk::Status sealLegacySecrets() noexcept;

    /// Re-seals values in one transaction. @param legacyOnly only "plain:" values.
    sdk::Result<std::uint64_t> reseal(bool legacyOnly) noexcept;

    const Migrations& _migrations;
    StoreOptions _options;
    SecretCipher _cipher;
    ConnectionPool _writer;
    ConnectionPool _readers;
};

} // namespace patchbay::tenantsqlite

#endif
