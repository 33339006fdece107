// StoreValidation.cpp: field-by-field checks of tenants, accounts, numbers, tokens, call history and agent report input.
#include "patchbay/tenantsqlite/StoreValidation.h"

#include <cctype>
#include <set>
#include <string>

#include "patchbay/sdk/support/JsonDocument.h"
#include "patchbay/tenantsqlite/Seed.h"

namespace patchbay::tenantsqlite {

using sdk::Status;

bool StoreValidation::isVariantName(std::string_view name) noexcept
{
    if (name.empty() || name.size() > 32)
        return false;
    for (char c : name)
    {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    }
    return true;
}

Status StoreValidation::tenant(const sdk::Tenant& tenant)
{
    if (tenant.id.empty())
        return Status::invalidArgument("tenant.id is required");
    std::set<std::string> names;
    for (std::size_t i = 0; i < tenant.variants.size(); ++i)
    {
        const std::string where = "tenant.variants[" + std::to_string(i) + "].name";
        if (!isVariantName(tenant.variants[i].name))
            return Status::invalidArgument(where + " must be 1 to 32 of a-z, 0-9, '_' and '-'");
        if (!names.insert(tenant.variants[i].name).second)
            return Status::invalidArgument(where + " repeats an earlier variant of the tenant");
    }
    if (tenant.rates.perMinuteMicros < 0)
        return Status::invalidArgument("tenant.rates.perMinuteMicros must not be negative");
    const std::string& currency = tenant.rates.currency;
    if (currency.size() != 3 || !std::isupper(static_cast<unsigned char>(currency[0])) ||
        !std::isupper(static_cast<unsigned char>(currency[1])) || !std::isupper(static_cast<unsigned char>(currency[2])))
        return Status::invalidArgument("tenant.rates.currency must be a three-letter ISO 4217 code, e.g. USD");
    if (!tenant.fallback.dialNumber.empty() && !Seed::isE164(tenant.fallback.dialNumber))
        return Status::invalidArgument("tenant.fallback.dialNumber must be E.164: '+' then 2 to 15 digits");
    return Status::ok();
}

Status StoreValidation::account(const sdk::CarrierAccount& account)
{
    if (account.sid.empty())
        return Status::invalidArgument("account.sid is required");
    if (account.authToken.empty())
        return Status::invalidArgument("account.authToken is required");
    return Status::ok();
}

Status StoreValidation::route(const sdk::NumberRoute& route)
{
    if (!Seed::isE164(route.number))
        return Status::invalidArgument("number.number must be E.164: '+' then 2 to 15 digits, no spaces");
    if (route.tenantId.empty())
        return Status::invalidArgument("number.tenantId is required");
    return Status::ok();
}

Status StoreValidation::token(const sdk::TenantToken& token)
{
    if (token.id.empty())
        return Status::invalidArgument("token.id is required");
    if (token.tenantId.empty())
        return Status::invalidArgument("token.tenantId is required");
    bool hex = token.sha256Hex.size() == 64;
    for (char c : token.sha256Hex)
        hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    if (!hex)
        return Status::invalidArgument("token.sha256Hex must be 64 lowercase hex digits");
    return Status::ok();
}

Status StoreValidation::statusEvent(const sdk::CallStatusEvent& event)
{
    if (event.callSid.empty())
        return Status::invalidArgument("event.callSid is required");
    if (event.status.empty())
        return Status::invalidArgument("event.status is required");
    return Status::ok();
}

Status StoreValidation::transcript(std::string_view callSid, const sdk::TranscriptEntry& entry)
{
    if (callSid.empty())
        return Status::invalidArgument("callSid is required");
    if (entry.role != "agent" && entry.role != "user")
        return Status::invalidArgument("entry.role must be \"agent\" or \"user\"");
    return Status::ok();
}

Status StoreValidation::agentReport(std::string_view callSid, const sdk::AgentCallReport& report)
{
    if (callSid.empty())
        return Status::invalidArgument("callSid is required");
    if (report.analysisJson.size() > sdk::AgentCallReport::kMaxAnalysisJsonBytes)
        return Status::invalidArgument("report.analysisJson is over " +
                                       std::to_string(sdk::AgentCallReport::kMaxAnalysisJsonBytes) + " bytes");
    // Checked here rather than left to the column's CHECK, so the caller learns which field is wrong.
    if (!report.analysisJson.empty())
    {
        sdk::support::JsonDocument document;
        if (!document.parse(report.analysisJson) || !document.root().isObject())
            return Status::invalidArgument("report.analysisJson must be a JSON object");
    }
    return Status::ok();
}

} // namespace patchbay::tenantsqlite
