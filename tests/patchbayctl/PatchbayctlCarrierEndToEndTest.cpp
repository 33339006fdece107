// PatchbayctlCarrierEndToEndTest.cpp: doctor, numbers assign --configure and calls place/transfer/hangup with the real patchbay — its public URL on loopback, the Twilio REST API mocked by Prism.
#include "PatchbayctlEndToEndTest.h"

#include "PrismMock.h"

#include <Poco/File.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <thread>

using patchbay::tests::CtlResult;
using namespace std::chrono_literals;

namespace {

/// The number Prism's static IncomingPhoneNumbers example lists (twilio_api_v2010.json, readFull):
/// the only number the mocked account "owns", so it is the one the carrier-side checks can find.
const char* const kPrismNumber = "+18089255327";
const char* const kPrismNumberSid = "PNaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const char* const kPrismCallSid = "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

std::uint16_t freePort()
{
    Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
    const std::uint16_t port = probe.address().port();
    probe.close();
    return port;
}

} // namespace

class PatchbayctlCarrierEndToEndTest : public PatchbayctlEndToEndTest
{
    CPPUNIT_TEST_SUITE(PatchbayctlCarrierEndToEndTest);
    CPPUNIT_TEST(doctorChecksThePublicEndpointsThroughTheGateway);
    CPPUNIT_TEST(doctorFindsASignatureBypass);
    CPPUNIT_TEST(carrierControlAgainstPrism);
    CPPUNIT_TEST_SUITE_END();

public:
    /// No carrier API at all: the number checks cannot ask, the public endpoints still can be checked.
    void doctorChecksThePublicEndpointsThroughTheGateway()
    {
        _gw->setLoopbackPublicUrl(true);
        _gw->setTwilioConfigExtra(R"("rest": {"baseUrl": "http://127.0.0.1:)" + std::to_string(freePort()) +
                                  R"(", "maxRetries": 0, "timeoutMs": 2000})");
        _gw->start("k1", {"k1"});
        addAccount();
        addTenant("acme");
        assignNumber(kNumber, "acme", kAccount);

        const CtlResult doctor = _gw->ctl({"doctor"});
        E2E_ASSERT_CODE(5, doctor);
        E2E_ASSERT_CONTAINS(doctor.out, "OK    voice webhook\n");
        E2E_ASSERT_CONTAINS(doctor.out, "OK    webhook signature\n");
        E2E_ASSERT_CONTAINS(doctor.out, "OK    media stream\n");
        const std::string number = lineWith(doctor.out, kNumber);
        E2E_ASSERT_CONTAINS(number, "FAIL  " + std::string(kNumber) + ": the carrier could not be asked");
        E2E_ASSERT_CONTAINS(number, "fix: check the credentials of " + std::string(kAccount));
        E2E_ASSERT_CONTAINS(doctor.out, "1 of 4 checks failed");

        // The test call was refused as an unknown number: no record, no tenant's slot; the socket closed.
        const CtlResult calls = _gw->ctl({"calls", "list", "--json"});
        E2E_ASSERT_CODE(0, calls);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(calls.out, std::size_t(0), object(calls.out)->getArray("calls")->size());
        const std::string log = _gw->gatewayLog();
        E2E_ASSERT_CONTAINS(log, "admission unknown-number for +19999999999");
        E2E_ASSERT_CONTAINS(log, "webhook refused (403)"); // the badly signed one

