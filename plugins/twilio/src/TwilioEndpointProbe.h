// TwilioEndpointProbe.h: checkPublicEndpoints — the gateway calls its own public URL the way Twilio would (signed webhook, badly signed webhook, media WebSocket).
#ifndef PATCHBAY_TWILIO_TWILIO_ENDPOINT_PROBE_H
#define PATCHBAY_TWILIO_TWILIO_ENDPOINT_PROBE_H

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include <patchbay/sdk/HostServices.h>
#include <patchbay/sdk/InboundProvider.h>

#include "TwilioConfig.h"

namespace patchbay::twilio {

/// Three requests through publicUrl — so DNS, TLS, the reverse proxy and the signature settings are
/// all in the path, as they are for Twilio:
///  1. "voice webhook": a voice webhook signed with the account's auth token for a call to a number
///     nobody owns (kUnownedNumbers, the first the tenant store does not know). The core refuses it as
///     an unknown number — which stores no call record and takes no tenant's limit slot — so the
///     expected answer is 200 with <Reject>.
///  2. "webhook signature": the same request with a wrong signature: expected 403.
///  3. "media stream": a WebSocket upgrade to streamBaseUrl() + mediaPath + "/" + a stream token
///     issued for the doctor's CallSid (no X-Twilio-Signature, which the endpoint allows): expected to
///     complete; the socket is closed at once, before any `start`, so no call is bridged.
/// Every run uses a fresh CallSid (CAd0c7…), so the core's memory of webhook decisions never answers
/// a second run from the first. Each finding names the likely cause and the fix.
/// THREAD: I/O (blocks on the host's HTTP client and waits for the WebSocket handshake).
class TwilioEndpointProbe
{
public:
    /// Numbers the doctor's test call is addressed to: +1 999 is not a dialable area code, so no
    /// carrier number collides; the store is asked in case a tenant was set up with one anyway.
    static const std::vector<std::string>& unownedNumbers();

    /// @param handshakeTimeoutMs how long to wait for the WebSocket beyond the host's connect timeout.
    TwilioEndpointProbe(const TwilioConfig& config, sdk::HostServices& host, std::uint32_t handshakeTimeoutMs = 10000);

    std::vector<sdk::SetupCheck> run(const sdk::CarrierAccount& account);

    /// "CAd0c7" + 28 hex digits, unique per call in this process.
    std::string doctorCallSid();

private:
    sdk::SetupCheck checkVoiceWebhook(const sdk::CarrierAccount& account, const std::string& to);
    sdk::SetupCheck checkBadSignature(const sdk::CarrierAccount& account, const std::string& to);
    sdk::SetupCheck checkMediaStream();
    /// The unowned number to call, or "" when every candidate is taken.
    std::string unownedNumber();
    /// The form body and the signature of a doctor voice webhook to `to`.
    std::string webhookBody(const sdk::CarrierAccount& account, const std::string& to, const std::string& callSid) const;
    sdk::Result<sdk::HttpClientResponse> postWebhook(const std::string& body, const std::string& signature);

    const TwilioConfig& _config;
    sdk::HostServices& _host;
    std::uint32_t _handshakeTimeoutMs;
    std::atomic<std::uint32_t> _sequence{0};
};

} // namespace patchbay::twilio

#endif
