// TenantJson.cpp: validation and (de)serialisation of tenants for the admin API.
#include "admin/TenantJson.h"

#include <set>

#include "admin/AdminProblem.h"
#include "admin/AdminValidation.h"

namespace patchbay::host {
namespace {

using Value = JsonBody::Value;
constexpr std::size_t kMaxVariants = 64;
constexpr std::size_t kMaxVariables = 128;
constexpr std::int64_t kMaxUint32 = 4294967295LL;

std::string checked(std::optional<std::string> value, const std::string& field, bool (*valid)(std::string_view) noexcept,
                    const char* expected)
{
    if (!value) return {};
    if (!value->empty() && !valid(*value)) throw AdminProblem::badRequest(field, std::string("expected ") + expected);
    return *value;
}

std::string plainText(std::optional<std::string> value, const std::string& field)
{
    if (value && !AdminValidation::isPlainText(*value))
        throw AdminProblem::badRequest(field, "must not contain control characters");
    return value.value_or(std::string());
}

const sdk::AgentSettings* agentOfVariant(const std::vector<sdk::AgentVariant>* variants, const std::string& name)
{
    if (!variants) return nullptr;
    for (const auto& v : *variants)
        if (v.name == name) return &v.agent;
    return nullptr;
}

} // namespace

const char* TenantJson::statusName(sdk::TenantStatus status) noexcept
{
    return status == sdk::TenantStatus::Suspended ? "suspended" : "active";
}

sdk::AgentSettings TenantJson::readAgent(const Value& v, const std::string& path, const sdk::AgentSettings* existing)
{
    JsonBody::expectObject(v, path, {"provider", "agentId", "firstMessage", "prompt", "language", "dynamicVariables",
                                     "apiKey", "hasApiKey", "baseUrl"});
    sdk::AgentSettings a;
    a.providerId = checked(JsonBody::string(v, "provider", path, 32), JsonBody::join(path, "provider"),
                           AdminValidation::isProviderId, "a plugin id ([a-z0-9-]{1,32})");
    a.agentId = JsonBody::requiredString(v, "agentId", path, 256);
    if (!AdminValidation::isPlainText(a.agentId))
        throw AdminProblem::badRequest(JsonBody::join(path, "agentId"), "must not contain control characters");
    a.firstMessage = JsonBody::string(v, "firstMessage", path, 8192).value_or(std::string());
    a.prompt = JsonBody::string(v, "prompt", path, 65536).value_or(std::string());
    a.language = checked(JsonBody::string(v, "language", path, 35), JsonBody::join(path, "language"),
                         AdminValidation::isLanguage, "a language tag like \"en\" or \"pt-BR\"");
    a.baseUrl = checked(JsonBody::string(v, "baseUrl", path, 2048), JsonBody::join(path, "baseUrl"),
                        AdminValidation::isBaseUrl, "an http(s):// or ws(s):// URL");
    if (const Value* vars = JsonBody::member(v, "dynamicVariables"))
    {
        const std::string varsPath = JsonBody::join(path, "dynamicVariables");
        if (!vars->isObject()) throw AdminProblem::badRequest(varsPath, "expected an object of name: value");
        std::set<std::string_view> seen;
        for (const Value& m : *vars)
        {
            const std::string field = JsonBody::join(varsPath, m.key());
            if (!AdminValidation::isVariableName(m.key()))
                throw AdminProblem::badRequest(field, "invalid variable name (expected [A-Za-z0-9_.-]{1,64})");
            if (!seen.insert(m.key()).second) throw AdminProblem::badRequest(field, "duplicate variable");
            if (seen.size() > kMaxVariables)
                throw AdminProblem::badRequest(varsPath, "at most " + std::to_string(kMaxVariables) + " variables");
            // Agents take strings, numbers and booleans; all travel as text.
            std::string text;
            if (m.isString()) text = std::string(m.asString());
            else if (m.isNumber()) text = std::string(m.numberText());
            else if (m.isBool()) text = m.asBool() ? "true" : "false";
            else throw AdminProblem::badRequest(field, "expected a string, number or boolean");
            if (text.size() > 4096) throw AdminProblem::badRequest(field, "too long (at most 4096 bytes)");
            a.dynamicVariables.emplace_back(std::string(m.key()), std::move(text));
        }
    }
    if (auto key = JsonBody::string(v, "apiKey", path, 256))
    {
        if (!key->empty() && !AdminValidation::isSecret(*key))
            throw AdminProblem::badRequest(JsonBody::join(path, "apiKey"), "expected printable ASCII without spaces");
        a.apiKey = *key;
    }
    else if (existing)
    {
        a.apiKey = existing->apiKey;
    }
    return a;
}

std::vector<sdk::AgentVariant> TenantJson::readVariants(const Value& value, const std::string& path,
                                                        const std::vector<sdk::AgentVariant>* existing)
{
    JsonBody::expectArray(value, path);
    if (value.size() > kMaxVariants)
        throw AdminProblem::badRequest(path, "at most " + std::to_string(kMaxVariants) + " variants");
    std::vector<sdk::AgentVariant> out;
    std::set<std::string> names;
    std::size_t i = 0;
    for (const Value& item : value)
    {
        const std::string itemPath = JsonBody::index(path, i++);
        JsonBody::expectObject(item, itemPath, {"name", "weight", "agent"});
        sdk::AgentVariant variant;
        variant.name = JsonBody::requiredString(item, "name", itemPath, 32);
        if (!AdminValidation::isVariantName(variant.name))
            throw AdminProblem::badRequest(JsonBody::join(itemPath, "name"), "expected [a-z0-9_-]{1,32}");
        if (!names.insert(variant.name).second)
            throw AdminProblem::badRequest(JsonBody::join(itemPath, "name"), "duplicate variant name \"" + variant.name + "\"");
        const auto weight = JsonBody::integer(item, "weight", itemPath, 0, 1000000);
        if (!weight) throw AdminProblem::badRequest(JsonBody::join(itemPath, "weight"), "required (an integer >= 0)");
        variant.weight = static_cast<std::uint32_t>(*weight);
        const Value* agent = JsonBody::member(item, "agent");
        if (!agent) throw AdminProblem::badRequest(JsonBody::join(itemPath, "agent"), "required (the variant's agent settings)");
        variant.agent = readAgent(*agent, JsonBody::join(itemPath, "agent"), agentOfVariant(existing, variant.name));
        out.push_back(std::move(variant));
    }
    return out;
}

sdk::Tenant TenantJson::read(const Value& body, const std::string& pathId, const sdk::Tenant* existing)
{
    JsonBody::expectObject(body, "", {"id", "name", "status", "agent", "variants", "limits", "fallback", "rates"});
    sdk::Tenant t;
    if (pathId.empty())
    {
        t.id = JsonBody::requiredString(body, "id", "", 64);
        if (!AdminValidation::isTenantId(t.id)) throw AdminProblem::badRequest("id", "expected [a-z0-9-]{1,64}");
    }
    else
    {
        t.id = pathId;
        if (auto id = JsonBody::string(body, "id", "", 64); id && *id != pathId)
            throw AdminProblem::badRequest("id", "does not match the tenant id in the URL");
    }
    t.name = JsonBody::requiredString(body, "name", "", 200);
    t.name = plainText(t.name, "name");
    if (auto status = JsonBody::string(body, "status", "", 16))
    {
        if (*status == "active") t.status = sdk::TenantStatus::Active;
        else if (*status == "suspended") t.status = sdk::TenantStatus::Suspended;
        else throw AdminProblem::badRequest("status", "expected \"active\" or \"suspended\"");
    }
    const Value* agent = JsonBody::member(body, "agent");
    if (!agent) throw AdminProblem::badRequest("agent", "required (at least {\"agentId\": ...})");
    t.agent = readAgent(*agent, "agent", existing ? &existing->agent : nullptr);
    if (const Value* variants = JsonBody::member(body, "variants"))
        t.variants = readVariants(*variants, "variants", existing ? &existing->variants : nullptr);
    if (const Value* limits = JsonBody::member(body, "limits"))
    {
        JsonBody::expectObject(*limits, "limits", {"maxConcurrentCalls", "callsPerMinute", "maxCallSeconds", "monthlyMinutes"});
        auto get = [&](const char* key) {
            return static_cast<std::uint32_t>(JsonBody::integer(*limits, key, "limits", 0, kMaxUint32).value_or(0));
        };
        t.limits.maxConcurrentCalls = get("maxConcurrentCalls");
        t.limits.callsPerMinute = get("callsPerMinute");
        t.limits.maxCallSeconds = get("maxCallSeconds");
        t.limits.monthlyMinutes = get("monthlyMinutes");
    }
    if (const Value* fallback = JsonBody::member(body, "fallback"))
    {
        JsonBody::expectObject(*fallback, "fallback", {"message", "dialNumber"});
        t.fallback.message = plainText(JsonBody::string(*fallback, "message", "fallback", 4096), "fallback.message");
        t.fallback.dialNumber = checked(JsonBody::string(*fallback, "dialNumber", "fallback", 16), "fallback.dialNumber",
                                        AdminValidation::isE164, "an E.164 number like \"+15005550006\"");
    }
    if (const Value* rates = JsonBody::member(body, "rates"))
    {
        JsonBody::expectObject(*rates, "rates", {"perMinuteMicros", "currency"});
        t.rates.perMinuteMicros = JsonBody::integer(*rates, "perMinuteMicros", "rates", 0, 1000000000000LL).value_or(0);
        if (auto currency = JsonBody::string(*rates, "currency", "rates", 3))
        {
            if (!AdminValidation::isCurrency(*currency))
                throw AdminProblem::badRequest("rates.currency", "expected a 3-letter currency code like \"USD\"");
            t.rates.currency = *currency;
        }
    }
    return t;
}

void TenantJson::writeAgent(sdk::support::JsonWriter& w, const sdk::AgentSettings& a)
{
    w.beginObject();
    w.key("provider").value(a.providerId).key("agentId").value(a.agentId);
    w.key("firstMessage").value(a.firstMessage).key("prompt").value(a.prompt).key("language").value(a.language);
    w.key("dynamicVariables").beginObject();
    for (const auto& [name, value] : a.dynamicVariables) w.key(name).value(value);
    w.endObject();
    w.key("hasApiKey").value(!a.apiKey.empty()).key("baseUrl").value(a.baseUrl);
    w.endObject();
}

void TenantJson::writeVariants(sdk::support::JsonWriter& w, const std::vector<sdk::AgentVariant>& variants)
{
    w.beginArray();
    for (const auto& v : variants)
    {
        w.beginObject().key("name").value(v.name).key("weight").value(v.weight).key("agent");
        writeAgent(w, v.agent);
        w.endObject();
    }
    w.endArray();
}

void TenantJson::write(sdk::support::JsonWriter& w, const sdk::Tenant& t)
{
    w.beginObject();
    w.key("id").value(t.id).key("name").value(t.name).key("status").value(statusName(t.status));
    w.key("agent");
    writeAgent(w, t.agent);
    w.key("variants");
    writeVariants(w, t.variants);
    w.key("limits").beginObject();
    w.key("maxConcurrentCalls").value(t.limits.maxConcurrentCalls).key("callsPerMinute").value(t.limits.callsPerMinute);
    w.key("maxCallSeconds").value(t.limits.maxCallSeconds).key("monthlyMinutes").value(t.limits.monthlyMinutes);
    w.endObject();
    w.key("fallback").beginObject().key("message").value(t.fallback.message).key("dialNumber").value(t.fallback.dialNumber).endObject();
    w.key("rates").beginObject().key("perMinuteMicros").value(t.rates.perMinuteMicros).key("currency").value(t.rates.currency).endObject();
    w.endObject();
}

} // namespace patchbay::host
