// NumberCommands.cpp: `patchbayctl numbers assign|release|list` — which tenant and account answer an E.164 number.
#include "AdminClient.h"
#include "Arguments.h"
#include "CommandGroup.h"
#include "CtlContext.h"
#include "JsonText.h"
#include "Table.h"
#include "TenantBody.h"

namespace patchbay {
namespace ctl {

namespace {

using Ptr = Poco::JSON::Object::Ptr;

std::string numberPath(const Arguments& args)
{
    const std::string number = args.positionalValue(0);
    // Catch the classic shell slip (a number without '+') before it becomes a confusing 400.
    if (number.empty() || number[0] != '+')
        args.fail("E164 must start with '+', e.g. +15005550006 (got '" + number + "')");
    return "/v1/numbers/" + AdminClient::segment(number);
}

int assign(CtlContext& context, const std::vector<std::string>& argv)
{
    Arguments args("numbers assign", "--tenant ID --account SID [--pn-sid PN] [--configure]",
                   "Route a number to a tenant (creates the assignment, or updates the tenant's own).");
    args.positional("E164", "the number, e.g. +15005550006");
    args.option("tenant", "ID", "tenant that answers the number", true);
    args.option("account", "SID", "carrier account (AC...) the number belongs to", true);
    args.option("pn-sid", "PN", "the carrier's id of the number (PN...)");
    args.flag("configure", "also point the number at this gateway at the carrier (Twilio: VoiceUrl, StatusCallback)");
    args.note("A number already assigned to another tenant is refused (409): release it first.\n"
              "--configure looks the number up in the account at the carrier and sets its webhooks; the PN sid it\n"
              "finds is saved. Its failure fails the command (exit 1), but the assignment itself is kept.\n"
              "Without it the carrier plugin's own setting (twilio: rest.configureNumbers) decides.");
    if (!context.begin(args, argv))
        return 0;
    const std::string path = numberPath(args);
    Ptr body = TenantBody::newObject();
    body->set("tenantId", args.value("tenant"));
    body->set("accountSid", args.value("account"));
    if (args.has("pn-sid"))
        body->set("phoneNumberSid", args.value("pn-sid"));
    if (args.has("configure"))
        body->set("configure", true);
    const auto response = context.client().call("PUT", path, {}, JsonText::compact(body));
    if (context.json())
    {
        if (!response.json.isEmpty())
            context.printJson(response.json);
        return 0;
    }
    const Ptr carrier = JsonText::object(JsonText::object(response.json), "carrier");
    context.out() << "number " << args.positionalValue(0) << " assigned to tenant " << args.value("tenant");
    if (carrier && JsonText::text(carrier, "configured") == "true")
    {
        const std::string sid = JsonText::text(carrier, "phoneNumberSid");
        context.out() << "; configured at the carrier" << (sid.empty() ? "" : " (" + sid + ")");
    }
    context.out() << "\n";
    // Only a plain assignment gets here with an error: the plugin tried on its own and failed.
    if (carrier && !JsonText::text(carrier, "error").empty())
        context.err() << "patchbayctl: warning: the number was not configured at the carrier: " << JsonText::text(carrier, "error")
                      << "\n";
    return 0;
}

int release(CtlContext& context, const std::vector<std::string>& argv)
{
    Arguments args("numbers release", "", "Remove a number's assignment; its calls are then refused.");
    args.positional("E164", "the number, e.g. +15005550006");
    if (!context.begin(args, argv))
        return 0;
    const auto response = context.client().call("DELETE", numberPath(args));
    if (context.json())
    {
        if (!response.json.isEmpty())
            context.printJson(response.json);
        return 0;
    }
    context.out() << "number " << args.positionalValue(0) << " released\n";
    return 0;
}

int list(CtlContext& context, const std::vector<std::string>& argv)
{
    Arguments args("numbers list", "[--tenant ID]", "List number assignments.");
    args.option("tenant", "ID", "only this tenant's numbers");
    if (!context.begin(args, argv))
        return 0;
    AdminClient::Query query;
    if (args.has("tenant"))
        query.emplace_back("tenant", args.value("tenant"));
    const auto response = context.client().call("GET", "/v1/numbers", query);
    if (context.json())
    {
        context.printJson(response.json);
        return 0;
    }
    Table table({"NUMBER", "TENANT", "ACCOUNT", "PN SID"});
    const auto numbers = JsonText::list(response.json, "numbers");
    for (std::size_t i = 0; i < numbers->size(); ++i)
    {
        const Ptr n = numbers->getObject(static_cast<unsigned>(i));
        table.row({JsonText::text(n, "number"), JsonText::text(n, "tenantId"), JsonText::text(n, "accountSid"),
                   JsonText::text(n, "phoneNumberSid")});
    }
    table.print(context.out());
    return 0;
}

} // namespace

CommandGroup numberCommands()
{
    CommandGroup group("numbers", "Phone numbers: each E.164 number belongs to exactly one tenant.");
    group.add("assign", "route a number to a tenant", assign);
    group.add("release", "remove a number's assignment", release);
    group.add("list", "list numbers (table)", list);
    return group;
}

} // namespace ctl
} // namespace patchbay
