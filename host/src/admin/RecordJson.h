// RecordJson.h: admin API JSON for the store's records — numbers, calls with history and transcript, usage rows, tenant tokens.
#ifndef PATCHBAY_HOST_ADMIN_RECORD_JSON_H
#define PATCHBAY_HOST_ADMIN_RECORD_JSON_H

#include <cstdint>
#include <string>

#include <patchbay/sdk/Tenant.h>
#include <patchbay/sdk/support/JsonWriter.h>

namespace patchbay::host {

/// Write-only: these records come from the store and are never read back from a client.
/// Token records never carry the hash (nor, of course, the token).
class RecordJson
{
public:
    static void writeNumber(sdk::support::JsonWriter& w, const sdk::NumberRoute& route);
    /// The members of writeNumber() without the braces, for answers that add their own (carrier).
    static void writeNumberMembers(sdk::support::JsonWriter& w, const sdk::NumberRoute& route);
    static void writeCall(sdk::support::JsonWriter& w, const sdk::CallRecord& call);
    /// The members of writeCall() without the braces, for a call detail that adds its own.
    static void writeCallMembers(sdk::support::JsonWriter& w, const sdk::CallRecord& call);
    static void writeStatusEvent(sdk::support::JsonWriter& w, const sdk::CallStatusEvent& event);
    static void writeTranscriptEntry(sdk::support::JsonWriter& w, const sdk::TranscriptEntry& entry);
    /// @param currency the tenant's currency, or empty when unknown (the key is then left out).
    static void writeUsage(sdk::support::JsonWriter& w, const sdk::MonthlyUsage& usage, const std::string& currency);
    static void writeToken(sdk::support::JsonWriter& w, const sdk::TenantToken& token);

    /// Millionths as a decimal string with at least two decimals: 1500000 -> "1.50", 1234567 -> "1.234567".
    static std::string formatMicros(std::int64_t micros);
    /// Seconds as minutes with two decimals: 90 -> "1.50".
    static std::string formatMinutes(std::int64_t seconds);
};

} // namespace patchbay::host

#endif
