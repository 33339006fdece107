// TwilioEndpointProbe.cpp: the doctor's self-requests through publicUrl and how each answer becomes a finding.
#include "TwilioEndpointProbe.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>

#include <protocol/FormData.h>
#include <protocol/SignatureValidator.h>
#include <protocol/StreamToken.h>

namespace patchbay::twilio {
namespace {

constexpr const char* kDoctorTenant = "patchbay-doctor";

/// The outcome of one WebSocket handshake, shared with the handler: the handler may outlive the wait
/// (a handshake that finishes after the probe gave up), so neither side owns the other.
struct Handshake
{
    std::mutex mutex;
    std::condition_variable cv;
    bool done = false;
    bool opened = false;
    std::string reason;

    void finish(bool ok, std::string why)
    {
        {
            std::lock_guard<std::mutex> lock(mutex);
            if (done) return;
            done = true;
            opened = ok;
            reason = std::move(why);
        }
        cv.notify_all();
    }
};

/// Closes the socket as soon as it opens: the check is the handshake, and a socket that never sends
/// `start` must not become a call.
class ProbeSocket final : public sdk::WebSocketHandler
{
public:
    explicit ProbeSocket(std::shared_ptr<Handshake> handshake) : _handshake(std::move(handshake)) {}

    void onOpen(sdk::WebSocketConnection& connection) override
    {
        connection.close(sdk::CloseCode::Normal, "patchbay doctor");
        _handshake->finish(true, {});
    }
    void onConnectFailed(std::string_view reason) override { _handshake->finish(false, std::string(reason.substr(0, 200))); }
    void onClose(sdk::WebSocketConnection&, std::uint16_t code, std::string_view reason) override
    {
        // Only reached without onOpen if the host reports a close first; the finding stays the first outcome.
        _handshake->finish(false, "closed with " + std::to_string(code) + " " + std::string(reason.substr(0, 80)));
    }

private:
    std::shared_ptr<Handshake> _handshake;
};

sdk::SetupCheck finding(const char* subject, std::string problem, std::string fix)
{
    sdk::SetupCheck c;
    c.subject = subject;
    c.ok = problem.empty();
    if (!c.ok)
    {
        c.problem = std::move(problem);
        c.fix = std::move(fix);
    }
    return c;
}

const char* kReachFix = "check publicUrl's DNS name, TLS certificate and reverse proxy; this check needs the gateway to reach "
                        "its own public URL as Twilio does";

} // namespace

const std::vector<std::string>& TwilioEndpointProbe::unownedNumbers()
{
    static const std::vector<std::string> numbers{"+19999999999", "+19999999998", "+19999999997", "+19999999996"};
    return numbers;
}

TwilioEndpointProbe::TwilioEndpointProbe(const TwilioConfig& config, sdk::HostServices& host, std::uint32_t handshakeTimeoutMs)
    : _config(config), _host(host), _handshakeTimeoutMs(handshakeTimeoutMs)
{
}

std::string TwilioEndpointProbe::doctorCallSid()
{
    // Time and a sequence number: unique in this process, and recognisable in logs as the doctor's.
    char sid[64];
    std::snprintf(sid, sizeof sid, "CAd0c7%016llx%012x", static_cast<unsigned long long>(_host.nowUnixMs()),
                  static_cast<unsigned>(++_sequence));
    return sid;
}

std::string TwilioEndpointProbe::unownedNumber()
{
    sdk::TenantStore* store = _host.tenantStore();
    if (!store) return unownedNumbers().front(); // the webhook then answers the fallback, which the finding explains
    for (const std::string& number : unownedNumbers())
    {
        sdk::Result<sdk::NumberRoute> route = store->findNumber(number);
        if (!route.isOk()) return number; // NotFound, or a store error the webhook will report the same way
    }
    return {};
}

std::vector<sdk::SetupCheck> TwilioEndpointProbe::run(const sdk::CarrierAccount& account)
{
    std::vector<sdk::SetupCheck> checks;
    const std::string to = unownedNumber();
    if (account.authToken.empty())
    {
        checks.push_back(finding("voice webhook", "account " + account.sid + " has no auth token to sign the test request with",
                                 "set it: patchbayctl accounts rotate-token " + account.sid + " --auth-token -"));
    }
    else if (to.empty())
    {
        checks.push_back(finding("voice webhook", "every number the doctor may call (+19999999996..9) is assigned to a tenant",
                                 "release one: patchbayctl numbers release +19999999999"));
    }
    else
    {
        checks.push_back(checkVoiceWebhook(account, to));
        checks.push_back(checkBadSignature(account, to));
    }
    checks.push_back(checkMediaStream());
    return checks;
}

std::string TwilioEndpointProbe::webhookBody(const sdk::CarrierAccount& account, const std::string& to,
                                             const std::string& callSid) const
{
    FormData form;
    form.add("AccountSid", account.sid);
    form.add("ApiVersion", "2010-04-01");
    form.add("CallSid", callSid);
    form.add("CallStatus", "ringing");
    form.add("Direction", "inbound");
    form.add("From", "patchbay-doctor");
    form.add("To", to);
    return form.encode();
}

sdk::Result<sdk::HttpClientResponse> TwilioEndpointProbe::postWebhook(const std::string& body, const std::string& signature)
{
    sdk::HttpClientRequest request;
    request.method = "POST";
    request.url = _config.publicUrl + _config.voicePath;
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                       {"X-Twilio-Signature", signature},
                       {"User-Agent", "patchbay-doctor"}};
    request.body = body;
    request.timeoutMs = 10000;
    return _host.httpClient().send(request);
}

