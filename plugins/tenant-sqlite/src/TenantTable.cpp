// TenantTable.cpp: reads tenants (by id, by dialled number, all), upserts, deletes and re-seals them.
#include "patchbay/tenantsqlite/TenantTable.h"

#include <Poco/Data/Statement.h>

#include <algorithm>
#include <limits>

#include "patchbay/tenantsqlite/DynamicVariables.h"
#include "patchbay/tenantsqlite/VariantTable.h"

namespace patchbay::tenantsqlite {

using namespace Poco::Data::Keywords;
namespace kw = Poco::Data::Keywords;

namespace {

// The column order below is the order TenantColumns binds its into() vectors in.
const char* const kTenantColumns =
    "t.id, t.name, t.status, t.agent_provider, t.agent_id, t.first_message, t.prompt, t.language,"
    " t.dynamic_variables, t.agent_api_key, t.agent_base_url, t.max_concurrent_calls, t.calls_per_minute,"
    " t.max_call_seconds, t.monthly_minutes, t.fallback_message, t.fallback_number, t.rate_per_minute_micros,"
    " t.rate_currency";

std::string placeOf(const std::string& tenantId)
{
    return "tenants.agent_api_key:" + tenantId;
}

std::uint32_t toLimit(Poco::Int64 value)
{
    return static_cast<std::uint32_t>(std::clamp<Poco::Int64>(value, 0, std::numeric_limits<std::uint32_t>::max()));
}

/// One result set of tenant rows, column by column.
struct TenantColumns
{
    std::vector<std::string> id, name, status, provider, agentId, firstMessage, prompt, language, variables, apiKey,
        baseUrl, fallbackMessage, fallbackNumber, currency;
    std::vector<Poco::Int64> maxConcurrent, perMinute, maxSeconds, monthly, rate;

    void bindTo(Poco::Data::Statement& statement)
    {
        statement, into(id), into(name), into(status), into(provider), into(agentId), into(firstMessage),
            into(prompt), into(language), into(variables), into(apiKey), into(baseUrl), into(maxConcurrent),
            into(perMinute), into(maxSeconds), into(monthly), into(fallbackMessage), into(fallbackNumber), into(rate),
            into(currency);
    }

    std::size_t size() const noexcept { return id.size(); }

