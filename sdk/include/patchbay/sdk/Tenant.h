// Tenant.h: the tenant data a store returns and the core routes by — tenants, agent settings, limits, fallbacks, accounts, call records.
#ifndef PATCHBAY_SDK_TENANT_H
#define PATCHBAY_SDK_TENANT_H

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

struct Tenant
{
    std::string id;
    std::string name;
    TenantStatus status = TenantStatus::Active;
    AgentSettings agent;
    TenantLimits limits;
    Fallback fallback;
};

/// A carrier account (Twilio account or subaccount) and the secrets that sign its webhooks.
struct CarrierAccount
{
    std::string sid;
    std::string parentSid;      ///< empty for a main account
    std::string authToken;      ///< SECRET: primary token. Never log.
    std::string secondaryToken; ///< SECRET: accepted during rotation; may be empty. Never log.
};

/// The route for a dialled number.
struct NumberRoute
{
    std::string number;     ///< E.164
    std::string tenantId;
    std::string accountSid;
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
    std::uint64_t framesFromCaller = 0;
    std::uint64_t framesToCaller = 0;
};

} // namespace patchbay::sdk

#endif
