// TwilioRestClient.cpp: request building (paths, form bodies, Basic auth), the retry loop and response parsing of the Twilio REST client.
#include "rest/TwilioRestClient.h"

#include "protocol/FormData.h"
#include "rest/TwilioErrorBody.h"

#include <patchbay/sdk/support/Base64.h>
#include <patchbay/sdk/support/Json.h>

#include <algorithm>
#include <chrono>
#include <initializer_list>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace patchbay::twilio {

namespace {

using sdk::HttpClientRequest;
using sdk::HttpClientResponse;
using sdk::Result;
using sdk::Status;
using sdk::StatusCode;
using sdk::support::JsonDocument;
using sdk::support::JsonValue;

constexpr std::uint32_t kMaxBackoffMs = 30000;
constexpr const char* kApiPrefix = "/2010-04-01/Accounts/";
constexpr const char* kRedacted = "[redacted]";

/// Which failures a request may be repeated after.
enum class RetryPolicy
{
    /// 429, 5xx and transport failures: the request is idempotent (GET, or a POST that sets state).
    Idempotent,
    /// 429 only: Twilio rejected the request before acting on it. A 5xx or a lost connection may
    /// come after Twilio created the resource, and creating it twice is worse than failing.
    RateLimitOnly,
};

struct Call
{
    std::string method;
    std::string path;  ///< from /2010-04-01/…, no query
    std::string query; ///< encoded, without '?'
    std::string body;  ///< form-encoded (POST)
    RetryPolicy retry = RetryPolicy::Idempotent;
};

bool isAlnum(char c) noexcept
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/// A SID used as a path segment: letters and digits only, so nothing can escape the segment.
bool isSid(const std::string& s) noexcept
{
    return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), isAlnum);
}

bool isE164(const std::string& s) noexcept
{
    if (s.size() < 2 || s.size() > 16 || s[0] != '+') return false;
    return std::all_of(s.begin() + 1, s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isHttpMethod(const std::string& m) noexcept
{
    return m == "GET" || m == "POST";
}

Status checkCredentials(const TwilioCredentials& as)
{
    if (!isSid(as.accountSid))
        return Status::invalidArgument(
            "Twilio credentials: the account SID is missing or contains characters other than letters and digits");
    if (as.username.empty() || as.password.empty())
        return Status::invalidArgument("Twilio credentials: the username (account or API key SID) and the password "
                                       "(auth token or key secret) are both required");
    if (as.username.find(':') != std::string::npos)
        return Status::invalidArgument("Twilio credentials: the username must not contain ':' (HTTP Basic auth)");
    return Status::ok();
}

Status checkSid(const std::string& sid, const char* what)
{
    if (isSid(sid)) return Status::ok();
    return Status::invalidArgument(std::string("Twilio: ") + what + " \"" + rest::sanitizeForMessage(sid, 64) +
                                   "\" is not a SID (letters and digits)");
}

std::string basicAuthorization(const TwilioCredentials& as)
{
    return "Basic " + sdk::support::Base64::encode(as.username + ":" + as.password);
}

/// Replaces every occurrence of `secret` in `text`.
void redact(std::string& text, const std::string& secret)
{
    if (secret.empty()) return;
    for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 1))
        text.replace(at, secret.size(), kRedacted);
}

/// Status messages never carry the password nor the Authorization value, even when a peer or a
/// transport echoes them. Very short passwords are left alone: replacing every "ab" in a message
/// would destroy it, and a real auth token or key secret is 32 characters.
Status scrubbed(Status status, const TwilioCredentials& as, const std::string& authorization)
{
    if (status.isOk()) return status;
    std::string message = status.message();
    redact(message, authorization.substr(6)); // the base64 token
    if (as.password.size() >= 6) redact(message, as.password);
    return Status(status.code(), std::move(message));
}

