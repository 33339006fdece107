// WebhookAuthenticator.h: the one X-Twilio-Signature gate of every Twilio webhook — parse, find the account's token, validate, diagnose.
#ifndef PATCHBAY_TWILIO_WEBHOOK_AUTHENTICATOR_H
#define PATCHBAY_TWILIO_WEBHOOK_AUTHENTICATOR_H

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <patchbay/sdk/HostServices.h>
#include <patchbay/sdk/Http.h>

#include <protocol/FormData.h>

#include "TwilioConfig.h"

namespace patchbay::twilio {

/// A webhook request that passed the gate: its parameters are from Twilio (or developmentMode let
/// it through, which the gate has logged).
struct WebhookRequest
{
    FormData params;         ///< POST form, GET query, or the JSON body's top-level strings
    std::string accountSid;  ///< the account whose token validated the request
    std::string callSid;     ///< may be empty: each handler decides whether it needs one
    bool validated = false;  ///< false only when developmentMode skipped validation
};

/// Why the gate refused; the handler answers `status` with a body that carries no detail.
struct WebhookRefusal
{
    int status = 0;           ///< 400, 403, 413 or 503
    const char* result = "";  ///< metric label: bad-request, too-large, forbidden, unavailable
};

/// Used by every Twilio webhook (voice, call status, stream status, Connect action), so the rules
/// live in one place:
///
/// 1. Parameters: POST application/x-www-form-urlencoded (signed with the URL), GET (everything
///    in the URL), or POST application/json with bodySHA256 in the query (URL signed alone, body
///    checked against the hash, twilio.md §3.2). Bodies over kMaxBodyBytes are refused (413).
/// 2. Token: the AccountSid in the (not yet trusted) parameters picks the account in the tenant
///    store, so a subaccount's webhooks validate with the subaccount's own token; the secondary
///    token is tried too (rotation). Unknown account → 403.
/// 3. URLs: publicUrl and every alternatePublicUrls entry + request path + raw query, each with
///    and without the scheme's default port; plus, only when the peer is a trusted proxy, the URL
///    its X-Forwarded-Proto/X-Forwarded-Host describe.
/// 4. On failure: exactly one log line with the account, the URLs validated and the likely cause
///    (missing header, URL mismatch with the URL the request claims, or wrong token / altered
///    body). Secrets are never logged.
/// developmentMode skips 2-4 and logs a warning on every request it lets through.
class WebhookAuthenticator
{
public:
    static constexpr std::size_t kMaxBodyBytes = 64 * 1024; ///< Twilio's largest webhooks are a few KB
    static constexpr std::size_t kMaxQueryBytes = 8 * 1024;

    WebhookAuthenticator(const TwilioConfig& config, sdk::HostServices& host);

    /// @param endpoint short name for log lines and metrics ("voice", "status", ...).
    /// @return true with `out` filled, or false with `refusal` set (the log line is written).
    bool authenticate(const sdk::HttpRequest& request, std::string_view endpoint, WebhookRequest& out,
                      WebhookRefusal& refusal) const;

    /// The URLs a signature is accepted for (before port variants), in the order tried.
    std::vector<std::string> candidateUrls(const sdk::HttpRequest& request) const;

    /// Makes untrusted text safe for one log line: printable ASCII only, at most `limit` bytes.
    static std::string printable(std::string_view text, std::size_t limit = 200);

private:
    struct Parsed;

    bool parse(const sdk::HttpRequest& request, std::string_view endpoint, Parsed& parsed, WebhookRefusal& refusal) const;
    bool verify(const sdk::HttpRequest& request, std::string_view endpoint, const Parsed& parsed,
                const sdk::CarrierAccount& account, WebhookRefusal& refusal) const;
    std::string diagnose(const sdk::HttpRequest& request, const Parsed& parsed, const sdk::CarrierAccount& account) const;
    /// The URL the request itself claims (Host / X-Forwarded-* headers, whoever sent them).
    std::vector<std::string> claimedUrls(const sdk::HttpRequest& request) const;
    /// The URL a trusted proxy's forwarded headers describe, or empty.
    std::string forwardedUrl(const sdk::HttpRequest& request) const;

    const TwilioConfig& _config;
    sdk::HostServices& _host;
};

/// The answers every webhook shares.
namespace webhook {
void plain(sdk::HttpResponse& response, int status, const char* body);
void twiml(sdk::HttpResponse& response, std::string body);
} // namespace webhook

} // namespace patchbay::twilio

#endif
