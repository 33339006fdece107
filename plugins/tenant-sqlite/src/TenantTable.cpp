// TenantTable.cpp: reads tenants (by id or by dialled number) and upserts tenants and numbers.
#include "patchbay/tenantsqlite/TenantTable.h"

#include <Poco/Data/Statement.h>

#include <algorithm>
#include <limits>
#include <vector>

#include "patchbay/sdk/support/Json.h"

namespace patchbay::tenantsqlite {

using namespace Poco::Data::Keywords;
namespace kw = Poco::Data::Keywords;

namespace {

// The column order below is the order TenantColumns binds its into() vectors in.
const char* const kTenantColumns =
    "t.id, t.name, t.status, t.agent_provider, t.agent_id, t.first_message, t.prompt, t.language,"
    " t.dynamic_variables, t.agent_api_key, t.agent_base_url, t.max_concurrent_calls, t.calls_per_minute,"
    " t.max_call_seconds, t.monthly_minutes, t.fallback_message, t.fallback_number";

std::uint32_t toLimit(Poco::Int64 value)
{
    return static_cast<std::uint32_t>(std::clamp<Poco::Int64>(value, 0, std::numeric_limits<std::uint32_t>::max()));
}

std::string encodeVariables(const sdk::KeyValues& variables)
{
    std::string json;
    sdk::support::JsonWriter writer(json);
    writer.beginObject();
    for (const auto& [key, value] : variables)
        writer.key(key).value(value);
    writer.endObject();
    return json;
}

sdk::KeyValues decodeVariables(const std::string& json)
{
    // The CHECK (json_valid) constraint keeps garbage out; non-string members, which only a
    // hand-edited file could hold, are skipped rather than failing the call's routing.
    sdk::KeyValues variables;
    sdk::support::JsonDocument document;
    if (!document.parse(json) || !document.root().isObject())
        return variables;
    for (const auto& member : document.root())
    {
        if (member.isString())
            variables.emplace_back(std::string(member.key()), std::string(member.asString()));
    }
    return variables;
}

/// One result set of tenant rows, column by column.
struct TenantColumns
{
    std::vector<std::string> id, name, status, provider, agentId, firstMessage, prompt, language, variables, apiKey,
        baseUrl, fallbackMessage, fallbackNumber;
    std::vector<Poco::Int64> maxConcurrent, perMinute, maxSeconds, monthly;

    void bindTo(Poco::Data::Statement& statement)
    {
        statement, into(id), into(name), into(status), into(provider), into(agentId), into(firstMessage),
            into(prompt), into(language), into(variables), into(apiKey), into(baseUrl), into(maxConcurrent),
            into(perMinute), into(maxSeconds), into(monthly), into(fallbackMessage), into(fallbackNumber);
    }

