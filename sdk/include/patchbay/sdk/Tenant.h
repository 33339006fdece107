// Tenant.h: the tenant data a store returns and the core routes by — tenants, agent settings, limits, fallbacks, accounts, call records.
#ifndef PATCHBAY_SDK_TENANT_H
#define PATCHBAY_SDK_TENANT_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "patchbay/sdk/Call.h"

namespace patchbay::sdk {

using KeyValues = std::vector<std::pair<std::string, std::string>>;

enum class TenantStatus : std::uint8_t { Active, Suspended };

/// How a tenant's calls reach its agent. Value type.
struct AgentSettings
{
    std::string providerId;      ///< agent plugin id, e.g. "elevenlabs"; empty = host default
    std::string agentId;         ///< the provider's agent id
    std::string firstMessage;    ///< override; empty = the agent's own
    std::string prompt;          ///< override; empty = the agent's own
    std::string language;        ///< override; empty = the agent's own
    KeyValues dynamicVariables;  ///< extra variables passed to the agent
    std::string apiKey;          ///< SECRET: private-agent key; empty = the provider's global key. Never log.
    std::string baseUrl;         ///< provider endpoint override (data residency); empty = provider default
};

/// Admission limits; 0 means unlimited. Value type.
struct TenantLimits
{
    std::uint32_t maxConcurrentCalls = 0;
    std::uint32_t callsPerMinute = 0;
    std::uint32_t maxCallSeconds = 0;
    std::uint32_t monthlyMinutes = 0;
};

/// What the caller hears when the agent cannot take the call. Value type.
struct Fallback
{
    std::string message;    ///< spoken, then hang up (or then dial)
    std::string dialNumber; ///< E.164 to transfer to
};

/// One arm of an A/B test: calls are split across a tenant's variants by weight.
struct AgentVariant
{
    std::string name;         ///< [a-z0-9_-]{1,32}, unique within the tenant; recorded on each call
    std::uint32_t weight = 1; ///< relative share; 0 = paused
    AgentSettings agent;      ///< replaces the tenant's agent settings for calls in this variant
};

/// What a minute of call time costs the tenant, in millionths of `currency` (integer arithmetic, no
/// rounding drift across many calls).
struct CostRates
{
    std::int64_t perMinuteMicros = 0;
    std::string currency = "USD";
};

struct Tenant
{
    std::string id;
    std::string name;
    TenantStatus status = TenantStatus::Active;
    AgentSettings agent;
    std::vector<AgentVariant> variants; ///< empty = every call uses `agent`
    TenantLimits limits;
    Fallback fallback;
    CostRates rates;
};

/// A carrier account (Twilio account or subaccount) and the secrets that sign its webhooks.
struct CarrierAccount
{
    std::string sid;
    std::string parentSid;      ///< empty for a main account
    std::string authToken;      ///< SECRET: primary token. Never log.
    std::string secondaryToken; ///< SECRET: accepted during rotation; may be empty. Never log.
    std::string friendlyName;
    std::string apiKeySid;      ///< optional REST credentials (SK...) used instead of the auth token
    std::string apiKeySecret;   ///< SECRET. Never log.
};

/// The route for a dialled number.
struct NumberRoute
{
    std::string number;     ///< E.164
    std::string tenantId;
    std::string accountSid;
    std::string phoneNumberSid; ///< the carrier's id for the number (Twilio PN...), when known
};

/// The agent platform's own account of a call (ABI 1.3), as its post-call webhook reported it
/// (ElevenLabs: post_call_transcription). Stored beside the call record by
/// TenantStore::saveAgentReport() and never written by saveCall()/finishCall(). Value type; an
/// empty conversationId with receivedAtMs 0 means "no report".
struct AgentCallReport
{
    /// Largest analysisJson a store must keep, in bytes; the producer cuts larger analyses down to
    /// this (see analysisJson) so a chatty agent cannot grow call records without bound.
    static constexpr std::size_t kMaxAnalysisJsonBytes = 16 * 1024;

    std::string conversationId;    ///< the platform's conversation id
    std::string status;            ///< the platform's conversation status, e.g. "done", "failed"
    std::string terminationReason; ///< why the platform says the conversation ended, as it worded it
    std::int64_t durationSeconds = -1; ///< the platform's call duration; -1 = unknown
    std::int64_t cost = -1;        ///< the platform's own cost figure as sent (ElevenLabs: metadata.cost,
                                   ///< in its credits, not money); -1 = unknown. Unrelated to costMicros.
    std::string callSuccessful;    ///< the agent's verdict: "success", "failure", "unknown", or "" when not evaluated
    std::string summary;           ///< the platform's summary of the conversation (bounded by the producer)
    /// The platform's structured analysis as one JSON object text, e.g.
    /// {"dataCollection":{...},"evaluation":{...}} (ElevenLabs: data_collection_results and
    /// evaluation_criteria_results as sent); "" when none. At most kMaxAnalysisJsonBytes: a larger
    /// analysis keeps the entries that fit and carries "truncated":true.
    std::string analysisJson;
    std::int64_t receivedAtMs = 0; ///< Unix ms when the gateway received the report; 0 = no report

    bool empty() const noexcept { return conversationId.empty() && receivedAtMs == 0; }
};

/// One call as recorded. Times are Unix milliseconds, 0 = not (yet) happened.
struct CallRecord
{
    CallInfo call;
    std::string status;          ///< received | answered | streaming | ended | rejected
    std::int64_t receivedAtMs = 0;
    std::int64_t streamStartedAtMs = 0;
    std::int64_t endedAtMs = 0;
    std::int64_t durationMs = 0;
    std::string endReason;       ///< endReasonName() or an admission outcome
    std::string endDetail;
    std::string agentConversationId;
    std::string variant;           ///< A/B variant name, empty when the tenant has none
    std::int64_t answeredAtMs = 0;
    std::int64_t costMicros = 0;   ///< from the tenant's rates, set when the call ends
    std::uint64_t framesFromCaller = 0;
    std::uint64_t framesToCaller = 0;
    /// The agent platform's report (ABI 1.3). Read-only here: stores fill it on findCall()/listCalls()
    /// and ignore it in saveCall()/finishCall(); only TenantStore::saveAgentReport() writes it.
    AgentCallReport agentReport;
};

/// One carrier status callback, kept in the call's history (ordered by sequenceNumber, not arrival).
struct CallStatusEvent
{
    std::string callSid;
    std::string status;              ///< carrier status, e.g. ringing, in-progress, completed
    std::int64_t sequenceNumber = -1; ///< carrier's ordering number; -1 when it sent none
    std::int64_t atMs = 0;
};

/// A tenant's usage in one calendar month (UTC), per A/B variant ("" = no variant).
struct MonthlyUsage
{
    std::string tenantId;
    std::string month;   ///< "YYYY-MM"
    std::string variant;
    std::uint64_t calls = 0;
    std::int64_t seconds = 0;     ///< billed call time
    std::int64_t costMicros = 0;
};

/// An API token that lets one tenant manage its own data. Only a hash is ever stored.
struct TenantToken
{
    std::string id;        ///< public handle for listing and revoking
    std::string tenantId;
    std::string sha256Hex; ///< SHA-256 of the bearer token, lowercase hex
    std::string label;
    std::int64_t createdAtMs = 0;
    std::int64_t revokedAtMs = 0; ///< 0 = active
};

} // namespace patchbay::sdk

#endif
