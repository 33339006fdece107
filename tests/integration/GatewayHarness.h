// GatewayHarness.h: one loopback deployment for a test — temp dir, mock agent, generated config, the gateway.
#pragma once

#include "ChildProcess.h"

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace patchbay {
namespace integration {

struct CallsimRun
{
    int exitCode = -1;
    std::string stdoutText;
    std::string stderrText;
    Poco::JSON::Object::Ptr report; ///< null when stdout was not JSON
};

class GatewayHarness
{
public:
    static constexpr const char* kAccountSid = "ACtest00000000000000000000000000001";
    static constexpr const char* kAuthToken = "integration-auth-token-0123456789";
    static constexpr const char* kNumber = "+15005550006";
    static constexpr const char* kPublicUrl = "https://gw.example.test";
    static constexpr std::uint32_t kDrainTimeoutMs = 8000;

    GatewayHarness();
    ~GatewayHarness();

    /// Starts the mock agent with extra options (a stats file in the temp dir is always passed).
    void startMockAgent(const std::vector<std::string>& extraArgs = {});
    /// Writes the config and starts patchbay; waits until GET /readyz answers 200.
    void startGateway();

    /// Runs patchbay-callsim against the gateway with --json plus the given options.
    CallsimRun runCallsim(const std::vector<std::string>& args, std::chrono::milliseconds timeout);
    /// Starts patchbay-callsim without waiting (for the drain test).
    std::unique_ptr<ChildProcess> startCallsim(const std::vector<std::string>& args);
    static CallsimRun collect(ChildProcess& process, std::chrono::milliseconds timeout);

    /// SIGTERMs the mock agent and returns its stats file, parsed.
    Poco::JSON::Object::Ptr stopMockAgent();

    int httpGet(const std::string& path) const;

    ChildProcess& gateway() { return *_gateway; }
    const std::string& dir() const { return _dir; }
    std::string dbPath() const { return _dir + "/patchbay.db"; }
    std::uint16_t gatewayPort() const { return _gatewayPort; }
    /// Gateway stderr tail, for failure messages.
    std::string gatewayLog() const;

private:
    std::vector<std::string> callsimArgs(const std::vector<std::string>& args) const;

    std::string _dir;
    std::uint16_t _mockPort = 0;
    std::uint16_t _gatewayPort = 0;
    std::unique_ptr<ChildProcess> _mock;
    std::unique_ptr<ChildProcess> _gateway;
    int _callsimRuns = 0;
};

} // namespace integration
} // namespace patchbay
