// ElevenLabsWebhookHttpTest.cpp: the built elevenlabs plugin dlopen()ed into the real host pieces (HostServicesImpl, HTTP front on loopback) — its webhooks over real HTTP.
#include <cppunit/extensions/HelperMacros.h>

#include "LoopbackHttp.h"

#include <dlfcn.h>

#include <chrono>
#include <memory>
#include <stdexcept>


#include <patchbay/sdk/Abi.h>
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
#include "protocol/WebhookSignature.h"

using namespace patchbay;
using patchbay::elevenlabs::WebhookSignature;

namespace {

// Test values, not secrets.
constexpr const char* kWebhookSecret = "http-test-webhook-secret-0123456789";
constexpr const char* kInitiationSecret = "http-test-initiation-token-0123";
constexpr const char* kNumber = "+15005550006";

std::int64_t wallMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

using patchbay::testsupport::HttpResult;

/// What PatchbayApp composes for one plugin, minus the agents: metrics, routes, media engine,
/// blocking pool, recorder, routing core, HostServicesImpl and the public front on 127.0.0.1:0.
class Host
{
public:
    Host() : _recorder(_coreLog), _router(_coreLog, _metrics, _recorder, wallMs, {})
    {
        host::MediaEngineOptions mo;
        mo.loops = 1;
        mo.connectorThreads = 1;
        _engine = std::make_unique<host::MediaEngine>(mo, _coreLog, nullptr);
        _engine->start();
        _blocking = std::make_unique<host::BlockingPool>(1, _coreLog);
        sdk::Tenant acme;
        acme.id = "acme";
        acme.name = "Acme";
        acme.agent.agentId = "agent-acme";
        _store.addTenant(acme);
        _store.addNumber(kNumber, "acme");
        _recorder.setStore(&_store);
        _recorder.start();
        _router.setTenantStore(&_store);
        _context = std::make_unique<host::HostContext>(
            host::HostContext{_metrics, _routes, *_engine, *_blocking, _httpClient, _router, &_store});
        _services = std::make_unique<host::HostServicesImpl>("elevenlabs", _pluginLog, *_context);
        _library = dlopen(ELEVENLABS_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
        if (!_library) throw std::runtime_error(std::string("dlopen: ") + dlerror());
        auto create = reinterpret_cast<void* (*)()>(dlsym(_library, PATCHBAY_SYMBOL_CREATE));
        _destroy = reinterpret_cast<void (*)(void*)>(dlsym(_library, PATCHBAY_SYMBOL_DESTROY));
        if (!create || !_destroy) throw std::runtime_error("plugin entry points missing");
        _plugin = static_cast<sdk::Plugin*>(create());
        const sdk::Status st = _plugin->init(*_services, std::string(R"({"webhookSecret":")") + kWebhookSecret
                                                             + R"(","initiationSecret":")" + kInitiationSecret + "\"}");
        if (!st.isOk()) throw std::runtime_error("init: " + st.toString());
        host::HttpFrontOptions fo;
        fo.host = "127.0.0.1";
        fo.port = 0;
        fo.threads = 2;
        _front = std::make_unique<host::HttpFront>(fo, _routes, *_engine, _coreLog, _metrics);
        _front->start();
    }

    ~Host()
    {
        _front->stop();
        _plugin->shutdown();
        _destroy(_plugin); // never dlclose: the host never unloads plugins either
        _engine->stop();
        _blocking->stop();
        _recorder.stop();
    }

    HttpResult post(const std::string& path, const std::string& body, const std::vector<std::pair<std::string, std::string>>& headers)
    {
        return testsupport::httpExchange(_front->port(), "POST", path, body, "application/json", headers);
    }

    sdk::testing::FakeTenantStore& store() { return _store; }
    sdk::testing::RecordingLogger& pluginLog() { return _pluginLog; }

private:
    sdk::testing::RecordingLogger _pluginLog;
    sdk::testing::RecordingLogger _coreLog;
    host::MetricsRegistry _metrics;
    host::RouteTable _routes;
    std::unique_ptr<host::MediaEngine> _engine;
    std::unique_ptr<host::BlockingPool> _blocking;
    sdk::testing::FakeHttpClient _httpClient;
    sdk::testing::FakeTenantStore _store;
    host::CallRecorder _recorder;
    host::CallRouterImpl _router;
    std::unique_ptr<host::HostContext> _context;
    std::unique_ptr<host::HostServicesImpl> _services;
    std::unique_ptr<host::HttpFront> _front;
    void* _library = nullptr;
    sdk::Plugin* _plugin = nullptr;
    void (*_destroy)(void*) = nullptr;
};

} // namespace

class ElevenLabsWebhookHttpTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ElevenLabsWebhookHttpTest);
    CPPUNIT_TEST(webhooksOverRealHttp);
    CPPUNIT_TEST_SUITE_END();

public:
    void webhooksOverRealHttp()
    {
        Host host;
        sdk::CallRecord record;
        record.call.callSid = "CAhttp";
        record.call.tenantId = "acme";
        record.status = "ended";
        record.agentConversationId = "conv_http";
        CPPUNIT_ASSERT(host.store().saveCall(record).isOk());
        const std::string body = R"({"type":"post_call_transcription","data":{"conversation_id":"conv_http","transcript":[)"
                                 R"({"role":"user","message":"über HTTP","time_in_call_secs":1}],)"
                                 R"("conversation_initiation_client_data":{"dynamic_variables":{"call_sid":"CAhttp"}}}})";
        const std::string signature = WebhookSignature::header(wallMs() / 1000, body, kWebhookSecret);

        // Header name in another case: HTTP headers are case-insensitive and ElevenLabs' samples lowercase it.
        HttpResult bad = host.post("/elevenlabs/post-call", body, {{"elevenlabs-signature", signature + "0"}});
        CPPUNIT_ASSERT_EQUAL(401, bad.status);
        CPPUNIT_ASSERT(host.pluginLog().contains(sdk::LogLevel::Warn, "post-call webhook refused (401): bad-signature from 127.0.0.1"));

        HttpResult ok = host.post("/elevenlabs/post-call", body, {{"elevenlabs-signature", signature}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(ok.body, 200, ok.status);
        const auto transcript = host.store().transcript("CAhttp").value();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), transcript.size());
        CPPUNIT_ASSERT_EQUAL(std::string("über HTTP"), transcript[0].text);

        HttpResult init = host.post("/elevenlabs/initiation",
                                    std::string(R"({"caller_id":"+1555","agent_id":"agent-acme","called_number":")") + kNumber
                                        + R"(","call_sid":"CAnative"})",
                                    {{"Authorization", std::string("Bearer ") + kInitiationSecret}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(init.body, 200, init.status);
        CPPUNIT_ASSERT(init.body.find(R"("tenant_id":"acme")") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(404, host.post("/elevenlabs/initiation", R"({"called_number":"+1999"})",
                                            {{"Authorization", std::string("Bearer ") + kInitiationSecret}})
                                      .status);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ElevenLabsWebhookHttpTest);
