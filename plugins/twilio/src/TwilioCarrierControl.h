// TwilioCarrierControl.h: the twilio plugin's carrier side of InboundProvider — call control, number configuration and checks, outbound calls over the REST API.
#ifndef PATCHBAY_TWILIO_TWILIO_CARRIER_CONTROL_H
#define PATCHBAY_TWILIO_TWILIO_CARRIER_CONTROL_H

#include <cstdint>
#include <functional>
#include <string>

#include <patchbay/sdk/HostServices.h>
#include <patchbay/sdk/InboundProvider.h>

#include <rest/TwilioRestClient.h>

#include "TwilioConfig.h"

namespace patchbay::twilio {

/// What the host asks of the carrier (sdk::InboundProvider, ABI 1.2), done with Twilio's REST API:
///  - hangupCall / transferCall / redirectToFallback: POST Calls/{sid}.json (Status=completed, or a
///    TwiML document that replaces what the call does). The call's account is looked up in the
///    tenant store, as the SDK passes only the CallInfo.
///  - configureNumber: VoiceUrl = publicUrl + voicePath, StatusCallback = publicUrl + statusCallbackPath,
///    both POST — only when the operator asked for it or rest.configureNumbers is on.
///  - checkNumber: the same settings read back and compared with publicUrl and alternatePublicUrls.
///  - placeCall: POST Calls.json whose Url is the voice webhook, so an answered outbound call is admitted
///    and bridged like an inbound one.
/// Credentials: the account's API key (apiKeySid/apiKeySecret) when it has one, else its SID and auth
/// token; a subaccount is addressed with its own SID either way. No secret ever reaches a Status.
/// THREAD: I/O (blocks on REST calls with the client's retries); never call it on a media loop.
/// Thread-safe: no mutable state besides the thread-safe REST client.
class TwilioCarrierControl
{
public:
    /// @param http the client REST requests go through (the host's in the plugin, a script in tests).
    /// @param sleep the REST client's wait between retries; default a real sleep.
    TwilioCarrierControl(const TwilioConfig& config, sdk::HostServices& host, sdk::HttpClient& http,
                         std::function<void(std::uint32_t ms)> sleep = {});

    sdk::Status hangupCall(const sdk::CallInfo& call);
    sdk::Status transferCall(const sdk::CallInfo& call, const std::string& toNumber);
    sdk::Status redirectToFallback(const sdk::CallInfo& call, const sdk::Fallback& fallback);
    sdk::Status configureNumber(sdk::NumberRoute& route, const sdk::CarrierAccount& account, bool requested);
    sdk::Result<sdk::SetupCheck> checkNumber(const sdk::NumberRoute& route, const sdk::CarrierAccount& account);
    sdk::Result<std::string> placeCall(const sdk::OutboundCallRequest& request, const sdk::CarrierAccount& account);

    /// API key when the account has a complete one, else AccountSid + auth token.
    static TwilioCredentials credentials(const sdk::CarrierAccount& account);

    /// <Response><Dial>number</Dial></Response>, the number XML-escaped.
    static std::string transferTwiml(const std::string& toNumber);

    /// "+" then 1 to 15 digits, the first not 0.
    static bool isE164(const std::string& number) noexcept;

    /// True when two webhook URLs name the same endpoint: scheme and host compared case-insensitively,
    /// a default port (:443 for https, :80 for http) and one trailing '/' ignored, query ignored.
    static bool sameEndpoint(const std::string& a, const std::string& b);

private:
    /// The account of a live call, from the tenant store.
    sdk::Result<sdk::CarrierAccount> accountOf(const sdk::CallInfo& call);
    sdk::Status updateCall(const sdk::CallInfo& call, const CallUpdate& update, const char* what);

    const TwilioConfig& _config;
    sdk::HostServices& _host;
    TwilioRestClient _rest;
};

} // namespace patchbay::twilio

#endif
