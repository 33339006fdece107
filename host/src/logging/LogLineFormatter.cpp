// LogLineFormatter.cpp: line layout, UTC timestamps and the JSON / text escaping of log lines.
#include "logging/LogLineFormatter.h"

#include "patchbay/sdk/support/Utf8.h"

#include <chrono>
#include <ctime>

namespace patchbay::host {

namespace {

thread_local std::string_view tCallSid;

const char kHex[] = "0123456789abcdef";

inline void put(spdlog::memory_buf_t& dest, std::string_view s)
{
    dest.append(s.data(), s.data() + s.size());
}

/// Walks `in` as UTF-8, handing valid sequences to `valid` and each byte that starts no valid
/// sequence to `invalid` (which substitutes U+FFFD).
template <typename Valid, typename Invalid>
void walkUtf8(std::string_view in, Valid valid, Invalid invalid)
{
    const auto* p = reinterpret_cast<const unsigned char*>(in.data());
    const auto* end = p + in.size();
    while (p < end)
    {
        std::size_t len = patchbay::sdk::support::Utf8::sequenceLength(p, end);
        if (len == 0)
        {
            invalid();
            ++p;
            continue;
        }
        valid(p, len);
        p += len;
    }
}

} // namespace

LogLineFormatter::CallSidScope::CallSidScope(std::string_view callSid) noexcept : _previous(tCallSid)
{
    tCallSid = callSid;
}

LogLineFormatter::CallSidScope::~CallSidScope()
{
    tCallSid = _previous;
}

std::string_view LogLineFormatter::currentCallSid() noexcept
{
    return tCallSid;
}

std::string_view LogLineFormatter::levelName(int spdlogLevel) noexcept
{
    switch (spdlogLevel)
    {
    case spdlog::level::trace: return "trace";
    case spdlog::level::debug: return "debug";
    case spdlog::level::info: return "info";
    case spdlog::level::warn: return "warn";
    case spdlog::level::err: return "error";
    case spdlog::level::critical: return "critical";
    default: return "off";
    }
}

void LogLineFormatter::appendJsonEscaped(std::string_view in, spdlog::memory_buf_t& dest)
{
    walkUtf8(
        in,
        [&](const unsigned char* p, std::size_t len) {
            if (len > 1)
            {
                dest.append(reinterpret_cast<const char*>(p), reinterpret_cast<const char*>(p) + len);
                return;
            }
            unsigned char c = *p;
            switch (c)
            {
            case '"': put(dest, "\\\""); return;
            case '\\': put(dest, "\\\\"); return;
            case '\n': put(dest, "\\n"); return;
            case '\r': put(dest, "\\r"); return;
            case '\t': put(dest, "\\t"); return;
            case '\b': put(dest, "\\b"); return;
            case '\f': put(dest, "\\f"); return;
            default: break;
            }
            if (c < 0x20)
            {
                char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
                dest.append(esc, esc + 6);
                return;
            }
            dest.push_back(static_cast<char>(c));
        },
        [&] { put(dest, "\\ufffd"); });
}

void LogLineFormatter::appendTextEscaped(std::string_view in, spdlog::memory_buf_t& dest)
{
    walkUtf8(
        in,
        [&](const unsigned char* p, std::size_t len) {
            unsigned char c = *p;
            if (len > 1 || (c >= 0x20 && c != 0x7F))
            {
                dest.append(reinterpret_cast<const char*>(p), reinterpret_cast<const char*>(p) + len);
                return;
            }
            switch (c)
            {
            case '\n': put(dest, "\\n"); return;
            case '\r': put(dest, "\\r"); return;
            case '\t': put(dest, "\\t"); return;
            default: break;
            }
            char esc[4] = {'\\', 'x', kHex[c >> 4], kHex[c & 0xF]};
            dest.append(esc, esc + 4);
        },
        [&] { put(dest, "\xEF\xBF\xBD"); });
}

void LogLineFormatter::appendTimestamp(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest)
{
    using namespace std::chrono;
    auto sinceEpoch = msg.time.time_since_epoch();
    auto ms = duration_cast<milliseconds>(sinceEpoch).count();
    std::int64_t second = ms / 1000;
    int millis = static_cast<int>(ms % 1000);
    if (millis < 0)
    {
        millis += 1000;
        --second;
    }
    if (second != _cachedSecond)
    {
        std::time_t t = static_cast<std::time_t>(second);
        std::tm tm{};
        gmtime_r(&t, &tm);
        std::strftime(_cachedPrefix, sizeof(_cachedPrefix), "%Y-%m-%dT%H:%M:%S.", &tm);
        _cachedSecond = second;
    }
    put(dest, _cachedPrefix);
    char tail[4] = {static_cast<char>('0' + millis / 100), static_cast<char>('0' + millis / 10 % 10),
                    static_cast<char>('0' + millis % 10), 'Z'};
    dest.append(tail, tail + 4);
}

void LogLineFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest)
{
    std::string_view logger(msg.logger_name.data(), msg.logger_name.size());
    std::string_view payload(msg.payload.data(), msg.payload.size());
    std::string_view level = levelName(msg.level);
    std::string_view callSid = tCallSid;

    if (_format == LogFormat::Json)
    {
        put(dest, "{\"ts\":\"");
        appendTimestamp(msg, dest);
        put(dest, "\",\"level\":\"");
        put(dest, level);
        put(dest, "\",\"logger\":\"");
        appendJsonEscaped(logger, dest);
        if (!callSid.empty())
        {
            put(dest, "\",\"callSid\":\"");
            appendJsonEscaped(callSid, dest);
        }
        put(dest, "\",\"msg\":\"");
        appendJsonEscaped(payload, dest);
        put(dest, "\"}\n");
        return;
    }

    appendTimestamp(msg, dest);
    dest.push_back(' ');
    put(dest, level);
    for (std::size_t i = level.size(); i < 5; ++i)
        dest.push_back(' ');
    put(dest, " [");
    appendTextEscaped(logger, dest);
    put(dest, "] ");
    if (!callSid.empty())
    {
        put(dest, "call=");
        appendTextEscaped(callSid, dest);
        dest.push_back(' ');
    }
    appendTextEscaped(payload, dest);
    dest.push_back('\n');
}

std::unique_ptr<spdlog::formatter> LogLineFormatter::clone() const
{
    return std::make_unique<LogLineFormatter>(_format);
}

} // namespace patchbay::host
