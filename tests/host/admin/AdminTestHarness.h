// AdminTestHarness.h: a real AdminApi on a loopback port over a real SQLite store in a temp dir, plus an HTTP client that records every answer.
#ifndef PATCHBAY_TESTS_HOST_ADMIN_ADMIN_TEST_HARNESS_H
#define PATCHBAY_TESTS_HOST_ADMIN_ADMIN_TEST_HARNESS_H

#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <patchbay/sdk/testing/RecordingLogger.h>
#include <patchbay/tenantsqlite/SqliteTenantStore.h>

#include "FakeInboundProvider.h"
#include "TempDir.h"
#include "admin/AdminApi.h"
#include "core/InboundProviders.h"
#include "engine/MediaEngine.h"
#include "metrics/MetricsRegistry.h"

namespace patchbay::testing {

/// One answer of the admin API.
struct AdminReply
{
    int status = 0;
    std::string contentType;
    std::map<std::string, std::string> headers; ///< names lowercased
    std::string body;

    Poco::JSON::Object::Ptr json() const
    {
        return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    }
    std::string header(const std::string& lowerName) const
    {
        auto it = headers.find(lowerName);
        return it == headers.end() ? std::string() : it->second;
    }
    /// A problem body's member ("" when absent).
    std::string problem(const std::string& member) const
    {
        auto o = json();
        return o->has(member) ? o->get(member).convert<std::string>() : std::string();
    }
};

/// Everything real: HttpFront on 127.0.0.1:0, the SQLite store on a temp file with a test master key.
/// Every request and answer is recorded so a test can grep all of them for secrets. The carrier is a
/// FakeInboundProvider registered as "twilio" (unless withCarrier is false: no inbound plugin at all).
class AdminTestHarness
{
public:
    static constexpr const char* kOperatorToken = "op-token-0123456789abcdef-0123456789";

    explicit AdminTestHarness(bool withStore = true, bool withCarrier = true) : _dir("patchbay-admin")
    {
        if (withStore)
        {
            tenantsqlite::StoreOptions options;
            options.path = _dir.file("tenants.db");
            options.keys.activeId = "test-key";
            options.keys.keys["test-key"] = std::string(32, '\x5a');
            const sdk::Status st = _store.open(options);
            if (!st.isOk()) throw std::runtime_error("store open failed: " + st.toString());
        }
        host::MediaEngineOptions mo;
        mo.loops = 1;
        mo.connectorThreads = 1;
        _engine = std::make_unique<host::MediaEngine>(mo, _log, nullptr);
        host::AdminConfig config;
        config.enabled = true;
        config.listen = "127.0.0.1:0";
        config.listenHost = "127.0.0.1";
        config.listenPort = 0;
        config.operatorToken = kOperatorToken;
        config.threads = 4;
        _api = std::make_unique<host::AdminApi>(withStore ? &_store : nullptr, config, _log, _metrics, *_engine,
                                                [this] { return _nowMs; });
        if (withCarrier) _providers.add("twilio", &_carrier, nullptr);
        _api->setCarrier(host::AdminCarrier{&_providers, [this](const std::string& tenantId) {
                                                std::lock_guard<std::mutex> lock(_mutex);
                                                auto it = _activeCalls.find(tenantId);
                                                return it == _activeCalls.end() ? 0u : it->second;
                                            }});
        _api->start();
    }

    ~AdminTestHarness()
    {
        _api->stop();
        _store.close();
    }

    AdminReply call(const std::string& method, const std::string& uri, const std::string& token,
                    const std::string& body = {}, const std::string& authorization = {})
    {
        Poco::Net::HTTPClientSession session("127.0.0.1", _api->port());
        session.setTimeout(Poco::Timespan(10, 0));
        Poco::Net::HTTPRequest request(method, uri, Poco::Net::HTTPMessage::HTTP_1_1);
        if (!authorization.empty()) request.set("Authorization", authorization);
        else if (!token.empty()) request.set("Authorization", "Bearer " + token);
        if (!body.empty() || method == "POST" || method == "PUT")
        {
            request.setContentType("application/json");
            request.setContentLength(static_cast<std::streamsize>(body.size()));
        }
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        AdminReply reply;
        reply.status = response.getStatus();
        reply.contentType = response.getContentType();
        for (const auto& h : response)
        {
            std::string name = h.first;
            for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            reply.headers[name] = h.second;
        }
        Poco::StreamCopier::copyToString(in, reply.body);
        std::lock_guard<std::mutex> lock(_mutex);
        _exchanges.push_back({method + " " + uri, reply.body});
        return reply;
    }

