// Seed.cpp: strict parsing of the config's "seed" object into SDK value types.
#include "patchbay/tenantsqlite/Seed.h"

#include "patchbay/tenantsqlite/StoreValidation.h"

#include <algorithm>
#include <initializer_list>
#include <limits>
#include <set>

namespace patchbay::tenantsqlite {

namespace {

using sdk::Status;
using sdk::support::JsonValue;

/// Typed, path-aware access to one JSON object; every message names the path, never the value.
class ObjectReader
{
public:
    ObjectReader(const JsonValue& object, std::string path) : _object(object), _path(std::move(path)) {}

    const std::string& path() const noexcept { return _path; }
    std::string pathOf(std::string_view name) const { return _path + "." + std::string(name); }

    /// Checks that this is an object whose keys are all in `known`.
    Status check(std::initializer_list<std::string_view> known) const
    {
        if (!_object.isObject())
            return Status::invalidArgument(_path + " must be an object");
        for (const JsonValue& member : _object)
        {
            bool isKnown = false;
            for (std::string_view name : known)
                isKnown = isKnown || member.key() == name;
            if (!isKnown)
                return Status::invalidArgument("unknown key '" + std::string(member.key()) + "' in " + _path);
        }
        return Status::ok();
    }

    /// A string member; `required` also refuses the empty string.
    Status text(std::string_view name, std::string& out, bool required) const
    {
        const JsonValue& value = _object[name];
        if (!value.exists() || value.isNull())
            return required ? Status::invalidArgument(pathOf(name) + " is required") : Status::ok();
        if (!value.isString())
            return Status::invalidArgument(pathOf(name) + " must be a string");
        if (required && value.asString().empty())
            return Status::invalidArgument(pathOf(name) + " is required (must not be empty)");
        out.assign(value.asString());
        return Status::ok();
    }

    /// An optional non-negative integer member that fits 32 bits (limits; 0 = unlimited).
    Status count(std::string_view name, std::uint32_t& out) const
    {
        const JsonValue& value = _object[name];
        if (!value.exists() || value.isNull())
            return Status::ok();
        const std::int64_t n = value.asInt64(-1);
        if (!value.isNumber() || n < 0 || n > std::numeric_limits<std::uint32_t>::max() ||
            static_cast<double>(n) != value.asDouble())
            return Status::invalidArgument(pathOf(name) + " must be an integer from 0 to 4294967295");
        out = static_cast<std::uint32_t>(n);
        return Status::ok();
    }

    /// An optional non-negative integer member up to 2^53 (JSON numbers beyond are not exact).
    Status amount(std::string_view name, std::int64_t& out) const
    {
        constexpr std::int64_t kMaxExact = std::int64_t(1) << 53;
        const JsonValue& value = _object[name];
        if (!value.exists() || value.isNull())
            return Status::ok();
        const std::int64_t n = value.asInt64(-1);
        if (!value.isNumber() || n < 0 || n > kMaxExact || static_cast<double>(n) != value.asDouble())
            return Status::invalidArgument(pathOf(name) + " must be an integer from 0 to 9007199254740992");
        out = n;
        return Status::ok();
    }

    /// An optional E.164 string member.
    Status number(std::string_view name, std::string& out, bool required) const
    {
        Status status = text(name, out, required);
        if (status && !out.empty() && !Seed::isE164(out))
            return Status::invalidArgument(pathOf(name) + " must be E.164: '+' then 2 to 15 digits, no spaces");
        return status;
    }

