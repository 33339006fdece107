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
    std::int64_t sinceMs = 0;
    std::uint32_t limit = 100;
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
    /// (the host acknowledges call ends only after this).
    virtual Status saveCall(const CallRecord& record) = 0;

    /// @return NotFound for an unknown CallSid.
    virtual Result<CallRecord> findCall(std::string_view callSid) = 0;

    /// Calls newest first.
    virtual Result<std::vector<CallRecord>> listCalls(const CallQuery& query) = 0;

    /// Cheap reachability check for /readyz. @return Ok, or Unavailable with the reason.
    virtual Status ping() = 0;

protected:
    ~TenantStore() = default;
};

} // namespace patchbay::sdk

#endif
