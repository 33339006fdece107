// MediaStreamHandshake.h: checks the x-twilio-signature of a Media Stream upgrade with the call's account token.
#ifndef PATCHBAY_TWILIO_MEDIA_STREAM_HANDSHAKE_H
#define PATCHBAY_TWILIO_MEDIA_STREAM_HANDSHAKE_H

#include <string>

#include <patchbay/sdk/HostServices.h>

#include <protocol/TokenCheck.h>

#include "TwilioConfig.h"

namespace patchbay::twilio {

/// Whether Twilio signs the upgrade is disputed (twilio.md §4), so an absent header is allowed;
/// a present one must match. Twilio signs the `<Stream url>` as written in the TwiML — the
/// wss:// form of publicUrl (or an alternatePublicUrl) plus the path, no query — with the primary
/// Auth Token of the account that owns the call. Each URL is tried with and without the default
/// port and a trailing '/' (SignatureValidator::webSocketUrlVariants).
///
/// The account is not in the stream token (tenant, CallSid, expiry only), so it is looked up:
/// the call record the core saved at admission names it; failing that, the accounts of the
/// tenant's numbers are tried.
class MediaStreamHandshake
{
public:
    enum class Verdict
    {
        Valid,
        Absent,      ///< no header: allowed, counted
        Invalid,     ///< present and matches no token/URL: refuse 403
        Unchecked    ///< present, but the store could not be asked (or development mode): allowed, counted
    };

    struct Result
    {
        Verdict verdict = Verdict::Absent;
        std::string accountSid; ///< the account whose token matched (Valid)
        std::string detail;     ///< one secret-free line for the log (Invalid / Unchecked)
    };

    /// THREAD: I/O (may block on the tenant store), as WebSocketEndpoint::accept is.
    /// @param token a verified token (its tenantId and callSid are trusted).
    static Result verify(const TwilioConfig& config, sdk::HostServices& host, const sdk::HttpRequest& request,
                         const TokenCheck& token);

    static const char* verdictName(Verdict verdict) noexcept;
};

} // namespace patchbay::twilio

#endif
