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

struct HttpReply
{
    int status = 0; ///< 0 when the request failed
    std::string body;
};

/// A tenant added to the tenant-sqlite seed next to the default "demo" tenant, with one number of
/// its own on kAccountSid (or on accountSid, seeded as an account of its own). Limits of 0 are
/// unlimited, as in the seed.
struct TenantSeed
{
    std::string id;
    std::string number;
    std::string status = "active"; ///< or "suspended"
    std::uint32_t maxConcurrentCalls = 0;
    std::uint32_t callsPerMinute = 0;
    std::uint32_t maxCallSeconds = 0;
    std::uint32_t monthlyMinutes = 0;
    std::string fallbackMessage;
    std::string fallbackDialNumber;
    std::int64_t perMinuteMicros = 0; ///< rates.perMinuteMicros; 0 leaves rates out
    /// The number's account when not kAccountSid, e.g. one matching Twilio's AC + 32 hex pattern for
    /// a Prism mock; seeded with authToken. callsim must then sign with these (--account, --auth-token).
    std::string accountSid;
    std::string authToken;
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
    /// Adds a tenant and its number to the seed of the next startGateway().
    void addTenant(const TenantSeed& tenant);
    /// Extra members for the next startGateway()'s configs, as JSON text after a comma, e.g.
    /// `"webhookSecret": "..."`: of the elevenlabs plugin's config, and of the routing section.
    void setElevenLabsConfig(const std::string& extraMembers) { _elevenLabsExtra = extraMembers; }
    void setRoutingConfig(const std::string& extraMembers) { _routingExtra = extraMembers; }
    /// Where the twilio plugin's REST calls go (a Prism mock); default a closed loopback port.
    void setTwilioRestBaseUrl(const std::string& url) { _twilioRestBaseUrl = url; }
    /// Picks the gateway's port before startGateway() (which then listens on it), for mock-agent
    /// options that name the gateway, such as --post-call-url.
    std::uint16_t reserveGatewayPort();
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
    /// GET path; the body, or "" when the request failed (status 0) — status in *status when given.
    std::string httpGetBody(const std::string& path, int* status = nullptr) const;
    /// One voice webhook, signed like Twilio's, for a test that needs the TwiML itself (callsim only
    /// reports what kind of answer it was).
    HttpReply postVoiceWebhook(const std::string& to, const std::string& callSid) const;

    ChildProcess& gateway() { return *_gateway; }
    const std::string& dir() const { return _dir; }
    std::string dbPath() const { return _dir + "/patchbay.db"; }
    std::uint16_t gatewayPort() const { return _gatewayPort; }
    /// The mock agent's port once startMockAgent() returned (0 before), e.g. for the gateway's
    /// elevenlabs signedUrlBase.
    std::uint16_t mockPort() const { return _mockPort; }
    /// Gateway stderr tail, for failure messages.
    std::string gatewayLog() const;

private:
    std::vector<std::string> callsimArgs(const std::vector<std::string>& args) const;
    /// The extra tenants and numbers as JSON array members, each preceded by ", " ("" when none).
    std::string extraTenantsJson() const;
    std::string extraNumbersJson() const;
    /// The extra tenants' own accounts (TenantSeed::accountSid), likewise.
    std::string extraAccountsJson() const;

    std::string _dir;
    std::uint16_t _mockPort = 0;
    std::uint16_t _gatewayPort = 0;
    std::unique_ptr<ChildProcess> _mock;
    std::unique_ptr<ChildProcess> _gateway;
    int _callsimRuns = 0;
    std::vector<TenantSeed> _extraTenants;
    std::string _elevenLabsExtra;
    std::string _routingExtra;
    std::string _twilioRestBaseUrl = "http://127.0.0.1:1";
};

} // namespace integration
} // namespace patchbay
