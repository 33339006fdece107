// PatchbayctlCarrierTest.cpp: PatchbayctlTest cases for carrier control — calls place/hangup/transfer, numbers assign --configure, doctor — and help texts that must match behaviour.
#include "PatchbayctlTest.h"

#include "CannedApi.h"

using namespace patchbay::tests;

namespace {

const std::string kPlaced = R"({"callSid":"CA00000000000000000000000000000009","tenantId":"acme","from":"+15005550006",)"
                            R"("to":"+15005550100","direction":"outbound","status":"received"})";

const std::string kDoctorOk = R"({"ok":true,"checks":[{"subject":"+15005550006","ok":true,"problem":"","fix":""},)"
                              R"({"subject":"voice webhook","ok":true,"problem":"","fix":""},)"
                              R"({"subject":"media stream","ok":true,"problem":"","fix":""}]})";

const std::string kDoctorFailing =
    R"j({"ok":false,"checks":[{"subject":"+15005550006","ok":false,)j"
    R"j("problem":"VoiceUrl is https://old.example.com/voice (expected https://gw.example.com/twilio/voice)",)j"
    R"j("fix":"patchbayctl numbers assign +15005550006 --tenant acme --account AC0123456789abcdef0123456789abcdef --configure"},)j"
    R"j({"subject":"voice webhook","ok":false,"problem":"403 on a correctly signed request:\npublicUrl does not match","fix":"set publicUrl"},)j"
    R"j({"subject":"media stream","ok":true,"problem":"","fix":""}]})j";

} // namespace

void PatchbayctlTest::carrierCommandsSendRightRequests()
{
    const std::string sid = "CA00000000000000000000000000000009";
    _server->on("POST", "/v1/calls", 201, kPlaced);
    auto r = one({"calls", "place", "--tenant", "acme", "--to", "+15005550100", "--from", "+15005550006", "--ring-timeout", "20"});
    CPPUNIT_ASSERT_EQUAL(std::string("POST /v1/calls"), r.method + " " + r.uri);
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"tenant":"acme","to":"+15005550100","from":"+15005550006","ringTimeoutSeconds":20})"), r.body);
    r = one({"calls", "place", "--tenant", "acme", "--to", "+15005550100"});
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"tenant":"acme","to":"+15005550100"})"), r.body);
    CtlResult placed = ctl({"calls", "place", "--tenant", "acme", "--to", "+15005550100"});
    PB_ASSERT_CODE(0, placed);
    CPPUNIT_ASSERT_EQUAL("call " + sid + " placed: +15005550006 -> +15005550100 (tenant acme)\n", placed.out);
    placed = ctl({"calls", "place", "--tenant", "acme", "--to", "+15005550100", "--json"});
    PB_ASSERT_CONTAINS(placed.out, "\"direction\": \"outbound\"");

    _server->on("POST", "/v1/calls/" + sid + "/hangup", 200, R"({"callSid":")" + sid + R"(","action":"hangup"})");
    r = one({"calls", "hangup", sid});
    CPPUNIT_ASSERT_EQUAL("POST /v1/calls/" + sid + "/hangup", r.method + " " + r.uri);
    CPPUNIT_ASSERT_EQUAL(std::string(), r.body);
    PB_ASSERT_CONTAINS(ctl({"calls", "hangup", sid}).out, "call " + sid + " hung up");

    _server->on("POST", "/v1/calls/" + sid + "/transfer", 200,
                R"({"callSid":")" + sid + R"(","action":"transfer","to":"+15005550199"})");
    r = one({"calls", "transfer", sid, "--to", "+15005550199"});
    CPPUNIT_ASSERT_EQUAL("POST /v1/calls/" + sid + "/transfer", r.method + " " + r.uri);
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"to":"+15005550199"})"), r.body);
    PB_ASSERT_CONTAINS(ctl({"calls", "transfer", sid, "--to", "+15005550199"}).out, "transferred to +15005550199");

    // The carrier's refusal is an API error like any other: one line, exit 1.
    _server->on("POST", "/v1/calls/" + sid + "/hangup", 502,
                R"({"type":"about:blank","title":"Bad Gateway","status":502,"detail":"hanging up call failed at the carrier: Twilio 503"})",
                "application/problem+json");
    CtlResult failed = ctl({"calls", "hangup", sid});
    PB_ASSERT_CODE(1, failed);
    PB_ASSERT_CONTAINS(failed.err, "Twilio 503");

    // numbers assign --configure sends the flag and reports what the carrier did.
    _server->on("PUT", "/v1/numbers/%2B15005550006", 200,
                R"({"number":"+15005550006","tenantId":"acme","accountSid":"AC0123456789abcdef0123456789abcdef",)"
                R"("phoneNumberSid":"PN0123456789abcdef0123456789abcdef","carrier":{"configured":true,)"
                R"("phoneNumberSid":"PN0123456789abcdef0123456789abcdef"}})");
    r = one({"numbers", "assign", "+15005550006", "--tenant", "acme", "--account", canned::kAccountSid, "--configure"});
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"tenantId":"acme","accountSid":")") + canned::kAccountSid + R"(","configure":true})", r.body);
    CtlResult assigned = ctl({"numbers", "assign", "+15005550006", "--tenant", "acme", "--account", canned::kAccountSid, "--configure"});
    PB_ASSERT_CODE(0, assigned);
    CPPUNIT_ASSERT_EQUAL(std::string("number +15005550006 assigned to tenant acme; configured at the carrier "
                                     "(PN0123456789abcdef0123456789abcdef)\n"),
                         assigned.out);
    // Without --configure the flag is not sent; a failure the plugin ran into on its own is a warning.
    _server->on("PUT", "/v1/numbers/%2B15005550006", 200,
                R"({"number":"+15005550006","tenantId":"acme","accountSid":"AC0123456789abcdef0123456789abcdef",)"
                R"("phoneNumberSid":"","carrier":{"configured":false,"phoneNumberSid":"","error":"Twilio unreachable"}})");
    r = one({"numbers", "assign", "+15005550006", "--tenant", "acme", "--account", canned::kAccountSid});
    PB_ASSERT_LACKS(r.body, "configure");
    assigned = ctl({"numbers", "assign", "+15005550006", "--tenant", "acme", "--account", canned::kAccountSid});
    PB_ASSERT_CODE(0, assigned);
    CPPUNIT_ASSERT_EQUAL(std::string("number +15005550006 assigned to tenant acme\n"), assigned.out);
    PB_ASSERT_CONTAINS(assigned.err, "warning: the number was not configured at the carrier: Twilio unreachable");
}