    const JsonValue& operator[](std::string_view name) const noexcept { return _object[name]; }

private:
    const JsonValue& _object;
    std::string _path;
};

std::string itemPath(std::string_view where, std::string_view list, std::size_t index)
{
    return std::string(where) + "." + std::string(list) + "[" + std::to_string(index) + "]";
}

// Each list is optional; when present it must be an array.
Status requireArray(const JsonValue& list, const std::string& path)
{
    if (list.exists() && !list.isNull() && !list.isArray())
        return Status::invalidArgument(path + " must be an array");
    return Status::ok();
}

/// Reads every item of `where.<list>` with `read`, refusing a key (`keyOf`) seen twice.
template <typename T, typename Read, typename KeyOf>
Status readList(const ObjectReader& seed, std::string_view list, std::vector<T>& out, Read read, KeyOf keyOf)
{
    const JsonValue& items = seed[list];
    Status s = requireArray(items, seed.pathOf(list));
    if (!s || !items.isArray())
        return s;
    std::set<std::string> seen;
    std::size_t index = 0;
    for (const JsonValue& item : items)
    {
        const std::string path = itemPath(seed.path(), list, index++);
        T value;
        s = read(ObjectReader(item, path), value);
        if (!s)
            return s;
        if (!seen.insert(keyOf(value)).second)
            return Status::invalidArgument(path + " repeats an earlier entry of " + seed.pathOf(list));
        out.push_back(std::move(value));
    }
    return Status::ok();
}

Status readAccount(const ObjectReader& in, sdk::CarrierAccount& account)
{
    Status s = in.check({"sid", "parentSid", "authToken", "secondaryToken", "friendlyName", "apiKeySid",
                         "apiKeySecret"});
    if (s) s = in.text("sid", account.sid, true);
    if (s) s = in.text("parentSid", account.parentSid, false);
    if (s) s = in.text("authToken", account.authToken, true);
    if (s) s = in.text("secondaryToken", account.secondaryToken, false);
    if (s) s = in.text("friendlyName", account.friendlyName, false);
    if (s) s = in.text("apiKeySid", account.apiKeySid, false);
    if (s) s = in.text("apiKeySecret", account.apiKeySecret, false);
    if (s && account.apiKeySid.empty() != account.apiKeySecret.empty())
        s = Status::invalidArgument(in.path() + ": apiKeySid and apiKeySecret go together");
    return s;
}

Status readVariables(const ObjectReader& agent, sdk::KeyValues& variables)
{
    const JsonValue& value = agent["dynamicVariables"];
    if (!value.exists() || value.isNull())
        return Status::ok();
    const std::string path = agent.pathOf("dynamicVariables");
    if (!value.isObject())
        return Status::invalidArgument(path + " must be an object of strings");
    for (const JsonValue& member : value)
    {
        if (!member.isString())
            return Status::invalidArgument(path + "." + std::string(member.key()) + " must be a string");
        variables.emplace_back(std::string(member.key()), std::string(member.asString()));
    }
    return Status::ok();
}

Status readAgent(const ObjectReader& in, sdk::AgentSettings& agent)
{
    Status s = in.check({"provider", "agentId", "firstMessage", "prompt", "language", "dynamicVariables", "apiKey",
                         "baseUrl"});
    if (s) s = in.text("provider", agent.providerId, false);
    if (s) s = in.text("agentId", agent.agentId, true);
    if (s) s = in.text("firstMessage", agent.firstMessage, false);
    if (s) s = in.text("prompt", agent.prompt, false);
    if (s) s = in.text("language", agent.language, false);
    if (s) s = readVariables(in, agent.dynamicVariables);
    if (s) s = in.text("apiKey", agent.apiKey, false);
    if (s) s = in.text("baseUrl", agent.baseUrl, false);
    return s;
}

Status readLimits(const ObjectReader& in, sdk::TenantLimits& limits)
{
    Status s = in.check({"maxConcurrentCalls", "callsPerMinute", "maxCallSeconds", "monthlyMinutes"});
    if (s) s = in.count("maxConcurrentCalls", limits.maxConcurrentCalls);
    if (s) s = in.count("callsPerMinute", limits.callsPerMinute);
    if (s) s = in.count("maxCallSeconds", limits.maxCallSeconds);
    if (s) s = in.count("monthlyMinutes", limits.monthlyMinutes);
    return s;
}

Status readFallback(const ObjectReader& in, sdk::Fallback& fallback)
{
    Status s = in.check({"message", "dialNumber"});
    if (s) s = in.text("message", fallback.message, false);
    if (s) s = in.number("dialNumber", fallback.dialNumber, false);
    return s;
}

Status readRates(const ObjectReader& in, sdk::CostRates& rates)
{
    Status s = in.check({"perMinuteMicros", "currency"});
    if (s) s = in.amount("perMinuteMicros", rates.perMinuteMicros);
    if (s) s = in.text("currency", rates.currency, false);
    if (s && (rates.currency.size() != 3 ||
              !std::all_of(rates.currency.begin(), rates.currency.end(), [](char c) { return c >= 'A' && c <= 'Z'; })))
        s = Status::invalidArgument(in.pathOf("currency") + " must be a three-letter ISO 4217 code, e.g. \"USD\"");
    return s;
}

Status readVariant(const ObjectReader& in, sdk::AgentVariant& variant)
{
    Status s = in.check({"name", "weight", "agent"});
    if (s) s = in.text("name", variant.name, true);
    if (s && !StoreValidation::isVariantName(variant.name))
        s = Status::invalidArgument(in.pathOf("name") + " must be 1 to 32 of a-z, 0-9, '_' and '-'");
    if (s) s = in.count("weight", variant.weight);
    if (s && !in["agent"].exists())
        s = Status::invalidArgument(in.pathOf("agent") + " is required");
    if (s) s = readAgent(ObjectReader(in["agent"], in.pathOf("agent")), variant.agent);
    return s;
}

Status readTenant(const ObjectReader& in, sdk::Tenant& tenant)
{
    Status s = in.check({"id", "name", "status", "agent", "variants", "limits", "fallback", "rates"});
    if (s) s = in.text("id", tenant.id, true);
    if (s) s = in.text("name", tenant.name, true);
    std::string status = "active";
    if (s) s = in.text("status", status, false);
    if (s && status != "active" && status != "suspended")
        s = Status::invalidArgument(in.pathOf("status") + " must be \"active\" or \"suspended\"");
    tenant.status = status == "active" ? sdk::TenantStatus::Active : sdk::TenantStatus::Suspended;
    if (s && !in["agent"].exists())
        s = Status::invalidArgument(in.pathOf("agent") + " is required");
    if (s) s = readAgent(ObjectReader(in["agent"], in.pathOf("agent")), tenant.agent);
    if (s && in["limits"].exists())
        s = readLimits(ObjectReader(in["limits"], in.pathOf("limits")), tenant.limits);
    if (s && in["fallback"].exists())
        s = readFallback(ObjectReader(in["fallback"], in.pathOf("fallback")), tenant.fallback);
    if (s && in["rates"].exists())
        s = readRates(ObjectReader(in["rates"], in.pathOf("rates")), tenant.rates);
    if (s)
        s = readList(in, "variants", tenant.variants, readVariant, [](const auto& v) { return v.name; });
    return s;
}

Status readNumber(const ObjectReader& in, sdk::NumberRoute& route)
{
    Status s = in.check({"number", "tenantId", "accountSid", "phoneNumberSid"});
    if (s) s = in.number("number", route.number, true);
    if (s) s = in.text("tenantId", route.tenantId, true);
    if (s) s = in.text("accountSid", route.accountSid, false);
    if (s) s = in.text("phoneNumberSid", route.phoneNumberSid, false);
    return s;
}

} // namespace

sdk::Result<Seed> Seed::fromJson(const sdk::support::JsonValue& value, std::string_view where) noexcept
{
    try
    {
        Seed seed;
        ObjectReader in(value, std::string(where));
        Status s = in.check({"accounts", "tenants", "numbers"});
        if (s)
            s = readList(in, "accounts", seed.accounts, readAccount, [](const auto& a) { return a.sid; });
        if (s)
            s = readList(in, "tenants", seed.tenants, readTenant, [](const auto& t) { return t.id; });
        if (s)
            s = readList(in, "numbers", seed.numbers, readNumber, [](const auto& n) { return n.number; });
        if (!s)
            return s;
        return seed;
    }
    catch (const std::exception& e)
    {
        return Status::internal(std::string("reading the seed: ") + e.what());
    }
}

bool Seed::isE164(std::string_view number) noexcept
{
    if (number.size() < 3 || number.size() > 16 || number[0] != '+' || number[1] < '1' || number[1] > '9')
        return false;
    for (std::size_t i = 2; i < number.size(); ++i)
    {
        if (number[i] < '0' || number[i] > '9')
            return false;
    }
    return true;
}

} // namespace patchbay::tenantsqlite