        // A tenant token may not run it: it names every tenant's numbers.
        const auto issued = _gw->ctlRevealing({"tokens", "create", "acme", "--json"});
        E2E_ASSERT_CODE(0, issued);
        const std::string tenantToken = object(issued.out)->getValue<std::string>("token");
        _gw->addSecret("tenant token", tenantToken);
        E2E_ASSERT_CODE(4, _gw->ctlWithToken(tenantToken, {"doctor"}));
        _gw->assertNoSecretLeaked();
    }

    /// developmentMode skips signature validation: the doctor must say so, with the fix.
    void doctorFindsASignatureBypass()
    {
        _gw->setLoopbackPublicUrl(true);
        _gw->setTwilioConfigExtra(R"("developmentMode": true)");
        _gw->start("k1", {"k1"});
        addAccount();
        const CtlResult doctor = _gw->ctl({"doctor", "--json"});
        E2E_ASSERT_CODE(5, doctor);
        auto checks = object(doctor.out)->getArray("checks");
        bool seen = false;
        for (std::size_t i = 0; i < checks->size(); ++i)
        {
            auto c = checks->getObject(static_cast<unsigned>(i));
            if (c->getValue<std::string>("subject") != "webhook signature") continue;
            seen = true;
            CPPUNIT_ASSERT(!c->getValue<bool>("ok"));
            E2E_ASSERT_CONTAINS(c->getValue<std::string>("problem"), "wrong X-Twilio-Signature was accepted");
            E2E_ASSERT_CONTAINS(c->getValue<std::string>("fix"), "developmentMode to false");
        }
        CPPUNIT_ASSERT_MESSAGE(doctor.out, seen);
        _gw->assertNoSecretLeaked();
    }

    /// The whole carrier path with Prism as Twilio: doctor finds the number unconfigured, --configure
    /// fixes it (as far as a mock remembers: it does not), an outbound call is placed, transferred, hung up.
    void carrierControlAgainstPrism()
    {
        patchbay::testsupport::PrismMock prism(std::string(PATCHBAY_BINARY_DIR) + "/tests/patchbayctl/prism", false);
        _gw->setLoopbackPublicUrl(true);
        _gw->setTwilioConfigExtra(R"("rest": {"baseUrl": ")" + prism.url() + R"(", "maxRetries": 0})");
        _gw->start("k1", {"k1"});
        addAccount();
        addTenant("acme");
        assignNumber(kPrismNumber, "acme", kAccount);

        CtlResult doctor = _gw->ctl({"doctor"});
        E2E_ASSERT_CODE(5, doctor);
        const std::string number = lineWith(doctor.out, kPrismNumber);
        E2E_ASSERT_CONTAINS(number, "FAIL  " + std::string(kPrismNumber) + ": VoiceUrl is not set (expected " + _gw->publicUrl() +
                                        "/twilio/voice)");
        E2E_ASSERT_CONTAINS(number, "StatusCallback is not set");
        E2E_ASSERT_CONTAINS(number, "fix: patchbayctl numbers assign " + std::string(kPrismNumber) + " --tenant acme --account " +
                                        kAccount + " --configure");
        E2E_ASSERT_CONTAINS(doctor.out, "OK    voice webhook\n");
        E2E_ASSERT_CONTAINS(doctor.out, "OK    media stream\n");

        // --configure: IncomingPhoneNumbers looked up and updated at "Twilio"; the PN sid it reported is kept.
        CtlResult r = _gw->ctl({"numbers", "assign", kPrismNumber, "--tenant", "acme", "--account", kAccount, "--configure"});
        E2E_ASSERT_CODE(0, r);
        E2E_ASSERT_CONTAINS(r.out, "configured at the carrier (" + std::string(kPrismNumberSid) + ")");
        E2E_ASSERT_CONTAINS(_gw->ctl({"numbers", "list"}).out, kPrismNumberSid);
        // A number the account does not own: explicit configuration fails (502, exit 1), the assignment stays.
        r = _gw->ctl({"numbers", "assign", kNumber2, "--tenant", "acme", "--account", kAccount, "--configure"});
        E2E_ASSERT_CODE(1, r);
        E2E_ASSERT_CONTAINS(r.err, "at the carrier (the assignment itself is saved) failed");
        E2E_ASSERT_CONTAINS(r.err, "has no incoming number " + std::string(kNumber2));

        // An outbound call from the tenant's first number, then call control on it while it "rings".
        r = _gw->ctl({"calls", "place", "--tenant", "acme", "--to", "+15005550100", "--from", kPrismNumber});
        E2E_ASSERT_CODE(0, r);
        E2E_ASSERT_CONTAINS(r.out, "call " + std::string(kPrismCallSid) + " placed: " + kPrismNumber + " -> +15005550100");
        r = _gw->ctl({"calls", "show", kPrismCallSid, "--json"});
        E2E_ASSERT_CODE(0, r);
        CPPUNIT_ASSERT_EQUAL(std::string("outbound"), object(r.out)->getValue<std::string>("direction"));
        E2E_ASSERT_CODE(0, _gw->ctl({"calls", "transfer", kPrismCallSid, "--to", "+15005550199"}));
        E2E_ASSERT_CODE(0, _gw->ctl({"calls", "hangup", kPrismCallSid}));
        // A suspended tenant places nothing.
        E2E_ASSERT_CODE(0, _gw->ctl({"tenants", "suspend", "acme"}));
        r = _gw->ctl({"calls", "place", "--tenant", "acme", "--to", "+15005550100"});
        E2E_ASSERT_CODE(1, r);
        E2E_ASSERT_CONTAINS(r.err, "suspended");

        // Every request the gateway made was valid for Twilio's spec (Prism logs each verdict).
        const std::string prismLog = prism.log();
        const auto count = [&](const std::string& needle) {
            std::size_t n = 0;
            for (auto at = prismLog.find(needle); at != std::string::npos; at = prismLog.find(needle, at + 1)) ++n;
            return n;
        };
        CPPUNIT_ASSERT_MESSAGE(prismLog, count("Request received") >= 7); // 3 numbers, 1 create, 2 updates, 1+ doctor
        CPPUNIT_ASSERT_EQUAL_MESSAGE(prismLog, count("Request received"), count("The request passed the validation rules"));
        _gw->assertNoSecretLeaked();
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PatchbayctlCarrierEndToEndTest);
