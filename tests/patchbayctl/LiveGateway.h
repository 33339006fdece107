// LiveGateway.h: end-to-end harness — the real patchbay (tenant-sqlite with master keys, admin API), mock agent, callsim, and every output kept for the secret-leak grep.
#ifndef PATCHBAY_TESTS_PATCHBAYCTL_LIVE_GATEWAY_H
#define PATCHBAY_TESTS_PATCHBAYCTL_LIVE_GATEWAY_H

#include "../integration/ChildProcess.h"
#include "CtlRunner.h"
#include "TempDir.h"

#include <Poco/JSON/Object.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace patchbay::tests {

struct CallsimResult
{
    int code = -1;
    std::string out;
    std::string err;
    Poco::JSON::Object::Ptr report; ///< null when stdout was not JSON

    std::string describe() const;
    /// perCall[0].callSid of the report, or "".
    std::string firstCallSid() const;
};

struct HttpAnswer
{
    int status = 0;
    std::string body;
};

/// One deployment per test: a temp dir holding the SQLite file, two master key files (k1, k2) and
/// the generated config. The gateway can be stopped and started again with another key set while
/// the database and the mock agent stay. Everything the product printed or stored — every gateway
/// run's stdout/stderr, every patchbayctl stdout/stderr, admin API answers, /metrics, copies of the
/// database files — is kept, so assertNoSecretLeaked() can grep all of it for every registered secret.
class LiveGateway
{
public:
    static constexpr const char* kPublicUrl = "https://gw.example.test";

    /// Settings of the next start() (defaults: kPublicUrl, the plugin's REST defaults).
    /// Loopback: publicUrl is the gateway's own http://127.0.0.1:<port>, so what the gateway sends to
    /// its public URL (the doctor's self-requests) reaches it.
    void setLoopbackPublicUrl(bool loopback) { _loopbackPublicUrl = loopback; }
    /// Extra members of the twilio plugin's config object, as JSON text without braces:
    /// `"rest": {"baseUrl": "http://127.0.0.1:4010"}, "developmentMode": true`.
    void setTwilioConfigExtra(std::string members) { _twilioExtra = std::move(members); }
    /// The publicUrl the gateway runs with (valid after start()).
    std::string publicUrl() const;
    /// The gateway's own listener, http://127.0.0.1:<port> (valid after start()).
    std::string gatewayUrl() const;

    LiveGateway();
    ~LiveGateway();

    LiveGateway(const LiveGateway&) = delete;
    LiveGateway& operator=(const LiveGateway&) = delete;

    // --- processes ---------------------------------------------------------------------------

    /// Starts patchbay-mock-agent (public agents unless extraArgs say otherwise).
    void startMockAgent(const std::vector<std::string>& extraArgs = {});
    void stopMockAgent();

    /// Writes the config with the given key ids (files k<N>.key in the temp dir) and `active`, starts
    /// patchbay on fresh ports and waits until /readyz is 200 and the admin listener answers.
    /// Throws when it exits or is not ready within 20 s.
    void start(const std::string& activeKey, const std::vector<std::string>& keyIds);
    /// Like start(), but returns the exit code instead of throwing when patchbay exits during start-up.
    std::optional<int> tryStart(const std::string& activeKey, const std::vector<std::string>& keyIds);
    /// SIGTERM, then the exit code (throws when it does not exit within 20 s). Keeps the run's output.
    int stop();
    bool running();

    // --- clients -----------------------------------------------------------------------------

    /// patchbayctl with PATCHBAY_ADMIN_URL / PATCHBAY_ADMIN_TOKEN (the operator token) in its environment.
    CtlResult ctl(const std::vector<std::string>& args, const std::string& stdinText = std::string());
    /// patchbayctl with another token (a tenant token, a wrong one).
    CtlResult ctlWithToken(const std::string& token, const std::vector<std::string>& args,
                           const std::string& stdinText = std::string());
    /// patchbayctl whose stdout legitimately shows a secret (tokens create): stderr is still checked.
    CtlResult ctlRevealing(const std::vector<std::string>& args);

    /// patchbay-callsim --json --per-call against the gateway; one short call unless args say otherwise.
    CallsimResult callsim(const std::string& accountSid, const std::string& authToken, const std::string& to,
                          const std::vector<std::string>& args);

    /// A raw admin API request (for bodies patchbayctl would never send). The answer is kept.
    HttpAnswer adminRequest(const std::string& method, const std::string& path, const std::string& token,
                            const std::string& body = std::string());
    /// GET /metrics on the gateway listener. The answer is kept.
    std::string metrics();

    /// Polls `calls show SID --json` until the record's status is "ended" (15 s), and returns it.
    Poco::JSON::Object::Ptr waitForEndedCall(const std::string& callSid);

    // --- secrets -----------------------------------------------------------------------------

    /// A fresh random secret (`prefix` + 24 hex digits), registered for the leak grep.
    std::string newSecret(const std::string& prefix);
    /// Registers a value that must never show up in anything kept.
    void addSecret(const std::string& label, const std::string& value);
    /// Copies the database files (-wal and -shm too) as they are now into the kept evidence.
    void snapshotDatabase(const std::string& when);
    /// Takes /metrics and a database snapshot if the gateway runs, then fails the test naming the
    /// secret and where it appeared (never printing the secret).
    void assertNoSecretLeaked();

    // --- accessors ---------------------------------------------------------------------------

    const std::string& operatorToken() const { return _operatorToken; }
    std::string adminUrl() const;
    std::string dir() const { return _dir.path(); }
    std::string dbPath() const { return _dir.path() + "/patchbay.db"; }
    /// stdout + stderr of every gateway run so far, the current one included.
    std::string gatewayLog() const;
    /// The current run's stderr tail, for failure messages.
    std::string gatewayTail() const;

private:
    void writeConfig(const std::string& activeKey, const std::vector<std::string>& keyIds);
    void writeKey(const std::string& id);
    void keep(const std::string& where, const std::string& text);
    void retireGateway();

    patchbay::testing::TempDir _dir{"patchbayctl-e2e"};
    std::string _operatorToken;
    std::string _streamTokenSecret; ///< twilio.streamTokenSecret: a secret of the config like the others
    std::uint16_t _gatewayPort = 0;
    std::uint16_t _adminPort = 0;
    std::uint16_t _mockPort = 0;
    bool _loopbackPublicUrl = false;
    std::string _twilioExtra;
    std::unique_ptr<patchbay::integration::ChildProcess> _gateway;
    std::unique_ptr<patchbay::integration::ChildProcess> _mock;
    std::vector<std::string> _pastRuns;
    int _runs = 0;
    int _callsims = 0;
    int _snapshots = 0;
    std::vector<std::pair<std::string, std::string>> _secrets;  ///< label, value
    std::vector<std::pair<std::string, std::string>> _evidence; ///< where, text
};

} // namespace patchbay::tests

#endif
