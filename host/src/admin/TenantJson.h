// TenantJson.h: tenants, agent settings and A/B variants to and from admin API JSON, with secrets write-only.
#ifndef PATCHBAY_HOST_ADMIN_TENANT_JSON_H
#define PATCHBAY_HOST_ADMIN_TENANT_JSON_H

#include <string>
#include <vector>

#include <patchbay/sdk/Tenant.h>
#include <patchbay/sdk/support/JsonWriter.h>

#include "admin/JsonBody.h"

namespace patchbay::host {

/// Reading validates everything and throws AdminProblem (400, field named). A PUT replaces the whole
/// tenant, except that write-only secrets (agent.apiKey, per agent and per variant by name) absent
/// from the body keep their stored value — a client cannot send back what it was never shown. An
/// explicit "" clears a secret. Writing never emits a secret: "hasApiKey" says whether one is set.
class TenantJson
{
public:
    /// @param pathId the id from the URL for PUT (the body's id, when given, must match); empty for POST.
    /// @param existing the stored tenant for PUT, or nullptr.
    static sdk::Tenant read(const JsonBody::Value& body, const std::string& pathId, const sdk::Tenant* existing);
    /// A variants array (PUT /v1/tenants/{id}/variants, or a tenant's "variants").
    static std::vector<sdk::AgentVariant> readVariants(const JsonBody::Value& value, const std::string& path,
                                                       const std::vector<sdk::AgentVariant>* existing);
    static sdk::AgentSettings readAgent(const JsonBody::Value& value, const std::string& path,
                                        const sdk::AgentSettings* existing);

    static void write(sdk::support::JsonWriter& w, const sdk::Tenant& tenant);
    static void writeAgent(sdk::support::JsonWriter& w, const sdk::AgentSettings& agent);
    static void writeVariants(sdk::support::JsonWriter& w, const std::vector<sdk::AgentVariant>& variants);
    static const char* statusName(sdk::TenantStatus status) noexcept;
};

} // namespace patchbay::host

#endif
