// UsageCommands.cpp: `patchbayctl usage` — calls, minutes and cost per tenant, month and A/B variant.
#include "AdminClient.h"
#include "Arguments.h"
#include "CommandGroup.h"
#include "CtlContext.h"
#include "JsonText.h"
#include "Table.h"
#include "Units.h"

#include <map>

namespace patchbay {
namespace ctl {

namespace {

using Ptr = Poco::JSON::Object::Ptr;

int usage(CtlContext& context, const std::vector<std::string>& argv)
{
    Arguments args("usage", "[--tenant ID] [--month YYYY-MM]", "Show usage: calls, minutes and cost per tenant and month.");
    args.option("tenant", "ID", "only this tenant");
    args.option("month", "YYYY-MM", "only this month (UTC)");
    args.note("One row per tenant, month and A/B variant ('-' = no variant); a TOTAL row per currency\n"
              "follows when there is more than one row.");
    if (!context.begin(args, argv))
        return 0;
    AdminClient::Query query;
    if (args.has("tenant"))
        query.emplace_back("tenant", args.value("tenant"));
    if (args.has("month"))
    {
        if (!Units::isMonth(args.value("month")))
            args.fail("--month expects YYYY-MM, got '" + args.value("month") + "'");
        query.emplace_back("month", args.value("month"));
    }
    const auto response = context.client().call("GET", "/v1/usage", query);
    if (context.json())
    {
        context.printJson(response.json);
        return 0;
    }
    Table table({"TENANT", "MONTH", "VARIANT", "CALLS", "MINUTES", "COST", "CURRENCY"});
    struct Total
    {
        std::int64_t calls = 0;
        std::int64_t seconds = 0;
        std::int64_t micros = 0;
    };
    std::map<std::string, Total> totals;
    bool exact = true;
    const auto rows = JsonText::list(response.json, "usage");
    for (std::size_t i = 0; i < rows->size(); ++i)
    {
        const Ptr u = rows->getObject(static_cast<unsigned>(i));
        const std::string currency = JsonText::text(u, "currency");
        Total& total = totals[currency];
        total.calls += JsonText::integer(u, "calls");
        total.seconds += JsonText::integer(u, "seconds");
        exact = exact && u->has("costMicros") && u->has("seconds");
        total.micros += JsonText::integer(u, "costMicros");
        // From the exact seconds when present: a JSON number such as 8.00 would print as "8".
        const std::string minutes =
            u->has("seconds") ? Units::minutes(JsonText::integer(u, "seconds")) : JsonText::text(u, "minutes");
        table.row({JsonText::text(u, "tenantId"), JsonText::text(u, "month"), JsonText::text(u, "variant"),
                   JsonText::text(u, "calls"), minutes, JsonText::text(u, "cost"), currency});
    }
    // Totals are summed from exact integers (seconds, micros); without them a sum of rounded
    // decimals would be off, so no total is printed.
    if (rows->size() > 1 && exact)
        for (const auto& [currency, total] : totals)
        {
            table.row({"TOTAL", "", "", std::to_string(total.calls), Units::minutes(total.seconds),
                       Units::money(total.micros), currency});
        }
    table.print(context.out());
    return 0;
}

} // namespace

CommandGroup usageCommands()
{
    CommandGroup group("usage", "Usage and cost per tenant and month.");
    group.add("", "", usage);
    return group;
}

} // namespace ctl
} // namespace patchbay
