// StreamToken.h: stateless, call-bound, expiring HMAC token carried in the Media Stream URL path and a <Parameter>.
#ifndef PATCHBAY_TWILIO_PROTOCOL_STREAM_TOKEN_H
#define PATCHBAY_TWILIO_PROTOCOL_STREAM_TOKEN_H

#include "protocol/TokenCheck.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace patchbay::twilio {

/// Token = base64url(payload) "." base64url(HMAC-SHA256(secret, label || payload)), where
/// payload = version, tenant id, call SID and expiry (length-prefixed binary, so ids may
/// contain any byte). Only [A-Za-z0-9_-.] appear, so it is a valid single URL path segment,
/// and it stays under kMaxTokenLength characters.
///
/// Stateless: any gateway node sharing the secret verifies it. It is not single-use by
/// itself; callers that need that must remember consumed tokens until they expire.
class StreamToken
{
public:
    static constexpr std::size_t kMaxTenantIdLength = 128;
    static constexpr std::size_t kMaxCallSidLength = 64;
    static constexpr std::size_t kMaxTokenLength = 400;

    /// Empty string when an id is empty or too long, or the secret is empty.
    static std::string issue(std::string_view tenantId, std::string_view callSid, std::int64_t expiresAtUnixSec,
                             std::string_view secret);

    /// Checks shape, MAC (constant-time), expiry (valid while now < expiresAt) and, when
    /// `expectedCallSid` is not empty, the call binding. Pass an empty `expectedCallSid` at
    /// the WebSocket handshake (the call SID only arrives with `start`) and compare
    /// TokenCheck::callSid later.
    static TokenCheck verify(std::string_view token, std::string_view expectedCallSid, std::int64_t nowUnixSec,
                             std::string_view secret);
};

} // namespace patchbay::twilio

#endif // PATCHBAY_TWILIO_PROTOCOL_STREAM_TOKEN_H
