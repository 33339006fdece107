// HostConfig.h: the validated host configuration (one plain struct per config section) that ConfigLoader produces.
#ifndef PATCHBAY_HOST_CONFIG_HOST_CONFIG_H
#define PATCHBAY_HOST_CONFIG_HOST_CONFIG_H

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace patchbay::host {

/// Certificate and key of the public listener; present only when HTTPS/WSS is enabled.
struct ServerTlsConfig
{
    std::string certificate; ///< PEM file (chain allowed)
    std::string privateKey;  ///< PEM file
};

struct ServerConfig
{
    std::string listen = "0.0.0.0:8080"; ///< as written, "host:port"
    std::string listenHost = "0.0.0.0";  ///< host part of listen, brackets of an IPv6 literal removed
    std::uint16_t listenPort = 8080;     ///< 0 asks the OS for a free port (tests)
    int threads = 16;
    int maxQueued = 256;
    int backlog = 1024;
    std::optional<ServerTlsConfig> tls;
    std::size_t maxBodyBytes = 1024 * 1024;
};

struct MediaConfig
{
    int loops = 0; ///< 0 = one per core
    std::size_t maxMessageBytes = 1024 * 1024;
    std::size_t writeQueueBytes = 4 * 1024 * 1024;
    std::uint32_t connectTimeoutMs = 5000;
    int connectorThreads = 2;
};

enum class LogFormat : std::uint8_t { Text, Json };

/// A logger threshold as configured; unlike sdk::LogLevel it can switch a logger off.
enum class LogThreshold : std::uint8_t { Trace, Debug, Info, Warn, Error, Critical, Off };

struct LoggingConfig
{
    LogFormat format = LogFormat::Text;
    LogThreshold level = LogThreshold::Info;
    std::map<std::string, LogThreshold> levels; ///< logger name (or dotted prefix) -> threshold
    std::string file;                           ///< empty = stderr
};

struct PluginConfig
{
    std::string id;
    std::string path; ///< empty = <pluginDir>/libpatchbay-<id>.so
    bool enabled = true;
    bool required = false;
    std::string configJson = "{}"; ///< the plugin's "config" object, interpolated, as compact JSON text

    /// The shared library to load, given the plugin directory the host resolved.
    std::string libraryPath(const std::string& resolvedPluginDir) const
    {
        if (!path.empty()) return path;
        std::string dir = resolvedPluginDir;
        if (!dir.empty() && dir.back() != '/') dir += '/';
        return dir + "libpatchbay-" + id + ".so";
    }
};

struct RoutingConfig
{
    std::string tenantStore;  ///< plugin id, empty = none
    std::string defaultAgent; ///< plugin id, empty = none
    /// Inbound plugin that configures numbers, checks them and places outbound calls; empty = the
    /// only inbound plugin running. Live calls always go back to the plugin that took them.
    std::string inboundProvider;
    std::uint32_t streamStartTimeoutMs = 15000;
    std::uint32_t drainTimeoutMs = 30000;
    /// Open the tenant's agent session at the voice webhook, while the phone rings.
    bool prewarmAgent = true;
};

/// Outbound TLS (the host's HTTP and WebSocket clients).
struct ClientTlsConfig
{
    std::string caFile; ///< empty = the system CA store
    bool verifyPeer = true;
};

/// The admin HTTP API's own listener (DESIGN §6). Absent section = no admin listener, so configs that
/// predate it keep working without an operator token.
struct AdminConfig
{
    bool enabled = false;                  ///< the section is present and listen is not ""
    std::string listen = "127.0.0.1:8081"; ///< as written; "" disables the listener
    std::string listenHost = "127.0.0.1";
    std::uint16_t listenPort = 8081;       ///< 0 asks the OS for a free port (tests)
    std::string operatorToken;             ///< SECRET: bearer token that sees everything. Never log.
    int threads = 4;
};

struct HostConfig
{
    ServerConfig server;
    MediaConfig media;
    LoggingConfig logging;
    std::string pluginDir; ///< empty = ../plugins relative to the executable (resolved by the host)
    std::vector<PluginConfig> plugins;
    RoutingConfig routing;
    ClientTlsConfig tls;
    AdminConfig admin;
    std::string sourceName; ///< file the config came from, for messages

    const PluginConfig* findPlugin(const std::string& id) const
    {
        for (const auto& p : plugins)
            if (p.id == id) return &p;
        return nullptr;
    }
};

} // namespace patchbay::host

#endif
