// GatewayTestFixture.h: what the process-level suites share — a fresh GatewayHarness per test and readers of callsim's report.
#pragma once

#include "GatewayHarness.h"

#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Object.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
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

    std::unique_ptr<GatewayHarness> _harness;
};

} // namespace integration
} // namespace patchbay
