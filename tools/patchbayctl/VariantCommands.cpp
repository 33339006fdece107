// VariantCommands.cpp: `patchbayctl variants set|show` — a tenant's weighted agent variants for A/B tests.
#include "AdminClient.h"
#include "Arguments.h"
#include "CommandGroup.h"
#include "CtlContext.h"
#include "CtlError.h"
#include "JsonText.h"
#include "Table.h"
#include "TenantBody.h"

#include <Poco/Exception.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Array.h>
#include <Poco/StreamCopier.h>

#include <cstdio>
#include <ostream>

namespace patchbay {
namespace ctl {

namespace {

using Ptr = Poco::JSON::Object::Ptr;

std::string tenantPath(const std::string& id)
{
    return "/v1/tenants/" + AdminClient::segment(id);
}

/// The variants of a file: a JSON array, or an object carrying "variants" (what `variants show
/// --json` prints), so show's output can be edited and set again.
Poco::JSON::Array::Ptr readFile(CtlContext& context, const Arguments& args)
{
    const std::string file = args.value("file");
    std::string text;
    if (file == "-")
        text = context.readAll();
    else
    {
        try
        {
            Poco::FileInputStream in(file);
            Poco::StreamCopier::copyToString(in, text);
        }
        catch (const Poco::Exception& e)
        {
            args.fail("cannot read --file " + file + ": " + e.message());
        }
    }
    Poco::Dynamic::Var parsed;
    try
    {
        parsed = AdminClient::parseJson(text);
    }
    catch (const Poco::Exception& e)
    {
        args.fail("--file " + file + " is not JSON: " + e.message());
    }
    if (parsed.type() == typeid(Poco::JSON::Array::Ptr))
        return parsed.extract<Poco::JSON::Array::Ptr>();
    if (auto array = JsonText::array(JsonText::object(parsed), "variants"))
        return array;
    args.fail("--file " + file + " must hold a JSON array of variants (or an object with \"variants\")");
}

void printVariants(std::ostream& out, const Poco::JSON::Array::Ptr& variants)
{
    if (!variants || variants->size() == 0)
    {
        out << "no variants: every call uses the tenant's agent\n";
        return;
    }
    std::int64_t total = 0;
    for (std::size_t i = 0; i < variants->size(); ++i)
        total += JsonText::integer(variants->getObject(static_cast<unsigned>(i)), "weight");
    Table table({"NAME", "WEIGHT", "SHARE", "PROVIDER", "AGENT", "FIRST MESSAGE"});
    for (std::size_t i = 0; i < variants->size(); ++i)
    {
        const Ptr v = variants->getObject(static_cast<unsigned>(i));
        const Ptr agent = JsonText::object(v, "agent");
        const std::int64_t weight = JsonText::integer(v, "weight");
        char share[16];
        std::snprintf(share, sizeof share, "%.1f%%", total > 0 ? 100.0 * static_cast<double>(weight) / static_cast<double>(total) : 0.0);
        table.row({JsonText::text(v, "name"), std::to_string(weight), share, JsonText::text(agent, "provider"),
                   JsonText::text(agent, "agentId"), JsonText::text(agent, "firstMessage")});
    }
    table.print(out);
}

int set(CtlContext& context, const std::vector<std::string>& argv)
{
    Arguments args("variants set", "(--variant SPEC... | --file FILE | --clear)",
                   "Replace a tenant's A/B variants; each call is assigned one by weight.");
    args.positional("TENANT", "tenant id");
    args.repeated("variant", "NAME:WEIGHT:AGENT[:FIRST]", "a variant: name [a-z0-9_-], weight >= 0 (0 = paused), agent id, "
                                                         "optional first message (may contain ':')");
    args.option("provider", "PLUGIN", "agent provider for every --variant (default: the host's)");
    args.option("file", "FILE", "variants as a JSON array ('-' reads stdin); see docs/patchbayctl.md");
    args.flag("clear", "remove all variants (every call uses the tenant's agent)");
    args.note("example:\n  patchbayctl variants set acme --variant a:50:agent_old --variant b:50:agent_new:\"Hi, this is Acme!\"");
    if (!context.begin(args, argv))
        return 0;
    const int sources = (args.has("variant") ? 1 : 0) + (args.has("file") ? 1 : 0) + (args.has("clear") ? 1 : 0);
    if (sources != 1)
        args.fail("give exactly one of --variant, --file or --clear");
    if (args.has("provider") && !args.has("variant"))
        args.fail("--provider applies to --variant only");

    Poco::JSON::Array::Ptr variants = new Poco::JSON::Array;
    if (args.has("file"))
        variants = readFile(context, args);
    for (const auto& spec : args.values("variant"))
    {
        Ptr variant = TenantBody::parseVariant(args, spec);
        if (args.has("provider"))
        {
            // Keep "provider" first in the agent object, as the API writes it.
            Ptr agent = TenantBody::newObject();
            agent->set("provider", args.value("provider"));
            const Ptr parsed = JsonText::object(variant, "agent");
            for (const auto& name : parsed->getNames())
                agent->set(name, parsed->get(name));
            variant->set("agent", agent);
        }
        variants->add(variant);
    }
    const std::string tenant = args.positionalValue(0);
    const auto response = context.client().call("PUT", tenantPath(tenant) + "/variants", {}, JsonText::compact(variants));
    if (context.json())
    {
        if (!response.json.isEmpty())
            context.printJson(response.json);
        return 0;
    }
    context.out() << "variants of " << tenant << " set (" << variants->size() << ")\n";
    Poco::JSON::Array::Ptr shown = variants;
    if (response.json.type() == typeid(Poco::JSON::Array::Ptr))
        shown = response.json.extract<Poco::JSON::Array::Ptr>();
    else if (auto returned = JsonText::array(JsonText::object(response.json), "variants"))
        shown = returned;
    printVariants(context.out(), shown);
    return 0;
}

int show(CtlContext& context, const std::vector<std::string>& argv)
{
    Arguments args("variants show", "", "Show a tenant's A/B variants with their share of calls.");
    args.positional("TENANT", "tenant id");
    if (!context.begin(args, argv))
        return 0;
    const auto response = context.client().call("GET", tenantPath(args.positionalValue(0)));
    const Ptr tenant = JsonText::object(response.json);
    Poco::JSON::Array::Ptr variants = JsonText::array(tenant, "variants");
    if (!variants)
        variants = new Poco::JSON::Array;
    if (context.json())
    {
        // The array alone: exactly what `variants set --file` takes back.
        context.printJson(variants);
        return 0;
    }
    printVariants(context.out(), variants);
    return 0;
}

} // namespace

CommandGroup variantCommands()
{
    CommandGroup group("variants", "A/B tests: split a tenant's calls across weighted agent variants.");
    group.add("set", "replace a tenant's variants", set);
    group.add("show", "show a tenant's variants", show);
    return group;
}

} // namespace ctl
} // namespace patchbay
