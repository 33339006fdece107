// TokenCommands.cpp: `patchbayctl tokens create|list|revoke` — API tokens that let one tenant manage its own data.
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

std::string tokensPath(const std::string& tenant)
{
    return "/v1/tenants/" + AdminClient::segment(tenant) + "/tokens";
}

int create(CtlContext& context, const std::vector<std::string>& argv)
{
    Arguments args("tokens create", "[--label TEXT]", "Issue an API token scoped to one tenant.");
    args.positional("TENANT", "tenant id");
    args.option("label", "TEXT", "what the token is for (shown in tokens list)");
    args.note("The token is printed once, on stdout, and cannot be shown again (the gateway keeps only a hash).\n"
              "Human output: the token alone on the first line, so `patchbayctl tokens create acme | head -1` captures it.");
    if (!context.begin(args, argv))
        return 0;
    Ptr body = TenantBody::newObject();
    body->set("label", args.value("label"));
    const auto response = context.client().call("POST", tokensPath(args.positionalValue(0)), {}, JsonText::compact(body));
    if (context.json())
    {
        context.printJson(response.json);
        return 0;
    }
    const Ptr token = JsonText::object(response.json);
    context.out() << JsonText::text(token, "token") << "\n";
    context.out() << "token id: " << JsonText::text(token, "id") << "\n";
    context.err() << "store the token now: it is not shown again\n";
    return 0;
}

int list(CtlContext& context, const std::vector<std::string>& argv)
{
    Arguments args("tokens list", "", "List a tenant's API tokens (never the tokens themselves).");
    args.positional("TENANT", "tenant id");
    if (!context.begin(args, argv))
        return 0;
    const auto response = context.client().call("GET", tokensPath(args.positionalValue(0)));
    if (context.json())
    {
        context.printJson(response.json);
        return 0;
    }
    Table table({"ID", "LABEL", "CREATED (UTC)", "REVOKED (UTC)"});
    const auto tokens = JsonText::list(response.json, "tokens");
    for (std::size_t i = 0; i < tokens->size(); ++i)
    {
        const Ptr t = tokens->getObject(static_cast<unsigned>(i));
        table.row({JsonText::text(t, "id"), JsonText::text(t, "label"), Units::timestamp(JsonText::integer(t, "createdAtMs")),
                   Units::timestamp(JsonText::integer(t, "revokedAtMs"))});
    }
    table.print(context.out());
    return 0;
}

int revoke(CtlContext& context, const std::vector<std::string>& argv)
{
    Arguments args("tokens revoke", "", "Revoke a tenant API token; it stops working at once.");
    args.positional("TENANT", "tenant id");
    args.positional("TOKEN_ID", "the token's id (from tokens list), not the token");
    if (!context.begin(args, argv))
        return 0;
    const auto response = context.client().call(
        "DELETE", tokensPath(args.positionalValue(0)) + "/" + AdminClient::segment(args.positionalValue(1)));
    if (context.json())
    {
        if (!response.json.isEmpty())
            context.printJson(response.json);
        return 0;
    }
    context.out() << "token " << args.positionalValue(1) << " of " << args.positionalValue(0) << " revoked\n";
    return 0;
}

} // namespace

CommandGroup tokenCommands()
{
    CommandGroup group("tokens", "Tenant API tokens: a tenant token sees and changes only its own tenant's data.");
    group.add("create", "issue a token (printed once)", create);
    group.add("list", "list a tenant's tokens", list);
    group.add("revoke", "revoke a token", revoke);
    return group;
}

} // namespace ctl
} // namespace patchbay
