// LogManager.cpp: sink creation, logger cache and per-logger level resolution.
#include "logging/LogManager.h"

#include "logging/LogLineFormatter.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace patchbay::host {

namespace {

spdlog::sink_ptr makeSink(const LoggingConfig& config)
{
    if (config.file.empty()) return std::make_shared<spdlog::sinks::stderr_sink_mt>();
    return std::make_shared<spdlog::sinks::basic_file_sink_mt>(config.file, false);
}

} // namespace

spdlog::level::level_enum LogManager::toSpdlog(LogThreshold level) noexcept
{
    switch (level)
    {
    case LogThreshold::Trace: return spdlog::level::trace;
    case LogThreshold::Debug: return spdlog::level::debug;
    case LogThreshold::Info: return spdlog::level::info;
    case LogThreshold::Warn: return spdlog::level::warn;
    case LogThreshold::Error: return spdlog::level::err;
    case LogThreshold::Critical: return spdlog::level::critical;
    case LogThreshold::Off: return spdlog::level::off;
    }
    return spdlog::level::info;
}

LogManager::LogManager(const LoggingConfig& config) : LogManager(config, makeSink(config))
{
}

LogManager::LogManager(const LoggingConfig& config, spdlog::sink_ptr sink) : _config(config), _sink(std::move(sink))
{
    _sink->set_formatter(std::make_unique<LogLineFormatter>(config.format));
    // The sink filters nothing; each logger's own level decides.
    _sink->set_level(spdlog::level::trace);
}

LogManager::~LogManager()
{
    flush();
}

LogThreshold LogManager::resolveLevel(const std::string& name) const
{
    std::string key = name;
    for (;;)
    {
        auto it = _config.levels.find(key);
        if (it != _config.levels.end()) return it->second;
        auto dot = key.rfind('.');
        if (dot == std::string::npos) break;
        key.resize(dot);
    }
    return _config.level;
}

LogThreshold LogManager::levelFor(const std::string& name) const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return resolveLevel(name);
}

patchbay::sdk::Logger& LogManager::logger(const std::string& name)
{
    std::lock_guard<std::mutex> lock(_mutex);
    auto it = _loggers.find(name);
    if (it != _loggers.end()) return *it->second;
    auto spd = std::make_shared<spdlog::logger>(name, _sink);
    spd->set_level(toSpdlog(resolveLevel(name)));
    // Lines are rare (never per frame) and an operator tailing the file wants them now; a crash
    // must not swallow the last lines before it.
    spd->flush_on(spdlog::level::trace);
    auto& ref = *(_loggers[name] = std::make_unique<SpdlogLogger>(std::move(spd)));
    return ref;
}

std::shared_ptr<spdlog::logger> LogManager::spdlogLogger(const std::string& name)
{
    logger(name);
    std::lock_guard<std::mutex> lock(_mutex);
    return _loggers.at(name)->sharedSpdlogLogger();
}

void LogManager::setLevel(const std::string& name, LogThreshold level)
{
    std::lock_guard<std::mutex> lock(_mutex);
    _config.levels[name] = level;
    for (auto& [loggerName, logger] : _loggers)
        logger->spdlogLogger().set_level(toSpdlog(resolveLevel(loggerName)));
}

void LogManager::flush()
{
    std::lock_guard<std::mutex> lock(_mutex);
    try
    {
        _sink->flush();
    }
    catch (...)
    {
    }
}

} // namespace patchbay::host