/// Seconds from a Retry-After header in its delta-seconds form; nullopt for a date or garbage.
std::optional<std::uint64_t> retryAfterSeconds(std::string_view value)
{
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
        value.remove_suffix(1);
    if (value.empty() || value.size() > 9) return std::nullopt;
    std::uint64_t seconds = 0;
    for (char c : value)
    {
        if (c < '0' || c > '9') return std::nullopt;
        seconds = seconds * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return seconds;
}

std::uint32_t backoffMs(std::uint32_t baseMs, std::uint32_t retryIndex, const HttpClientResponse* response)
{
    if (response)
    {
        if (auto seconds = retryAfterSeconds(sdk::findHeader(response->headers, "Retry-After")))
            return static_cast<std::uint32_t>(std::min<std::uint64_t>(*seconds * 1000, kMaxBackoffMs));
    }
    std::uint64_t delay = baseMs;
    for (std::uint32_t i = 0; i < retryIndex && delay < kMaxBackoffMs; ++i)
        delay *= 2;
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(delay, kMaxBackoffMs));
}

bool isRetryableHttp(int status, RetryPolicy policy) noexcept
{
    if (status == 429) return true;
    return policy == RetryPolicy::Idempotent && status >= 500 && status <= 599;
}

std::string text(const JsonValue& value)
{
    return std::string(value.asString());
}

IncomingNumber toIncomingNumber(const JsonValue& v)
{
    IncomingNumber n;
    n.sid = text(v["sid"]);
    n.phoneNumber = text(v["phone_number"]);
    n.voiceUrl = text(v["voice_url"]);
    n.voiceMethod = text(v["voice_method"]);
    n.statusCallback = text(v["status_callback"]);
    n.statusCallbackMethod = text(v["status_callback_method"]);
    return n;
}

CallResource toCall(const JsonValue& v)
{
    CallResource c;
    c.sid = text(v["sid"]);
    c.status = text(v["status"]);
    c.direction = text(v["direction"]);
    c.from = text(v["from"]);
    c.to = text(v["to"]);
    return c;
}

/// The retry loop and response classification, shared by every call. Defined here so that the
/// header stays free of request plumbing.
class TwilioRestClientCore
{
public:
    TwilioRestClientCore(sdk::HttpClient& http, const TwilioRestOptions& options,
                         const std::function<void(std::uint32_t)>& sleep)
        : _http(http), _options(options), _sleep(sleep)
    {
    }

    /// Performs `call` with retries; returns the body of the 2xx response, or the final failure.
    Result<std::string> perform(const TwilioCredentials& as, const Call& call) const
    {
        const std::string authorization = basicAuthorization(as);
        Result<std::string> result = attempt(call, authorization);
        if (result.isOk()) return result;
        return scrubbed(result.status(), as, authorization);
    }

    std::string label(const Call& call) const
    {
        return "Twilio " + call.method + " " + call.path;
    }

private:
    Result<std::string> attempt(const Call& call, const std::string& authorization) const
    {
        HttpClientRequest request;
        request.method = call.method;
        request.url = _options.baseUrl + call.path + (call.query.empty() ? "" : "?" + call.query);
        request.timeoutMs = _options.timeoutMs;
        request.headers.emplace_back("Authorization", authorization);
        request.headers.emplace_back("Accept", "application/json");
        request.headers.emplace_back("User-Agent", "patchbay-twilio");
        if (call.method == "POST")
        {
            request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
            request.body = call.body;
        }

        const std::uint32_t attempts = _options.maxRetries + 1;
        for (std::uint32_t n = 1;; ++n)
        {
            Result<HttpClientResponse> sent = _http.send(request);
            const bool last = n >= attempts;
            if (!sent.isOk())
            {
                const Status& failure = sent.status();
                if (failure.code() != StatusCode::Unavailable)
                    return Status(failure.code(), label(call) + ": " + failure.message());
                if (call.retry != RetryPolicy::Idempotent)
                    return Status::unavailable(label(call) + ": " + failure.message() +
                                               " (not retried: Twilio may have acted on the request)");
                if (last) return Status::unavailable(label(call) + ": " + failure.message() + gaveUp(n));
                pause(backoffMs(_options.retryBaseMs, n - 1, nullptr));
                continue;
            }
            const HttpClientResponse& response = sent.value();
            if (response.status >= 200 && response.status <= 299) return response.body;

            const std::string described = rest::describeHttpFailure(
                response.status, sdk::findHeader(response.headers, "Content-Type"), response.body);
            if (isRetryableHttp(response.status, call.retry))
            {
                if (last) return Status::unavailable(label(call) + ": " + described + gaveUp(n));
                pause(backoffMs(_options.retryBaseMs, n - 1, &response));
                continue;
            }
            const StatusCode code = rest::statusCodeForHttp(response.status);
            std::string message = label(call) + ": " + described;
            if (code == StatusCode::Unavailable) message += " (not retried: Twilio may have acted on the request)";
            return Status(code, std::move(message));
        }
    }

