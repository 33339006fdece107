// InitiationData.cpp: the dynamic variables and overrides a call's conversation starts with.
#include "protocol/InitiationData.h"

#include <algorithm>
#include <string_view>

namespace patchbay::elevenlabs {

InitiationData InitiationData::fromRequest(const sdk::AgentSessionRequest& request)
{
    InitiationData data;
    data.firstMessage = request.agent.firstMessage;
    data.prompt = request.agent.prompt;
    data.language = request.agent.language;

    // Names the agent's prompt can reference as {{caller_number}} etc. (elevenlabs.md §6.3: the
    // system__ built-ins are not filled for a gateway-opened socket, so pass our own). call_sid is
    // carrier-neutral; twilio_call_sid is the name the ElevenLabs Twilio guides use.
    auto& vars = data.dynamicVariables;
    vars.emplace_back("caller_number", request.call.from);
    vars.emplace_back("called_number", request.call.to);
    vars.emplace_back("call_sid", request.call.callSid);
    vars.emplace_back("twilio_call_sid", request.call.callSid);
    vars.emplace_back("tenant_id", request.call.tenantId);
    // Always present, even when empty: an agent whose prompt references {{variant}} must not fail
    // with missing_dynamic_variable on calls outside an A/B test.
    vars.emplace_back("tenant_name", request.tenantName);
    vars.emplace_back("variant", request.variant);

    for (const auto& variable : request.agent.dynamicVariables)
    {
        const std::string& name = variable.first;
        if (name.empty() || std::string_view(name).substr(0, 8) == "system__")
            continue;
        // First occurrence wins, so a duplicate never produces a JSON object with repeated keys.
        const bool taken = std::any_of(vars.begin(), vars.end(), [&](const auto& kv) { return kv.first == name; });
        if (taken)
            continue;
        vars.push_back(variable);
    }
    return data;
}

} // namespace patchbay::elevenlabs
