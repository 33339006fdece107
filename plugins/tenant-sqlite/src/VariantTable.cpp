// VariantTable.cpp: reads, replaces and re-seals a tenant's A/B variants.
#include "patchbay/tenantsqlite/VariantTable.h"

#include <Poco/Data/Statement.h>

#include <algorithm>
#include <limits>

#include "patchbay/tenantsqlite/DynamicVariables.h"

namespace patchbay::tenantsqlite {

using namespace Poco::Data::Keywords;
namespace kw = Poco::Data::Keywords;

namespace {

std::string placeOf(const std::string& tenantId, const std::string& name)
{
    return "tenant_variants.agent_api_key:" + tenantId + "/" + name;
}

std::map<std::string, std::vector<sdk::AgentVariant>> select(Poco::Data::Session& session,
                                                              const SecretCipher& cipher, const std::string* tenantId)
{
    std::vector<std::string> tenants, names, providers, agentIds, firstMessages, prompts, languages, variables,
        apiKeys, baseUrls;
    std::vector<Poco::Int64> weights;
    Poco::Data::Statement statement(session);
    statement << "SELECT tenant_id, name, weight, agent_provider, agent_id, first_message, prompt, language,"
                 " dynamic_variables, agent_api_key, agent_base_url FROM tenant_variants"
              << (tenantId ? " WHERE tenant_id = ?" : "") << " ORDER BY tenant_id, position, name",
        into(tenants), into(names), into(weights), into(providers), into(agentIds), into(firstMessages),
        into(prompts), into(languages), into(variables), into(apiKeys), into(baseUrls);
    if (tenantId)
        statement, kw::bind(*tenantId);
    statement.execute();

    std::map<std::string, std::vector<sdk::AgentVariant>> byTenant;
    for (std::size_t i = 0; i < tenants.size(); ++i)
    {
        sdk::AgentVariant variant;
        variant.name = std::move(names[i]);
        variant.weight = static_cast<std::uint32_t>(
            std::clamp<Poco::Int64>(weights[i], 0, std::numeric_limits<std::uint32_t>::max()));
        variant.agent.providerId = std::move(providers[i]);
        variant.agent.agentId = std::move(agentIds[i]);
        variant.agent.firstMessage = std::move(firstMessages[i]);
        variant.agent.prompt = std::move(prompts[i]);
        variant.agent.language = std::move(languages[i]);
        variant.agent.dynamicVariables = DynamicVariables::decode(variables[i]);
        variant.agent.apiKey = cipher.open(apiKeys[i], placeOf(tenants[i], variant.name));
        variant.agent.baseUrl = std::move(baseUrls[i]);
        byTenant[tenants[i]].push_back(std::move(variant));
    }
    return byTenant;
}

} // namespace

std::vector<sdk::AgentVariant> VariantTable::forTenant(Poco::Data::Session& session, const SecretCipher& cipher,
                                                       const std::string& tenantId)
{
    auto byTenant = select(session, cipher, &tenantId);
    auto found = byTenant.find(tenantId);
    return found == byTenant.end() ? std::vector<sdk::AgentVariant>() : std::move(found->second);
}

std::map<std::string, std::vector<sdk::AgentVariant>> VariantTable::all(Poco::Data::Session& session,
                                                                        const SecretCipher& cipher)
{
    return select(session, cipher, nullptr);
}

void VariantTable::replace(Poco::Data::Session& session, const SecretCipher& cipher, const std::string& tenantId,
                           const std::vector<sdk::AgentVariant>& variants)
{
    session << "DELETE FROM tenant_variants WHERE tenant_id = ?", kw::bind(tenantId), now;
    Poco::Int64 position = 0;
    for (const sdk::AgentVariant& variant : variants)
    {
        const std::string variables = DynamicVariables::encode(variant.agent.dynamicVariables);
        const std::string apiKey = cipher.seal(variant.agent.apiKey, placeOf(tenantId, variant.name));
        const Poco::Int64 weight = variant.weight;
        session << "INSERT INTO tenant_variants (tenant_id, name, position, weight, agent_provider, agent_id,"
                   " first_message, prompt, language, dynamic_variables, agent_api_key, agent_base_url)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            kw::bind(tenantId), kw::bind(variant.name), kw::bind(position), kw::bind(weight),
            kw::bind(variant.agent.providerId), kw::bind(variant.agent.agentId), kw::bind(variant.agent.firstMessage),
            kw::bind(variant.agent.prompt), kw::bind(variant.agent.language), kw::bind(variables), kw::bind(apiKey),
            kw::bind(variant.agent.baseUrl), now;
        ++position;
    }
}

std::uint64_t VariantTable::reseal(Poco::Data::Session& session, const SecretCipher& cipher, bool legacyOnly)
{
    std::vector<std::string> tenants, names, apiKeys;
    session << "SELECT tenant_id, name, agent_api_key FROM tenant_variants", into(tenants), into(names),
        into(apiKeys), now;
    std::uint64_t resealed = 0;
    for (std::size_t i = 0; i < tenants.size(); ++i)
    {
        if (legacyOnly ? !SecretCipher::isLegacy(apiKeys[i]) : cipher.isCurrent(apiKeys[i]))
            continue;
        const std::string place = placeOf(tenants[i], names[i]);
        const std::string sealed = cipher.seal(cipher.open(apiKeys[i], place), place);
        session << "UPDATE tenant_variants SET agent_api_key = ? WHERE tenant_id = ? AND name = ?", kw::bind(sealed),
            kw::bind(tenants[i]), kw::bind(names[i]), now;
        ++resealed;
    }
    return resealed;
}

} // namespace patchbay::tenantsqlite
