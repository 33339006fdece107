// StoreValidation.h: the input checks of the management methods — InvalidArgument naming the field, never its value.
#ifndef PATCHBAY_TENANTSQLITE_STORE_VALIDATION_H
#define PATCHBAY_TENANTSQLITE_STORE_VALIDATION_H

#include <string_view>

#include "patchbay/sdk/Status.h"
#include "patchbay/sdk/Tenant.h"

namespace patchbay::tenantsqlite {

/// Checked before touching the database, so a bad request gets a message naming its field instead
/// of SQLite's constraint text. FakeTenantStore applies the same rules (the contract suite checks
/// both). Messages never quote a value: it might be a secret.
class StoreValidation
{
public:
    /// id required; variant names [a-z0-9_-]{1,32} and unique; rate not negative; currency three
    /// capital letters; fallback number E.164 when set.
    static sdk::Status tenant(const sdk::Tenant& tenant);

    /// sid and authToken required.
    static sdk::Status account(const sdk::CarrierAccount& account);

    /// number E.164, tenantId required.
    static sdk::Status route(const sdk::NumberRoute& route);

    /// id and tenantId required, sha256Hex 64 lowercase hex digits.
    static sdk::Status token(const sdk::TenantToken& token);

    /// callSid and status required.
    static sdk::Status statusEvent(const sdk::CallStatusEvent& event);

    /// callSid required, role "agent" or "user".
    static sdk::Status transcript(std::string_view callSid, const sdk::TranscriptEntry& entry);

    /// callSid required; analysisJson "" or a JSON object of at most AgentCallReport::kMaxAnalysisJsonBytes.
    static sdk::Status agentReport(std::string_view callSid, const sdk::AgentCallReport& report);

    static bool isVariantName(std::string_view name) noexcept;
};

} // namespace patchbay::tenantsqlite

#endif