    static std::string gaveUp(std::uint32_t attempts)
    {
        return attempts == 1 ? std::string(" (1 attempt)") : " (gave up after " + std::to_string(attempts) + " attempts)";
    }

    void pause(std::uint32_t ms) const
    {
        if (_sleep)
            _sleep(ms);
        else
            std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    }

    sdk::HttpClient& _http;
    const TwilioRestOptions& _options;
    const std::function<void(std::uint32_t)>& _sleep;
};

std::string form(std::initializer_list<std::pair<std::string, std::string>> fields)
{
    FormData data;
    for (const auto& [name, value] : fields)
        data.add(name, value);
    return data.encode();
}

/// Parses a 2xx body as a JSON object or says why it cannot be used.
Status parseObject(JsonDocument& doc, const std::string& body, const std::string& label)
{
    std::string error;
    if (!doc.parse(body, &error))
        return Status::internal(label + ": the success response is not JSON (" + error + ")");
    if (!doc.root().isObject()) return Status::internal(label + ": the success response is not a JSON object");
    return Status::ok();
}

Result<CallResource> callFrom(const std::string& body, const std::string& label)
{
    JsonDocument doc;
    Status st = parseObject(doc, body, label);
    if (!st) return st;
    CallResource call = toCall(doc.root());
    if (call.sid.empty()) return Status::internal(label + ": the response has no call \"sid\"");
    return call;
}

} // namespace

TwilioRestClient::TwilioRestClient(sdk::HttpClient& http, TwilioRestOptions options,
                                   std::function<void(std::uint32_t ms)> sleep)
    : _http(http), _options(std::move(options)), _sleep(std::move(sleep))
{
    while (!_options.baseUrl.empty() && _options.baseUrl.back() == '/')
        _options.baseUrl.pop_back();
}

sdk::Result<IncomingNumber> TwilioRestClient::findIncomingNumber(const TwilioCredentials& as, const std::string& e164)
{
    if (Status st = checkCredentials(as); !st) return st;
    if (!isE164(e164))
        return Status::invalidArgument("Twilio: \"" + rest::sanitizeForMessage(e164, 32) +
                                       "\" is not an E.164 phone number (+ and up to 15 digits)");
    Call call;
    call.method = "GET";
    call.path = kApiPrefix + as.accountSid + "/IncomingPhoneNumbers.json";
    call.query = form({{"PhoneNumber", e164}});
    TwilioRestClientCore core(_http, _options, _sleep);
    Result<std::string> body = core.perform(as, call);
    if (!body) return body.status();

    const std::string label = core.label(call);
    JsonDocument doc;
    if (Status st = parseObject(doc, body.value(), label); !st) return st;
    const JsonValue& list = doc.root()["incoming_phone_numbers"];
    if (!list.isArray()) return Status::internal(label + ": the response has no \"incoming_phone_numbers\" list");
    // PhoneNumber is a pattern filter at Twilio (a shorter number matches longer ones), so only an
    // exact match counts: configuring a number that merely starts with e164 would hijack its calls.
    for (const JsonValue& item : list)
    {
        if (item["phone_number"].asString() != e164) continue;
        IncomingNumber number = toIncomingNumber(item);
        if (number.sid.empty()) return Status::internal(label + ": the matching number has no \"sid\"");
        return number;
    }
    std::string message = label + ": the account has no incoming phone number " + e164;
    if (!list.empty())
        message += " (" + std::to_string(list.size()) + " listed for that filter, none exactly " + e164 + ")";
    return Status::notFound(std::move(message));
}

