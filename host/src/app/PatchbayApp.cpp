// PatchbayApp.cpp: startup in dependency order, serving, and the ordered drain and shutdown.
#include "app/PatchbayApp.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <map>
#include <thread>

#include <unistd.h>

#include <Poco/Net/Context.h>
#include <Poco/Net/SSLManager.h>

#include "admin/AdminApi.h"
#include "app/BlockingPool.h"
#include "app/HealthRoutes.h"
#include "app/HostServicesImpl.h"
#include "app/PluginRoster.h"
#include "plugin/PluginConfigCheck.h"
#include "plugin/PluginLifecycle.h"
#include "config/ConfigError.h"
#include "config/ConfigLoader.h"
#include "core/CallRecorder.h"
#include "core/CallRouterImpl.h"
#include "engine/MediaEngine.h"
#include "http/HttpFront.h"
#include "http/RouteTable.h"
#include "logging/LogManager.h"
#include "metrics/MetricsRegistry.h"
#include "net/HttpClient.h"
#include "plugin/PluginLoader.h"

namespace patchbay::host {
namespace {

std::int64_t nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string resolvePluginDir(const std::string& configured)
{
    if (!configured.empty()) return configured;
    std::error_code ec;
    std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    std::filesystem::path bin = ec ? std::filesystem::current_path() : exe.parent_path();
    for (const char* candidate : {"../plugins", "../lib/patchbay/plugins"})
    {
        std::filesystem::path p = (bin / candidate).lexically_normal();
        if (std::filesystem::is_directory(p, ec)) return p.string();
    }
    return (bin / "../plugins").lexically_normal().string();
}

/// Blocks until SIGINT or SIGTERM. The signals are blocked in every thread (set in main before any
/// thread starts), so sigwait is the one place they are delivered.
int waitForTermination()
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    int sig = 0;
    sigwait(&set, &sig);
    return sig;
}

Poco::Net::Context::Ptr serverTlsContext(const ServerConfig& server)
{
    if (!server.tls) return nullptr;
    return new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, server.tls->privateKey, server.tls->certificate, "",
                                  Poco::Net::Context::VERIFY_NONE, 9, false, "ALL:!ADH:!LOW:!EXP:!MD5:!RC4:@STRENGTH");
}

} // namespace

