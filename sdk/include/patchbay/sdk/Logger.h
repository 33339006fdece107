// Logger.h: the only way a plugin logs — through the host's logger, one line per call, tagged with the plugin and the CallSid.
#ifndef PATCHBAY_SDK_LOGGER_H
#define PATCHBAY_SDK_LOGGER_H

#include <cstdint>
#include <string_view>

namespace patchbay::sdk {

enum class LogLevel : std::uint8_t { Trace, Debug, Info, Warn, Error, Critical };

/// A named logger owned by the host ("plugin.twilio"). Output format (text or JSON lines) and the
/// level are set by the operator's config per logger.
/// THREAD: Any — thread-safe; formatting and I/O may be asynchronous. Never log secrets, and never
/// log per media frame (count instead and log once).
/// OWNERSHIP: owned by the host, valid from init() until the process exits.
class Logger
{
public:
    /// @return true when a line at this level would be written; check before building costly text.
    virtual bool enabled(LogLevel level) const noexcept = 0;
    /// Writes one line. @param callSid the call this line belongs to, or empty.
    virtual void log(LogLevel level, std::string_view callSid, std::string_view message) noexcept = 0;

    void info(std::string_view message, std::string_view callSid = {}) noexcept { log(LogLevel::Info, callSid, message); }
    void warn(std::string_view message, std::string_view callSid = {}) noexcept { log(LogLevel::Warn, callSid, message); }
    void error(std::string_view message, std::string_view callSid = {}) noexcept { log(LogLevel::Error, callSid, message); }
    void debug(std::string_view message, std::string_view callSid = {}) noexcept
    {
        if (enabled(LogLevel::Debug)) log(LogLevel::Debug, callSid, message);
    }

protected:
    ~Logger() = default;
};

} // namespace patchbay::sdk

#endif
