// VariantPicker.h: header-only — assigns a call to one of its tenant's weighted A/B variants, reproducibly from the CallSid.
#ifndef PATCHBAY_SDK_SUPPORT_VARIANT_PICKER_H
#define PATCHBAY_SDK_SUPPORT_VARIANT_PICKER_H

#include <cstdint>
#include <string_view>

#include <string>

#include "patchbay/sdk/Tenant.h"

namespace patchbay::sdk::support {

/// The same CallSid always lands in the same variant (a carrier retry, or a replay for an audit,
/// gets the same answer); across many CallSids the shares follow the weights. Shared by the core
/// (admission) and agent plugins that answer for calls the core never sees (e.g. ElevenLabs'
/// initiation webhook), so both pick alike. THREAD: any (pure functions).
class VariantPicker
{
public:
    /// @return the chosen variant, or nullptr when the tenant has none with a positive weight.
    static const AgentVariant* pick(const Tenant& tenant, std::string_view callSid)
    {
        std::uint64_t total = 0;
        for (const auto& v : tenant.variants) total += v.weight;
        if (total == 0) return nullptr;
        // FNV-1a then a 64-bit mix, so similar CallSids (same prefix) still spread evenly.
        std::uint64_t h = 1469598103934665603ull;
        for (unsigned char c : callSid) h = (h ^ c) * 1099511628211ull;
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdull;
        h ^= h >> 33;
        std::uint64_t point = h % total;
        for (const auto& v : tenant.variants)
        {
            if (point < v.weight) return &v;
            point -= v.weight;
        }
        return nullptr;
    }

    /// A variant's agent settings replace the tenant's, except fields the variant leaves empty.
    static AgentSettings merged(const AgentSettings& base, const AgentSettings& variant)
    {
        AgentSettings out = variant;
        if (out.providerId.empty()) out.providerId = base.providerId;
        if (out.agentId.empty()) out.agentId = base.agentId;
        if (out.apiKey.empty()) out.apiKey = base.apiKey;
        if (out.baseUrl.empty()) out.baseUrl = base.baseUrl;
        if (out.language.empty()) out.language = base.language;
        if (out.dynamicVariables.empty()) out.dynamicVariables = base.dynamicVariables;
        return out;
    }

    /// The agent settings a call gets: its variant's merged over the tenant's, or the tenant's own.
    /// @param variantName out: the variant's name, "" when none.
    static AgentSettings agentFor(const Tenant& tenant, std::string_view callSid, std::string& variantName)
    {
        variantName.clear();
        if (const AgentVariant* v = pick(tenant, callSid))
        {
            variantName = v->name;
            return merged(tenant.agent, v->agent);
        }
        return tenant.agent;
    }
};

} // namespace patchbay::sdk::support

#endif
