// GatewayTestFixture.h: what the process-level suites share — a fresh GatewayHarness per test and readers of callsim's report.
#pragma once

#include "GatewayHarness.h"
#include "GatewayRecords.h"

#include <cppunit/extensions/HelperMacros.h>

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace patchbay {
namespace integration {

class GatewayTestFixture : public CppUnit::TestFixture
{
public:
    void setUp() override { _harness = std::make_unique<GatewayHarness>(); }
    void tearDown() override { _harness.reset(); }

protected:
    /// "a.b.c" walks nested objects; a missing (or null) key reads as -1 so assertions show it.
    static std::int64_t numberAt(const Poco::JSON::Object::Ptr& object, const std::string& path)
    {
        Poco::JSON::Object::Ptr current = object;
        std::string rest = path;
        for (;;)
        {
            const auto dot = rest.find('.');
            if (dot == std::string::npos)
                return current && current->has(rest) && !current->isNull(rest) ? current->getValue<std::int64_t>(rest) : -1;
            if (!current || !current->has(rest.substr(0, dot))) return -1;
            current = current->getObject(rest.substr(0, dot));
            rest = rest.substr(dot + 1);
        }
    }

    void start(const std::vector<std::string>& mockArgs = {})
    {
        _harness->startMockAgent(mockArgs);
        _harness->startGateway();
    }

    CallsimRun calls(const std::vector<std::string>& args) { return _harness->runCallsim(args, std::chrono::seconds(60)); }

    /// What a failed assertion prints: callsim's exit, output and the gateway's log.
    std::string context(const CallsimRun& run) const
    {
        return "\ncallsim exit " + std::to_string(run.exitCode) + "\ncallsim stdout: " + run.stdoutText.substr(0, 4000) +
               "\ncallsim stderr: " + run.stderrText.substr(0, 2000) + "\ngateway log:\n" + _harness->gatewayLog();
    }

    void requireReport(const CallsimRun& run)
    {
        CPPUNIT_ASSERT_MESSAGE("callsim printed no JSON report" + context(run), !run.report.isNull());
    }

    void assertCalls(const CallsimRun& run, const std::string& what, std::int64_t expected)
    {
        CPPUNIT_ASSERT_EQUAL_MESSAGE("calls " + what + context(run), expected, numberAt(run.report, "calls." + what));
    }

    /// The CallSid of a run of exactly one call (needs --per-call).
    std::string onlySid(const CallsimRun& run)
    {
        Poco::JSON::Array::Ptr perCall = run.report->getArray("perCall");
        CPPUNIT_ASSERT_MESSAGE("no perCall entry" + context(run), perCall && perCall->size() == 1);
        const std::string sid = perCall->getObject(0)->getValue<std::string>("callSid");
        CPPUNIT_ASSERT_MESSAGE("empty callSid" + context(run), !sid.empty());
        return sid;
    }

    /// The call's row once its status is "ended" (the recorder writes asynchronously); fails after 20 s.
    CallRow waitForEndedRow(const std::string& sid, const CallsimRun& run)
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        std::string last = "no row";
        do
        {
            try
            {
                const auto rows = readCallRows(_harness->dbPath());
                const auto it = rows.find(sid);
                if (it != rows.end())
                {
                    if (it->second.status == "ended") return it->second;
                    last = "status '" + it->second.status + "'";
                }
            }
            catch (const Poco::Exception& e)
            {
                last = "cannot read " + _harness->dbPath() + ": " + e.displayText();
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        } while (std::chrono::steady_clock::now() < deadline);
        CPPUNIT_FAIL("call record of " + sid + " not ended within 20 s (" + last + ")" + context(run));
        return CallRow{};
    }

    // ---- a tenant whose REST calls go to a Prism mock of Twilio (tests/support/PrismMock.h) ----

    /// The tenant addPrismCarrierTenant() adds: its account SID fits Twilio's ^AC[0-9a-fA-F]{32}$
    /// (Prism refuses, with 422, a Calls update for the harness's kAccountSid, which does not).
    static constexpr const char* kPrismCarrierTenantId = "carrier";
    static constexpr const char* kPrismCarrierAccountSid = "AC0123456789abcdef0123456789abcdef";
    static constexpr const char* kPrismCarrierAuthToken = "prism-auth-token-0123456789abcdef";
    static constexpr const char* kPrismCarrierNumber = "+15005550010";

    /// Before startGateway(): adds that tenant with a fallback message of its own and sends the twilio
    /// plugin's REST calls to the Prism mock listening on prismPort.
    void addPrismCarrierTenant(std::uint16_t prismPort)
    {
        TenantSeed tenant;
        tenant.id = kPrismCarrierTenantId;
        tenant.number = kPrismCarrierNumber;
        tenant.accountSid = kPrismCarrierAccountSid;
        tenant.authToken = kPrismCarrierAuthToken;
        tenant.fallbackMessage = "Sorry, our assistant is unavailable.";
        _harness->addTenant(tenant);
        _harness->setTwilioRestBaseUrl("http://127.0.0.1:" + std::to_string(prismPort));
    }

    /// callsim options for a call to that tenant's number, signed with its account, then `args`.
    static std::vector<std::string> prismTenantCallArgs(const std::vector<std::string>& args)
    {
        std::vector<std::string> all{"--account", kPrismCarrierAccountSid, "--auth-token", kPrismCarrierAuthToken, "--to",
            kPrismCarrierNumber};
        all.insert(all.end(), args.begin(), args.end());
        return all;
    }

    static std::size_t occurrencesIn(const std::string& text, const std::string& needle)
    {
        std::size_t n = 0;
        for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
            ++n;
        return n;
    }

    /// The only call of `run` (--per-call) ended agent-failed, its detail the agent's failure (starting
    /// with `cause`) followed by "; caller redirected to the tenant's fallback", after one request that
    /// reached Prism and passed its validation of Twilio's spec (the redirect). Prism is any object
    /// with log() (PrismMock), read only once the record has ended. Returns the record.
    template <class Prism>
    CallRow expectFallbackAtPrism(const Prism& prism, const CallsimRun& run, const std::string& cause)
    {
        const CallRow row = waitForEndedRow(onlySid(run), run);
        const std::string prismLog = prism.log();
        const std::string dump = "\nend_detail: " + row.endDetail + context(run) + "\nprism log:\n" + prismLog;
        const std::string redirected = "; caller redirected to the tenant's fallback";
        CPPUNIT_ASSERT_EQUAL_MESSAGE("tenant" + dump, std::string(kPrismCarrierTenantId), row.tenantId);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("end_reason" + dump, std::string("agent-failed"), row.endReason);
        CPPUNIT_ASSERT_MESSAGE("end_detail does not start with the cause '" + cause + "'" + dump,
            row.endDetail.compare(0, cause.size(), cause) == 0);
        CPPUNIT_ASSERT_MESSAGE("end_detail does not end with '" + redirected + "'" + dump,
            row.endDetail.size() >= cause.size() + redirected.size() &&
                row.endDetail.compare(row.endDetail.size() - redirected.size(), redirected.size(), redirected) == 0);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("requests Prism received" + dump, std::size_t(1), occurrencesIn(prismLog, "Request received"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("requests that passed Prism's validation" + dump, std::size_t(1),
            occurrencesIn(prismLog, "The request passed the validation rules"));
        return row;
    }

    std::unique_ptr<GatewayHarness> _harness;
};

} // namespace integration
} // namespace patchbay
