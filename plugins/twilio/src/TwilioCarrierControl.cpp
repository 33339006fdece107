// TwilioCarrierControl.cpp: call control, number configuration and checks, and outbound calls through TwilioRestClient.
#include "TwilioCarrierControl.h"

#include <optional>
#include <string_view>
#include <vector>

#include <protocol/TwimlBuilder.h>

namespace patchbay::twilio {
namespace {

TwilioRestOptions restOptions(const TwilioRestConfig& rest)
{
    TwilioRestOptions o;
    o.baseUrl = rest.baseUrl;
    o.timeoutMs = rest.timeoutMs;
    o.maxRetries = rest.maxRetries;
    o.retryBaseMs = rest.retryBaseMs;
    return o;
}

char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// scheme://authority/path of a URL, the scheme and authority lowercased, the default port, the
/// query and fragment and one trailing '/' removed.
std::string canonicalEndpoint(std::string_view url)
{
    const std::size_t q = url.find_first_of("?#");
    if (q != std::string_view::npos) url = url.substr(0, q);
    const std::size_t schemeEnd = url.find("://");
    if (schemeEnd == std::string_view::npos) return std::string(url);
    const std::size_t pathStart = url.find('/', schemeEnd + 3);
    std::string head(url.substr(0, pathStart));
    for (char& c : head) c = lower(c);
    std::string path(pathStart == std::string_view::npos ? std::string_view() : url.substr(pathStart));
    for (const char* port : {"https://|:443", "http://|:80"})
    {
        const std::string_view spec(port);
        const std::string_view scheme = spec.substr(0, spec.find('|'));
        const std::string_view suffix = spec.substr(spec.find('|') + 1);
        if (head.compare(0, scheme.size(), scheme) == 0 && head.size() > suffix.size() &&
            head.compare(head.size() - suffix.size(), suffix.size(), suffix) == 0)
            head.resize(head.size() - suffix.size());
    }
    if (!path.empty() && path.back() == '/') path.pop_back();
    return head + path;
}

/// "VoiceUrl" ok when it is any public base + path; otherwise a problem naming what is there.
std::optional<std::string> urlProblem(const char* field, const std::string& actual, const std::vector<std::string>& bases,
                                      const std::string& path)
{
    for (const std::string& base : bases)
        if (TwilioCarrierControl::sameEndpoint(actual, base + path)) return std::nullopt;
    const std::string expected = bases.front() + path;
    if (actual.empty()) return std::string(field) + " is not set (expected " + expected + ")";
    return std::string(field) + " is " + actual + " (expected " + expected + ")";
}

} // namespace

TwilioCarrierControl::TwilioCarrierControl(const TwilioConfig& config, sdk::HostServices& host, sdk::HttpClient& http,
                                           std::function<void(std::uint32_t)> sleep)
    : _config(config), _host(host), _rest(http, restOptions(config.rest), std::move(sleep))
{
}

TwilioCredentials TwilioCarrierControl::credentials(const sdk::CarrierAccount& account)
{
    TwilioCredentials c;
    c.accountSid = account.sid;
    // A half-configured key (SID without secret) would only produce 401s: the auth token still works.
    if (!account.apiKeySid.empty() && !account.apiKeySecret.empty())
    {
        c.username = account.apiKeySid;
        c.password = account.apiKeySecret;
    }
    else
    {
        c.username = account.sid;
        c.password = account.authToken;
    }
    return c;
}

bool TwilioCarrierControl::isE164(const std::string& number) noexcept
{
    if (number.size() < 2 || number.size() > 16 || number[0] != '+' || number[1] == '0') return false;
    for (std::size_t i = 1; i < number.size(); ++i)
        if (number[i] < '0' || number[i] > '9') return false;
    return true;
}

bool TwilioCarrierControl::sameEndpoint(const std::string& a, const std::string& b)
{
    return canonicalEndpoint(a) == canonicalEndpoint(b);
}

std::string TwilioCarrierControl::transferTwiml(const std::string& toNumber)
{
    std::string twiml = "<Response><Dial>";
    TwimlBuilder::appendEscaped(twiml, toNumber);
    twiml += "</Dial></Response>";
    return twiml;
}

sdk::Result<sdk::CarrierAccount> TwilioCarrierControl::accountOf(const sdk::CallInfo& call)
{
    sdk::TenantStore* store = _host.tenantStore();
    if (!store) return sdk::Status::unavailable("no tenant store is running: the call's account cannot be looked up");
    if (call.accountSid.empty()) return sdk::Status::invalidArgument("call " + call.callSid + " has no accountSid");
    sdk::Result<sdk::CarrierAccount> account = store->findAccount(call.accountSid);
    if (!account.isOk() && account.status().code() == sdk::StatusCode::NotFound)
        return sdk::Status::notFound("account " + call.accountSid + " of call " + call.callSid + " is not in the tenant store");
    return account;
}

sdk::Status TwilioCarrierControl::updateCall(const sdk::CallInfo& call, const CallUpdate& update, const char* what)
{
    sdk::Result<sdk::CarrierAccount> account = accountOf(call);
    if (!account.isOk()) return account.status();
    sdk::Result<CallResource> done = _rest.updateCall(credentials(account.value()), call.callSid, update);
    if (!done.isOk())
    {
        _host.logger().warn(std::string(what) + " failed: " + done.status().toString(), call.callSid);
        return done.status();
    }
    _host.logger().info(std::string(what) + " done at Twilio (call status " + done->status + ")", call.callSid);
    return sdk::Status::ok();
}

sdk::Status TwilioCarrierControl::hangupCall(const sdk::CallInfo& call)
{
    CallUpdate update;
    update.completed = true;
    return updateCall(call, update, "hangup");
}

sdk::Status TwilioCarrierControl::transferCall(const sdk::CallInfo& call, const std::string& toNumber)
{
    if (!isE164(toNumber))
        return sdk::Status::invalidArgument("transfer target '" + toNumber.substr(0, 32) + "' is not an E.164 number like +15005550006");
    CallUpdate update;
    update.twiml = transferTwiml(toNumber);
    return updateCall(call, update, ("transfer to " + toNumber).c_str());
}

sdk::Status TwilioCarrierControl::redirectToFallback(const sdk::CallInfo& call, const sdk::Fallback& fallback)
{
    if (!fallback.dialNumber.empty() && !isE164(fallback.dialNumber))
        return sdk::Status::invalidArgument("fallback dialNumber is not an E.164 number");
    CallUpdate update;
    if (fallback.message.empty() && fallback.dialNumber.empty())
        update.twiml = TwimlBuilder::sayAndHangup(_config.fallbackMessage);
    else
        update.twiml = TwimlBuilder::fallback(
            fallback.message.empty() ? std::nullopt : std::optional<std::string_view>(fallback.message),
            fallback.dialNumber.empty() ? std::nullopt : std::optional<std::string_view>(fallback.dialNumber));
    return updateCall(call, update, "redirect to the fallback");
}

sdk::Status TwilioCarrierControl::configureNumber(sdk::NumberRoute& route, const sdk::CarrierAccount& account, bool requested)
{
    if (!requested && !_config.rest.configureNumbers)
        return sdk::Status::declined("rest.configureNumbers is off and the assignment did not ask for --configure");
    const TwilioCredentials as = credentials(account);
    sdk::Result<IncomingNumber> found = _rest.findIncomingNumber(as, route.number);
    if (!found.isOk())
    {
        if (found.status().code() == sdk::StatusCode::NotFound)
            return sdk::Status::notFound("Twilio account " + account.sid + " has no incoming number " + route.number);
        return found.status();
    }
    NumberVoiceSettings settings;
    settings.voiceUrl = _config.publicUrl + _config.voicePath;
    settings.statusCallback = _config.publicUrl + _config.statusCallbackPath;
    sdk::Result<IncomingNumber> updated = _rest.updateIncomingNumber(as, found->sid, settings);
    if (!updated.isOk()) return updated.status();
    route.phoneNumberSid = updated->sid.empty() ? found->sid : updated->sid;
    _host.logger().info("number " + route.number + " (" + route.phoneNumberSid + ") now sends its calls to " + settings.voiceUrl +
                        " and its status callbacks to " + settings.statusCallback);
    return sdk::Status::ok();
}

sdk::Result<sdk::SetupCheck> TwilioCarrierControl::checkNumber(const sdk::NumberRoute& route, const sdk::CarrierAccount& account)
{
    sdk::SetupCheck check;
    check.subject = route.number;
    const std::string configure = "patchbayctl numbers assign " + route.number + " --tenant " + route.tenantId + " --account " +
                                  account.sid + " --configure";
    sdk::Result<IncomingNumber> found = _rest.findIncomingNumber(credentials(account), route.number);
    if (!found.isOk())
    {
        if (found.status().code() != sdk::StatusCode::NotFound) return found.status();
        check.problem = "Twilio account " + account.sid + " has no incoming number " + route.number;
        check.fix = "assign the number with the account that owns it: patchbayctl numbers assign " + route.number + " --tenant " +
                    route.tenantId + " --account <AC… of the owner>";
        return check;
    }
    const std::vector<std::string> bases = _config.publicBaseUrls();
    std::vector<std::string> problems;
    if (auto p = urlProblem("VoiceUrl", found->voiceUrl, bases, _config.voicePath)) problems.push_back(*p);
    // The voice route answers GET too, so GET works; anything else Twilio would not send here.
    if (found->voiceMethod != "POST" && found->voiceMethod != "GET")
        problems.push_back("VoiceMethod is '" + found->voiceMethod + "' (expected POST)");
    if (auto p = urlProblem("StatusCallback", found->statusCallback, bases, _config.statusCallbackPath))
        problems.push_back(*p + ": call records miss the carrier's ringing/completed events");
    if (problems.empty())
    {
        check.ok = true;
        return check;
    }
    for (const std::string& p : problems) check.problem += (check.problem.empty() ? "" : "; ") + p;
    check.fix = configure;
    return check;
}

sdk::Result<std::string> TwilioCarrierControl::placeCall(const sdk::OutboundCallRequest& request, const sdk::CarrierAccount& account)
{
    if (!isE164(request.from)) return sdk::Status::invalidArgument("from '" + request.from.substr(0, 32) + "' is not an E.164 number");
    if (!isE164(request.to)) return sdk::Status::invalidArgument("to '" + request.to.substr(0, 32) + "' is not an E.164 number");
    CallCreate create;
    create.from = request.from;
    create.to = request.to;
    create.url = _config.publicUrl + _config.voicePath;
    create.statusCallback = _config.publicUrl + _config.statusCallbackPath;
    create.timeoutSeconds = request.ringTimeoutSeconds;
    sdk::Result<CallResource> created = _rest.createCall(credentials(account), create);
    if (!created.isOk())
    {
        _host.logger().warn("outbound call " + request.from + " -> " + request.to + " for tenant " + request.tenantId +
                            " failed: " + created.status().toString());
        return created.status();
    }
    _host.logger().info("outbound call " + request.from + " -> " + request.to + " for tenant " + request.tenantId + " placed (" +
                            created->status + ")",
                        created->sid);
    return created->sid;
}

} // namespace patchbay::twilio
