// TrustedProxies.cpp: parsing and matching of proxy addresses and CIDR ranges (IPv4 and IPv6).
#include "TrustedProxies.h"

#include <arpa/inet.h>

#include <cstring>

namespace patchbay::twilio {

namespace {

// An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 peer of a dual-stack socket.
bool isV4Mapped(const std::uint8_t* b) noexcept
{
    for (int i = 0; i < 10; ++i)
        if (b[i] != 0) return false;
    return b[10] == 0xFF && b[11] == 0xFF;
}

bool matches(const std::uint8_t* a, const std::uint8_t* b, unsigned prefix) noexcept
{
    const unsigned whole = prefix / 8;
    if (std::memcmp(a, b, whole) != 0) return false;
    const unsigned rest = prefix % 8;
    if (rest == 0) return true;
    const auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
    return (a[whole] & mask) == (b[whole] & mask);
}

} // namespace

bool TrustedProxies::parseAddress(std::string_view text, Range& out) noexcept
{
    char buffer[INET6_ADDRSTRLEN + 1];
    if (text.empty() || text.size() >= sizeof buffer) return false;
    std::memcpy(buffer, text.data(), text.size());
    buffer[text.size()] = '\0';
    out.bytes.fill(0);
    if (inet_pton(AF_INET, buffer, out.bytes.data()) == 1)
    {
        out.v6 = false;
        return true;
    }
    if (inet_pton(AF_INET6, buffer, out.bytes.data()) == 1)
    {
        out.v6 = true;
        if (isV4Mapped(out.bytes.data()))
        {
            std::memmove(out.bytes.data(), out.bytes.data() + 12, 4);
            std::memset(out.bytes.data() + 4, 0, 12);
            out.v6 = false;
        }
        return true;
    }
    return false;
}

sdk::Status TrustedProxies::parse(const std::vector<std::string>& entries, const std::string& key, TrustedProxies& out)
{
    out._ranges.clear();
    for (std::size_t i = 0; i < entries.size(); ++i)
    {
        const std::string& entry = entries[i];
        const std::string where = "config." + key + "[" + std::to_string(i) + "]";
        const std::size_t slash = entry.find('/');
        Range range;
        if (!parseAddress(std::string_view(entry).substr(0, slash), range))
            return sdk::Status::invalidArgument(where + " '" + entry.substr(0, 64) +
                                                "' is not an IPv4 or IPv6 address or CIDR range (e.g. 10.0.0.7, "
                                                "10.0.0.0/8, fd00::/8)");
        const unsigned maxPrefix = range.v6 ? 128 : 32;
        range.prefix = maxPrefix;
        if (slash != std::string::npos)
        {
            const std::string bits = entry.substr(slash + 1);
            unsigned value = 0;
            bool ok = !bits.empty() && bits.size() <= 3;
            for (const char c : bits)
            {
                if (c < '0' || c > '9') ok = false;
                else value = value * 10 + static_cast<unsigned>(c - '0');
            }
            // A mapped IPv4 range is written in IPv6 bits (::ffff:10.0.0.0/104): convert.
            const bool mapped = !range.v6 && entry.find(':') != std::string::npos;
            if (ok && mapped)
            {
                ok = value >= 96 && value <= 128;
                value -= ok ? 96 : 0;
            }
            if (!ok || value > maxPrefix)
                return sdk::Status::invalidArgument(where + " '" + entry.substr(0, 64) + "' has an invalid prefix length (0.." +
                                                    std::to_string(maxPrefix) + ")");
            range.prefix = value;
        }
        out._ranges.push_back(range);
    }
    return sdk::Status::ok();
}

std::string_view TrustedProxies::hostOf(std::string_view remoteAddress) noexcept
{
    if (!remoteAddress.empty() && remoteAddress.front() == '[')
    {
        const std::size_t close = remoteAddress.find(']');
        return close == std::string_view::npos ? remoteAddress.substr(1) : remoteAddress.substr(1, close - 1);
    }
    const std::size_t colon = remoteAddress.find(':');
    // Exactly one ':' is "ipv4:port"; more are a bare IPv6 address.
    if (colon != std::string_view::npos && remoteAddress.find(':', colon + 1) == std::string_view::npos)
        return remoteAddress.substr(0, colon);
    return remoteAddress;
}

bool TrustedProxies::contains(std::string_view remoteAddress) const noexcept
{
    if (_ranges.empty()) return false;
    Range peer;
    if (!parseAddress(hostOf(remoteAddress), peer)) return false;
    for (const Range& range : _ranges)
        if (range.v6 == peer.v6 && matches(range.bytes.data(), peer.bytes.data(), range.prefix)) return true;
    return false;
}

} // namespace patchbay::twilio
