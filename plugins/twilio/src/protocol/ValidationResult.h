// ValidationResult.h: outcome of an X-Twilio-Signature check, with the URL variants tried for a one-line diagnostic.
#ifndef PATCHBAY_TWILIO_PROTOCOL_VALIDATION_RESULT_H
#define PATCHBAY_TWILIO_PROTOCOL_VALIDATION_RESULT_H

#include <string>
#include <vector>

namespace patchbay::twilio {

/// Why a signature check passed or failed. The URLs never contain credentials (userinfo is
/// stripped before signing, as Twilio does), so describe() is safe to log.
struct ValidationResult
{
    enum class Outcome
    {
        Valid,
        MissingSignature, ///< No (or blank) X-Twilio-Signature header: answer 400.
        MissingAuthToken, ///< No auth token configured for the account: a configuration error.
        Mismatch,         ///< No URL variant produced the header's signature: answer 403.
        MissingBodyHash,  ///< JSON variant: the URL has no usable bodySHA256 parameter.
        BodyHashMismatch  ///< JSON variant: URL signature fine, but the body is not the one hashed.
    };

    Outcome outcome = Outcome::Mismatch;
    std::string matchedUrl;             ///< The variant that matched (when valid).
    std::vector<std::string> triedUrls; ///< Every variant computed, in the order tried.

    bool valid() const noexcept
    {
        return outcome == Outcome::Valid;
    }

    explicit operator bool() const noexcept
    {
        return valid();
    }

    static const char* outcomeName(Outcome outcome) noexcept;

    /// E.g. "signature mismatch; validated URL(s): https://a/x, https://a:443/x".
    std::string describe() const;
};

} // namespace patchbay::twilio

#endif // PATCHBAY_TWILIO_PROTOCOL_VALIDATION_RESULT_H
