// AdminCarrierTest.cpp: the admin API's carrier endpoints over real HTTP — number configuration, outbound calls, hang-up, transfer and doctor — against a recording fake carrier.
#include <cppunit/extensions/HelperMacros.h>

#include "AdminTestHarness.h"

using namespace patchbay;
using patchbay::testing::AdminReply;
using patchbay::testing::AdminTestHarness;
using patchbay::testing::FakeInboundProvider;

namespace {

const std::string kToken = "accountTokenSECRET-carrier";
const std::string kLiveCall = "CA" + std::string(32, '1');
const std::string kEndedCall = "CA" + std::string(32, '2');

} // namespace

class AdminCarrierTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(AdminCarrierTest);
    CPPUNIT_TEST(assignWithConfigureSavesThePhoneNumberSid);
    CPPUNIT_TEST(plainAssignmentLetsThePluginDecide);
    CPPUNIT_TEST(failedExplicitConfigurationIs502);
    CPPUNIT_TEST(configureWithoutCarrierIs503AndAssignsNothing);
    CPPUNIT_TEST(placeCallFromTheTenantsFirstNumber);
    CPPUNIT_TEST(placeCallValidatesAndRefusesOverLimit);
    CPPUNIT_TEST(placeCallWithATenantToken);
    CPPUNIT_TEST(hangupAndTransferALiveCall);
    CPPUNIT_TEST(callControlFailures);
    CPPUNIT_TEST(doctorChecksEveryNumberAndTheEndpoints);
    CPPUNIT_TEST(doctorWithoutCarrierSaysSo);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { start(true); }
    void tearDown() override { _h.reset(); }

    void start(bool withCarrier)
    {
        _h = std::make_unique<AdminTestHarness>(true, withCarrier);
        _account = AdminTestHarness::accountSid('7');
        CPPUNIT_ASSERT_EQUAL(201, _h->op("POST", "/v1/accounts", AdminTestHarness::accountJson(_account, kToken)).status);
        CPPUNIT_ASSERT_EQUAL(201, _h->op("POST", "/v1/tenants", AdminTestHarness::tenantJson("acme", "Acme")).status);
        CPPUNIT_ASSERT_EQUAL(201, _h->op("POST", "/v1/tenants", AdminTestHarness::tenantJson("bravo", "Bravo")).status);
    }

    std::string numberBody(const std::string& tenant, const std::string& extra = {}) const
    {
        return R"({"tenantId":")" + tenant + R"(","accountSid":")" + _account + "\"" + (extra.empty() ? "" : "," + extra) + "}";
    }

    void assignWithConfigureSavesThePhoneNumberSid()
    {
        AdminReply r = _h->op("PUT", "/v1/numbers/%2B15005550006", numberBody("acme", R"("configure":true)"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        auto carrier = r.json()->getObject("carrier");
        CPPUNIT_ASSERT(carrier->getValue<bool>("configured"));
        CPPUNIT_ASSERT_EQUAL(std::string(FakeInboundProvider::kNumberSid), carrier->getValue<std::string>("phoneNumberSid"));
        CPPUNIT_ASSERT(!carrier->has("error"));
        CPPUNIT_ASSERT_EQUAL(std::string(FakeInboundProvider::kNumberSid), r.json()->getValue<std::string>("phoneNumberSid"));
        CPPUNIT_ASSERT_EQUAL(std::string(FakeInboundProvider::kNumberSid), _h->store().findNumber("+15005550006")->phoneNumberSid);
        const auto made = _h->carrier().made("configure");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), made.size());
        CPPUNIT_ASSERT(made[0].requested);
        CPPUNIT_ASSERT_EQUAL(std::string("+15005550006"), made[0].number);
        CPPUNIT_ASSERT_EQUAL(_account, made[0].accountSid);
        CPPUNIT_ASSERT_EQUAL(kToken, made[0].authToken); // the provider gets the real account, secrets included
        CPPUNIT_ASSERT(r.body.find(kToken) == std::string::npos);

        r = _h->op("PUT", "/v1/numbers/%2B15005550006", numberBody("acme", R"("configure":"yes")"));
        CPPUNIT_ASSERT_EQUAL(400, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("configure"), r.problem("field"));
    }

    void plainAssignmentLetsThePluginDecide()
    {
        AdminReply r = _h->op("PUT", "/v1/numbers/%2B15005550006", numberBody("acme"));
        CPPUNIT_ASSERT_EQUAL(201, r.status);
        auto carrier = r.json()->getObject("carrier");
        CPPUNIT_ASSERT(!carrier->getValue<bool>("configured")); // declined: fine and silent
        CPPUNIT_ASSERT(!carrier->has("error"));
        CPPUNIT_ASSERT(!_h->carrier().made("configure").at(0).requested);

        _h->carrier().configureEveryAssignment = true;
        r = _h->op("PUT", "/v1/numbers/%2B15005550006", numberBody("acme"));
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT(r.json()->getObject("carrier")->getValue<bool>("configured"));

        // A failure nobody asked for is reported in the answer; the assignment stands.
        _h->carrier().nextConfigure = sdk::Status::unavailable("Twilio unreachable");
        r = _h->op("PUT", "/v1/numbers/%2B15005550007", numberBody("acme"));
        CPPUNIT_ASSERT_EQUAL(201, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Twilio unreachable"), r.json()->getObject("carrier")->getValue<std::string>("error"));
        CPPUNIT_ASSERT(_h->store().findNumber("+15005550007").isOk());
    }

    void failedExplicitConfigurationIs502()
    {
        _h->carrier().nextConfigure = sdk::Status::notFound("Twilio account has no incoming number +15005550006");
        AdminReply r = _h->op("PUT", "/v1/numbers/%2B15005550006", numberBody("acme", R"("configure":true)"));
        CPPUNIT_ASSERT_EQUAL(502, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), r.contentType);
        CPPUNIT_ASSERT_MESSAGE(r.body, r.problem("detail").find("has no incoming number +15005550006") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(r.body, r.problem("detail").find("the assignment itself is saved") != std::string::npos);
        CPPUNIT_ASSERT(_h->store().findNumber("+15005550006").isOk()); // the assignment stays; the detail says so
        _h->carrier().nextConfigure = sdk::Status::declined("no REST API");
        r = _h->op("PUT", "/v1/numbers/%2B15005550006", numberBody("acme", R"("configure":true)"));
        CPPUNIT_ASSERT_EQUAL(501, r.status);
    }

    void configureWithoutCarrierIs503AndAssignsNothing()
    {
        start(false);
        AdminReply r = _h->op("PUT", "/v1/numbers/%2B15005550006", numberBody("acme", R"("configure":true)"));
        CPPUNIT_ASSERT_EQUAL(503, r.status);
        CPPUNIT_ASSERT(r.problem("detail").find("no inbound (carrier) plugin is running") != std::string::npos);
        CPPUNIT_ASSERT(!_h->store().findNumber("+15005550006").isOk());
        r = _h->op("PUT", "/v1/numbers/%2B15005550006", numberBody("acme"));
        CPPUNIT_ASSERT_EQUAL(201, r.status);
        CPPUNIT_ASSERT(!r.json()->getObject("carrier")->getValue<bool>("configured"));
        CPPUNIT_ASSERT_EQUAL(503, _h->op("POST", "/v1/calls", R"({"tenant":"acme","to":"+15005550100"})").status);
    }

    void placeCallFromTheTenantsFirstNumber()
    {
        assign("+15005550006", "acme");
        assign("+15005550008", "acme");
        AdminReply r = _h->op("POST", "/v1/calls", R"({"tenant":"acme","to":"+15005550100"})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        auto o = r.json();
        CPPUNIT_ASSERT_EQUAL(std::string(FakeInboundProvider::kPlacedSid), o->getValue<std::string>("callSid"));
        CPPUNIT_ASSERT_EQUAL(std::string("+15005550006"), o->getValue<std::string>("from"));
        CPPUNIT_ASSERT_EQUAL(std::string("outbound"), o->getValue<std::string>("direction"));
        const auto placed = _h->carrier().made("place");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), placed.size());
        CPPUNIT_ASSERT_EQUAL(std::string("+15005550006"), placed[0].from);
        CPPUNIT_ASSERT_EQUAL(std::string("+15005550100"), placed[0].number);
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), placed[0].tenantId);
        CPPUNIT_ASSERT_EQUAL(_account, placed[0].accountSid);
        // Listed while it rings, as an outbound call of the tenant.
        auto record = _h->store().findCall(FakeInboundProvider::kPlacedSid);
        CPPUNIT_ASSERT(record.isOk());
        CPPUNIT_ASSERT(record->call.direction == sdk::CallDirection::Outbound);
        CPPUNIT_ASSERT_EQUAL(std::string("twilio"), record->call.inboundProvider);
        CPPUNIT_ASSERT_EQUAL(std::string("received"), record->status);
        r = _h->op("GET", std::string("/v1/calls/") + FakeInboundProvider::kPlacedSid);
        CPPUNIT_ASSERT_EQUAL(std::string("outbound"), r.json()->getValue<std::string>("direction"));

        // An explicit caller id of the tenant's.
        r = _h->op("POST", "/v1/calls", R"({"tenant":"acme","to":"+15005550100","from":"+15005550008","ringTimeoutSeconds":20})");
        CPPUNIT_ASSERT_EQUAL(201, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("+15005550008"), _h->carrier().made("place").back().from);
    }

    void placeCallValidatesAndRefusesOverLimit()
    {
        assign("+15005550006", "acme");
        assign("+15005550009", "bravo");
        expectProblem(400, "to", _h->op("POST", "/v1/calls", R"({"tenant":"acme"})"));
        expectProblem(400, "to", _h->op("POST", "/v1/calls", R"({"tenant":"acme","to":"5550100"})"));
        expectProblem(400, "tenant", _h->op("POST", "/v1/calls", R"({"to":"+15005550100"})"));
        expectProblem(400, "from", _h->op("POST", "/v1/calls", R"({"tenant":"acme","to":"+15005550100","from":"+1x"})"));
        expectProblem(400, "from", _h->op("POST", "/v1/calls", R"({"tenant":"acme","to":"+15005550100","from":"+15005550009"})"));
        expectProblem(400, "ringTimeoutSeconds",
                      _h->op("POST", "/v1/calls", R"({"tenant":"acme","to":"+15005550100","ringTimeoutSeconds":9999})"));
        expectProblem(400, "bogus", _h->op("POST", "/v1/calls", R"({"tenant":"acme","to":"+15005550100","bogus":1})"));
        expectProblem(404, "tenant", _h->op("POST", "/v1/calls", R"({"tenant":"zulu","to":"+15005550100"})"));
        CPPUNIT_ASSERT_EQUAL(201, _h->op("POST", "/v1/tenants", AdminTestHarness::tenantJson("numberless", "N")).status);
        expectProblem(409, "from", _h->op("POST", "/v1/calls", R"({"tenant":"numberless","to":"+15005550100"})"));

        // Limits: the core's concurrency count, and suspension.
        _h->setActiveCalls("acme", 5); // tenantJson's maxConcurrentCalls
        AdminReply r = _h->op("POST", "/v1/calls", R"({"tenant":"acme","to":"+15005550100"})");
        CPPUNIT_ASSERT_EQUAL(429, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("5"), r.header("retry-after"));
        CPPUNIT_ASSERT(r.problem("detail").find("limit of 5 concurrent calls") != std::string::npos);
        _h->setActiveCalls("acme", 4);
        CPPUNIT_ASSERT_EQUAL(200, _h->op("POST", "/v1/tenants/acme/suspend").status);
        expectProblem(409, "tenant", _h->op("POST", "/v1/calls", R"({"tenant":"acme","to":"+15005550100"})"));
        CPPUNIT_ASSERT(_h->carrier().made("place").empty()); // nothing reached the carrier
        _h->op("POST", "/v1/tenants/acme/resume");

        // The carrier's own verdicts.
        _h->carrier().nextPlace = sdk::Status::invalidArgument("Twilio: 400 (code 21211) The 'To' number is not valid");
        expectProblem(400, "to", _h->op("POST", "/v1/calls", R"({"tenant":"acme","to":"+15005550100"})"));
        _h->carrier().nextPlace = sdk::Status::unavailable("Twilio POST Calls.json: 503 (not retried)");
        r = _h->op("POST", "/v1/calls", R"({"tenant":"acme","to":"+15005550100"})");
        CPPUNIT_ASSERT_EQUAL(502, r.status);
        CPPUNIT_ASSERT(r.problem("detail").find("503 (not retried)") != std::string::npos);
        CPPUNIT_ASSERT(!_h->store().findCall(FakeInboundProvider::kPlacedSid).isOk());
    }

    void placeCallWithATenantToken()
    {
        assign("+15005550006", "acme");
        assign("+15005550009", "bravo");
        const auto token = _h->issueToken("acme").second;
        AdminReply r = _h->call("POST", "/v1/calls", token, R"({"to":"+15005550100"})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), _h->carrier().made("place").at(0).tenantId);
        CPPUNIT_ASSERT_EQUAL(201, _h->call("POST", "/v1/calls", token, R"({"tenant":"acme","to":"+15005550100"})").status);
        r = _h->call("POST", "/v1/calls", token, R"({"tenant":"bravo","to":"+15005550100"})");
        expectProblem(404, "tenant", r);
        CPPUNIT_ASSERT(r.body.find("Bravo") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _h->carrier().made("place").size());
        // The doctor names every tenant's numbers: operator only.
        CPPUNIT_ASSERT_EQUAL(403, _h->call("GET", "/v1/doctor", token).status);
    }

    void hangupAndTransferALiveCall()
    {
        _h->addCall(kLiveCall, "acme", _account, 1767225600000, 0, "answered");
        AdminReply r = _h->op("POST", "/v1/calls/" + kLiveCall + "/hangup");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("hangup"), r.json()->getValue<std::string>("action"));
        auto made = _h->carrier().made("hangup");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), made.size());
        CPPUNIT_ASSERT_EQUAL(kLiveCall, made[0].callSid);
        CPPUNIT_ASSERT_EQUAL(_account, made[0].accountSid);

        r = _h->op("POST", "/v1/calls/" + kLiveCall + "/transfer", R"({"to":"+15005550100"})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("+15005550100"), r.json()->getValue<std::string>("to"));
        CPPUNIT_ASSERT_EQUAL(std::string("+15005550100"), _h->carrier().made("transfer").at(0).number);
        expectProblem(400, "to", _h->op("POST", "/v1/calls/" + kLiveCall + "/transfer", R"({"to":"sip:x@y"})"));
        expectProblem(400, "to", _h->op("POST", "/v1/calls/" + kLiveCall + "/transfer", "{}"));

        // A tenant token controls its own calls.
        const auto token = _h->issueToken("acme").second;
        CPPUNIT_ASSERT_EQUAL(200, _h->call("POST", "/v1/calls/" + kLiveCall + "/hangup", token).status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _h->carrier().made("hangup").size());
    }

    void callControlFailures()
    {
        _h->addCall(kLiveCall, "acme", _account, 1767225600000, 0, "streaming");
        _h->addCall(kEndedCall, "acme", _account, 1767225600000, 60000);
        CPPUNIT_ASSERT_EQUAL(404, _h->op("POST", "/v1/calls/CA" + std::string(32, '9') + "/hangup").status);
        CPPUNIT_ASSERT_EQUAL(409, _h->op("POST", "/v1/calls/" + kEndedCall + "/hangup").status);
        CPPUNIT_ASSERT_EQUAL(409, _h->op("POST", "/v1/calls/" + kEndedCall + "/transfer", R"({"to":"+15005550100"})").status);
        _h->carrier().nextHangup = sdk::Status::notFound("Twilio: 404 (code 20404) The requested resource was not found");
        AdminReply r = _h->op("POST", "/v1/calls/" + kLiveCall + "/hangup");
        CPPUNIT_ASSERT_EQUAL(404, r.status);
        CPPUNIT_ASSERT(r.problem("detail").find("20404") != std::string::npos);
        _h->carrier().nextHangup = sdk::Status::permissionDenied("Twilio: 401 (code 20003) Authenticate");
        r = _h->op("POST", "/v1/calls/" + kLiveCall + "/hangup");
        CPPUNIT_ASSERT_EQUAL(502, r.status); // the carrier refused our credentials: not the client's 403
        CPPUNIT_ASSERT(r.problem("detail").find("20003") != std::string::npos);
        _h->carrier().nextTransfer = sdk::Status::declined("no call control");
        CPPUNIT_ASSERT_EQUAL(501, _h->op("POST", "/v1/calls/" + kLiveCall + "/transfer", R"({"to":"+15005550100"})").status);
        // The plugin that took the call is gone: nobody else may control it.
        const std::string foreign = "CA" + std::string(32, '3');
        _h->addCall(foreign, "acme", _account, 1767225600000, 0, "answered", {}, "sip");
        r = _h->op("POST", "/v1/calls/" + foreign + "/hangup");
        CPPUNIT_ASSERT_EQUAL(503, r.status);
        CPPUNIT_ASSERT(r.problem("detail").find("'sip'") != std::string::npos);
        for (const auto& e : _h->exchanges()) CPPUNIT_ASSERT(e.second.find(kToken) == std::string::npos);
    }

    void doctorChecksEveryNumberAndTheEndpoints()
    {
        assign("+15005550006", "acme");
        assign("+15005550007", "acme");
        assign("+15005550009", "bravo");
        _h->carrier().numberProblems = {{"+15005550007", false, "VoiceUrl is https://old.example.com/voice",
                                         "patchbayctl numbers assign +15005550007 --tenant acme --configure"}};
        _h->carrier().unreachableNumber = "+15005550009";
        AdminReply r = _h->op("GET", "/v1/doctor");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        auto o = r.json();
        CPPUNIT_ASSERT(!o->getValue<bool>("ok"));
        auto checks = o->getArray("checks");
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), checks->size());
        auto check = [&](unsigned i) { return checks->getObject(i); };
        CPPUNIT_ASSERT_EQUAL(std::string("+15005550006"), check(0)->getValue<std::string>("subject"));
        CPPUNIT_ASSERT(check(0)->getValue<bool>("ok"));
        CPPUNIT_ASSERT(!check(1)->getValue<bool>("ok"));
        CPPUNIT_ASSERT_EQUAL(std::string("VoiceUrl is https://old.example.com/voice"), check(1)->getValue<std::string>("problem"));
        CPPUNIT_ASSERT(check(1)->getValue<std::string>("fix").find("--configure") != std::string::npos);
        CPPUNIT_ASSERT(!check(2)->getValue<bool>("ok"));
        CPPUNIT_ASSERT(check(2)->getValue<std::string>("problem").find("the carrier could not be asked") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("voice webhook"), check(3)->getValue<std::string>("subject"));
        CPPUNIT_ASSERT_EQUAL(std::string("media stream"), check(4)->getValue<std::string>("subject"));
        const auto endpoints = _h->carrier().made("endpoints");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), endpoints.size());
        CPPUNIT_ASSERT_EQUAL(kToken, endpoints[0].authToken); // signed with the first number's account
        CPPUNIT_ASSERT(r.body.find(kToken) == std::string::npos);

        _h->carrier().numberProblems.clear();
        _h->carrier().unreachableNumber.clear();
        CPPUNIT_ASSERT(_h->op("GET", "/v1/doctor").json()->getValue<bool>("ok"));
    }

    void doctorWithoutCarrierSaysSo()
    {
        start(false);
        AdminReply r = _h->op("GET", "/v1/doctor");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT(!r.json()->getValue<bool>("ok"));
        auto c = r.json()->getArray("checks")->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("inbound provider"), c->getValue<std::string>("subject"));
        CPPUNIT_ASSERT(c->getValue<std::string>("fix").find("routing.inboundProvider") != std::string::npos);
    }

private:
    void assign(const std::string& number, const std::string& tenant)
    {
        AdminReply r = _h->op("PUT", "/v1/numbers/%2B" + number.substr(1), numberBody(tenant));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
    }

    static void expectProblem(int status, const std::string& field, const AdminReply& r)
    {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, status, r.status);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, field, r.problem("field"));
    }

    std::unique_ptr<AdminTestHarness> _h;
    std::string _account;
};

CPPUNIT_TEST_SUITE_REGISTRATION(AdminCarrierTest);
