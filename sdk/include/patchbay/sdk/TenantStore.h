// TenantStore.h: the interface a tenant-store plugin implements — routing lookups and durable call records.
//
// THREAD: I/O for every method — called from HTTP worker threads or the host's blocking-work pool,
// never from a media loop. Implementations must be thread-safe and may block for a bounded time
// (a busy database answers Unavailable rather than waiting forever).
// Secrets returned here (auth tokens, API keys) are plaintext in memory only; never log them.
#ifndef PATCHBAY_SDK_TENANT_STORE_H
#define PATCHBAY_SDK_TENANT_STORE_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "patchbay/sdk/Status.h"
#include "patchbay/sdk/Tenant.h"

namespace patchbay::sdk {

struct CallQuery
{
    std::string tenantId;    ///< empty = all tenants
    std::int64_t sinceMs = 0; ///< receivedAtMs >= sinceMs
    std::int64_t untilMs = 0; ///< receivedAtMs < untilMs; 0 = no upper bound
    std::string status;      ///< exact CallRecord::status; empty = any
    std::uint32_t limit = 100;
    std::uint32_t offset = 0; ///< for pagination, newest first
};

class TenantStore
{
public:
    /// The route and tenant for a dialled number.
    /// @param number E.164, as the carrier sent it.
    /// @return the tenant; NotFound when no tenant owns the number; Unavailable when the store is down.
    virtual Result<Tenant> findTenantByNumber(std::string_view number) = 0;

    /// A tenant by id. @return NotFound for an unknown id.
    virtual Result<Tenant> findTenant(std::string_view tenantId) = 0;

    /// The carrier account with this SID and its webhook-signing tokens.
    /// @return NotFound for an unknown account (the webhook is then refused with 403).
    virtual Result<CarrierAccount> findAccount(std::string_view accountSid) = 0;

    /// Creates or replaces the record of record.call.callSid. Durable when it returns Ok
    /// (the host acknowledges call ends only after this). record.agentReport is ignored: a stored
    /// report is kept as it is (see saveAgentReport()).
    virtual Status saveCall(const CallRecord& record) = 0;

    /// @return the record with its agentReport (empty when none was saved); NotFound for an unknown CallSid.
    virtual Result<CallRecord> findCall(std::string_view callSid) = 0;

    /// Calls newest first.
    virtual Result<std::vector<CallRecord>> listCalls(const CallQuery& query) = 0;

    /// Cheap reachability check for /readyz. @return Ok, or Unavailable with the reason.
    virtual Status ping() = 0;

    // ---- Management (ABI 1.1): what the admin API and patchbayctl need. Every method is I/O. ----
    // Errors: InvalidArgument names the field ("tenant.limits.callsPerMinute: ..."); NotFound names the
    // id; AlreadyExists for a conflict (a number owned by another tenant); Unavailable when busy.
    // Records returned here carry secrets in plaintext; callers must strip them before showing them.

    /// Creates or replaces a tenant (with its variants, limits, fallback and rates).
    virtual Status saveTenant(const Tenant& tenant) = 0;
    /// @return InvalidArgument while numbers are still assigned to it (release them first).
    virtual Status deleteTenant(std::string_view tenantId) = 0;
    /// All tenants, by id.
    virtual Result<std::vector<Tenant>> listTenants() = 0;

    /// Creates or replaces a carrier account (secrets are stored protected, see rotateSecrets()).
    virtual Status saveAccount(const CarrierAccount& account) = 0;
    /// @return InvalidArgument while numbers still use it.
    virtual Status deleteAccount(std::string_view accountSid) = 0;
    virtual Result<std::vector<CarrierAccount>> listAccounts() = 0;

    /// Assigns a number to a tenant, or updates its account / carrier id when it already belongs to
    /// that tenant. @return AlreadyExists when another tenant owns it; NotFound for an unknown tenant
    /// or account; InvalidArgument for a number that is not E.164.
    virtual Status assignNumber(const NumberRoute& route) = 0;
    /// @return NotFound when the number is not assigned.
    virtual Status releaseNumber(std::string_view number) = 0;
    virtual Result<NumberRoute> findNumber(std::string_view number) = 0;
    /// Numbers of one tenant, or all numbers when tenantId is empty.
    virtual Result<std::vector<NumberRoute>> listNumbers(std::string_view tenantId) = 0;

    /// Saves the final record of a call and adds it to its tenant's usage for the month of
    /// receivedAtMs, in one durable transaction. Idempotent per CallSid: a second call with the same
    /// CallSid updates the record but never counts usage twice. Like saveCall(), keeps the stored
    /// agent report and ignores record.agentReport.
    virtual Status finishCall(const CallRecord& record) = 0;
    /// Appends a carrier status event to the call's history (the call need not exist yet).
    virtual Status addCallStatus(const CallStatusEvent& event) = 0;
    /// The call's status history ordered by sequenceNumber, then time.
    virtual Result<std::vector<CallStatusEvent>> callStatusHistory(std::string_view callSid) = 0;
    virtual Status addTranscript(std::string_view callSid, const TranscriptEntry& entry) = 0;
    /// The call's transcript in time order.
    virtual Result<std::vector<TranscriptEntry>> transcript(std::string_view callSid) = 0;
    /// Usage rows; empty tenantId = all tenants, empty month = all months.
    virtual Result<std::vector<MonthlyUsage>> usage(std::string_view tenantId, std::string_view month) = 0;

    /// Stores a tenant API token (hash only). @return AlreadyExists for a duplicate id or hash.
    virtual Status saveTenantToken(const TenantToken& token) = 0;
    /// Marks a token revoked at revokedAtMs. @return NotFound for an unknown id.
    virtual Status revokeTenantToken(std::string_view tokenId, std::int64_t revokedAtMs) = 0;
    /// The token with this hash, revoked or not (the caller checks revokedAtMs).
    virtual Result<TenantToken> findTenantTokenByHash(std::string_view sha256Hex) = 0;
    virtual Result<std::vector<TenantToken>> listTenantTokens(std::string_view tenantId) = 0;

    /// Re-protects every stored secret under the store's current key (after an operator configured a
    /// new one). @return how many secret values were re-protected.
    virtual Result<std::uint64_t> rotateSecrets() = 0;

    // ---- Agent reports (ABI 1.3). Defaulted, so a store built for 1.2 stays valid without stubs. ----

    /// Attaches the agent platform's post-call report to an existing call record, replacing any
    /// report stored before (a webhook redelivery carries the same report again).
    /// The report lives beside the record, not in it: saveCall() and finishCall() never write or
    /// clear it, and this method writes nothing else. So the core's ordered record writes
    /// (design-notes 5) and this webhook-thread write cannot overwrite each other, whichever comes first.
    /// THREAD: I/O (HTTP worker threads); thread-safe.
    /// @param callSid the call's CallSid; the record must already exist.
    /// @param report the report; copied, the caller keeps ownership. analysisJson is stored as given
    ///        (the producer keeps it within AgentCallReport::kMaxAnalysisJsonBytes); a store may
    ///        refuse a larger one with InvalidArgument.
    /// @return Ok when durable; NotFound for an unknown CallSid (nothing is created); InvalidArgument
    ///         for an empty CallSid; Unavailable when the store is busy or down; Declined (the
    ///         default) when the store does not keep agent reports — callers log it and go on.
    virtual Status saveAgentReport(std::string_view callSid, const AgentCallReport& report)
    {
        (void)callSid;
        (void)report;
        return Status::declined("this tenant store does not keep agent reports");
    }

protected:
    ~TenantStore() = default;
};

} // namespace patchbay::sdk

#endif
