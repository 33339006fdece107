// RecordingLogger.h: an sdk::Logger that keeps every line so a test can assert on what a plugin logged.
#ifndef PATCHBAY_SDK_TESTING_RECORDING_LOGGER_H
#define PATCHBAY_SDK_TESTING_RECORDING_LOGGER_H

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "patchbay/sdk/Logger.h"

namespace patchbay::sdk::testing {

/// One recorded log line.
struct LogLine
{
    sdk::LogLevel level;
    std::string callSid;
    std::string message;
};

/// Thread-safe. Records lines at or above level() (default Trace, so debug() lines are kept too).
/// Useful checks: contains("text"), count(LogLevel::Warn), and that no line contains a secret.
class RecordingLogger : public sdk::Logger
{
public:
    RecordingLogger() = default;
    RecordingLogger(const RecordingLogger&) = delete;
    RecordingLogger& operator=(const RecordingLogger&) = delete;
    virtual ~RecordingLogger() = default;

    bool enabled(sdk::LogLevel level) const noexcept override { return level >= _level; }

    void log(sdk::LogLevel level, std::string_view callSid, std::string_view message) noexcept override
    {
        if (!enabled(level)) return;
        try
        {
            std::lock_guard<std::mutex> lock(_mutex);
            _lines.push_back(LogLine{level, std::string(callSid), std::string(message)});
        }
        catch (...)
        {
        }
    }

    // ---- test side ----

    void setLevel(sdk::LogLevel level) noexcept { _level = level; }

    std::vector<LogLine> lines() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _lines;
    }

    /// True when any line's message contains text.
    bool contains(std::string_view text) const { return count(text) > 0; }

    /// True when a line at exactly this level contains text.
    bool contains(sdk::LogLevel level, std::string_view text) const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        for (const auto& line : _lines)
            if (line.level == level && line.message.find(text) != std::string::npos) return true;
        return false;
    }

    /// Lines whose message contains text.
    std::size_t count(std::string_view text) const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        std::size_t n = 0;
        for (const auto& line : _lines)
            if (line.message.find(text) != std::string::npos) ++n;
        return n;
    }

    /// Lines at exactly this level.
    std::size_t count(sdk::LogLevel level) const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        std::size_t n = 0;
        for (const auto& line : _lines)
            if (line.level == level) ++n;
        return n;
    }

    std::size_t size() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _lines.size();
    }

    /// Every line as "LEVEL [callSid] message\n", for assertion messages.
    std::string dump() const
    {
        static const char* const names[] = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "CRITICAL"};
        std::lock_guard<std::mutex> lock(_mutex);
        std::string out;
        for (const auto& line : _lines)
        {
            out += names[static_cast<int>(line.level) % 6];
            if (!line.callSid.empty()) out += " [" + line.callSid + "]";
            out += " " + line.message + "\n";
        }
        return out;
    }

    void clear()
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _lines.clear();
    }

private:
    mutable std::mutex _mutex;
    std::vector<LogLine> _lines;
    sdk::LogLevel _level = sdk::LogLevel::Trace;
};

} // namespace patchbay::sdk::testing

#endif
