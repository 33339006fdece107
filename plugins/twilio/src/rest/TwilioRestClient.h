// TwilioRestClient.h: the Twilio REST API calls the gateway makes — numbers, call control, outbound calls — over the host's HttpClient.
#ifndef PATCHBAY_TWILIO_REST_TWILIO_REST_CLIENT_H
#define PATCHBAY_TWILIO_REST_TWILIO_REST_CLIENT_H

#include <cstdint>
#include <functional>
#include <string>

#include <patchbay/sdk/Http.h>
#include <patchbay/sdk/Status.h>

namespace patchbay::twilio {

/// Who a request is made as. Basic auth: username = API key SID (SK…) when one is set, else the
/// AccountSid; password = the key secret or the auth token. SECRET: never logged, never in a Status.
struct TwilioCredentials
{
    std::string accountSid; ///< the account whose resources are addressed (/Accounts/{accountSid}/…)
    std::string username;
    std::string password;
};

/// An IncomingPhoneNumber as far as the gateway cares.
struct IncomingNumber
{
    std::string sid;         ///< PN…
    std::string phoneNumber; ///< E.164
    std::string voiceUrl;
    std::string voiceMethod;
    std::string statusCallback;
    std::string statusCallbackMethod;
};

/// What to set on a number so Twilio sends its calls to this gateway.
struct NumberVoiceSettings
{
    std::string voiceUrl;
    std::string voiceMethod = "POST";
    std::string statusCallback;
    std::string statusCallbackMethod = "POST";
};

/// A Call resource as far as the gateway cares.
struct CallResource
{
    std::string sid; ///< CA…
    std::string status;
    std::string direction;
    std::string from;
    std::string to;
};

/// A change to a live call: exactly one of completed, twiml or url.
struct CallUpdate
{
    bool completed = false; ///< Status=completed: hang up
    std::string twiml;      ///< replace what the call does with this TwiML document
    std::string url;        ///< or fetch new TwiML from this URL (POST)
};

/// A call to create.
struct CallCreate
{
    std::string from; ///< E.164, a number of the account
    std::string to;   ///< E.164
    std::string url;  ///< the voice URL Twilio requests when the callee answers (POST)
    std::string statusCallback; ///< call status events (initiated ringing answered completed), POST
    std::uint32_t timeoutSeconds = 30;
};

struct TwilioRestOptions
{
    std::string baseUrl = "https://api.twilio.com"; ///< no trailing '/'
    std::uint32_t timeoutMs = 10000;
    std::uint32_t maxRetries = 3;
    std::uint32_t retryBaseMs = 250;
};

/// Blocking client. Retries 429 and 5xx (and transport failures: the HttpClient's Unavailable) up to
/// maxRetries with exponential backoff (retryBaseMs × 2^n, or Retry-After seconds when Twilio sends
/// them, capped at 30 s). Other 4xx are never retried.
/// EXCEPTION, createCall: POST Calls.json is not idempotent, so it is retried only after a 429 (Twilio
/// refused before acting). After a 5xx or a transport failure Twilio may already have placed the call
/// (the SDK's HttpClient cannot tell a refused connect from a lost response), and a second POST would
/// ring the callee twice; the Status is Unavailable and says "not retried". The caller decides, e.g.
/// by listing the account's calls first. updateCall and updateIncomingNumber set state and are
/// retried like reads.
/// A Twilio error body ({"code","message","more_info","status"}) becomes the Status message:
///   "Twilio POST /2010-04-01/Accounts/AC…/Calls.json: 400 (code 21211) The 'To' number … is not a
///    valid phone number — https://www.twilio.com/docs/errors/21211"
/// A body that is not Twilio JSON (HTML from a proxy) is described by content type, size and a
/// sanitised snippet; retried failures end "(gave up after N attempts)". The password and the
/// Authorization value never appear in a Status, even when a peer echoes them. Invalid input (a SID
/// that is not letters and digits, a number that is not E.164, incomplete credentials) is
/// InvalidArgument without any request.
/// Codes: 400/422 → InvalidArgument, 401/403 → PermissionDenied, 404 → NotFound, 409 → AlreadyExists,
/// 429/5xx after the last retry and transport failures → Unavailable, anything else (3xx, other 4xx,
/// a 2xx body that is not the expected JSON) → Internal.
/// THREAD: I/O (any thread but a media loop); one instance may be used from many threads at once.
class TwilioRestClient
{
public:
    /// `sleep` waits between retries (tests pass a recorder); default std::this_thread::sleep_for.
    TwilioRestClient(sdk::HttpClient& http, TwilioRestOptions options,
                     std::function<void(std::uint32_t ms)> sleep = {});

    /// GET IncomingPhoneNumbers.json?PhoneNumber=…  Twilio treats PhoneNumber as a pattern, so only a
    /// listed number whose phone_number equals e164 is returned (usually incoming_phone_numbers[0]);
    /// configuring a longer number that merely matches would take over its calls.
    /// @return NotFound when the account has no such number; InvalidArgument unless e164 is "+" and 1..15 digits.
    sdk::Result<IncomingNumber> findIncomingNumber(const TwilioCredentials& as, const std::string& e164);

    /// POST IncomingPhoneNumbers/{sid}.json with VoiceUrl, VoiceMethod, StatusCallback, StatusCallbackMethod
    /// (the two StatusCallback fields only when settings.statusCallback is set). voiceUrl is required.
    sdk::Result<IncomingNumber> updateIncomingNumber(const TwilioCredentials& as, const std::string& numberSid,
                                                     const NumberVoiceSettings& settings);

    /// POST Calls/{sid}.json with Status=completed, Twiml or Url (+Method=POST).
    sdk::Result<CallResource> updateCall(const TwilioCredentials& as, const std::string& callSid, const CallUpdate& update);

    /// POST Calls.json with From, To, Url, Method=POST, StatusCallback, StatusCallbackEvent ×4 (repeated
    /// keys), StatusCallbackMethod=POST, Timeout (the StatusCallback fields only when statusCallback is
    /// set). from, to and url are required; timeoutSeconds 1..600. Retried on 429 only (see above).
    sdk::Result<CallResource> createCall(const TwilioCredentials& as, const CallCreate& call);

    /// GET Calls/{sid}.json.
    sdk::Result<CallResource> fetchCall(const TwilioCredentials& as, const std::string& callSid);

private:
    sdk::HttpClient& _http;
    TwilioRestOptions _options;
    std::function<void(std::uint32_t)> _sleep;
};

} // namespace patchbay::twilio

#endif
