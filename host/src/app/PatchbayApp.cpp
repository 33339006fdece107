// PatchbayApp.cpp: startup in dependency order, serving, and the ordered drain and shutdown.
#include "app/PatchbayApp.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <thread>

#include <unistd.h>

#include <Poco/Net/Context.h>
#include <Poco/Net/SSLManager.h>

#include "app/BlockingPool.h"
#include "app/HealthRoutes.h"
#include "app/HostServicesImpl.h"
#include "app/PluginRoster.h"
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

    LogManager logs(config.logging);
    sdk::Logger& hostLog = logs.logger("host");

    // 2. Plugins: load and check every enabled one (no plugin code runs before its descriptor passed).
    const std::string pluginDir = resolvePluginDir(config.pluginDir);
    PluginLoader loader([&hostLog](LogSeverity severity, const std::string& line) {
        if (severity == LogSeverity::Error) hostLog.error(line);
        else if (severity == LogSeverity::Warning) hostLog.warn(line);
        else hostLog.info(line);
    });
    std::vector<RosterEntry> roster;
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
        LoadResult result = loader.load(spec);
        if (result.outcome == LoadResult::Outcome::Fatal)
        {
            hostLog.log(sdk::LogLevel::Critical, {}, "startup failed: " + result.message);
            logs.flush();
            std::cerr << "patchbay: startup failed: " << result.message << "\n";
            return 2;
        }
        if (result.loaded()) roster.push_back(RosterEntry{result.plugin, nullptr, pc.configJson, pc.required, false});
    }
    if (_options.checkOnly)
    {
        std::cout << "patchbay: config OK (" << config.sourceName << "): " << roster.size() << " of " << config.plugins.size()
                  << " plugins loadable from " << pluginDir << "\n";
        return 0;
    }
    std::stable_sort(roster.begin(), roster.end(),
                     [](const RosterEntry& a, const RosterEntry& b) { return rosterRank(*a.loaded) < rosterRank(*b.loaded); });

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
        CallRouterImpl router(logs.logger("core"), metrics, recorder, nowMs, ro);
        RouteTable routes;
        HostContext ctx{metrics, routes, engine, blocking, httpClient, router, nullptr};
        engine.start();

        auto stopPlugins = [&] {
            for (auto it = roster.rbegin(); it != roster.rend(); ++it)
            {
                if (!it->running) continue;
                try { it->loaded->plugin().stop(); } catch (...) { hostLog.error("plugin '" + it->loaded->id() + "' threw from stop()"); }
            }
        };
        auto shutdownPlugins = [&] {
            for (auto it = roster.rbegin(); it != roster.rend(); ++it)
            {
                if (!it->services) continue;
                try { it->loaded->plugin().shutdown(); } catch (...) { hostLog.error("plugin '" + it->loaded->id() + "' threw from shutdown()"); }
                it->services->removeLeftovers();
                it->running = false;
            }
        };

        // 4. init in dependency order; Declined disables, failure is fatal only for required plugins.
        std::string fatal;
        for (auto& entry : roster)
        {
            const std::string& id = entry.loaded->id();
            entry.services = std::make_unique<HostServicesImpl>(id, logs.pluginLogger(id), ctx);
            entry.services->setKeepAlive(std::shared_ptr<const void>(entry.loaded->pluginPtr()));
            sdk::Status st = sdk::Status::internal("init threw an exception");
            try
            {
                st = entry.loaded->plugin().init(*entry.services, entry.configJson);
            }
            catch (...)
            {
            }
            if (st.code() == sdk::StatusCode::Declined && !entry.required)
            {
                hostLog.info("plugin '" + id + "' declined to run: " + st.message());
                continue;
            }
            if (!st.isOk())
            {
                const std::string line = "plugin '" + id + "' (" + entry.loaded->path() + ") failed to initialise: " + st.toString();
                if (entry.required)
                {
                    fatal = line + " — it is required; fix its config or mark it not required";
                    break;
                }
                hostLog.warn(line + " — running without it");
                continue;
            }
            entry.running = true;
            if (id == config.routing.tenantStore && entry.loaded->plugin().tenantStore())
            {
                ctx.store = entry.loaded->plugin().tenantStore();
                router.setTenantStore(ctx.store);
                recorder.setStore(ctx.store);
            }
            if (sdk::AgentProvider* agent = entry.loaded->plugin().agentProvider())
                router.agents().add(id, AgentBinding{agent, std::shared_ptr<const void>(entry.loaded->pluginPtr())});
        }
        if (fatal.empty())
        {
            router.agents().setDefault(config.routing.defaultAgent);
            for (auto& entry : roster)
            {
                if (!entry.running) continue;
                sdk::Status st = sdk::Status::internal("start threw an exception");
                try { st = entry.loaded->plugin().start(); } catch (...) {}
                if (st.isOk()) continue;
                const std::string line = "plugin '" + entry.loaded->id() + "' failed to start: " + st.toString();
                if (entry.required)
                {
                    fatal = line + " — it is required";
                    break;
                }
                hostLog.warn(line + " — running without it");
                try { entry.loaded->plugin().shutdown(); } catch (...) {}
                entry.services->removeLeftovers();
                entry.running = false;
            }
        }
        if (!fatal.empty())
        {
            hostLog.log(sdk::LogLevel::Critical, {}, "startup failed: " + fatal);
            logs.flush();
            std::cerr << "patchbay: startup failed: " << fatal << "\n";
            stopPlugins();
            shutdownPlugins();
            engine.stop();
            blocking.stop();
            exitCode = 2;
        }
        else
        {
            if (!config.routing.tenantStore.empty() && !ctx.store)
                hostLog.warn("routing.tenantStore '" + config.routing.tenantStore + "' is not running: every call will get the fallback");
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
                front = std::make_unique<HttpFront>(fo, routes, engine, logs.logger("http"), metrics);
                front->start();
            }
            catch (const std::exception& e)
            {
                const std::string line = "cannot listen on " + config.server.listen + ": " + e.what();
                hostLog.log(sdk::LogLevel::Critical, {}, line);
                logs.flush();
                std::cerr << "patchbay: " << line << "\n";
                exitCode = 1;
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
            if (front) front->stop();
            stopPlugins();
            engine.stop();     // closes what is left; legs report their end
            blocking.stop();
            router.expirePending();
            recorder.stop();   // every call record is written before the store goes away
            shutdownPlugins();
            hostLog.info("patchbay stopped; " + std::to_string(recorder.written()) + " call records written, " +
                         std::to_string(recorder.failed()) + " failed");
        }
    }
    logs.flush();
    Poco::Net::uninitializeSSL();
    return exitCode;
}

} // namespace patchbay::host