    AdminReply op(const std::string& method, const std::string& uri, const std::string& body = {})
    {
        return call(method, uri, kOperatorToken, body);
    }

    /// Every (request line, response body) so far.
    std::vector<std::pair<std::string, std::string>> exchanges() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _exchanges;
    }

    sdk::TenantStore& store() { return _store; }
    tenantsqlite::SqliteTenantStore& sqlite() { return _store; }
    sdk::testing::RecordingLogger& log() { return _log; }
    host::MetricsRegistry& metrics() { return _metrics; }
    std::uint16_t port() const { return _api->port(); }
    void setNow(std::int64_t ms) { _nowMs = ms; }
    FakeInboundProvider& carrier() { return _carrier; }
    /// What the core would report as the tenant's admitted calls (its concurrency count).
    void setActiveCalls(const std::string& tenantId, std::uint32_t count)
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _activeCalls[tenantId] = count;
    }

    // ---- fixtures ----

    static std::string accountSid(char fill) { return "AC" + std::string(32, fill); }

    static std::string accountJson(const std::string& sid, const std::string& authToken, const std::string& extra = {})
    {
        return R"({"sid":")" + sid + R"(","authToken":")" + authToken + "\"" + (extra.empty() ? "" : "," + extra) + "}";
    }

    static std::string tenantJson(const std::string& id, const std::string& name, const std::string& apiKey = {},
                                  const std::string& extra = {})
    {
        std::string agent = R"({"provider":"elevenlabs","agentId":"agent-)" + id + R"(","firstMessage":"Hello",)"
                            R"("dynamicVariables":{"plan":"gold","seats":3})";
        if (!apiKey.empty()) agent += R"(,"apiKey":")" + apiKey + "\"";
        agent += "}";
        return R"({"id":")" + id + R"(","name":")" + name + R"(","agent":)" + agent +
               R"(,"limits":{"maxConcurrentCalls":5,"callsPerMinute":30,"maxCallSeconds":600,"monthlyMinutes":1000})"
               R"(,"fallback":{"message":"Sorry","dialNumber":"+15005550100"},"rates":{"perMinuteMicros":20000,"currency":"EUR"})" +
               (extra.empty() ? "" : "," + extra) + "}";
    }

    /// Issues a tenant token through the API; returns {id, token}.
    std::pair<std::string, std::string> issueToken(const std::string& tenantId, const std::string& label = "test")
    {
        AdminReply r = op("POST", "/v1/tenants/" + tenantId + "/tokens", R"({"label":")" + label + "\"}");
        if (r.status != 201) throw std::runtime_error("token issue failed: " + r.body);
        auto o = r.json();
        return {o->getValue<std::string>("id"), o->getValue<std::string>("token")};
    }

    /// An ended call of `tenantId`, counted in its usage.
    void addCall(const std::string& sid, const std::string& tenantId, const std::string& accountSid, std::int64_t receivedAtMs,
                 std::int64_t durationMs, const std::string& status = "ended", const std::string& variant = {},
                 const std::string& inboundProvider = "twilio")
    {
        sdk::CallRecord r;
        r.call.callSid = sid;
        r.call.tenantId = tenantId;
        r.call.accountSid = accountSid;
        r.call.from = "+15005550999";
        r.call.to = "+15005550001";
        r.call.inboundProvider = inboundProvider;
        r.status = status;
        r.receivedAtMs = receivedAtMs;
        r.answeredAtMs = receivedAtMs + 100;
        r.endedAtMs = status == "ended" ? receivedAtMs + durationMs : 0;
        r.durationMs = durationMs;
        r.endReason = "completed";
        r.variant = variant;
        const sdk::Status st = status == "ended" ? _store.finishCall(r) : _store.saveCall(r);
        if (!st.isOk()) throw std::runtime_error("seeding call failed: " + st.toString());
    }

private:
    TempDir _dir;
    tenantsqlite::SqliteTenantStore _store;
    sdk::testing::RecordingLogger _log;
    host::MetricsRegistry _metrics;
    std::unique_ptr<host::MediaEngine> _engine;
    FakeInboundProvider _carrier;
    host::InboundProviders _providers;
    std::map<std::string, std::uint32_t> _activeCalls;
    std::unique_ptr<host::AdminApi> _api;
    std::int64_t _nowMs = 1767225600000; // 2026-01-01T00:00:00Z
    mutable std::mutex _mutex;
    std::vector<std::pair<std::string, std::string>> _exchanges;
};

} // namespace patchbay::testing

#endif
