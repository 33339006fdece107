// InitiationData.h: what the gateway tells the agent in conversation_initiation_client_data (overrides and dynamic variables).
#ifndef PATCHBAY_ELEVENLABS_INITIATION_DATA_H
#define PATCHBAY_ELEVENLABS_INITIATION_DATA_H

#include <string>

#include "patchbay/sdk/AgentProvider.h"
#include "patchbay/sdk/Tenant.h"

namespace patchbay::elevenlabs {

/// Value type, built once per call from the session request (no secrets in it).
struct InitiationData
{
    // Overrides are sent only when non-empty: an override the agent has not enabled in its
    // Security tab fails the whole conversation (override_error, close 1008), so never send one
    // the tenant did not ask for.
    std::string firstMessage;
    std::string prompt;
    std::string language;
    /// In emission order, names unique. Values are sent as JSON strings.
    sdk::KeyValues dynamicVariables;

    /// Gateway variables first (caller_number, called_number, call_sid, twilio_call_sid, tenant_id,
    /// tenant_name, variant),
    /// then the tenant's own. A tenant variable that repeats a gateway name or uses the reserved
    /// "system__" prefix is skipped: the gateway's values are facts about the call.
    static InitiationData fromRequest(const sdk::AgentSessionRequest& request);
};

} // namespace patchbay::elevenlabs

#endif