void PatchbayctlTest::carrierCommandUsageErrors()
{
    struct Case
    {
        std::vector<std::string> args;
        std::string message;
    };
    const std::vector<Case> cases = {
        {{"calls", "place", "--to", "+15005550100"}, "missing --tenant"},
        {{"calls", "place", "--tenant", "acme"}, "missing --to"},
        {{"calls", "place", "--tenant", "acme", "--to", "15005550100"}, "--to must be an E.164 number"},
        {{"calls", "place", "--tenant", "acme", "--to", "+15005550100", "--from", "5550006"}, "--from must be an E.164 number"},
        {{"calls", "place", "--tenant", "acme", "--to", "+15005550100", "--ring-timeout", "3"}, "--ring-timeout must be 5..600"},
        {{"calls", "place", "--tenant", "acme", "--to", "+15005550100", "--ring-timeout", "601"}, "at most 600"},
        {{"calls", "hangup"}, "missing SID"},
        {{"calls", "transfer", "CA1"}, "missing --to"},
        {{"calls", "transfer", "CA1", "--to", "0044"}, "--to must be an E.164 number"},
        {{"calls", "list", "--limit", "1001"}, "--limit must be at most 1000"},
        {{"calls", "list", "--limit", "0"}, "--limit must be at least 1"},
        {{"doctor", "extra"}, "unexpected argument 'extra'"},
        {{"numbers", "assign", "+15005550006", "--tenant", "a", "--account", "AC1", "--configure=yes"}, "--configure takes no value"},
    };
    for (const auto& c : cases)
    {
        _server->clear();
        CtlResult r = ctl(c.args);
        PB_ASSERT_CODE(2, r);
        PB_ASSERT_CONTAINS(r.err, c.message);
        CPPUNIT_ASSERT_MESSAGE(r.describe(), _server->requests().empty());
    }
    // 1000 itself is fine, as for the API.
    _server->on("GET", "/v1/calls", 200, canned::kCallList);
    CPPUNIT_ASSERT_EQUAL(std::string("limit=1000"), one({"calls", "list", "--limit", "1000"}).query);
}

