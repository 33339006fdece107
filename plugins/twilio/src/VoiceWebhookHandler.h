// VoiceWebhookHandler.h: POST/GET voice webhook — after the signature gate, asks the core to admit and answers TwiML.
#ifndef PATCHBAY_TWILIO_VOICE_WEBHOOK_HANDLER_H
#define PATCHBAY_TWILIO_VOICE_WEBHOOK_HANDLER_H

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "WebhookHandler.h"

namespace patchbay::twilio {

/// Maps the core's admission to TwiML: Accepted → <Connect action><Stream statusCallback> with the
/// call's stream token; unknown number → <Reject reason="rejected"/>; over limit → <Reject
/// reason="busy"/>; anything else → the tenant's fallback (or fallbackMessage), then <Hangup/>.
///
/// Twilio may repeat a webhook for the same CallSid (timeouts, its own retries). The core gives a
/// repeat the same decision without counting it twice; this handler gives it the same stream token,
/// so the repeated answer is byte-identical (the token's expiry would differ otherwise).
class VoiceWebhookHandler final : public WebhookHandler
{
public:
    VoiceWebhookHandler(const TwilioConfig& config, sdk::HostServices& host,
                        std::shared_ptr<const WebhookAuthenticator> authenticator);

protected:
    const char* respond(const sdk::HttpRequest& request, const WebhookRequest& webhook, sdk::HttpResponse& response) override;
    /// The store is down, so nothing can be validated: the caller still hears fallbackMessage
    /// (static config text, nothing about any tenant) instead of Twilio's application error.
    const char* unavailable(sdk::HttpResponse& response) override;

private:
    /// The token issued for callSid while it is valid, else a new one (remembered until it expires).
    std::string streamToken(const std::string& tenantId, const std::string& callSid);

    struct Issued
    {
        std::string tenantId;
        std::string token;
        std::int64_t expiresAtSec = 0;
    };

    static constexpr std::size_t kMaxRemembered = 20000;

    std::mutex _mutex; // guards the two members below; held only for map operations
    std::unordered_map<std::string, Issued> _issued;
    std::deque<std::pair<std::int64_t, std::string>> _expiries; ///< (expiresAtSec, callSid), oldest first
};

} // namespace patchbay::twilio

#endif
