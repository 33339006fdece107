// AccountCommands.cpp: `patchbayctl accounts add|list|show|rotate-token|delete` — carrier accounts and their secrets.
#include "AdminClient.h"
#include "Arguments.h"
#include "CommandGroup.h"
#include "CtlContext.h"
#include "JsonText.h"
#include "Table.h"
#include "TenantBody.h"

#include <ostream>

namespace patchbay {
namespace ctl {

namespace {

using Ptr = Poco::JSON::Object::Ptr;

const char* const kStdinNote =
    "Secrets: give '-' as the value to read it from stdin (one line per '-', in command-line order).\n"
    "A secret typed on the command line lands in the shell history and is visible to other users\n"
    "in ps; piping it in avoids both. Secrets are never printed back.";

std::string accountPath(const std::string& sid)
{
    return "/v1/accounts/" + AdminClient::segment(sid);
}

std::string yesNo(const Ptr& account, const char* key)
{
    return JsonText::flag(account, key) ? "set" : "not set";
}

void printAccount(std::ostream& out, const Ptr& a)
{
    Table::block(out, {{"sid", JsonText::text(a, "sid")},
                       {"parent", JsonText::text(a, "parentSid")},
                       {"name", JsonText::text(a, "friendlyName")},
                       {"api key sid", JsonText::text(a, "apiKeySid")},
                       {"auth token", yesNo(a, "hasAuthToken")},
                       {"secondary token", yesNo(a, "hasSecondaryToken")},
                       {"api key secret", yesNo(a, "hasApiKeySecret")}});
}

void report(CtlContext& context, const AdminClient::Response& response, const std::string& message)
{
    if (context.json())
    {
        if (!response.json.isEmpty())
            context.printJson(response.json);
        return;
    }
    context.out() << message << "\n";
    if (const Ptr account = JsonText::object(response.json))
        printAccount(context.out(), account);
}

int add(CtlContext& context, const std::vector<std::string>& argv)
{
    Arguments args("accounts add", "--sid SID --auth-token TOKEN [OPTIONS]", "Register a carrier (Twilio) account or subaccount.");
    args.option("sid", "SID", "account SID (AC + 32 hex)", true);
    args.option("auth-token", "TOKEN", "primary auth token, or '-' for stdin", true);
    args.option("secondary-token", "TOKEN", "secondary auth token accepted during rotation, or '-'");
    args.option("parent", "SID", "parent account SID, for a subaccount");
    args.option("name", "NAME", "friendly name");
    args.option("api-key-sid", "SK", "REST API key SID (SK...)");
    args.option("api-key-secret", "SECRET", "REST API key secret, or '-'");
    args.note(kStdinNote);
    if (!context.begin(args, argv, {"auth-token", "secondary-token", "api-key-secret"}))
        return 0;
    if (args.has("api-key-sid") != args.has("api-key-secret"))
        args.fail("--api-key-sid and --api-key-secret go together");
    Ptr body = TenantBody::newObject();
    body->set("sid", args.value("sid"));
    body->set("authToken", context.secret(args, "auth-token"));
    if (args.has("secondary-token"))
        body->set("secondaryToken", context.secret(args, "secondary-token"));
    if (args.has("parent"))
        body->set("parentSid", args.value("parent"));
    if (args.has("name"))
        body->set("friendlyName", args.value("name"));
    if (args.has("api-key-sid"))
    {
        body->set("apiKeySid", args.value("api-key-sid"));
        body->set("apiKeySecret", context.secret(args, "api-key-secret"));
    }
    const auto response = context.client().call("POST", "/v1/accounts", {}, JsonText::compact(body));
    report(context, response, "account " + args.value("sid") + " added");
    return 0;
}

int list(CtlContext& context, const std::vector<std::string>& argv)
{
    Arguments args("accounts list", "", "List carrier accounts (secrets show only as set / not set).");
    if (!context.begin(args, argv))
        return 0;
    const auto response = context.client().call("GET", "/v1/accounts");
    if (context.json())
    {
        context.printJson(response.json);
        return 0;
    }
    Table table({"SID", "PARENT", "NAME", "API KEY SID", "AUTH TOKEN", "SECONDARY", "API SECRET"});
    const auto accounts = JsonText::list(response.json, "accounts");
    for (std::size_t i = 0; i < accounts->size(); ++i)
    {
        const Ptr a = accounts->getObject(static_cast<unsigned>(i));
        table.row({JsonText::text(a, "sid"), JsonText::text(a, "parentSid"), JsonText::text(a, "friendlyName"),
                   JsonText::text(a, "apiKeySid"), yesNo(a, "hasAuthToken"), yesNo(a, "hasSecondaryToken"),
                   yesNo(a, "hasApiKeySecret")});
    }
    table.print(context.out());
    return 0;
}

int show(CtlContext& context, const std::vector<std::string>& argv)
{
    Arguments args("accounts show", "", "Show one carrier account.");
    args.positional("SID", "account SID");
    if (!context.begin(args, argv))
        return 0;
    const auto response = context.client().call("GET", accountPath(args.positionalValue(0)));
    if (context.json())
        context.printJson(response.json);
    else
        printAccount(context.out(), JsonText::object(response.json));
    return 0;
}

int rotateToken(CtlContext& context, const std::vector<std::string>& argv)
{
    Arguments args("accounts rotate-token", "--auth-token NEW",
                   "Replace the account's primary auth token (the webhook signing secret).");
    args.positional("SID", "account SID");
    args.option("auth-token", "NEW", "the new primary auth token, or '-' for stdin", true);
    args.note(kStdinNote);
    if (!context.begin(args, argv, {"auth-token"}))
        return 0;
    Ptr body = TenantBody::newObject();
    body->set("authToken", context.secret(args, "auth-token"));
    const auto response = context.client().call("POST", accountPath(args.positionalValue(0)) + "/rotate-token", {},
                                                JsonText::compact(body));
    report(context, response, "auth token of " + args.positionalValue(0) + " rotated");
    return 0;
}

int remove(CtlContext& context, const std::vector<std::string>& argv)
{
    Arguments args("accounts delete", "", "Delete a carrier account.");
    args.positional("SID", "account SID");
    if (!context.begin(args, argv))
        return 0;
    const auto response = context.client().call("DELETE", accountPath(args.positionalValue(0)));
    report(context, response, "account " + args.positionalValue(0) + " deleted");
    return 0;
}

} // namespace

CommandGroup accountCommands()
{
    CommandGroup group("accounts", "Carrier (Twilio) accounts and subaccounts whose tokens sign the webhooks.");
    group.add("add", "register an account", add);
    group.add("list", "list accounts (table)", list);
    group.add("show", "show one account", show);
    group.add("rotate-token", "replace the primary auth token", rotateToken);
    group.add("delete", "delete an account", remove);
    return group;
}

} // namespace ctl
} // namespace patchbay
