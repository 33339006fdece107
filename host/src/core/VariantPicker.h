// VariantPicker.h: assigns a call to one of its tenant's weighted A/B variants, reproducibly from the CallSid.
#ifndef PATCHBAY_HOST_CORE_VARIANT_PICKER_H
#define PATCHBAY_HOST_CORE_VARIANT_PICKER_H

#include <cstdint>
#include <string_view>

#include <patchbay/sdk/Tenant.h>

namespace patchbay::host {

/// The same CallSid always lands in the same variant (a carrier retry, or a replay for an audit,
/// gets the same answer); across many CallSids the shares follow the weights.
class VariantPicker
{
public:
    /// @return the chosen variant, or nullptr when the tenant has none with a positive weight.
    static const sdk::AgentVariant* pick(const sdk::Tenant& tenant, std::string_view callSid)
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
};

} // namespace patchbay::host

#endif
