// TenantBody.cpp: tenant options to admin API JSON (agent, variables, limits, fallback, rates).
#include "TenantBody.h"

#include "Arguments.h"
#include "CtlContext.h"
#include "Units.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSONString.h>

#include <charconv>

namespace patchbay {
namespace ctl {

void TenantBody::declare(Arguments& args, bool creating)
{
    if (creating)
        args.option("id", "ID", "tenant id, [a-z0-9-]{1,64}", true);
    args.option("name", "NAME", "display name", creating);
    args.option("status", "STATUS", creating ? "active or suspended (default active)"
                                             : "active or suspended (unchanged when absent)");
    args.option("agent-id", "AGENT", "the provider's agent id", creating);
    args.option("provider", "PLUGIN", "agent provider plugin id, e.g. elevenlabs (default: the host's)");
    args.option("first-message", "TEXT", "first message override");
    args.option("prompt", "TEXT", "prompt override");
    args.option("language", "TAG", "language override, e.g. en or pt-BR");
    args.repeated("var", "NAME=VALUE", creating ? "dynamic variable passed to the agent"
                                                : "dynamic variable; replaces all existing variables");
    if (!creating)
        args.flag("no-vars", "remove all dynamic variables");
    args.option("agent-api-key", "KEY", "private-agent API key ('-' reads it from stdin)");
    args.option("base-url", "URL", "agent endpoint override (data residency)");
    args.option("max-concurrent", "N", "max concurrent calls (0 = unlimited)");
    args.option("calls-per-minute", "N", "max new calls per minute (0 = unlimited)");
    args.option("max-call-seconds", "N", "max call duration in seconds (0 = unlimited)");
    args.option("monthly-minutes", "N", "monthly minutes quota (0 = unlimited)");
    args.option("fallback-message", "TEXT", "said when the agent is unavailable or a limit is hit");
    args.option("fallback-number", "E164", "number dialled instead (after the message, if any)");
    args.option("rate-per-minute", "AMOUNT", "cost of a minute, decimal, e.g. 0.05");
    args.option("currency", "CODE", "currency of the rate, e.g. USD");
}

Poco::JSON::Object::Ptr TenantBody::newObject()
{
    return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

Poco::JSON::Object::Ptr TenantBody::child(Poco::JSON::Object::Ptr parent, const std::string& key)
{
    if (parent->has(key) && parent->get(key).type() == typeid(Poco::JSON::Object::Ptr))
        return parent->get(key).extract<Poco::JSON::Object::Ptr>();
    Poco::JSON::Object::Ptr created = newObject();
    parent->set(key, created);
    return created;
}

void TenantBody::apply(const Arguments& args, const CtlContext& context, Poco::JSON::Object::Ptr tenant)
{
    const auto text = [&](const char* option, Poco::JSON::Object::Ptr target, const char* key) {
        if (args.has(option))
            target->set(key, args.value(option));
    };
    const auto number = [&](const char* option, const char* key) {
        if (const auto value = args.count(option))
            child(tenant, "limits")->set(key, static_cast<Poco::UInt64>(*value));
    };

    text("id", tenant, "id");
    text("name", tenant, "name");
    if (args.has("status"))
    {
        const std::string status = args.value("status");
        if (status != "active" && status != "suspended")
            args.fail("--status expects active or suspended, got '" + status + "'");
        tenant->set("status", status);
    }

    const bool agentOptions = args.has("agent-id") || args.has("provider") || args.has("first-message") ||
                              args.has("prompt") || args.has("language") || args.has("var") || args.has("no-vars") ||
                              args.has("agent-api-key") || args.has("base-url");
    if (agentOptions || !tenant->has("agent"))
    {
        Poco::JSON::Object::Ptr agent = child(tenant, "agent");
        text("provider", agent, "provider");
        text("agent-id", agent, "agentId");
        text("first-message", agent, "firstMessage");
        text("prompt", agent, "prompt");
        text("language", agent, "language");
        if (args.has("var") || args.has("no-vars"))
        {
            if (args.has("var") && args.has("no-vars"))
                args.fail("--var and --no-vars exclude each other");
            Poco::JSON::Object::Ptr variables = newObject();
            for (const auto& pair : args.values("var"))
            {
                const auto eq = pair.find('=');
                if (eq == std::string::npos || eq == 0)
                    args.fail("--var expects NAME=VALUE, got '" + pair + "'");
                variables->set(pair.substr(0, eq), pair.substr(eq + 1));
            }
            agent->set("dynamicVariables", variables);
        }
        if (args.has("agent-api-key"))
            agent->set("apiKey", context.secret(args, "agent-api-key"));
        text("base-url", agent, "baseUrl");
    }

    number("max-concurrent", "maxConcurrentCalls");
    number("calls-per-minute", "callsPerMinute");
    number("max-call-seconds", "maxCallSeconds");
    number("monthly-minutes", "monthlyMinutes");

    if (args.has("fallback-message"))
        child(tenant, "fallback")->set("message", args.value("fallback-message"));
    if (args.has("fallback-number"))
        child(tenant, "fallback")->set("dialNumber", args.value("fallback-number"));

    if (args.has("rate-per-minute"))
    {
        const auto micros = Units::parseMicros(args.value("rate-per-minute"));
        if (!micros)
            args.fail("--rate-per-minute expects a decimal amount with at most 6 decimals, e.g. 0.05, got '" +
                      args.value("rate-per-minute") + "'");
        child(tenant, "rates")->set("perMinuteMicros", static_cast<Poco::Int64>(*micros));
    }
    if (args.has("currency"))
        child(tenant, "rates")->set("currency", args.value("currency"));
}

Poco::JSON::Object::Ptr TenantBody::parseVariant(const Arguments& args, const std::string& spec)
{
    const auto first = spec.find(':');
    const auto second = first == std::string::npos ? first : spec.find(':', first + 1);
    if (second == std::string::npos)
        args.fail("--variant expects name:weight:agentId[:firstMessage], got '" + spec + "'");
    const auto third = spec.find(':', second + 1);
    const std::string name = spec.substr(0, first);
    const std::string weightText = spec.substr(first + 1, second - first - 1);
    const std::string agentId = spec.substr(second + 1, third == std::string::npos ? std::string::npos : third - second - 1);
    std::uint32_t weight = 0;
    const auto parsed = std::from_chars(weightText.data(), weightText.data() + weightText.size(), weight);
    if (weightText.empty() || parsed.ec != std::errc() || parsed.ptr != weightText.data() + weightText.size())
        args.fail("--variant '" + spec + "': weight must be a non-negative integer, got '" + weightText + "'");
    if (name.empty() || agentId.empty())
        args.fail("--variant '" + spec + "': name and agentId must not be empty");

    Poco::JSON::Object::Ptr variant = newObject();
    variant->set("name", name);
    variant->set("weight", weight);
    Poco::JSON::Object::Ptr agent = newObject();
    agent->set("agentId", agentId);
    if (third != std::string::npos)
        agent->set("firstMessage", spec.substr(third + 1));
    variant->set("agent", agent);
    return variant;
}

} // namespace ctl
} // namespace patchbay
