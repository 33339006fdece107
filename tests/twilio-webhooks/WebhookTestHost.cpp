// WebhookTestHost.cpp: wiring of the real host pieces around the twilio plugin, the seed data, and a loopback HTTP client.
#include "WebhookTestHost.h"

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/hmac.h>


#include <patchbay/sdk/support/Base64.h>

namespace patchbay::twilio::test {

const char* const kTrickyMessage = "Closed <today> & \"tomorrow\" — it's Zoë's day off ☎ 🎉";

namespace {

/// Admission needs a running agent provider; no stream is ever opened in these tests.
class StubAgentProvider final : public sdk::AgentProvider
{
public:
    sdk::Result<std::unique_ptr<sdk::AgentSession>> openSession(const sdk::AgentSessionRequest&, sdk::CallChannel&,
                                                                sdk::EventLoop&) override
    {
        return sdk::Status::unavailable("stub agent provider");
    }
};

StubAgentProvider& stubAgent()
{
    static StubAgentProvider provider;
    return provider;
}

std::int64_t wallMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

sdk::Tenant tenant(const std::string& id, sdk::TenantStatus status = sdk::TenantStatus::Active)
{
    sdk::Tenant t;
    t.id = id;
    t.name = id;
    t.status = status;
    t.agent.agentId = "agent-" + id;
    return t;
}

} // namespace

WebhookTestHost::WebhookTestHost() : _recorder(_coreLog), _router(_coreLog, _metrics, _recorder, wallMs, {})
{
    host::MediaEngineOptions mo;
    mo.loops = 1;
    mo.connectorThreads = 1;
    _engine = std::make_unique<host::MediaEngine>(mo, _coreLog, nullptr);
    _engine->start();
    _blocking = std::make_unique<host::BlockingPool>(1, _coreLog);

    sdk::CarrierAccount main;
    main.sid = kAccount;
    main.authToken = kToken;
    _store.addAccount(main);
    sdk::CarrierAccount sub;
    sub.sid = kSubaccount;
    sub.parentSid = kAccount;
    sub.authToken = kSubToken;
    _store.addAccount(sub);
    sdk::CarrierAccount rotating;
    rotating.sid = kRotating;
    rotating.authToken = kRotatingPrimary;
    rotating.secondaryToken = kRotatingSecondary;
    _store.addAccount(rotating);

    _store.addTenant(tenant("acme"));
    _store.addNumber(kNumber, "acme", kAccount);
    _store.addTenant(tenant("sub"));
    _store.addNumber(kSubNumber, "sub", kSubaccount);
    _store.addTenant(tenant("rot"));
    _store.addNumber(kRotNumber, "rot", kRotating);
    sdk::Tenant suspended = tenant("closed", sdk::TenantStatus::Suspended);
    suspended.fallback.message = kTrickyMessage;
    suspended.fallback.dialNumber = "+15550001111";
    _store.addTenant(suspended);
    _store.addNumber(kSuspendedNumber, "closed", kAccount);
    _store.addTenant(tenant("bare", sdk::TenantStatus::Suspended));
    _store.addNumber(kBareNumber, "bare", kAccount);
    sdk::Tenant noAgent = tenant("noagent");
    noAgent.agent.providerId = "not-running";
    noAgent.fallback.message = "Our assistant is away.";
    _store.addTenant(noAgent);
    _store.addNumber(kNoAgentNumber, "noagent", kAccount);
    sdk::Tenant limited = tenant("limited");
    limited.limits.maxConcurrentCalls = 1;
    _store.addTenant(limited);
    _store.addNumber(kLimitedNumber, "limited", kAccount);

    _recorder.setStore(&_store);
    _recorder.start();
    _router.setTenantStore(&_store);
    _router.agents().add("stub-agent", host::AgentBinding{&stubAgent(), nullptr});
    _router.agents().setDefault("stub-agent");
    _context = std::make_unique<host::HostContext>(
        host::HostContext{_metrics, _routes, *_engine, *_blocking, _httpClient, _router, &_store});
    _services = std::make_unique<host::HostServicesImpl>("twilio", _pluginLog, *_context);
}

WebhookTestHost::~WebhookTestHost()
{
    if (_front) _front->stop();
    if (_plugin)
    {
        if (_initialised) _plugin->shutdown();
        _destroy(_plugin); // never dlclose: the host never unloads plugins either
    }
    _engine->stop();
    _blocking->stop();
    _recorder.stop();
}

sdk::Status WebhookTestHost::start(const std::string& extraConfig)
{
    if (!_library)
    {
        _library = dlopen(TWILIO_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
        if (!_library) throw std::runtime_error(std::string("dlopen: ") + dlerror());
        auto create = reinterpret_cast<void* (*)()>(dlsym(_library, PATCHBAY_SYMBOL_CREATE));
        _destroy = reinterpret_cast<void (*)(void*)>(dlsym(_library, PATCHBAY_SYMBOL_DESTROY));
        if (!create || !_destroy) throw std::runtime_error("plugin entry points missing");
        _plugin = static_cast<sdk::Plugin*>(create());
    }
    const std::string config = std::string(R"({"publicUrl":")") + kPublicUrl + R"(","streamTokenSecret":")" +
                               std::string(40, 's') + "\"" + extraConfig + "}";
    sdk::Status st = _plugin->init(*_services, config);
    if (!st.isOk()) return st;
    _initialised = true;
    host::HttpFrontOptions fo;
    fo.host = "127.0.0.1";
    fo.port = 0;
    fo.threads = 4;
    _front = std::make_unique<host::HttpFront>(fo, _routes, *_engine, _coreLog, _metrics);
    _front->start();
    return st;
}

Params WebhookTestHost::voiceParams(const std::string& callSid, const std::string& to, const std::string& account)
{
    return {{"AccountSid", account},  {"ApiVersion", "2010-04-01"}, {"CallSid", callSid},
            {"CallStatus", "ringing"}, {"Called", to},               {"Caller", "+14155550100"},
            {"CallerName", "José Núñez"}, {"Direction", "inbound"},  {"From", "+14155550100"},
            {"To", to},                {"ToCity", ""}};
}

HttpResult WebhookTestHost::postSigned(const std::string& path, const Params& params, const std::string& token,
                                       const std::vector<std::pair<std::string, std::string>>& headers)
{
    auto all = headers;
    if (!token.empty()) all.emplace_back("X-Twilio-Signature", twilioSignature(std::string(kPublicUrl) + path, params, token));
    return post(path, formEncode(params), "application/x-www-form-urlencoded", all);
}

HttpResult WebhookTestHost::post(const std::string& pathAndQuery, const std::string& body, const std::string& contentType,
                                 const std::vector<std::pair<std::string, std::string>>& headers)
{
    return send("POST", pathAndQuery, body, contentType, headers);
}

HttpResult WebhookTestHost::get(const std::string& pathAndQuery, const std::vector<std::pair<std::string, std::string>>& headers)
{
    return send("GET", pathAndQuery, {}, {}, headers);
}

HttpResult WebhookTestHost::send(const std::string& method, const std::string& pathAndQuery, const std::string& body,
                                 const std::string& contentType,
                                 const std::vector<std::pair<std::string, std::string>>& headers)
{
    // Host as a proxy in front would typically send it.
    return testsupport::httpExchange(port(), method, pathAndQuery, body, contentType, headers, "gw-internal.local");
}

double WebhookTestHost::metric(const std::string& series) const
{
    std::istringstream text(_metrics.renderPrometheus());
    std::string line;
    while (std::getline(text, line))
        if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 && line[series.size()] == ' ')
            return std::stod(line.substr(series.size() + 1));
    return 0;
}

} // namespace patchbay::twilio::test
