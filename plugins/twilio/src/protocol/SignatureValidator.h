// SignatureValidator.h: computes and checks X-Twilio-Signature (HMAC-SHA1) for form, JSON-body and WebSocket requests.
#ifndef PATCHBAY_TWILIO_PROTOCOL_SIGNATURE_VALIDATOR_H
#define PATCHBAY_TWILIO_PROTOCOL_SIGNATURE_VALIDATOR_H

#include "protocol/ValidationResult.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace patchbay::twilio {

/// Twilio request signatures (twilio.md §3).
///
/// `url` must be the public URL Twilio requested (scheme through raw query, as configured
/// in Twilio), not the one seen behind a proxy; `params` are the form-decoded POST
/// parameters in any order, repeats allowed.
///
/// Validation accepts a header matching any of the URL variants the official SDKs try:
/// credentials removed (Twilio drops them before signing), then the URL as given, without
/// its port (any port, as twilio-python/-node do), or with the scheme's default port added
/// when it has none; and, when the query holds a raw apostrophe, the same URLs with it as
/// %27 (twilio-node also accepts the WHATWG-serialised URL). Comparisons are constant-time.
class SignatureValidator
{
public:
    using Params = std::vector<std::pair<std::string, std::string>>;

    /// base64(HMAC-SHA1(authToken, url + name1 + value1 + ...)), names in byte order and,
    /// for repeated names, unique values in byte order. Signs `url` literally (no variants).
    static std::string compute(std::string_view url, const Params& params, std::string_view authToken);

    /// Form-encoded (or GET, with empty params) request check.
    static ValidationResult validate(std::string_view signatureHeader, std::string_view url, const Params& params,
                                     std::string_view authToken);

    /// application/json requests: the URL carries bodySHA256 = hex SHA-256 of the raw body,
    /// and the signature covers the URL alone.
    static ValidationResult validateJsonBody(std::string_view signatureHeader, std::string_view url,
                                             std::string_view rawBody, std::string_view authToken);

    /// Media Stream WebSocket handshake: no params, and Twilio advises also trying the URL
    /// with a trailing '/' (we try with and without). `url` should use the wss:// scheme.
    static ValidationResult validateWebSocket(std::string_view signatureHeader, std::string_view url,
                                              std::string_view authToken);

    /// The distinct URLs validate() tries for `url`, in order, credentials removed.
    static std::vector<std::string> urlVariants(std::string_view url);

    /// urlVariants() of `url` followed by those of `url` with its path's trailing '/' toggled.
    static std::vector<std::string> webSocketUrlVariants(std::string_view url);

    /// Rewrites http:// to ws:// and https:// to wss:// (a proxy hands us the HTTP scheme).
    static std::string toWebSocketScheme(std::string_view url);

    /// Lowercase hex SHA-256.
    static std::string sha256Hex(std::string_view data);

    /// Constant-time check of the header against exactly these URLs (no variants added), in
    /// order; the building block of validate*() for callers with their own candidate list
    /// (several public base URLs, a trusted proxy's forwarded URL, the WebSocket handshake).
    static ValidationResult check(std::string_view signatureHeader, const std::vector<std::string>& urls,
                                  const Params& params, std::string_view authToken);

    /// Constant-time equality of two strings whose length is not secret.
    static bool constantTimeEquals(std::string_view a, std::string_view b) noexcept;
};

} // namespace patchbay::twilio

#endif // PATCHBAY_TWILIO_PROTOCOL_SIGNATURE_VALIDATOR_H
