// TrustedProxies.h: the reverse proxies (addresses and CIDR ranges) whose X-Forwarded-Proto/Host the webhooks believe.
#ifndef PATCHBAY_TWILIO_TRUSTED_PROXIES_H
#define PATCHBAY_TWILIO_TRUSTED_PROXIES_H

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <patchbay/sdk/Status.h>

namespace patchbay::twilio {

/// A parsed config.trustedProxies list. Forwarded headers are attacker-controlled unless the
/// peer that sent them is a proxy the operator named, so the webhooks only build a URL from
/// them when contains(request.remoteAddress) says the peer is one of these.
///
/// IPv4-mapped IPv6 addresses (::ffff:10.0.0.1, what a dual-stack socket reports for an IPv4
/// peer) are compared as IPv4, so "10.0.0.0/8" matches them too.
class TrustedProxies
{
public:
    /// Parses entries such as "10.0.0.7", "10.0.0.0/8", "::1", "fd00::/8". Host bits below
    /// the prefix are ignored ("10.1.2.3/8" means 10.0.0.0/8).
    /// @param key the config key for error messages ("trustedProxies").
    /// @return InvalidArgument naming the entry ("config.trustedProxies[1] ...") on any problem.
    static sdk::Status parse(const std::vector<std::string>& entries, const std::string& key, TrustedProxies& out);

    bool empty() const noexcept { return _ranges.empty(); }

    /// True when the peer is inside one of the ranges.
    /// @param remoteAddress as sdk::HttpRequest gives it: "1.2.3.4:5678", "[::1]:5678" or a bare address.
    bool contains(std::string_view remoteAddress) const noexcept;

    /// The address part of remoteAddress ("1.2.3.4", "::1"), for log lines.
    static std::string_view hostOf(std::string_view remoteAddress) noexcept;

private:
    struct Range
    {
        bool v6 = false;
        std::array<std::uint8_t, 16> bytes{};
        unsigned prefix = 0; ///< significant leading bits
    };

    static bool parseAddress(std::string_view text, Range& out) noexcept;

    std::vector<Range> _ranges;
};

} // namespace patchbay::twilio

#endif
