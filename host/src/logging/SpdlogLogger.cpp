// SpdlogLogger.cpp: level mapping and the CallSid hand-off to LogLineFormatter.
#include "logging/SpdlogLogger.h"

#include "logging/LogLineFormatter.h"

namespace patchbay::host {

spdlog::level::level_enum SpdlogLogger::toSpdlog(patchbay::sdk::LogLevel level) noexcept
{
    using patchbay::sdk::LogLevel;
    switch (level)
    {
    case LogLevel::Trace: return spdlog::level::trace;
    case LogLevel::Debug: return spdlog::level::debug;
    case LogLevel::Info: return spdlog::level::info;
    case LogLevel::Warn: return spdlog::level::warn;
    case LogLevel::Error: return spdlog::level::err;
    case LogLevel::Critical: return spdlog::level::critical;
    }
    return spdlog::level::critical;
}

bool SpdlogLogger::enabled(patchbay::sdk::LogLevel level) const noexcept
{
    return _logger->should_log(toSpdlog(level));
}

void SpdlogLogger::log(patchbay::sdk::LogLevel level, std::string_view callSid, std::string_view message) noexcept
{
    auto lvl = toSpdlog(level);
    if (!_logger->should_log(lvl)) return;
    try
    {
        // The logger is synchronous: the formatter runs on this thread before log() returns.
        LogLineFormatter::CallSidScope scope(callSid);
        _logger->log(lvl, spdlog::string_view_t(message.data(), message.size()));
    }
    catch (...)
    {
        // Logging must never take a call down; spdlog reports its own sink errors to stderr.
    }
}

} // namespace patchbay::host
