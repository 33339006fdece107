// PatchbayctlOutputTest.cpp: PatchbayctlTest cases for human output (tables, key: value blocks) and --json.
#include "PatchbayctlTest.h"

#include "CannedApi.h"

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

using namespace patchbay::tests;

namespace {

/// Character (code point) position of each header word, for checking alignment.
std::size_t column(const std::string& line, const std::string& word)
{
    const auto at = line.find(word);
    if (at == std::string::npos)
        return std::string::npos;
    std::size_t count = 0;
    for (std::size_t i = 0; i < at; ++i)
        if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80)
            ++count;
    return count;
}

/// The rest of `line` from code point `position` on.
std::string from(const std::string& line, std::size_t position)
{
    std::size_t count = 0;
    for (std::size_t i = 0; i < line.size(); ++i)
        if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80 && count++ == position)
            return line.substr(i);
    return std::string();
}

std::string condensed(const std::string& json)
{
    Poco::JSON::Parser parser;
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(parser.parse(json), out);
    return out.str();
}

} // namespace

void PatchbayctlTest::listsPrintAlignedTables()
{
    // Every row's cells start where the header's do, including rows with multi-byte names.
    const auto assertAligned = [](const CtlResult& r, const std::vector<std::string>& headers,
                                      const std::vector<std::vector<std::string>>& rows) {
        PB_ASSERT_CODE(0, r);
        const auto out = lines(r.out);
        CPPUNIT_ASSERT_MESSAGE(r.describe(), out.size() >= rows.size() + 1);
        for (std::size_t h = 0; h < headers.size(); ++h)
        {
            const std::size_t at = column(out[0], headers[h]);
            CPPUNIT_ASSERT_MESSAGE("header " + headers[h] + " in\n" + r.out, at != std::string::npos);
            for (std::size_t i = 0; i < rows.size(); ++i)
                if (h < rows[i].size() && !rows[i][h].empty())
                {
                    const std::string cell = from(out[i + 1], at);
                    CPPUNIT_ASSERT_MESSAGE(headers[h] + " / " + rows[i][h] + " in\n" + r.out,
                                           cell.rfind(rows[i][h] + " ", 0) == 0 || cell == rows[i][h]);
                    CPPUNIT_ASSERT_MESSAGE("cell before " + headers[h] + " runs into it:\n" + r.out,
                                           at == 0 || from(out[i + 1], at - 1)[0] == ' ');
                }
        }
    };

    _server->on("GET", "/v1/tenants", 200, canned::kTenantList);
    assertAligned(ctl({"tenants", "list"}), {"ID", "NAME", "STATUS", "AGENT", "MAX-CONC", "CALLS/MIN", "RATE/MIN"},
                  {{"acme", "Acme Dental", "active", "agent_123", "5", "-", "0.05 USD"},
                   {"zürich-bakery", "Bäckerei Zürich", "suspended", "agent_long_identifier_9", "-", "10", ""}});

    _server->on("GET", "/v1/numbers", 200, canned::kNumberList);
    assertAligned(ctl({"numbers", "list"}), {"NUMBER", "TENANT", "ACCOUNT", "PN SID"},
                  {{"+15005550006", "acme", canned::kAccountSid, "PN0123456789abcdef0123456789abcdef"},
                   {"+442071838750", "zürich-bakery", canned::kAccountSid, "-"}});

    _server->on("GET", "/v1/calls", 200, canned::kCallList);
    CtlResult calls = ctl({"calls", "list"});
    assertAligned(calls, {"CALL SID", "TENANT", "FROM", "STATUS", "VARIANT", "RECEIVED (UTC)", "DURATION", "END REASON", "COST"},
                  {{"CA00000000000000000000000000000001", "acme", "+14155550100", "ended", "b", "2024-05-01T12:00:00Z",
                    "2m05s", "caller-hangup", "0.104167"},
                   {"CA00000000000000000000000000000002", "acme", "+14155550101", "streaming", "-", "2024-05-01T12:01:40Z"}});
    PB_ASSERT_CONTAINS(calls.out, "more calls: add --offset 2");

    _server->on("GET", "/v1/usage", 200, canned::kUsage);
    CtlResult usage = ctl({"usage"});
    assertAligned(usage, {"TENANT", "MONTH", "VARIANT", "CALLS", "MINUTES", "COST", "CURRENCY"},
                  {{"acme", "2024-05", "a", "12", "25.50", "1.275", "USD"},
                   {"acme", "2024-05", "b", "4", "8.00", "0.40", "USD"},
                   {"TOTAL", "", "", "16", "33.50", "1.675", "USD"}});

    _server->on("GET", "/v1/accounts", 200, canned::kAccountList);
    assertAligned(ctl({"accounts", "list"}), {"SID", "NAME", "AUTH TOKEN", "SECONDARY", "API SECRET"},
                  {{canned::kAccountSid, "Main", "set", "set", "not set"}});

    _server->on("GET", "/v1/tenants/acme/tokens", 200, canned::kTokenList);
    assertAligned(ctl({"tokens", "list", "acme"}), {"ID", "LABEL", "CREATED (UTC)", "REVOKED (UTC)"},
                  {{"tok_7f3a", "crm", "2024-05-01T12:00:00Z", "-"}, {"tok_0001", "old", "2024-04-30T08:13:20Z", "2024-05-01T12:00:00Z"}});

    // An empty list is just the header.
    _server->on("GET", "/v1/tenants", 200, R"({"tenants":[]})");
    CtlResult empty = ctl({"tenants", "list"});
    PB_ASSERT_CODE(0, empty);
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), lines(empty.out).size());
}

