// SpdlogLogger.h: sdk::Logger over one named spdlog logger; the object plugins and the host log through.
#ifndef PATCHBAY_HOST_LOGGING_SPDLOG_LOGGER_H
#define PATCHBAY_HOST_LOGGING_SPDLOG_LOGGER_H

#include "patchbay/sdk/Logger.h"

#include <spdlog/logger.h>

#include <memory>

namespace patchbay::host {

/// THREAD: Any. enabled() is one relaxed atomic load (spdlog's level), so guarding costly message
/// building with it is cheap. log() never throws.
class SpdlogLogger final : public patchbay::sdk::Logger
{
public:
    explicit SpdlogLogger(std::shared_ptr<spdlog::logger> logger) noexcept : _logger(std::move(logger)) {}

    bool enabled(patchbay::sdk::LogLevel level) const noexcept override;
    void log(patchbay::sdk::LogLevel level, std::string_view callSid, std::string_view message) noexcept override;

    spdlog::logger& spdlogLogger() noexcept { return *_logger; }
    const std::shared_ptr<spdlog::logger>& sharedSpdlogLogger() const noexcept { return _logger; }

    static spdlog::level::level_enum toSpdlog(patchbay::sdk::LogLevel level) noexcept;

private:
    std::shared_ptr<spdlog::logger> _logger;
};

} // namespace patchbay::host

#endif
