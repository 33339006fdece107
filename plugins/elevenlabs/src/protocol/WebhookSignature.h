// WebhookSignature.h: the ElevenLabs-Signature header of post-call webhooks — parse, compute and verify (HMAC-SHA256, pure, no I/O).
#ifndef PATCHBAY_ELEVENLABS_WEBHOOK_SIGNATURE_H
#define PATCHBAY_ELEVENLABS_WEBHOOK_SIGNATURE_H

#include <cstdint>
#include <string>
#include <string_view>

namespace patchbay::elevenlabs {

/// elevenlabs.md §8.3: header `t=<unix seconds>,v0=<lowercase hex HMAC-SHA256>`, signed message
/// `<t text>.<raw body>`, key = the secret's bytes as configured (not base64-decoded).
///
/// Verification follows the official SDKs (elevenlabs-js `constructEvent`: first `t=` and first
/// `v0=` element) with the gateway hardening §8.3 asks for: the timestamp must be all digits, it
/// may not be more than kFutureToleranceSeconds ahead of our clock (the SDKs have no such check),
/// and the digest is compared in constant time (the SDKs use a plain string compare).
/// THREAD: Any (stateless).
class WebhookSignature
{
public:
    static constexpr std::int64_t kToleranceSeconds = 30 * 60;   ///< the SDKs' window for old timestamps
    static constexpr std::int64_t kFutureToleranceSeconds = 5 * 60; ///< clock skew we accept the other way

    enum class Verdict : std::uint8_t
    {
        Valid,
        MissingHeader, ///< no header, or an empty one
        Malformed,     ///< no t= or v0= element, or a timestamp that is not a decimal number
        Expired,       ///< older than kToleranceSeconds
        FromFuture,    ///< more than kFutureToleranceSeconds ahead
        Mismatch,      ///< wrong secret, altered body or altered timestamp
    };

    /// Short, secret-free words for log lines and metric labels ("bad-signature", ...).
    static const char* verdictName(Verdict verdict) noexcept;

    /// "v0=" + hex(HMAC-SHA256(secret, timestamp + "." + body)).
    static std::string compute(std::string_view timestamp, std::string_view body, std::string_view secret);

    /// The whole header value for `timestamp` (what ElevenLabs would send; for tests and tools).
    static std::string header(std::int64_t timestamp, std::string_view body, std::string_view secret);

    /// @param nowMs our wall clock, Unix milliseconds. @param timestamp (optional) receives the
    /// header's timestamp in seconds once it parsed, for log lines.
    static Verdict verify(std::string_view header, std::string_view body, std::string_view secret, std::int64_t nowMs,
                          std::int64_t* timestamp = nullptr);

    /// Constant-time equality of two strings whose length is not secret (a digest is always 67 chars).
    static bool constantTimeEquals(std::string_view a, std::string_view b) noexcept;
};

} // namespace patchbay::elevenlabs

#endif