sdk::Result<IncomingNumber> TwilioRestClient::updateIncomingNumber(const TwilioCredentials& as,
                                                                   const std::string& numberSid,
                                                                   const NumberVoiceSettings& settings)
{
    if (Status st = checkCredentials(as); !st) return st;
    if (Status st = checkSid(numberSid, "incoming phone number SID"); !st) return st;
    if (settings.voiceUrl.empty()) return Status::invalidArgument("Twilio: updateIncomingNumber needs a voiceUrl");
    if (!isHttpMethod(settings.voiceMethod) || !isHttpMethod(settings.statusCallbackMethod))
        return Status::invalidArgument("Twilio: voiceMethod and statusCallbackMethod must be GET or POST");

    FormData data;
    data.add("VoiceUrl", settings.voiceUrl);
    data.add("VoiceMethod", settings.voiceMethod);
    if (!settings.statusCallback.empty())
    {
        data.add("StatusCallback", settings.statusCallback);
        data.add("StatusCallbackMethod", settings.statusCallbackMethod);
    }
    Call call;
    call.method = "POST";
    call.path = kApiPrefix + as.accountSid + "/IncomingPhoneNumbers/" + numberSid + ".json";
    call.body = data.encode();
    TwilioRestClientCore core(_http, _options, _sleep);
    Result<std::string> body = core.perform(as, call);
    if (!body) return body.status();

    const std::string label = core.label(call);
    JsonDocument doc;
    if (Status st = parseObject(doc, body.value(), label); !st) return st;
    IncomingNumber number = toIncomingNumber(doc.root());
    if (number.sid.empty()) return Status::internal(label + ": the response has no number \"sid\"");
    return number;
}

sdk::Result<CallResource> TwilioRestClient::updateCall(const TwilioCredentials& as, const std::string& callSid,
                                                       const CallUpdate& update)
{
    if (Status st = checkCredentials(as); !st) return st;
    if (Status st = checkSid(callSid, "call SID"); !st) return st;
    const int chosen = (update.completed ? 1 : 0) + (update.twiml.empty() ? 0 : 1) + (update.url.empty() ? 0 : 1);
    if (chosen != 1)
        return Status::invalidArgument("Twilio: a call update sets exactly one of completed, twiml or url");

    Call call;
    call.method = "POST";
    call.path = kApiPrefix + as.accountSid + "/Calls/" + callSid + ".json";
    if (update.completed)
        call.body = form({{"Status", "completed"}});
    else if (!update.twiml.empty())
        call.body = form({{"Twiml", update.twiml}});
    else
        call.body = form({{"Url", update.url}, {"Method", "POST"}});
    TwilioRestClientCore core(_http, _options, _sleep);
    Result<std::string> body = core.perform(as, call);
    if (!body) return body.status();
    return callFrom(body.value(), core.label(call));
}

sdk::Result<CallResource> TwilioRestClient::createCall(const TwilioCredentials& as, const CallCreate& create)
{
    if (Status st = checkCredentials(as); !st) return st;
    if (create.from.empty() || create.to.empty() || create.url.empty())
        return Status::invalidArgument("Twilio: createCall needs from, to and url");
    if (create.timeoutSeconds < 1 || create.timeoutSeconds > 600)
        return Status::invalidArgument("Twilio: createCall timeoutSeconds must be 1..600, not " +
                                       std::to_string(create.timeoutSeconds));

    FormData data;
    data.add("From", create.from);
    data.add("To", create.to);
    data.add("Url", create.url);
    data.add("Method", "POST");
    if (!create.statusCallback.empty())
    {
        data.add("StatusCallback", create.statusCallback);
        for (const char* event : {"initiated", "ringing", "answered", "completed"})
            data.add("StatusCallbackEvent", event);
        data.add("StatusCallbackMethod", "POST");
    }
    data.add("Timeout", std::to_string(create.timeoutSeconds));

    Call call;
    call.method = "POST";
    call.path = kApiPrefix + as.accountSid + "/Calls.json";
    call.body = data.encode();
    call.retry = RetryPolicy::RateLimitOnly;
    TwilioRestClientCore core(_http, _options, _sleep);
    Result<std::string> body = core.perform(as, call);
    if (!body) return body.status();
    return callFrom(body.value(), core.label(call));
}

sdk::Result<CallResource> TwilioRestClient::fetchCall(const TwilioCredentials& as, const std::string& callSid)
{
    if (Status st = checkCredentials(as); !st) return st;
    if (Status st = checkSid(callSid, "call SID"); !st) return st;
    Call call;
    call.method = "GET";
    call.path = kApiPrefix + as.accountSid + "/Calls/" + callSid + ".json";
    TwilioRestClientCore core(_http, _options, _sleep);
    Result<std::string> body = core.perform(as, call);
    if (!body) return body.status();
    return callFrom(body.value(), core.label(call));
}

} // namespace patchbay::twilio
