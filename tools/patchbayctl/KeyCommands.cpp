// KeyCommands.cpp: `patchbayctl keys rotate` (re-encrypt every secret under the current master key) and `health`.
#include "AdminClient.h"
#include "Arguments.h"
#include "CommandGroup.h"
#include "CtlContext.h"
#include "JsonText.h"
#include "Table.h"

#include <ostream>

namespace patchbay {
namespace ctl {

namespace {

int rotate(CtlContext& context, const std::vector<std::string>& argv)
{
    Arguments args("keys rotate", "", "Re-encrypt every stored secret under the gateway's current master key.");
    args.note("Run it after configuring a new master key (keeping the old one readable); afterwards the old\n"
              "key can be removed. See docs/patchbayctl.md.");
    if (!context.begin(args, argv))
        return 0;
    const auto response = context.client().call("POST", "/v1/keys/rotate");
    if (context.json())
    {
        context.printJson(response.json);
        return 0;
    }
    context.out() << "re-encrypted " << JsonText::text(JsonText::object(response.json), "rotated")
                  << " secrets under the current key\n";
    return 0;
}

int health(CtlContext& context, const std::vector<std::string>& argv)
{
    Arguments args("health", "", "Check that the admin API answers (and the store behind it).");
    if (!context.begin(args, argv))
        return 0;
    const auto response = context.client(false).call("GET", "/v1/health");
    if (context.json())
    {
        if (!response.json.isEmpty())
            context.printJson(response.json);
        return 0;
    }
    const auto body = JsonText::object(response.json);
    if (!body)
    {
        context.out() << "ok\n";
        return 0;
    }
    std::vector<std::pair<std::string, std::string>> lines;
    for (const auto& name : body->getNames())
        lines.emplace_back(name, JsonText::text(body, name));
    Table::block(context.out(), lines);
    return 0;
}

} // namespace

CommandGroup keyCommands()
{
    CommandGroup group("keys", "Master keys that encrypt the secrets at rest.");
    group.add("rotate", "re-encrypt all secrets under the current key", rotate);
    return group;
}

CommandGroup healthCommands()
{
    CommandGroup group("health", "Admin API health.");
    group.add("", "", health);
    return group;
}

} // namespace ctl
} // namespace patchbay
