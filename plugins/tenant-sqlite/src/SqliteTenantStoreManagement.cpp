// SqliteTenantStoreManagement.cpp: the management half of SqliteTenantStore (ABI 1.1, 1.3) — CRUD, call history, agent reports, usage, tokens, key rotation.
#include "patchbay/tenantsqlite/SqliteTenantStore.h"

#include "patchbay/tenantsqlite/AccountTable.h"
#include "patchbay/sdk/support/Billing.h"
#include "patchbay/tenantsqlite/CallHistoryTable.h"
#include "patchbay/tenantsqlite/CallTable.h"
#include "patchbay/tenantsqlite/NumberTable.h"
#include "patchbay/tenantsqlite/StoreError.h"
#include "patchbay/tenantsqlite/StoreValidation.h"
#include "patchbay/tenantsqlite/TenantTable.h"
#include "patchbay/tenantsqlite/TokenTable.h"
#include "patchbay/tenantsqlite/Transaction.h"
#include "patchbay/tenantsqlite/UsageTable.h"

namespace patchbay::tenantsqlite {

using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using sdk::Status;

namespace {

std::string quoted(std::string_view text)
{
    return StoreError::quoted(text);
}

} // namespace

Status SqliteTenantStore::write(const std::string& context, const Body& body) noexcept
{
    try
    {
        ConnectionPool::Lease lease = _writer.acquire();
        Transaction transaction(lease.session());
        Status status = body(lease.session());
        if (status)
            transaction.commit();
        return status;
    }
    catch (...)
    {
        return StoreError::fromCurrentException(context);
    }
}

Status SqliteTenantStore::read(const std::string& context, const Body& body) noexcept
{
    try
    {
        ConnectionPool::Lease lease = _readers.acquire();
        return body(lease.session());
    }
    catch (...)
    {
        return StoreError::fromCurrentException(context);
    }
}

Status SqliteTenantStore::saveTenant(const sdk::Tenant& tenant) noexcept
{
    Status valid = StoreValidation::tenant(tenant);
    if (!valid)
        return valid;
    return write("saving tenant " + quoted(tenant.id), [&](Session& session) {
        TenantTable::upsert(session, _cipher, tenant);
        return Status::ok();
    });
}

Status SqliteTenantStore::deleteTenant(std::string_view tenantId) noexcept
{
    const std::string id(tenantId);
    return write("deleting tenant " + quoted(tenantId), [&](Session& session) {
        if (!TenantTable::exists(session, id))
            return Status::notFound("unknown tenant " + quoted(id));
        const std::int64_t numbers = NumberTable::countForTenant(session, id);
        if (numbers > 0)
            return Status::invalidArgument("tenant " + quoted(id) + " still has " + std::to_string(numbers) +
                                           " number(s) assigned; release them first");
        TenantTable::remove(session, id);
        return Status::ok();
    });
}

sdk::Result<std::vector<sdk::Tenant>> SqliteTenantStore::listTenants() noexcept
{
    std::vector<sdk::Tenant> tenants;
    Status status = read("listing tenants", [&](Session& session) {
        tenants = TenantTable::list(session, _cipher);
        return Status::ok();
    });
    if (!status)
        return status;
    return tenants;
}

Status SqliteTenantStore::saveAccount(const sdk::CarrierAccount& account) noexcept
{
    Status valid = StoreValidation::account(account);
    if (!valid)
        return valid;
    return write("saving carrier account " + quoted(account.sid), [&](Session& session) {
        AccountTable::upsert(session, _cipher, account);
        return Status::ok();
    });
}

Status SqliteTenantStore::deleteAccount(std::string_view accountSid) noexcept
{
    const std::string sid(accountSid);
    return write("deleting carrier account " + quoted(accountSid), [&](Session& session) {
        if (!AccountTable::exists(session, sid))
            return Status::notFound("unknown carrier account " + quoted(sid));
        const std::int64_t numbers = NumberTable::countForAccount(session, sid);
        if (numbers > 0)
            return Status::invalidArgument("carrier account " + quoted(sid) + " is still used by " +
                                           std::to_string(numbers) + " number(s); release or move them first");
        AccountTable::remove(session, sid);
        return Status::ok();
    });
}

sdk::Result<std::vector<sdk::CarrierAccount>> SqliteTenantStore::listAccounts() noexcept
{
    std::vector<sdk::CarrierAccount> accounts;
    Status status = read("listing carrier accounts", [&](Session& session) {
        accounts = AccountTable::list(session, _cipher);
        return Status::ok();
    });
    if (!status)
        return status;
    return accounts;
}

Status SqliteTenantStore::assignNumber(const sdk::NumberRoute& route) noexcept
{
    Status valid = StoreValidation::route(route);
    if (!valid)
        return valid;
    return write("assigning number " + quoted(route.number), [&](Session& session) {
        if (!TenantTable::exists(session, route.tenantId))
            return Status::notFound("unknown tenant " + quoted(route.tenantId));
        if (!route.accountSid.empty() && !AccountTable::exists(session, route.accountSid))
            return Status::notFound("unknown carrier account " + quoted(route.accountSid));
        std::optional<sdk::NumberRoute> existing = NumberTable::find(session, route.number);
        // One number, one tenant: moving it is an explicit release first, never a silent takeover.
        if (existing && existing->tenantId != route.tenantId)
            return Status::alreadyExists("number " + quoted(route.number) + " is assigned to another tenant");
        NumberTable::upsert(session, route);
        return Status::ok();
    });
}

Status SqliteTenantStore::releaseNumber(std::string_view number) noexcept
{
    const std::string key(number);
    return write("releasing number " + quoted(number), [&](Session& session) {
        if (!NumberTable::remove(session, key))
            return Status::notFound("number " + quoted(key) + " is not assigned");
        return Status::ok();
    });
}

sdk::Result<sdk::NumberRoute> SqliteTenantStore::findNumber(std::string_view number) noexcept
{
    std::optional<sdk::NumberRoute> route;
    const std::string key(number);
    Status status = read("looking up number " + quoted(number), [&](Session& session) {
        route = NumberTable::find(session, key);
        return route ? Status::ok() : Status::notFound("number " + quoted(key) + " is not assigned");
    });
    if (!status)
        return status;
    return std::move(*route);
}

sdk::Result<std::vector<sdk::NumberRoute>> SqliteTenantStore::listNumbers(std::string_view tenantId) noexcept
{
    std::vector<sdk::NumberRoute> routes;
    const std::string key(tenantId);
    Status status = read("listing numbers", [&](Session& session) {
        routes = NumberTable::list(session, key);
        return Status::ok();
    });
    if (!status)
        return status;
    return routes;
}

Status SqliteTenantStore::finishCall(const sdk::CallRecord& record) noexcept
{
    if (record.call.callSid.empty())
        return Status::invalidArgument("a call record needs a CallSid");
    return write("finishing call " + quoted(record.call.callSid), [&](Session& session) {
        sdk::CallRecord finished = record;
        const std::int64_t seconds = sdk::support::Billing::billedSeconds(record.durationMs);
        // A cost the caller computed wins; otherwise the tenant's current rate prices the call.
        if (finished.costMicros == 0 && !finished.call.tenantId.empty())
        {
            std::optional<std::int64_t> rate = TenantTable::ratePerMinuteMicros(session, finished.call.tenantId);
            finished.costMicros = sdk::support::Billing::costMicros(seconds, rate.value_or(0));
        }
        const bool counted = CallTable::usageCounted(session, finished.call.callSid);
        CallTable::upsert(session, finished);
        if (!counted && !finished.call.tenantId.empty())
        {
            UsageTable::add(session, finished.call.tenantId, sdk::support::Billing::monthOf(finished.receivedAtMs), finished.variant,
                            seconds, finished.costMicros);
            CallTable::markUsageCounted(session, finished.call.callSid);
        }
        return Status::ok();
    });
}

Status SqliteTenantStore::addCallStatus(const sdk::CallStatusEvent& event) noexcept
{
    Status valid = StoreValidation::statusEvent(event);
    if (!valid)
        return valid;
    return write("recording a status of call " + quoted(event.callSid), [&](Session& session) {
        CallHistoryTable::addStatus(session, event);
        return Status::ok();
    });
}

sdk::Result<std::vector<sdk::CallStatusEvent>> SqliteTenantStore::callStatusHistory(std::string_view callSid) noexcept
{
    std::vector<sdk::CallStatusEvent> events;
    const std::string key(callSid);
    Status status = read("reading the status history of call " + quoted(callSid), [&](Session& session) {
        events = CallHistoryTable::statuses(session, key);
        return Status::ok();
    });
    if (!status)
        return status;
    return events;
}

Status SqliteTenantStore::addTranscript(std::string_view callSid, const sdk::TranscriptEntry& entry) noexcept
{
    Status valid = StoreValidation::transcript(callSid, entry);
    if (!valid)
        return valid;
    const std::string key(callSid);
    return write("adding to the transcript of call " + quoted(callSid), [&](Session& session) {
        CallHistoryTable::addTranscript(session, key, entry);
        return Status::ok();
    });
}

Status SqliteTenantStore::saveAgentReport(std::string_view callSid, const sdk::AgentCallReport& report) noexcept
{
    Status valid = StoreValidation::agentReport(callSid, report);
    if (!valid)
        return valid;
    const std::string key(callSid);
    return write("saving the agent report of call " + quoted(callSid), [&](Session& session) {
        // A report never creates a record: the call must be one this gateway admitted.
        if (!CallTable::updateAgentReport(session, key, report))
            return Status::notFound("unknown call " + quoted(callSid));
        return Status::ok();
    });
}

sdk::Result<std::vector<sdk::TranscriptEntry>> SqliteTenantStore::transcript(std::string_view callSid) noexcept
{
    std::vector<sdk::TranscriptEntry> entries;
    const std::string key(callSid);
    Status status = read("reading the transcript of call " + quoted(callSid), [&](Session& session) {
        entries = CallHistoryTable::transcript(session, key);
        return Status::ok();
    });
    if (!status)
        return status;
    return entries;
}

sdk::Result<std::vector<sdk::MonthlyUsage>> SqliteTenantStore::usage(std::string_view tenantId,
                                                                     std::string_view month) noexcept
{
    std::vector<sdk::MonthlyUsage> rows;
    const std::string tenant(tenantId);
    const std::string period(month);
    Status status = read("reading usage", [&](Session& session) {
        rows = UsageTable::list(session, tenant, period);
        return Status::ok();
    });
    if (!status)
        return status;
    return rows;
}

Status SqliteTenantStore::saveTenantToken(const sdk::TenantToken& token) noexcept
{
    Status valid = StoreValidation::token(token);
    if (!valid)
        return valid;
    // The hash is not a secret, but it is not an identifier either: messages name the token id.
    return write("saving tenant token " + quoted(token.id), [&](Session& session) {
        if (!TenantTable::exists(session, token.tenantId))
            return Status::notFound("unknown tenant " + quoted(token.tenantId));
        if (TokenTable::existsIdOrHash(session, token.id, token.sha256Hex))
            return Status::alreadyExists("a tenant token with id " + quoted(token.id) + " or the same hash exists");
        TokenTable::insert(session, token);
        return Status::ok();
    });
}

Status SqliteTenantStore::revokeTenantToken(std::string_view tokenId, std::int64_t revokedAtMs) noexcept
{
    if (revokedAtMs <= 0)
        return Status::invalidArgument("revokedAtMs must be a time after 1970 (0 means active)");
    const std::string id(tokenId);
    return write("revoking tenant token " + quoted(tokenId), [&](Session& session) {
        if (!TokenTable::revoke(session, id, revokedAtMs))
            return Status::notFound("unknown tenant token " + quoted(id));
        return Status::ok();
    });
}

sdk::Result<sdk::TenantToken> SqliteTenantStore::findTenantTokenByHash(std::string_view sha256Hex) noexcept
{
    std::optional<sdk::TenantToken> token;
    const std::string hash(sha256Hex);
    Status status = read("looking up a tenant token", [&](Session& session) {
        token = TokenTable::findByHash(session, hash);
        return token ? Status::ok() : Status::notFound("no tenant token has this hash");
    });
    if (!status)
        return status;
    return std::move(*token);
}

sdk::Result<std::vector<sdk::TenantToken>> SqliteTenantStore::listTenantTokens(std::string_view tenantId) noexcept
{
    std::vector<sdk::TenantToken> tokens;
    const std::string key(tenantId);
    Status status = read("listing tenant tokens", [&](Session& session) {
        tokens = TokenTable::list(session, key);
        return Status::ok();
    });
    if (!status)
        return status;
    return tokens;
}

sdk::Result<std::uint64_t> SqliteTenantStore::reseal(bool legacyOnly) noexcept
{
    std::uint64_t count = 0;
    Status status = write(legacyOnly ? "sealing secrets left in plaintext by schema v1" : "rotating secrets",
                          [&](Session& session) {
                              count = AccountTable::reseal(session, _cipher, legacyOnly) +
                                      TenantTable::reseal(session, _cipher, legacyOnly);
                              return Status::ok();
                          });
    if (!status)
        return status;
    return count;
}

sdk::Result<std::uint64_t> SqliteTenantStore::rotateSecrets() noexcept
{
    if (!_cipher.canSeal())
        return Status::invalidArgument(SecretCipher::missingKeysMessage());
    return reseal(false);
}

Status SqliteTenantStore::sealLegacySecrets() noexcept
{
    if (!_cipher.canSeal())
        return Status::ok();
    sdk::Result<std::uint64_t> sealed = reseal(true);
    if (!sealed || sealed.value() == 0)
        return sealed ? Status::ok() : sealed.status();
    // The plaintext is now only in WAL frames: fold them into the file (where secure_delete
    // zeroed the old cells) and empty the WAL, so no copy of the files holds it any more.
    try
    {
        ConnectionPool::Lease lease = _writer.acquire();
        int busy = 0, frames = 0, checkpointed = 0;
        lease.session() << "PRAGMA wal_checkpoint(TRUNCATE)", into(busy), into(frames), into(checkpointed), now;
        return Status::ok();
    }
    catch (...)
    {
        return StoreError::fromCurrentException("checkpointing tenant store " + _options.path);
    }
}

sdk::Result<bool> SqliteTenantStore::holdsSecrets() noexcept
{
    bool holds = false;
    Status status = read("looking for secrets", [&](Session& session) {
        int n = 0;
        session << "SELECT (SELECT count(*) FROM accounts WHERE auth_token <> '' OR secondary_token <> ''"
                   " OR api_key_secret <> '') + (SELECT count(*) FROM tenants WHERE agent_api_key <> '')"
                   " + (SELECT count(*) FROM tenant_variants WHERE agent_api_key <> '')",
            into(n), now;
        holds = n > 0;
        return Status::ok();
    });
    if (!status)
        return status;
    return holds;
}

} // namespace patchbay::tenantsqlite