    sdk::Tenant take(std::size_t i, const SecretCipher& cipher)
    {
        sdk::Tenant tenant;
        tenant.id = std::move(id[i]);
        tenant.name = std::move(name[i]);
        // The CHECK constraint allows only the two names; anything else is treated as suspended
        // so that a damaged row can never route calls.
        tenant.status = status[i] == "active" ? sdk::TenantStatus::Active : sdk::TenantStatus::Suspended;
        tenant.agent.providerId = std::move(provider[i]);
        tenant.agent.agentId = std::move(agentId[i]);
        tenant.agent.firstMessage = std::move(firstMessage[i]);
        tenant.agent.prompt = std::move(prompt[i]);
        tenant.agent.language = std::move(language[i]);
        tenant.agent.dynamicVariables = DynamicVariables::decode(variables[i]);
        tenant.agent.apiKey = cipher.open(apiKey[i], placeOf(tenant.id));
        tenant.agent.baseUrl = std::move(baseUrl[i]);
        tenant.limits.maxConcurrentCalls = toLimit(maxConcurrent[i]);
        tenant.limits.callsPerMinute = toLimit(perMinute[i]);
        tenant.limits.maxCallSeconds = toLimit(maxSeconds[i]);
        tenant.limits.monthlyMinutes = toLimit(monthly[i]);
        tenant.fallback.message = std::move(fallbackMessage[i]);
        tenant.fallback.dialNumber = std::move(fallbackNumber[i]);
        tenant.rates.perMinuteMicros = rate[i];
        tenant.rates.currency = std::move(currency[i]);
        return tenant;
    }
};

std::optional<sdk::Tenant> firstWithVariants(Poco::Data::Session& session, const SecretCipher& cipher,
                                             TenantColumns& columns)
{
    if (columns.size() == 0)
        return std::nullopt;
    sdk::Tenant tenant = columns.take(0, cipher);
    tenant.variants = VariantTable::forTenant(session, cipher, tenant.id);
    return tenant;
}

} // namespace

std::optional<sdk::Tenant> TenantTable::find(Poco::Data::Session& session, const SecretCipher& cipher,
                                             const std::string& tenantId)
{
    TenantColumns columns;
    Poco::Data::Statement statement(session);
    statement << "SELECT " << kTenantColumns << " FROM tenants t WHERE t.id = ?";
    columns.bindTo(statement);
    statement, kw::bind(tenantId);
    statement.execute();
    return firstWithVariants(session, cipher, columns);
}

std::optional<sdk::Tenant> TenantTable::findByNumber(Poco::Data::Session& session, const SecretCipher& cipher,
                                                     const std::string& number)
{
    TenantColumns columns;
    Poco::Data::Statement statement(session);
    statement << "SELECT " << kTenantColumns
              << " FROM phone_numbers n JOIN tenants t ON t.id = n.tenant_id WHERE n.number = ?";
    columns.bindTo(statement);
    statement, kw::bind(number);
    statement.execute();
    return firstWithVariants(session, cipher, columns);
}

std::vector<sdk::Tenant> TenantTable::list(Poco::Data::Session& session, const SecretCipher& cipher)
{
    TenantColumns columns;
    Poco::Data::Statement statement(session);
    statement << "SELECT " << kTenantColumns << " FROM tenants t ORDER BY t.id";
    columns.bindTo(statement);
    statement.execute();
    // Two queries in all, not one per tenant.
    auto variants = VariantTable::all(session, cipher);
    std::vector<sdk::Tenant> tenants;
    tenants.reserve(columns.size());
    for (std::size_t i = 0; i < columns.size(); ++i)
    {
        tenants.push_back(columns.take(i, cipher));
        auto found = variants.find(tenants.back().id);
        if (found != variants.end())
            tenants.back().variants = std::move(found->second);
    }
    return tenants;
}

std::optional<std::int64_t> TenantTable::ratePerMinuteMicros(Poco::Data::Session& session,
                                                             const std::string& tenantId)
{
    std::vector<Poco::Int64> rates;
    session << "SELECT rate_per_minute_micros FROM tenants WHERE id = ?", into(rates), kw::bind(tenantId), now;
    if (rates.empty())
        return std::nullopt;
    return rates.front();
}

bool TenantTable::exists(Poco::Data::Session& session, const std::string& tenantId)
{
    int n = 0;
    session << "SELECT count(*) FROM tenants WHERE id = ?", into(n), kw::bind(tenantId), now;
    return n > 0;
}

void TenantTable::upsert(Poco::Data::Session& session, const SecretCipher& cipher, const sdk::Tenant& tenant)
{
    const std::string status = statusName(tenant.status);
    const std::string variables = DynamicVariables::encode(tenant.agent.dynamicVariables);
    const std::string apiKey = cipher.seal(tenant.agent.apiKey, placeOf(tenant.id));
    const Poco::Int64 maxConcurrent = tenant.limits.maxConcurrentCalls;
    const Poco::Int64 perMinute = tenant.limits.callsPerMinute;
    const Poco::Int64 maxSeconds = tenant.limits.maxCallSeconds;
    const Poco::Int64 monthly = tenant.limits.monthlyMinutes;
    const Poco::Int64 rate = tenant.rates.perMinuteMicros;
    session << "INSERT INTO tenants (id, name, status, agent_provider, agent_id, first_message, prompt, language,"
               " dynamic_variables, agent_api_key, agent_base_url, max_concurrent_calls, calls_per_minute,"
               " max_call_seconds, monthly_minutes, fallback_message, fallback_number, rate_per_minute_micros,"
               " rate_currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
               " ON CONFLICT (id) DO UPDATE SET name = excluded.name, status = excluded.status,"
               " agent_provider = excluded.agent_provider, agent_id = excluded.agent_id,"
               " first_message = excluded.first_message, prompt = excluded.prompt, language = excluded.language,"
               " dynamic_variables = excluded.dynamic_variables, agent_api_key = excluded.agent_api_key,"
               " agent_base_url = excluded.agent_base_url, max_concurrent_calls = excluded.max_concurrent_calls,"
               " calls_per_minute = excluded.calls_per_minute, max_call_seconds = excluded.max_call_seconds,"
               " monthly_minutes = excluded.monthly_minutes, fallback_message = excluded.fallback_message,"
               " fallback_number = excluded.fallback_number, rate_per_minute_micros = excluded.rate_per_minute_micros,"
               " rate_currency = excluded.rate_currency",
        kw::bind(tenant.id), kw::bind(tenant.name), kw::bind(status), kw::bind(tenant.agent.providerId),
        kw::bind(tenant.agent.agentId), kw::bind(tenant.agent.firstMessage), kw::bind(tenant.agent.prompt),
        kw::bind(tenant.agent.language), kw::bind(variables), kw::bind(apiKey), kw::bind(tenant.agent.baseUrl),
        kw::bind(maxConcurrent), kw::bind(perMinute), kw::bind(maxSeconds), kw::bind(monthly),
        kw::bind(tenant.fallback.message), kw::bind(tenant.fallback.dialNumber), kw::bind(rate),
        kw::bind(tenant.rates.currency), now;
    VariantTable::replace(session, cipher, tenant.id, tenant.variants);
}

bool TenantTable::remove(Poco::Data::Session& session, const std::string& tenantId)
{
    Poco::Data::Statement statement(session);
    statement << "DELETE FROM tenants WHERE id = ?", kw::bind(tenantId);
    return statement.execute() > 0;
}

std::uint64_t TenantTable::reseal(Poco::Data::Session& session, const SecretCipher& cipher, bool legacyOnly)
{
    std::vector<std::string> ids, apiKeys;
    session << "SELECT id, agent_api_key FROM tenants", into(ids), into(apiKeys), now;
    std::uint64_t resealed = 0;
    for (std::size_t i = 0; i < ids.size(); ++i)
    {
        if (legacyOnly ? !SecretCipher::isLegacy(apiKeys[i]) : cipher.isCurrent(apiKeys[i]))
            continue;
        const std::string place = placeOf(ids[i]);
        const std::string sealed = cipher.seal(cipher.open(apiKeys[i], place), place);
        session << "UPDATE tenants SET agent_api_key = ? WHERE id = ?", kw::bind(sealed), kw::bind(ids[i]), now;
        ++resealed;
    }
    return resealed + VariantTable::reseal(session, cipher, legacyOnly);
}

std::int64_t TenantTable::countTenants(Poco::Data::Session& session)
{
    Poco::Int64 n = 0;
    session << "SELECT count(*) FROM tenants", into(n), now;
    return n;
}

const char* TenantTable::statusName(sdk::TenantStatus status) noexcept
{
    return status == sdk::TenantStatus::Active ? "active" : "suspended";
}

} // namespace patchbay::tenantsqlite
