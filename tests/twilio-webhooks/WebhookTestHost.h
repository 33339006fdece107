// WebhookTestHost.h: the twilio plugin inside the real host pieces (HTTP front on loopback, routing core) over a fake tenant store.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <patchbay/sdk/Plugin.h>
#include <patchbay/sdk/testing/FakeHttpClient.h>
#include <patchbay/sdk/testing/FakeTenantStore.h>
#include <patchbay/sdk/testing/RecordingLogger.h>

#include "app/BlockingPool.h"
#include "app/HostServicesImpl.h"
#include "core/CallRecorder.h"
#include "core/CallRouterImpl.h"
#include "engine/MediaEngine.h"
#include "http/HttpFront.h"
#include "http/RouteTable.h"
#include "metrics/MetricsRegistry.h"

#include "LoopbackHttp.h"
#include "TwilioRequests.h"

namespace patchbay::twilio::test {

using Params = std::vector<std::pair<std::string, std::string>>;

// Accounts and tenants every fixture starts with (tokens are test values, not secrets).
constexpr const char* kAccount = "AC00000000000000000000000000000001";
constexpr const char* kToken = "token-of-main-account-0123456789";
constexpr const char* kSubaccount = "AC00000000000000000000000000000002"; ///< child of kAccount, own token
constexpr const char* kSubToken = "token-of-subaccount-abcdefghijkl";
constexpr const char* kRotating = "AC00000000000000000000000000000003"; ///< primary + secondary token
constexpr const char* kRotatingPrimary = "rotating-primary-token-000000000";
constexpr const char* kRotatingSecondary = "rotating-secondary-token-1111111";
constexpr const char* kPublicUrl = "https://gw.example.test";
constexpr const char* kNumber = "+15005550006";       ///< tenant "acme" (kAccount)
constexpr const char* kSubNumber = "+15005550007";    ///< tenant "sub" (kSubaccount)
constexpr const char* kRotNumber = "+15005550008";    ///< tenant "rot" (kRotating)
constexpr const char* kSuspendedNumber = "+15005550010"; ///< suspended, fallback with markup and unicode
constexpr const char* kBareNumber = "+15005550011";   ///< suspended, no fallback of its own
constexpr const char* kNoAgentNumber = "+15005550012"; ///< agent provider not running
constexpr const char* kLimitedNumber = "+15005550013"; ///< maxConcurrentCalls 1
/// The suspended tenant's fallback message: everything XML must escape, and non-ASCII text.
extern const char* const kTrickyMessage;

using testsupport::between;
using testsupport::formEncode;
using testsupport::twilioSignature;

using HttpResult = testsupport::HttpResult;

/// A tenant store whose tenant lookup can be made to fail alone (accounts still answer), so the
/// core's StoreUnavailable admission can be reached through a validly signed webhook.
class TestStore final : public sdk::testing::FakeTenantStore
{
public:
    sdk::Result<sdk::Tenant> findTenantByNumber(std::string_view number) noexcept override
    {
        if (tenantLookupDown) return sdk::Status::unavailable("tenant lookup down (test)");
        return FakeTenantStore::findTenantByNumber(number);
    }

    std::atomic<bool> tenantLookupDown{false};
};

/// Composes what PatchbayApp composes for one inbound plugin: metrics, routes, media engine,
/// blocking pool, call recorder, routing core (with one stub agent provider as the default),
/// HostServicesImpl, and the public HTTP front on 127.0.0.1 with an ephemeral port. The twilio
/// plugin is dlopen()ed and initialised with publicUrl kPublicUrl plus `extraConfig`.
class WebhookTestHost
{
public:
    WebhookTestHost();
    ~WebhookTestHost();

    /// Inits the plugin (extraConfig starts with ',' when not empty) and starts serving.
    /// @return the init status; the front is started only when it is ok.
    sdk::Status start(const std::string& extraConfig = "");

    /// POST with a form body signed for kPublicUrl + path with `token` (empty signature header
    /// when token is empty).
    HttpResult postSigned(const std::string& path, const Params& params, const std::string& token = kToken,
                          const std::vector<std::pair<std::string, std::string>>& headers = {});
    HttpResult post(const std::string& pathAndQuery, const std::string& body, const std::string& contentType,
                    const std::vector<std::pair<std::string, std::string>>& headers);
    HttpResult get(const std::string& pathAndQuery, const std::vector<std::pair<std::string, std::string>>& headers);

    /// The voice webhook's parameters for a call to `to` on `account`.
    static Params voiceParams(const std::string& callSid, const std::string& to = kNumber,
                              const std::string& account = kAccount);

    /// The value of one Prometheus series ("name{label=\"v\"}"), 0 when absent.
    double metric(const std::string& series) const;

    TestStore& store() { return _store; }
    /// Waits until the core's record writer has written everything queued (records are written async).
    void flushRecords() { _recorder.flush(); }
    host::CallRouterImpl& router() { return _router; }
    sdk::testing::RecordingLogger& pluginLog() { return _pluginLog; }
    sdk::testing::RecordingLogger& coreLog() { return _coreLog; }
    std::uint16_t port() const { return _front ? _front->port() : 0; }

private:
    HttpResult send(const std::string& method, const std::string& pathAndQuery, const std::string& body,
                    const std::string& contentType, const std::vector<std::pair<std::string, std::string>>& headers);

    sdk::testing::RecordingLogger _pluginLog;
    sdk::testing::RecordingLogger _coreLog;
    host::MetricsRegistry _metrics;
    host::RouteTable _routes;
    std::unique_ptr<host::MediaEngine> _engine;
    std::unique_ptr<host::BlockingPool> _blocking;
    sdk::testing::FakeHttpClient _httpClient;
    TestStore _store;
    host::CallRecorder _recorder;
    host::CallRouterImpl _router;
    std::unique_ptr<host::HostContext> _context;
    std::unique_ptr<host::HostServicesImpl> _services;
    std::unique_ptr<host::HttpFront> _front;
    void* _library = nullptr;
    sdk::Plugin* _plugin = nullptr;
    void (*_destroy)(void*) = nullptr;
    bool _initialised = false;
};

} // namespace patchbay::twilio::test
