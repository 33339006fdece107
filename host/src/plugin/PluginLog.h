// PluginLog.h: the severity and sink type through which the plugin loader and lifecycle report, so they need no logging library.
#ifndef PATCHBAY_HOST_PLUGIN_PLUGIN_LOG_H
#define PATCHBAY_HOST_PLUGIN_PLUGIN_LOG_H

#include <functional>
#include <string>

namespace patchbay::host {

enum class LogSeverity
{
    Debug,
    Info,
    Warning,
    Error,
};

/// Receives one finished line per event. The host wires it to spdlog ("plugin-loader" logger);
/// tests collect the lines. Called on the Control thread only.
using PluginLogSink = std::function<void(LogSeverity, const std::string&)>;

inline const char* logSeverityName(LogSeverity severity) noexcept
{
    switch (severity)
    {
    case LogSeverity::Debug: return "debug";
    case LogSeverity::Info: return "info";
    case LogSeverity::Warning: return "warning";
    case LogSeverity::Error: return "error";
    }
    return "unknown";
}

} // namespace patchbay::host

#endif
