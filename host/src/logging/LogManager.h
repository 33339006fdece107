// LogManager.h: owns the log sink and every named logger ("host", "http", "media", "core", "plugin.<id>") built from the logging config.
#ifndef PATCHBAY_HOST_LOGGING_LOG_MANAGER_H
#define PATCHBAY_HOST_LOGGING_LOG_MANAGER_H

#include "config/HostConfig.h"
#include "logging/SpdlogLogger.h"

#include <spdlog/common.h>
#include <spdlog/logger.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace patchbay::host {

/// All loggers share one sink (stderr or the configured file) and one formatter, so lines from
/// different loggers never interleave mid-line. Loggers are synchronous (see LogLineFormatter for
/// why) and are not put in spdlog's global registry, so several managers can coexist (tests).
///
/// Level of a logger: the `levels` entry for its exact name, else for its longest dotted prefix
/// ("plugin" covers "plugin.twilio"), else `level`.
/// THREAD: Any. OWNERSHIP: references returned stay valid for the manager's lifetime.
class LogManager
{
public:
    /// @throws spdlog::spdlog_ex when the log file cannot be opened.
    explicit LogManager(const LoggingConfig& config);
    /// Logs to `sink` (tests, or a sink the app builds itself).
    LogManager(const LoggingConfig& config, spdlog::sink_ptr sink);
    ~LogManager();

    LogManager(const LogManager&) = delete;
    LogManager& operator=(const LogManager&) = delete;

    /// The cached sdk::Logger for `name`, created on first use.
    patchbay::sdk::Logger& logger(const std::string& name);
    /// The logger a plugin receives: "plugin.<id>".
    patchbay::sdk::Logger& pluginLogger(const std::string& pluginId) { return logger("plugin." + pluginId); }
    /// The underlying spdlog logger, for host code that wants fmt-style calls.
    std::shared_ptr<spdlog::logger> spdlogLogger(const std::string& name);

    /// Changes one logger's level at runtime (e.g. from the admin API); existing loggers covered by
    /// the new entry are updated.
    void setLevel(const std::string& name, LogThreshold level);
    LogThreshold levelFor(const std::string& name) const;

    void flush();

    static spdlog::level::level_enum toSpdlog(LogThreshold level) noexcept;

private:
    LogThreshold resolveLevel(const std::string& name) const;

    LoggingConfig _config;
    spdlog::sink_ptr _sink;
    mutable std::mutex _mutex;
    std::map<std::string, std::unique_ptr<SpdlogLogger>> _loggers;
};

} // namespace patchbay::host

#endif