    std::optional<sdk::Tenant> first()
    {
        if (id.empty())
            return std::nullopt;
        sdk::Tenant tenant;
        tenant.id = std::move(id[0]);
        tenant.name = std::move(name[0]);
        // The CHECK constraint allows only the two names; anything else is treated as suspended
        // so that a damaged row can never route calls.
        tenant.status = status[0] == "active" ? sdk::TenantStatus::Active : sdk::TenantStatus::Suspended;
        tenant.agent.providerId = std::move(provider[0]);
        tenant.agent.agentId = std::move(agentId[0]);
        tenant.agent.firstMessage = std::move(firstMessage[0]);
        tenant.agent.prompt = std::move(prompt[0]);
        tenant.agent.language = std::move(language[0]);
        tenant.agent.dynamicVariables = decodeVariables(variables[0]);
        tenant.agent.apiKey = std::move(apiKey[0]);
        tenant.agent.baseUrl = std::move(baseUrl[0]);
        tenant.limits.maxConcurrentCalls = toLimit(maxConcurrent[0]);
        tenant.limits.callsPerMinute = toLimit(perMinute[0]);
        tenant.limits.maxCallSeconds = toLimit(maxSeconds[0]);
        tenant.limits.monthlyMinutes = toLimit(monthly[0]);
        tenant.fallback.message = std::move(fallbackMessage[0]);
        tenant.fallback.dialNumber = std::move(fallbackNumber[0]);
        return tenant;
    }
};

} // namespace

std::optional<sdk::Tenant> TenantTable::find(Poco::Data::Session& session, const std::string& tenantId)
{
    TenantColumns columns;
    Poco::Data::Statement statement(session);
    statement << "SELECT " << kTenantColumns << " FROM tenants t WHERE t.id = ?";
    columns.bindTo(statement);
    statement, kw::bind(tenantId);
    statement.execute();
    return columns.first();
}

std::optional<sdk::Tenant> TenantTable::findByNumber(Poco::Data::Session& session, const std::string& number)
{
    TenantColumns columns;
    Poco::Data::Statement statement(session);
    statement << "SELECT " << kTenantColumns
              << " FROM phone_numbers n JOIN tenants t ON t.id = n.tenant_id WHERE n.number = ?";
    columns.bindTo(statement);
    statement, kw::bind(number);
    statement.execute();
    return columns.first();
}

void TenantTable::upsert(Poco::Data::Session& session, const sdk::Tenant& tenant)
{
    const std::string status = statusName(tenant.status);
    const std::string variables = encodeVariables(tenant.agent.dynamicVariables);
    const Poco::Int64 maxConcurrent = tenant.limits.maxConcurrentCalls;
    const Poco::Int64 perMinute = tenant.limits.callsPerMinute;
    const Poco::Int64 maxSeconds = tenant.limits.maxCallSeconds;
    const Poco::Int64 monthly = tenant.limits.monthlyMinutes;
    session << "INSERT INTO tenants (id, name, status, agent_provider, agent_id, first_message, prompt, language,"
               " dynamic_variables, agent_api_key, agent_base_url, max_concurrent_calls, calls_per_minute,"
               " max_call_seconds, monthly_minutes, fallback_message, fallback_number)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
               " ON CONFLICT (id) DO UPDATE SET name = excluded.name, status = excluded.status,"
               " agent_provider = excluded.agent_provider, agent_id = excluded.agent_id,"
               " first_message = excluded.first_message, prompt = excluded.prompt, language = excluded.language,"
               " dynamic_variables = excluded.dynamic_variables, agent_api_key = excluded.agent_api_key,"
               " agent_base_url = excluded.agent_base_url, max_concurrent_calls = excluded.max_concurrent_calls,"
               " calls_per_minute = excluded.calls_per_minute, max_call_seconds = excluded.max_call_seconds,"
               " monthly_minutes = excluded.monthly_minutes, fallback_message = excluded.fallback_message,"
               " fallback_number = excluded.fallback_number",
        kw::bind(tenant.id), kw::bind(tenant.name),
        kw::bind(status), kw::bind(tenant.agent.providerId),
        kw::bind(tenant.agent.agentId), kw::bind(tenant.agent.firstMessage),
        kw::bind(tenant.agent.prompt), kw::bind(tenant.agent.language),
        kw::bind(variables), kw::bind(tenant.agent.apiKey),
        kw::bind(tenant.agent.baseUrl), kw::bind(maxConcurrent),
        kw::bind(perMinute), kw::bind(maxSeconds),
        kw::bind(monthly), kw::bind(tenant.fallback.message),
        kw::bind(tenant.fallback.dialNumber), now;
}

void TenantTable::upsertNumber(Poco::Data::Session& session, const sdk::NumberRoute& route)
{
    session << "INSERT INTO phone_numbers (number, tenant_id, account_sid) VALUES (?, ?, NULLIF(?, ''))"
               " ON CONFLICT (number) DO UPDATE SET tenant_id = excluded.tenant_id, account_sid = excluded.account_sid",
        kw::bind(route.number), kw::bind(route.tenantId),
        kw::bind(route.accountSid), now;
}

std::int64_t TenantTable::countTenants(Poco::Data::Session& session)
{
    Poco::Int64 n = 0;
    session << "SELECT count(*) FROM tenants", into(n), now;
    return n;
}

std::int64_t TenantTable::countNumbers(Poco::Data::Session& session)
{
    Poco::Int64 n = 0;
    session << "SELECT count(*) FROM phone_numbers", into(n), now;
    return n;
}

const char* TenantTable::statusName(sdk::TenantStatus status) noexcept
{
    return status == sdk::TenantStatus::Active ? "active" : "suspended";
}

} // namespace patchbay::tenantsqlite