void PatchbayctlTest::doctorPrintsOneLinePerCheck()
{
    _server->on("GET", "/v1/doctor", 200, kDoctorOk);
    auto request = one({"doctor"});
    CPPUNIT_ASSERT_EQUAL(std::string("GET /v1/doctor"), request.method + " " + request.uri);
    CtlResult r = ctl({"doctor"});
    PB_ASSERT_CODE(0, r);
    CPPUNIT_ASSERT_EQUAL(std::string("OK    +15005550006\nOK    voice webhook\nOK    media stream\nall 3 checks passed\n"), r.out);

    _server->on("GET", "/v1/doctor", 200, kDoctorFailing);
    r = ctl({"doctor"});
    PB_ASSERT_CODE(5, r);
    const auto out = lines(r.out);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.out, std::size_t(4), out.size());
    CPPUNIT_ASSERT_EQUAL(std::string("FAIL  +15005550006: VoiceUrl is https://old.example.com/voice (expected "
                                     "https://gw.example.com/twilio/voice); fix: patchbayctl numbers assign +15005550006 "
                                     "--tenant acme --account AC0123456789abcdef0123456789abcdef --configure"),
                         out[0]);
    // A problem text with a line break still prints as one line.
    CPPUNIT_ASSERT_EQUAL(std::string("FAIL  voice webhook: 403 on a correctly signed request: publicUrl does not match; fix: set publicUrl"),
                         out[1]);
    CPPUNIT_ASSERT_EQUAL(std::string("OK    media stream"), out[2]);
    CPPUNIT_ASSERT_EQUAL(std::string("2 of 3 checks failed"), out[3]);
    CPPUNIT_ASSERT_EQUAL(std::string(), r.err);

    r = ctl({"doctor", "--json"});
    PB_ASSERT_CODE(5, r);
    CPPUNIT_ASSERT_EQUAL(false, parseObject(r.out)->getValue<bool>("ok"));

    _server->on("GET", "/v1/doctor", 403,
                R"({"type":"about:blank","title":"Forbidden","status":403,"detail":"this endpoint needs the operator token"})",
                "application/problem+json");
    PB_ASSERT_CODE(4, ctl({"doctor"}));
}

void PatchbayctlTest::helpTextsMatchBehaviour()
{
    // `usage help` and `health help` work like `tenants help`.
    for (const char* group : {"usage", "health", "doctor"})
        for (const char* form : {"help", "--help", "-h"})
        {
            CtlResult r = runCtl({group, form});
            PB_ASSERT_CODE(0, r);
            PB_ASSERT_CONTAINS(r.out, std::string("usage: patchbayctl ") + group);
        }
    // -h is listed wherever --help is.
    PB_ASSERT_CONTAINS(runCtl({"--help"}).out, "-h, --help");
    PB_ASSERT_CONTAINS(runCtl({"tenants", "list", "--help"}).out, "-h, --help");
    PB_ASSERT_CONTAINS(runCtl({"--help"}).out, "5  doctor: at least one check failed");
    PB_ASSERT_CONTAINS(runCtl({"doctor", "--help"}).out, "5 at least one check failed");
    PB_ASSERT_CONTAINS(runCtl({"calls", "--help"}).out, "  transfer");

    // update keeps the current status when --status is absent; only add defaults to active.
    PB_ASSERT_CONTAINS(runCtl({"tenants", "add", "--help"}).out, "active or suspended (default active)");
    const std::string update = runCtl({"tenants", "update", "--help"}).out;
    PB_ASSERT_LACKS(update, "default active");
    PB_ASSERT_CONTAINS(update, "unchanged when absent");

    // Moving a number to another tenant is a 409, not something assign does.
    const std::string assign = runCtl({"numbers", "assign", "--help"}).out;
    PB_ASSERT_LACKS(assign, "moves");
    PB_ASSERT_CONTAINS(assign, "(409): release it first");
    PB_ASSERT_CONTAINS(assign, "--configure");

    // --limit's documented bound is the one enforced.
    PB_ASSERT_CONTAINS(runCtl({"calls", "list", "--help"}).out, "1..1000");
}
