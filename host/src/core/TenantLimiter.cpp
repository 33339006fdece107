// TenantLimiter.cpp: concurrency and rate counting per tenant.
#include "core/TenantLimiter.h"

namespace patchbay::host {

TenantLimiter::Verdict TenantLimiter::tryAdmit(const std::string& tenantId, const sdk::TenantLimits& limits,
                                               std::int64_t nowMs)
{
    std::lock_guard<std::mutex> lock(_mutex);
    Counters& c = _tenants[tenantId];
    while (!c.recentAdmissions.empty() && nowMs - c.recentAdmissions.front() >= 60000) c.recentAdmissions.pop_front();
    if (limits.maxConcurrentCalls && c.active >= limits.maxConcurrentCalls) return Verdict::MaxConcurrent;
    if (limits.callsPerMinute && c.recentAdmissions.size() >= limits.callsPerMinute) return Verdict::CallsPerMinute;
    ++c.active;
    c.recentAdmissions.push_back(nowMs);
    return Verdict::Admitted;
}

void TenantLimiter::release(const std::string& tenantId)
{
    std::lock_guard<std::mutex> lock(_mutex);
    auto it = _tenants.find(tenantId);
    if (it == _tenants.end() || it->second.active == 0) return;
    --it->second.active;
}

std::uint32_t TenantLimiter::active(const std::string& tenantId) const
{
    std::lock_guard<std::mutex> lock(_mutex);
    auto it = _tenants.find(tenantId);
    return it == _tenants.end() ? 0 : it->second.active;
}

const char* TenantLimiter::verdictName(Verdict v)
{
    switch (v)
    {
    case Verdict::Admitted: return "admitted";
    case Verdict::MaxConcurrent: return "max_concurrent";
    case Verdict::CallsPerMinute: return "calls_per_minute";
    }
    return "unknown";
}

} // namespace patchbay::host