sdk::SetupCheck TwilioEndpointProbe::checkVoiceWebhook(const sdk::CarrierAccount& account, const std::string& to)
{
    const std::string url = _config.publicUrl + _config.voicePath;
    const std::string body = webhookBody(account, to, doctorCallSid());
    FormData params;
    params.parse(body);
    const std::string signature = SignatureValidator::compute(url, params.pairs(), account.authToken);
    sdk::Result<sdk::HttpClientResponse> answer = postWebhook(body, signature);
    if (!answer.isOk()) return finding("voice webhook", "cannot reach " + url + ": " + answer.status().message(), kReachFix);
    const sdk::HttpClientResponse& r = answer.value();
    if (r.status == 200 && r.body.find("<Reject") != std::string::npos) return finding("voice webhook", {}, {});
    if (r.status == 200 && r.body.find("<Connect") != std::string::npos)
        return finding("voice webhook", "the doctor's test call to " + to + " was admitted: a tenant owns that number",
                       "release it: patchbayctl numbers release " + to);
    if (r.status == 200)
        return finding("voice webhook",
                       "a correctly signed webhook got the fallback answer instead of <Reject>: the tenant store is down "
                       "or the gateway is draining",
                       "check 'patchbayctl health' and the gateway log");
    if (r.status == 403)
        return finding("voice webhook",
                       "403 on a correctly signed request: publicUrl (" + _config.publicUrl +
                           ") does not match the URL this request reached the gateway by, or the stored auth token of " +
                           account.sid + " is not the one Twilio signs with",
                       "set publicUrl to the URL configured on the number (a proxy in front must keep the path), or update "
                       "the token: patchbayctl accounts rotate-token " + account.sid + " --auth-token -");
    if (r.status == 404)
        return finding("voice webhook", "404 from " + url + ": nothing serves the voice webhook there",
                       "publicUrl must point at this gateway and the proxy must pass " + _config.voicePath + " unchanged");
    return finding("voice webhook", "HTTP " + std::to_string(r.status) + " from " + url + " (expected 200 with <Reject>)",
                   "check the reverse proxy in front of the gateway and the gateway log");
}

sdk::SetupCheck TwilioEndpointProbe::checkBadSignature(const sdk::CarrierAccount& account, const std::string& to)
{
    const std::string url = _config.publicUrl + _config.voicePath;
    // A well-formed signature (base64 of 20 bytes) that is not the right one.
    sdk::Result<sdk::HttpClientResponse> answer =
        postWebhook(webhookBody(account, to, doctorCallSid()), "AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    if (!answer.isOk()) return finding("webhook signature", "cannot reach " + url + ": " + answer.status().message(), kReachFix);
    const int status = answer.value().status;
    if (status == 403) return finding("webhook signature", {}, {});
    if (status == 200)
        return finding("webhook signature",
                       "a request with a wrong X-Twilio-Signature was accepted: anyone can place calls through the gateway",
                       "set developmentMode to false in the twilio plugin config (and make sure nothing in front answers for the gateway)");
    return finding("webhook signature", "HTTP " + std::to_string(status) + " from " + url + " for a wrongly signed request (expected 403)",
                   "check the reverse proxy in front of the gateway and the gateway log");
}

sdk::SetupCheck TwilioEndpointProbe::checkMediaStream()
{
    const std::string base = _config.streamBaseUrl() + _config.mediaPath + "/";
    const std::int64_t nowSec = _host.nowUnixMs() / 1000;
    const std::string token =
        StreamToken::issue(kDoctorTenant, doctorCallSid(), nowSec + _config.streamTokenTtlSeconds, _config.streamTokenSecret);
    if (token.empty())
        return finding("media stream", "no stream token could be issued (is streamTokenSecret set?)",
                       "set streamTokenSecret in the twilio plugin config");

    auto handshake = std::make_shared<Handshake>();
    sdk::WebSocketConnectOptions options;
    options.url = base + token;
    options.headers = {{"User-Agent", "patchbay-doctor"}};
    options.connectTimeoutMs = _handshakeTimeoutMs;
    sdk::Status st = _host.connectWebSocket(options, _host.loopForKey("patchbay-doctor"), std::make_shared<ProbeSocket>(handshake));
    if (!st.isOk())
        return finding("media stream", "cannot open a WebSocket to " + base + "<token>: " + st.message(),
                       "publicUrl must be an http:// or https:// URL");

    std::unique_lock<std::mutex> lock(handshake->mutex);
    // The host enforces connectTimeoutMs; the extra wait only covers a host that never answers.
    const bool answered = handshake->cv.wait_for(lock, std::chrono::milliseconds(_handshakeTimeoutMs + 2000),
                                                 [&] { return handshake->done; });
    if (!answered)
        return finding("media stream", "the WebSocket handshake with " + base + "<token> did not finish within " +
                                           std::to_string((_handshakeTimeoutMs + 2000) / 1000) + " s",
                       kReachFix);
    if (handshake->opened) return finding("media stream", {}, {});
    return finding("media stream", "the media-stream WebSocket upgrade to " + base + "<token> failed: " + handshake->reason,
                   "a reverse proxy in front must forward WebSocket upgrades (Upgrade and Connection headers) on " +
                       _config.mediaPath + "/; a 403 means the stream token was refused: every node needs the same "
                       "streamTokenSecret and a synchronised clock");
}

} // namespace patchbay::twilio
