// CallCommands.cpp: `patchbayctl calls list|show|place|hangup|transfer` — call records, history, transcripts and agent reports, and call control at the carrier.
#include "AdminClient.h"
#include "Arguments.h"
#include "CommandGroup.h"
#include "CtlContext.h"
#include "JsonText.h"
#include "Table.h"
#include "Units.h"

#include <algorithm>
#include <ostream>

namespace patchbay {
namespace ctl {

namespace {

using Ptr = Poco::JSON::Object::Ptr;

std::string timeParameter(const Arguments& args, const char* name)
{
    const auto ms = Units::parseTime(args.value(name));
    if (!ms)
        args.fail(std::string("--") + name + " expects Unix milliseconds or ISO 8601 (2024-05-01, 2024-05-01T12:00:00Z), got '" +
                  args.value(name) + "'");
    return std::to_string(*ms);
}

std::string cost(const Ptr& call)
{
    if (!call->has("costMicros"))
        return JsonText::text(call, "cost");
    return Units::money(JsonText::integer(call, "costMicros"));
}

int list(CtlContext& context, const std::vector<std::string>& argv)
{
    Arguments args("calls list", "[FILTERS]", "List calls, newest first.");
    args.option("tenant", "ID", "only this tenant's calls");
    args.option("status", "STATUS", "only calls in this status (received, answered, streaming, ended, rejected)");
    args.option("since", "TIME", "received at or after TIME (ISO 8601 or Unix ms)");
    args.option("until", "TIME", "received before TIME (ISO 8601 or Unix ms)");
    args.option("limit", "N", "page size, 1..1000 (the API's default, 100, when absent)");
    args.option("offset", "N", "skip this many calls (pagination)");
    args.note("Times print in UTC. When more calls match, the last line gives the --offset of the next page.");
    if (!context.begin(args, argv))
        return 0;
    AdminClient::Query query;
    for (const char* name : {"tenant", "status"})
        if (args.has(name))
            query.emplace_back(name, args.value(name));
    for (const char* name : {"since", "until"})
        if (args.has(name))
            query.emplace_back(name, timeParameter(args, name));
    // The API's own bounds, checked here so a typo costs no round trip.
    if (const auto limit = args.count("limit", 1000))
    {
        if (*limit == 0)
            args.fail("--limit must be at least 1");
        query.emplace_back("limit", std::to_string(*limit));
    }
    if (const auto offset = args.count("offset"))
        query.emplace_back("offset", std::to_string(*offset));

    const auto response = context.client().call("GET", "/v1/calls", query);
    if (context.json())
    {
        context.printJson(response.json);
        return 0;
    }
    Table table({"CALL SID", "TENANT", "FROM", "TO", "STATUS", "VARIANT", "RECEIVED (UTC)", "DURATION", "END REASON", "COST"});
    const auto calls = JsonText::list(response.json, "calls");
    for (std::size_t i = 0; i < calls->size(); ++i)
    {
        const Ptr c = calls->getObject(static_cast<unsigned>(i));
        const bool ended = JsonText::integer(c, "endedAtMs") > 0;
        table.row({JsonText::text(c, "callSid"), JsonText::text(c, "tenantId"), JsonText::text(c, "from"),
                   JsonText::text(c, "to"), JsonText::text(c, "status"), JsonText::text(c, "variant"),
                   Units::timestamp(JsonText::integer(c, "receivedAtMs")),
                   ended ? Units::duration(JsonText::integer(c, "durationMs")) : std::string(),
                   JsonText::text(c, "endReason"), ended ? cost(c) : std::string()});
    }
    table.print(context.out());
    const Ptr page = JsonText::object(response.json);
    const std::string next = JsonText::text(page, "next");
    if (!next.empty() && next != "0")
        context.out() << "more calls: add --offset " << next << "\n";
    return 0;
}

int show(CtlContext& context, const std::vector<std::string>& argv)
{
    Arguments args("calls show", "", "Show one call: its record, carrier status history, transcript and the agent's report.");
    args.positional("SID", "CallSid (CA...)");
    if (!context.begin(args, argv))
        return 0;
    const auto response =
        context.client().call("GET", "/v1/calls/" + AdminClient::segment(args.positionalValue(0)));
    if (context.json())
    {
        context.printJson(response.json);
        return 0;
    }
    const Ptr body = JsonText::object(response.json);
    // The record may be the body itself or nested under "call"; history and transcript sit beside it.
    Ptr c = JsonText::object(body, "call");
    if (!c)
        c = body;
    const auto when = [&](const char* key) { return Units::timestamp(JsonText::integer(c, key), true); };
    const bool ended = JsonText::integer(c, "endedAtMs") > 0;
    std::ostream& out = context.out();
    Table::block(out, {{"call sid", JsonText::text(c, "callSid")},
                       {"tenant", JsonText::text(c, "tenantId")},
                       {"account", JsonText::text(c, "accountSid")},
                       {"from", JsonText::text(c, "from")},
                       {"to", JsonText::text(c, "to")},
                       {"direction", JsonText::text(c, "direction")},
                       {"status", JsonText::text(c, "status")},
                       {"variant", JsonText::text(c, "variant")},
                       {"received", when("receivedAtMs")},
                       {"answered", when("answeredAtMs")},
                       {"stream started", when("streamStartedAtMs")},
                       {"ended", when("endedAtMs")},
                       {"duration", ended ? Units::duration(JsonText::integer(c, "durationMs")) : std::string()},
                       {"end reason", JsonText::text(c, "endReason")},
                       {"end detail", JsonText::text(c, "endDetail")},
                       {"conversation", JsonText::text(c, "agentConversationId")},
                       {"cost", ended ? cost(c) : std::string()}});

    const auto history = JsonText::array(body, "statusHistory");
    out << "\nstatus history:\n";
    if (!history || history->size() == 0)
        out << "  (none)\n";
    else
    {
        Table table({"  SEQ", "STATUS", "AT (UTC)"});
        for (std::size_t i = 0; i < history->size(); ++i)
        {
            const Ptr e = history->getObject(static_cast<unsigned>(i));
            const std::string seq = JsonText::text(e, "sequenceNumber");
            table.row({"  " + (seq == "-1" ? std::string("-") : seq), JsonText::text(e, "status"),
                       Units::timestamp(JsonText::integer(e, "atMs"), true)});
        }
        table.print(out);
    }

    const auto transcript = JsonText::array(body, "transcript");
    out << "\ntranscript:\n";
    if (!transcript || transcript->size() == 0)
        out << "  (none)\n";
    else
    {
        const std::int64_t start = JsonText::integer(c, "receivedAtMs");
        for (std::size_t i = 0; i < transcript->size(); ++i)
        {
            const Ptr e = transcript->getObject(static_cast<unsigned>(i));
            const std::int64_t at = JsonText::integer(e, "atMs");
            // Offsets from the call's start read like a conversation; absolute times are in --json.
            std::string offset = at > 0 && start > 0 && at >= start ? "+" + Units::duration(at - start) : std::string();
            offset.resize(std::max<std::size_t>(offset.size(), 9), ' ');
            std::string text = JsonText::text(e, "text");
            for (char& ch : text)
                if (ch == '\n' || ch == '\r')
                    ch = ' ';
            out << "  " << offset << JsonText::text(e, "role") << ": " << text << "\n";
        }
    }

    // The agent platform's own account (post-call webhook), when it sent one.
    const Ptr report = JsonText::object(c, "agentReport");
    out << "\nagent report:\n";
    if (!report)
        out << "  (none)\n";
    else
    {
        // null (unknown) and absent both print "-"; a duration is whole seconds.
        const std::string seconds = JsonText::text(report, "durationSeconds");
        Table::block(out,
                     {{"conversation", JsonText::text(report, "conversationId")},
                      {"status", JsonText::text(report, "status")},
                      {"termination", JsonText::text(report, "terminationReason")},
                      {"duration", seconds.empty() ? std::string() : Units::duration(JsonText::integer(report, "durationSeconds") * 1000)},
                      {"agent cost", JsonText::text(report, "cost")},
                      {"successful", JsonText::text(report, "callSuccessful")},
                      {"summary", JsonText::text(report, "summary")},
                      {"analysis", JsonText::text(report, "analysis")},
                      {"received", Units::timestamp(JsonText::integer(report, "receivedAtMs"), true)}},
                     "  ");
    }
    return 0;
}

void requireE164(const Arguments& args, const std::string& option)
{
    const std::string number = args.value(option);
    // The classic shell slip (a number without '+') is caught before it becomes a confusing 400.
    if (number.empty() || number[0] != '+')
        args.fail("--" + option + " must be an E.164 number starting with '+', e.g. +15005550006 (got '" + number + "')");
}

int place(CtlContext& context, const std::vector<std::string>& argv)
{
    Arguments args("calls place", "--tenant ID --to E164 [--from E164] [--ring-timeout SECONDS]",
                   "Have the carrier call a number; when it answers, the tenant's agent talks to it.");
    args.option("tenant", "ID", "tenant whose agent takes the call (a tenant token: its own)", true);
    args.option("to", "E164", "number to call, e.g. +15005550100", true);
    args.option("from", "E164", "caller id: one of the tenant's numbers (default: its first)");
    args.option("ring-timeout", "SECONDS", "how long it may ring, 5..600 (default 30)");
    args.note("The call is admitted like an inbound one when it is answered (limits, suspension, A/B variants),\n"
              "by its caller id. A suspended tenant or one at its concurrency limit is refused before dialling.\n"
              "The CallSid printed works with 'calls show', 'calls hangup' and 'calls transfer'.");
    if (!context.begin(args, argv))
        return 0;
    requireE164(args, "to");
    if (args.has("from"))
        requireE164(args, "from");
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    body->set("tenant", args.value("tenant"));
    body->set("to", args.value("to"));
    if (args.has("from"))
        body->set("from", args.value("from"));
    if (const auto seconds = args.count("ring-timeout", 600))
    {
        if (*seconds < 5)
            args.fail("--ring-timeout must be 5..600 seconds");
        body->set("ringTimeoutSeconds", static_cast<Poco::UInt64>(*seconds));
    }
    const auto response = context.client().call("POST", "/v1/calls", {}, JsonText::compact(body));
    if (context.json())
    {
        context.printJson(response.json);
        return 0;
    }
    const Ptr call = JsonText::object(response.json);
    context.out() << "call " << JsonText::text(call, "callSid") << " placed: " << JsonText::text(call, "from") << " -> "
                  << JsonText::text(call, "to") << " (tenant " << JsonText::text(call, "tenantId") << ")\n";
    return 0;
}

int hangup(CtlContext& context, const std::vector<std::string>& argv)
{
    Arguments args("calls hangup", "", "End a call in progress at the carrier (the phone hangs up).");
    args.positional("SID", "CallSid (CA...)");
    if (!context.begin(args, argv))
        return 0;
    const std::string sid = args.positionalValue(0);
    const auto response = context.client().call("POST", "/v1/calls/" + AdminClient::segment(sid) + "/hangup");
    if (context.json())
    {
        context.printJson(response.json);
        return 0;
    }
    context.out() << "call " << sid << " hung up\n";
    return 0;
}

int transfer(CtlContext& context, const std::vector<std::string>& argv)
{
    Arguments args("calls transfer", "--to E164", "Move a call in progress from the agent to a phone number.");
    args.positional("SID", "CallSid (CA...)");
    args.option("to", "E164", "number to transfer to, e.g. +15005550100", true);
    args.note("The caller hears ringing, then that party; the agent's side of the call ends.");
    if (!context.begin(args, argv))
        return 0;
    requireE164(args, "to");
    const std::string sid = args.positionalValue(0);
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    body->set("to", args.value("to"));
    const auto response =
        context.client().call("POST", "/v1/calls/" + AdminClient::segment(sid) + "/transfer", {}, JsonText::compact(body));
    if (context.json())
    {
        context.printJson(response.json);
        return 0;
    }
    context.out() << "call " << sid << " transferred to " << args.value("to") << "\n";
    return 0;
}

} // namespace

CommandGroup callCommands()
{
    CommandGroup group("calls", "Call records: filter, page, and look into one call; place, hang up and transfer calls.");
    group.add("list", "list calls (table)", list);
    group.add("show", "show a call with status history, transcript and agent report", show);
    group.add("place", "have the carrier call a number for a tenant's agent", place);
    group.add("hangup", "end a call in progress", hangup);
    group.add("transfer", "move a call in progress to a phone number", transfer);
    return group;
}

} // namespace ctl
} // namespace patchbay