void PatchbayctlTest::showPrintsKeyValueBlocks()
{
    _server->on("GET", "/v1/tenants/acme", 200, canned::kTenant);
    CtlResult r = ctl({"tenants", "show", "acme"});
    PB_ASSERT_CODE(0, r);
    for (const char* line : {"id:               acme\n", "name:             Acme Dental\n", "status:           active\n",
                             "provider:         elevenlabs\n", "agent id:         agent_123\n",
                             "variables:        clinic=north, tier=gold\n", "agent api key:    set\n",
                             "calls per minute: unlimited\n", "max concurrent:   5\n", "monthly minutes:  1000\n",
                             "fallback number:  +15005550199\n", "rate per minute:  0.05 USD\n", "prompt:           -\n",
                             "variants:\n  a  weight 3  agent agent_old\n  b  weight 1  agent agent_new\n"})
        PB_ASSERT_CONTAINS(r.out, line);

    _server->on("GET", std::string("/v1/accounts/") + canned::kAccountSid, 200, canned::kAccount);
    r = ctl({"accounts", "show", canned::kAccountSid});
    PB_ASSERT_CODE(0, r);
    PB_ASSERT_CONTAINS(r.out, std::string("sid:             ") + canned::kAccountSid + "\n");
    PB_ASSERT_CONTAINS(r.out, "parent:          -\n");
    PB_ASSERT_CONTAINS(r.out, "auth token:      set\n");
    PB_ASSERT_CONTAINS(r.out, "secondary token: not set\n");

    // Mutations confirm in one line and show the record the API returned.
    _server->on("POST", "/v1/tenants/acme/suspend", 200, canned::kTenant);
    r = ctl({"tenants", "suspend", "acme"});
    CPPUNIT_ASSERT_EQUAL(std::string("tenant acme suspended\n"), r.out);
    _server->on("PUT", "/v1/tenants/acme/variants", 200, canned::kTenant);
    r = ctl({"variants", "set", "acme", "--variant", "a:3:agent_old", "--variant", "b:1:agent_new"});
    PB_ASSERT_CODE(0, r);
    PB_ASSERT_CONTAINS(r.out, "variants of acme set (2)\n");
    PB_ASSERT_CONTAINS(r.out, "75.0%");
    PB_ASSERT_CONTAINS(r.out, "25.0%");
    r = ctl({"variants", "show", "acme"});
    PB_ASSERT_CONTAINS(r.out, "Hi: new");
}

void PatchbayctlTest::callShowPrintsHistoryAndTranscript()
{
    _server->on("GET", std::string("/v1/calls/") + canned::kCallSid, 200, canned::kCallDetail);
    CtlResult r = ctl({"calls", "show", canned::kCallSid});
    PB_ASSERT_CODE(0, r);
    for (const char* line : {"call sid:       CA00000000000000000000000000000001\n", "variant:        b\n",
                             "received:       2024-05-01T12:00:00.000Z\n", "ended:          2024-05-01T12:02:05.000Z\n",
                             "duration:       2m05s\n", "end reason:     caller-hangup\n", "end detail:     -\n",
                             "cost:           0.104167\n", "status history:\n", "transcript:\n"})
        PB_ASSERT_CONTAINS(r.out, line);
    const auto out = lines(r.out);
    std::vector<std::string> history;
    bool inHistory = false;
    for (const auto& line : out)
    {
        if (line == "status history:")
            inHistory = true;
        else if (line.empty())
            inHistory = false;
        else if (inHistory)
            history.push_back(line);
    }
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.out, std::size_t(4), history.size());
    PB_ASSERT_CONTAINS(history[1], "0    ringing      2024-05-01T12:00:00.100Z");
    PB_ASSERT_CONTAINS(history[3], "2    completed    2024-05-01T12:02:05.000Z");
    PB_ASSERT_CONTAINS(r.out, "  +2s      agent: Hello from Acme, how can I help?\n");
    PB_ASSERT_CONTAINS(r.out, "  +6s      user: I need an appointment.\n");
    // The agent's own account, after the transcript; null (unknown) prints "-", a summary's second
    // line stays under its first.
    const std::string report = r.out.substr(r.out.find("\nagent report:\n"));
    for (const char* line : {"  conversation: conv_1\n", "  termination:  end_call tool was called.\n",
                             "  duration:     2m04s\n", "  agent cost:   -\n", "  successful:   success\n",
                             "  summary:      Booked an appointment.\n                For Tuesday.\n",
                             "  analysis:     {\"dataCollection\":{\"day\":{\"value\":\"Tuesday\"}}}\n",
                             "  received:     2024-05-01T12:02:10.000Z\n"})
        PB_ASSERT_CONTAINS(report, line);
}

