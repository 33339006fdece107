// TenantCommands.cpp: `patchbayctl tenants add|list|show|update|suspend|resume|delete`.
#include "AdminClient.h"
#include "Arguments.h"
#include "CommandGroup.h"
#include "CtlContext.h"
#include "JsonText.h"
#include "Table.h"
#include "TenantBody.h"
#include "Units.h"

#include <ostream>

namespace patchbay {
namespace ctl {

namespace {

using Ptr = Poco::JSON::Object::Ptr;

std::string limit(const Ptr& limits, const char* key)
{
    const std::int64_t value = JsonText::integer(limits, key);
    return value > 0 ? std::to_string(value) : std::string();
}

std::string rate(const Ptr& tenant)
{
    const Ptr rates = JsonText::object(tenant, "rates");
    if (!rates || JsonText::integer(rates, "perMinuteMicros") == 0)
        return std::string();
    return Units::money(JsonText::integer(rates, "perMinuteMicros")) + " " + JsonText::text(rates, "currency");
}

std::string variables(const Ptr& agent)
{
    const Ptr vars = JsonText::object(agent, "dynamicVariables");
    std::string out;
    if (vars)
        for (const auto& name : vars->getNames())
            out += (out.empty() ? "" : ", ") + name + "=" + JsonText::text(vars, name);
    return out;
}

void printTenant(std::ostream& out, const Ptr& t)
{
    const Ptr agent = JsonText::object(t, "agent");
    const Ptr limits = JsonText::object(t, "limits");
    const Ptr fallback = JsonText::object(t, "fallback");
    const auto unlimited = [&](const char* key) {
        const std::string value = limit(limits, key);
        return value.empty() ? std::string("unlimited") : value;
    };
    std::string provider = JsonText::text(agent, "provider");
    Table::block(out, {
                          {"id", JsonText::text(t, "id")},
                          {"name", JsonText::text(t, "name")},
                          {"status", JsonText::text(t, "status")},
                          {"provider", provider.empty() ? "(host default)" : provider},
                          {"agent id", JsonText::text(agent, "agentId")},
                          {"first message", JsonText::text(agent, "firstMessage")},
                          {"prompt", JsonText::text(agent, "prompt")},
                          {"language", JsonText::text(agent, "language")},
                          {"variables", variables(agent)},
                          {"agent api key", JsonText::flag(agent, "hasApiKey") ? "set" : "not set"},
                          {"base url", JsonText::text(agent, "baseUrl")},
                          {"max concurrent", unlimited("maxConcurrentCalls")},
                          {"calls per minute", unlimited("callsPerMinute")},
                          {"max call seconds", unlimited("maxCallSeconds")},
                          {"monthly minutes", unlimited("monthlyMinutes")},
                          {"fallback message", JsonText::text(fallback, "message")},
                          {"fallback number", JsonText::text(fallback, "dialNumber")},
                          {"rate per minute", rate(t)},
                      });
    const auto variants = JsonText::array(t, "variants");
    if (variants && variants->size() > 0)
    {
        out << "variants:\n";
        for (std::size_t i = 0; i < variants->size(); ++i)
        {
            const Ptr v = variants->getObject(static_cast<unsigned>(i));
            out << "  " << JsonText::text(v, "name") << "  weight " << JsonText::text(v, "weight") << "  agent "
                << JsonText::text(JsonText::object(v, "agent"), "agentId") << "\n";
        }
    }
    else
        out << "variants: none\n";
}

/// Prints what a mutation returned: the JSON for scripts, a confirmation (and the record) for people.
void report(CtlContext& context, const AdminClient::Response& response, const std::string& message, bool showRecord)
{
    if (context.json())
    {
        if (!response.json.isEmpty())
            context.printJson(response.json);
        return;
    }
    context.out() << message << "\n";
    if (const Ptr tenant = showRecord ? JsonText::object(response.json) : nullptr)
        printTenant(context.out(), tenant);
}

std::string tenantPath(const std::string& id)
{
    return "/v1/tenants/" + AdminClient::segment(id);
}

int add(CtlContext& context, const std::vector<std::string>& argv)
{
    Arguments args("tenants add", "--id ID --name NAME --agent-id AGENT [OPTIONS]", "Create a tenant.");
    TenantBody::declare(args, true);
    args.note("example:\n  patchbayctl tenants add --id acme --name \"Acme Dental\" --agent-id agent_123 \\\n"
              "    --var clinic=north --max-concurrent 5 --monthly-minutes 1000 --rate-per-minute 0.05 --currency USD");
    if (!context.begin(args, argv, {"agent-api-key"}))
        return 0;
    Ptr body = TenantBody::newObject();
    TenantBody::apply(args, context, body);
    const auto response = context.client().call("POST", "/v1/tenants", {}, JsonText::compact(body));
    report(context, response, "tenant " + args.value("id") + " created", true);
    return 0;
}

int list(CtlContext& context, const std::vector<std::string>& argv)
{
    Arguments args("tenants list", "", "List all tenants.");
    args.note("columns: limits and rate show '-' when unlimited / not set");
    if (!context.begin(args, argv))
        return 0;
    const auto response = context.client().call("GET", "/v1/tenants");
    if (context.json())
    {
        context.printJson(response.json);
        return 0;
    }
    Table table({"ID", "NAME", "STATUS", "AGENT", "VARIANTS", "MAX-CONC", "CALLS/MIN", "MAX-SECS", "MIN/MONTH", "RATE/MIN"});
    const auto tenants = JsonText::list(response.json, "tenants");
    for (std::size_t i = 0; i < tenants->size(); ++i)
    {
        const Ptr t = tenants->getObject(static_cast<unsigned>(i));
        const Ptr limits = JsonText::object(t, "limits");
        const auto variants = JsonText::array(t, "variants");
        table.row({JsonText::text(t, "id"), JsonText::text(t, "name"), JsonText::text(t, "status"),
                   JsonText::text(JsonText::object(t, "agent"), "agentId"),
                   variants && variants->size() ? std::to_string(variants->size()) : std::string(),
                   limit(limits, "maxConcurrentCalls"), limit(limits, "callsPerMinute"), limit(limits, "maxCallSeconds"),
                   limit(limits, "monthlyMinutes"), rate(t)});
    }
    table.print(context.out());
    return 0;
}

int show(CtlContext& context, const std::vector<std::string>& argv)
{
    Arguments args("tenants show", "", "Show one tenant: agent, variants, limits, fallback, rates.");
    args.positional("ID", "tenant id");
    if (!context.begin(args, argv))
        return 0;
    const auto response = context.client().call("GET", tenantPath(args.positionalValue(0)));
    if (context.json())
        context.printJson(response.json);
    else
        printTenant(context.out(), JsonText::object(response.json));
    return 0;
}

int update(CtlContext& context, const std::vector<std::string>& argv)
{
    Arguments args("tenants update", "[OPTIONS]", "Change a tenant; options not given keep their current value.");
    args.positional("ID", "tenant id");
    TenantBody::declare(args, false);
    args.note("The current tenant is fetched, the given options applied, and the whole tenant PUT back;\n"
              "secrets such as the agent API key are kept unless --agent-api-key is given.");
    if (!context.begin(args, argv, {"agent-api-key"}))
        return 0;
    const std::string path = tenantPath(args.positionalValue(0));
    AdminClient& client = context.client();
    const Ptr tenant = JsonText::object(client.call("GET", path).json);
    if (!tenant)
        args.fail("the API returned no tenant object for " + args.positionalValue(0));
    TenantBody::apply(args, context, tenant);
    const auto response = client.call("PUT", path, {}, JsonText::compact(tenant));
    report(context, response, "tenant " + args.positionalValue(0) + " updated", true);
    return 0;
}

CommandGroup::Handler simple(const std::string& command, const std::string& summary, const std::string& method,
                             const std::string& suffix, const std::string& done)
{
    return [=](CtlContext& context, const std::vector<std::string>& argv) {
        Arguments args("tenants " + command, "", summary);
        args.positional("ID", "tenant id");
        if (!context.begin(args, argv))
            return 0;
        const std::string id = args.positionalValue(0);
        const auto response = context.client().call(method, tenantPath(id) + suffix);
        report(context, response, "tenant " + id + " " + done, false);
        return 0;
    };
}

} // namespace

CommandGroup tenantCommands()
{
    CommandGroup group("tenants", "Manage tenants: the businesses served, their agent, limits, fallback and rates.");
    group.add("add", "create a tenant", add);
    group.add("list", "list tenants (table)", list);
    group.add("show", "show one tenant", show);
    group.add("update", "change a tenant's settings", update);
    group.add("suspend", "refuse the tenant's calls until resumed",
              simple("suspend", "Suspend a tenant: its calls are refused (fallback) until resumed.", "POST", "/suspend",
                     "suspended"));
    group.add("resume", "accept the tenant's calls again",
              simple("resume", "Resume a suspended tenant.", "POST", "/resume", "resumed"));
    group.add("delete", "delete a tenant",
              simple("delete", "Delete a tenant.", "DELETE", "", "deleted"));
    return group;
}

} // namespace ctl
} // namespace patchbay
