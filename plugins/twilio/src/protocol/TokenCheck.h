// TokenCheck.h: result of verifying a media stream token (StreamToken::verify).
#ifndef PATCHBAY_TWILIO_PROTOCOL_TOKEN_CHECK_H
#define PATCHBAY_TWILIO_PROTOCOL_TOKEN_CHECK_H

#include <cstdint>
#include <string>

namespace patchbay::twilio {

struct TokenCheck
{
    enum class Reason
    {
        Ok,
        Malformed,      ///< Not a token of ours: bad shape, encoding, version or lengths.
        BadSignature,   ///< Well-formed but the MAC does not verify (tampered, or another secret).
        Expired,        ///< Authentic, but its expiry time has passed.
        CallSidMismatch, ///< Authentic and fresh, but issued for another call.
        AlreadyUsed      ///< Authentic and fresh, but a stream for its call already started (StreamTokenReplayCache).
    };

    Reason reason = Reason::Malformed;
    // Filled whenever the MAC verified (also for Expired / CallSidMismatch, for logging).
    std::string tenantId;
    std::string callSid;
    std::int64_t expiresAtUnixSec = 0;

    bool ok() const noexcept
    {
        return reason == Reason::Ok;
    }

    explicit operator bool() const noexcept
    {
        return ok();
    }

    static const char* reasonName(Reason reason) noexcept
    {
        switch (reason)
        {
        case Reason::Ok:
            return "ok";
        case Reason::Malformed:
            return "malformed";
        case Reason::BadSignature:
            return "bad signature";
        case Reason::Expired:
            return "expired";
        case Reason::CallSidMismatch:
            return "callSid mismatch";
        case Reason::AlreadyUsed:
            return "already used";
        }
        return "unknown";
    }
};

} // namespace patchbay::twilio

#endif // PATCHBAY_TWILIO_PROTOCOL_TOKEN_CHECK_H