void PatchbayctlTest::jsonPrintsApiJsonAsIs()
{
    const std::vector<std::pair<std::vector<std::string>, std::pair<std::string, const char*>>> cases = {
        {{"tenants", "list"}, {"/v1/tenants", canned::kTenantList}},
        {{"tenants", "show", "acme"}, {"/v1/tenants/acme", canned::kTenant}},
        {{"numbers", "list"}, {"/v1/numbers", canned::kNumberList}},
        {{"accounts", "list"}, {"/v1/accounts", canned::kAccountList}},
        {{"calls", "list"}, {"/v1/calls", canned::kCallList}},
        {{"calls", "show", canned::kCallSid}, {std::string("/v1/calls/") + canned::kCallSid, canned::kCallDetail}},
        {{"usage"}, {"/v1/usage", canned::kUsage}},
        {{"tokens", "list", "acme"}, {"/v1/tenants/acme/tokens", canned::kTokenList}},
    };
    for (const auto& [args, canned] : cases)
    {
        _server->on("GET", canned.first, 200, canned.second);
        auto withJson = args;
        withJson.push_back("--json");
        CtlResult r = ctl(withJson);
        PB_ASSERT_CODE(0, r);
        // Same document, member order kept (condense of an order-keeping parse would differ otherwise).
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.out, condensed(canned.second), condensed(r.out));
        const std::string firstKey = std::string(canned.second).substr(2, std::string(canned.second).find('"', 2) - 2);
        PB_ASSERT_CONTAINS(lines(r.out).at(1), "  \"" + firstKey + "\": ");
        // Pretty-printed: one member per line, two-space indent, empty containers inline.
        CPPUNIT_ASSERT(lines(r.out).size() > 3);
        CPPUNIT_ASSERT_EQUAL(std::string("{"), lines(r.out).front());
        CPPUNIT_ASSERT_EQUAL(std::string("}"), lines(r.out).back());
    }
    _server->on("GET", "/v1/tenants", 200, R"({"tenants":[]})");
    CtlResult r = ctl({"tenants", "list", "--json"});
    CPPUNIT_ASSERT_EQUAL(std::string("{\n  \"tenants\": []\n}\n"), r.out);

    // Mutations print the returned record; a 204 prints nothing.
    _server->on("POST", "/v1/tenants/acme/resume", 200, canned::kTenant);
    r = ctl({"--json", "tenants", "resume", "acme"});
    CPPUNIT_ASSERT_EQUAL(condensed(canned::kTenant), condensed(r.out));
    _server->on("DELETE", "/v1/numbers/%2B15005550006", 204, "");
    r = ctl({"--json", "numbers", "release", "+15005550006"});
    PB_ASSERT_CODE(0, r);
    CPPUNIT_ASSERT_EQUAL(std::string(), r.out);
}

void PatchbayctlTest::tokensCreatePrintsTokenOnce()
{
    _server->on("POST", "/v1/tenants/acme/tokens", 201, canned::kTokenCreated);
    CtlResult r = ctl({"tokens", "create", "acme", "--label", "crm"});
    PB_ASSERT_CODE(0, r);
    const auto out = lines(r.out);
    CPPUNIT_ASSERT_EQUAL(std::string("pbt_SECRET_VALUE_0123456789"), out.at(0));
    PB_ASSERT_CONTAINS(r.out, "token id: tok_7f3a");
    PB_ASSERT_CONTAINS(r.err, "not shown again");
    PB_ASSERT_LACKS(r.err, "pbt_SECRET");

    r = ctl({"tokens", "create", "acme", "--json"});
    PB_ASSERT_CODE(0, r);
    PB_ASSERT_CONTAINS(r.out, "\"token\": \"pbt_SECRET_VALUE_0123456789\"");

    _server->on("GET", "/v1/tenants/acme/tokens", 200, canned::kTokenList);
    r = ctl({"tokens", "list", "acme"});
    PB_ASSERT_LACKS(r.out + r.err, "pbt_");
}
