// LogLineFormatter.h: spdlog formatter writing Patchbay's text lines or JSON lines, with the CallSid as a field of its own.
#ifndef PATCHBAY_HOST_LOGGING_LOG_LINE_FORMATTER_H
#define PATCHBAY_HOST_LOGGING_LOG_LINE_FORMATTER_H

#include "config/HostConfig.h"

#include <spdlog/formatter.h>

#include <cstdint>
#include <memory>
#include <string_view>

namespace patchbay::host {

/// text: 2026-11-20T22:44:17.013Z info  [plugin.twilio] call=CA123 message
/// json: {"ts":"2026-11-20T22:44:17.013Z","level":"info","logger":"plugin.twilio","callSid":"CA123","msg":"message"}
///
/// Times are UTC. `call=` / "callSid" are omitted for lines without a call. In JSON every string is
/// escaped per RFC 8259 (control characters as \u00XX) and invalid UTF-8 becomes U+FFFD, so a line
/// always parses. In text, control characters are escaped too (\n, \t, \xNN) so that one log call
/// is always one line and a caller-supplied string cannot forge extra lines.
///
/// spdlog has no per-line fields, so the CallSid travels in a thread_local set by CallSidScope
/// around a *synchronous* logger call; the formatter runs on that same thread inside the call.
/// THREAD: an instance is used under its sink's mutex (spdlog clones one per sink).
class LogLineFormatter final : public spdlog::formatter
{
public:
    explicit LogLineFormatter(LogFormat format) noexcept : _format(format) {}

    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
    std::unique_ptr<spdlog::formatter> clone() const override;

    /// RAII: the CallSid of lines logged on this thread while it lives (nests).
    class CallSidScope
    {
    public:
        explicit CallSidScope(std::string_view callSid) noexcept;
        ~CallSidScope();
        CallSidScope(const CallSidScope&) = delete;
        CallSidScope& operator=(const CallSidScope&) = delete;

    private:
        std::string_view _previous;
    };

    static std::string_view currentCallSid() noexcept;

    /// "info", "warn", ... (the names the config uses).
    static std::string_view levelName(int spdlogLevel) noexcept;

    /// JSON string body (no quotes) of arbitrary bytes.
    static void appendJsonEscaped(std::string_view in, spdlog::memory_buf_t& dest);
    /// One-line human form of arbitrary bytes.
    static void appendTextEscaped(std::string_view in, spdlog::memory_buf_t& dest);

private:
    void appendTimestamp(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest);

    LogFormat _format;
    // Formatting the date dominates a line's cost; it changes once per second.
    std::int64_t _cachedSecond = -1;
    char _cachedPrefix[24] = {};
};

} // namespace patchbay::host

#endif