int PatchbayApp::run()
{
    // 1. Configuration: every problem is printed with its key path; exit 2.
    HostConfig config;
    try
    {
        config = ConfigLoader().loadFile(_options.configPath);
    }
    catch (const ConfigError& e)
    {
        for (const auto& line : e.lines()) std::cerr << "patchbay: config error: " << line << "\n";
        return 2;
    }
    catch (const std::exception& e)
    {
        std::cerr << "patchbay: config error: " << e.what() << "\n";
        return 2;
    }

    std::unique_ptr<LogManager> logManager;
    try
    {
        logManager = std::make_unique<LogManager>(config.logging);
    }
    catch (const std::exception& e)
    {
        std::cerr << "patchbay: config error: logging.file: cannot open '" << config.logging.file << "': " << e.what() << "\n";
        return 2;
    }
    LogManager& logs = *logManager;
    sdk::Logger& hostLog = logs.logger("host");
    // A startup step that fails after logging is up: one critical log line, the same line on stderr.
    const auto startupFailure = [&hostLog, &logs](int code, const std::string& line) {
        hostLog.log(sdk::LogLevel::Critical, {}, line);
        logs.flush();
        std::cerr << "patchbay: " << line << "\n";
        return code;
    };

    // 2. Plugins: load and check every enabled one (no plugin code runs before its descriptor passed).
    const std::string pluginDir = resolvePluginDir(config.pluginDir);
    const PluginLogSink pluginLogSink = [&hostLog](LogSeverity severity, const std::string& line) {
        if (severity == LogSeverity::Error) hostLog.error(line);
        else if (severity == LogSeverity::Warning) hostLog.warn(line);
        else if (severity == LogSeverity::Debug) hostLog.debug(line);
        else hostLog.info(line);
    };
    PluginLoader loader(pluginLogSink);
    std::vector<std::pair<std::shared_ptr<LoadedPlugin>, PluginSpec>> roster;
    for (const auto& pc : config.plugins)
    {
        PluginSpec spec;
        spec.id = pc.id;
        spec.path = pc.libraryPath(pluginDir);
        spec.required = pc.required;
        spec.enabled = pc.enabled;
        spec.configJson = pc.configJson;
        if (pc.id == config.routing.tenantStore) spec.requiredCapabilities |= PATCHBAY_CAP_TENANT_STORE;
        if (pc.id == config.routing.defaultAgent) spec.requiredCapabilities |= PATCHBAY_CAP_AGENT;
        if (pc.id == config.routing.inboundProvider) spec.requiredCapabilities |= PATCHBAY_CAP_INBOUND;
        LoadResult result = loader.load(spec);
        if (result.outcome == LoadResult::Outcome::Fatal)
        {
            hostLog.log(sdk::LogLevel::Critical, {}, "startup failed: " + result.message);
            logs.flush();
            std::cerr << "patchbay: startup failed: " << result.message << "\n";
            return 2;
        }
        if (result.loaded()) roster.emplace_back(result.plugin, spec);
    }
    if (_options.checkOnly)
    {
        // Each loaded plugin checks its own "config" object on the object the loader created; no
        // init(), so nothing is registered, opened or created. In config order, one line each.
        std::size_t wrong = 0;
        for (const auto& [plugin, spec] : roster)
        {
            const PluginConfigCheck check = checkPluginConfig(*plugin, spec.configJson);
            logs.flush(); // the loader's log lines (stderr by default) before the verdicts
            if (check.isError())
            {
                ++wrong;
                std::cerr << "patchbay: " << check.line << "\n";
            }
            else
                std::cout << "patchbay: " << check.line << std::endl; // in order with stderr when both go to one CI log
        }
        if (wrong > 0)
        {
            std::cerr << "patchbay: config check failed (" << config.sourceName << "): " << wrong << " of " << roster.size()
                      << " plugin configs wrong\n";
            return 2;
        }
        std::cout << "patchbay: config OK (" << config.sourceName << "): " << roster.size() << " of " << config.plugins.size()
                  << " plugins loadable from " << pluginDir << "\n";
        return 0;
    }
    std::stable_sort(roster.begin(), roster.end(),
                     [](const auto& a, const auto& b) { return rosterRank(*a.first) < rosterRank(*b.first); });

    // 3. Host services.
    Poco::Net::initializeSSL();
    int exitCode = 0;
    {
        MetricsRegistry metrics;
        MediaEngineOptions mo;
        mo.loops = static_cast<std::size_t>(config.media.loops);
        mo.maxMessageBytes = config.media.maxMessageBytes;
        mo.writeQueueBytes = config.media.writeQueueBytes;
        mo.connectTimeoutMs = config.media.connectTimeoutMs;
        mo.connectorThreads = static_cast<std::size_t>(config.media.connectorThreads);
        std::unique_ptr<PocoHttpClient> httpClientPtr;
        try
        {
            httpClientPtr = std::make_unique<PocoHttpClient>(config.tls);
        }
        catch (const std::exception& e)
        {
            std::cerr << "patchbay: config error: tls: cannot build the outbound TLS context: " << e.what() << "\n";
            return 2;
        }
        PocoHttpClient& httpClient = *httpClientPtr;
        MediaEngine engine(mo, logs.logger("media"), httpClient.context());
        BlockingPool blocking(4, logs.logger("host"));
        CallRecorder recorder(logs.logger("core"));
        CallRouterImpl::Options ro;
        ro.streamStartTimeoutMs = config.routing.streamStartTimeoutMs;
        ro.prewarmAgent = config.routing.prewarmAgent;
        CallRouterImpl router(logs.logger("core"), metrics, recorder, nowMs, ro);
        // A pre-warmed agent opens on the loop that the call's stream (affinity key = CallSid) lands on.
        router.setLoopForKey([&engine](std::string_view key) -> sdk::EventLoop& { return engine.loopForKey(key); });
        // Calls run their carrier requests (transfer, fallback redirect) here, never on a media loop.
        router.setBlockingRunner([&blocking](std::function<void()> task) { blocking.submit(std::move(task)); });
        RouteTable routes;
        HostContext ctx{metrics, routes, engine, blocking, httpClient, router, nullptr};
        engine.start();

        // 4. init in dependency order (tenant stores, agents, inbound); Declined disables a plugin,
        //    failure is fatal only for required ones. Then bind what initialised, then start.
        std::map<std::string, std::unique_ptr<HostServicesImpl>> services;
        PluginLifecycle lifecycle(
            [&](LoadedPlugin& plugin) -> sdk::HostServices& {
                auto& slot = services[plugin.id()];
                if (!slot)
                {
                    slot = std::make_unique<HostServicesImpl>(plugin.id(), logs.pluginLogger(plugin.id()), ctx);
                    slot->setKeepAlive(std::shared_ptr<const void>(plugin.pluginPtr()));
                }
                return *slot;
            },
            pluginLogSink);
        for (auto& [plugin, spec] : roster) lifecycle.add(plugin, spec);
        auto pluginById = [&](const std::string& id) -> LoadedPlugin* {
            for (auto& entry : roster)
                if (entry.first->id() == id) return entry.first.get();
            return nullptr;
        };
        if (lifecycle.initAll())
        {
            for (const PluginReport& r : lifecycle.report())
            {
                if (r.state != PluginState::Initialized) continue;
                LoadedPlugin* p = pluginById(r.id);
                if (!p) continue;
                if (r.id == config.routing.tenantStore && p->plugin().tenantStore())
                {
                    ctx.store = p->plugin().tenantStore();
                    router.setTenantStore(ctx.store);
                    recorder.setStore(ctx.store);
                }
                if (sdk::AgentProvider* agent = p->plugin().agentProvider())
                    router.agents().add(r.id, AgentBinding{agent, std::shared_ptr<const void>(p->pluginPtr())});
                if (sdk::InboundProvider* inbound = p->plugin().inboundProvider())
                    router.inboundProviders().add(r.id, inbound, std::shared_ptr<const void>(p->pluginPtr()));
            }
            router.agents().setDefault(config.routing.defaultAgent);
            router.inboundProviders().setPreferred(config.routing.inboundProvider);
            lifecycle.startAll();
        }
        auto removeLeftovers = [&] {
            for (auto& kv : services) kv.second->removeLeftovers();
        };
        const std::string fatal = lifecycle.fatalMessage();
        if (!fatal.empty())
        {
            hostLog.log(sdk::LogLevel::Critical, {}, "startup failed: " + fatal);
            logs.flush();
            std::cerr << "patchbay: startup failed: " << fatal << "\n";
            lifecycle.stopAll();
            lifecycle.shutdownAll();
            removeLeftovers();
            engine.stop();
            blocking.stop();
            exitCode = 2;
        }
        else
        {
            if (!config.routing.tenantStore.empty() && !ctx.store)
                hostLog.warn("routing.tenantStore '" + config.routing.tenantStore + "' is not running: every call will get the fallback");
            if (std::string why; (!router.inboundProviders().empty() || !config.routing.inboundProvider.empty()) &&
                                 !router.inboundProviders().forNumbers(&why))
                hostLog.warn(why + ": numbers cannot be configured or checked and no outbound calls placed");
            recorder.start();

            // 5. The host's own routes, then the listener.
            std::atomic<bool> ready{false};
            routes.addHttp({"host", "GET", "/healthz", false, std::make_shared<HealthzHandler>(), nullptr});
            routes.addHttp({"host", "GET", "/metrics", false,
                            std::make_shared<MetricsHandler>([&metrics] { return metrics.renderPrometheus(); }), nullptr});
            routes.addHttp({"host", "GET", "/readyz", false, std::make_shared<ReadyzHandler>([&]() -> std::string {
                                if (!ready) return "starting";
                                if (router.draining()) return "draining";
                                if (ctx.store)
                                {
                                    sdk::Status st = ctx.store->ping();
                                    if (!st.isOk()) return "tenant store: " + st.message();
                                }
                                return {};
                            }),
                            nullptr});
            HttpFrontOptions fo;
            fo.host = config.server.listenHost;
            fo.port = config.server.listenPort;
            fo.threads = config.server.threads;
            fo.maxQueued = config.server.maxQueued;
            fo.backlog = config.server.backlog;
            fo.maxBodyBytes = config.server.maxBodyBytes;
            std::unique_ptr<HttpFront> front;
            try
            {
                fo.tls = serverTlsContext(config.server);
            }
            catch (const std::exception& e)
            {
                // An unreadable or mismatched certificate is the operator's file, not a runtime fault.
                exitCode = startupFailure(2, "config error: server.tls: cannot load certificate " + config.server.tls->certificate +
                                                 " with key " + config.server.tls->privateKey + ": " + e.what());
            }
            if (exitCode == 0)
            {
                try
                {
                    front = std::make_unique<HttpFront>(fo, routes, engine, logs.logger("http"), metrics);
                    front->start();
                }
                catch (const std::exception& e)
                {
                    exitCode = startupFailure(1, "cannot listen on " + config.server.listen + ": " + e.what());
                }
            }
            std::unique_ptr<AdminApi> admin;
            if (exitCode == 0 && config.admin.enabled)
            {
                try
                {
                    admin = std::make_unique<AdminApi>(ctx.store, config.admin, logs.logger("admin"), metrics, engine, nowMs);
                    admin->setCarrier(AdminCarrier{&router.inboundProviders(),
                                                   [&router](const std::string& tenantId) { return router.tenantCalls(tenantId); }});
                    admin->start();
                }
                catch (const std::exception& e)
                {
                    exitCode = startupFailure(1, "cannot listen on admin.listen " + config.admin.listen + ": " + e.what());
                }
            }
            if (exitCode == 0)
            {
                engine.loopAt(0).post([&engine, &router] {
                    engine.loopAt(0).mediaLoop().runEvery(std::chrono::milliseconds(1000), [&router] { router.expirePending(); });
                });
                ready = true;
                hostLog.info(std::string("patchbay ") + PATCHBAY_VERSION + " listening on " + config.server.listenHost + ":" +
                             std::to_string(front->port()) + (front->secure() ? " (TLS)" : "") + " with " +
                             std::to_string(engine.loopCount()) + " media loops");
                logs.flush();

                const int sig = waitForTermination();
                // 6. Drain: refuse new calls (the inbound plugin answers with the fallback), let calls finish.
                hostLog.info(std::string("received ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") + ": draining " +
                             std::to_string(router.activeCalls()) + " active calls for up to " +
                             std::to_string(config.routing.drainTimeoutMs) + " ms");
                router.beginDrain();
                const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(config.routing.drainTimeoutMs);
                while (router.activeCalls() > 0 && std::chrono::steady_clock::now() < deadline)
                    std::this_thread::sleep_for(std::chrono::milliseconds(50));
                if (router.activeCalls() > 0)
                {
                    hostLog.warn("drain deadline reached: ending " + std::to_string(router.activeCalls()) + " calls");
                    router.endAll(sdk::EndReason::HostShutdown, "gateway shutting down");
                    const auto grace = std::chrono::steady_clock::now() + std::chrono::milliseconds(2000);
                    while (router.activeCalls() > 0 && std::chrono::steady_clock::now() < grace)
                        std::this_thread::sleep_for(std::chrono::milliseconds(20));
                }
            }
            if (admin) admin->stop(); // before the store plugin stops: admin requests use it
            if (front) front->stop();
            lifecycle.stopAll();
            engine.stop();     // closes what is left; legs report their end
            blocking.stop();
            router.expirePending();
            recorder.stop();   // every call record is written before the store goes away
            lifecycle.shutdownAll();
            removeLeftovers();
            hostLog.info("patchbay stopped; " + std::to_string(recorder.written()) + " call records written, " +
                         std::to_string(recorder.failed()) + " failed");
        }
    }
    logs.flush();
    Poco::Net::uninitializeSSL();
    return exitCode;
}

} // namespace patchbay::host
