// WebhookAuthenticator.cpp: parameters, token lookup, candidate URLs, signature check and the one-line failure diagnosis.
#include "WebhookAuthenticator.h"

#include <algorithm>
#include <cctype>

#include <patchbay/sdk/support/JsonDocument.h>

#include <protocol/SignatureValidator.h>

namespace patchbay::twilio {

namespace webhook {

void plain(sdk::HttpResponse& response, int status, const char* body)
{
    response.status = status;
    response.contentType = "text/plain; charset=utf-8";
    response.body = body;
}

void twiml(sdk::HttpResponse& response, std::string body)
{
    response.status = 200;
    response.contentType = "text/xml; charset=utf-8";
    response.body = std::move(body);
}

} // namespace webhook

struct WebhookAuthenticator::Parsed
{
    FormData params;
    SignatureValidator::Params signedParams; ///< what the HMAC covers besides the URL (form POST only)
    bool json = false;
    std::string bodySha256; ///< JSON variant: the hash the URL carries
};

namespace {

std::string_view trim(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

std::string lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

/// "application/x-www-form-urlencoded; charset=UTF-8" → "application/x-www-form-urlencoded".
std::string mediaType(std::string_view contentType)
{
    return lower(trim(contentType.substr(0, contentType.find(';'))));
}

/// The first value of a comma-separated forwarded header ("https, http" → "https"): the one the
/// outermost proxy, the one Twilio talked to, wrote.
std::string_view firstValue(std::string_view header)
{
    return trim(header.substr(0, header.find(',')));
}

/// A host[:port] fit to put in a URL: no userinfo, path, query or whitespace can sneak in.
bool plausibleHost(std::string_view host)
{
    if (host.empty() || host.size() > 255) return false;
    return std::all_of(host.begin(), host.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
               c == ':' || c == '[' || c == ']' || c == '_';
    });
}

/// AccountSid is looked up and logged before anything is trusted: keep it to what SIDs look like.
bool plausibleSid(std::string_view sid)
{
    return !sid.empty() && sid.size() <= 64 &&
           std::all_of(sid.begin(), sid.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
           });
}

std::string join(const std::vector<std::string>& items)
{
    std::string out;
    for (const std::string& item : items)
    {
        if (!out.empty()) out += ", ";
        out += item;
    }
    return out;
}

void addUnique(std::vector<std::string>& urls, std::string url)
{
    if (std::find(urls.begin(), urls.end(), url) == urls.end()) urls.push_back(std::move(url));
}

std::vector<std::string> withVariants(const std::vector<std::string>& candidates)
{
    std::vector<std::string> urls;
    for (const std::string& candidate : candidates)
        for (std::string& variant : SignatureValidator::urlVariants(candidate)) addUnique(urls, std::move(variant));
    return urls;
}

/// The URL without userinfo: a publicUrl may carry basic-auth credentials, which never go to a log.
std::string loggable(const std::string& url)
{
    return SignatureValidator::urlVariants(url).front();
}

/// "https://gw.example.com:8443/twilio/voice?x=1" → "https://gw.example.com:8443".
std::string originOf(const std::string& url)
{
    const std::size_t scheme = url.find("://");
    if (scheme == std::string::npos) return url;
    const std::size_t end = url.find_first_of("/?#", scheme + 3);
    return url.substr(0, end);
}

} // namespace

WebhookAuthenticator::WebhookAuthenticator(const TwilioConfig& config, sdk::HostServices& host) : _config(config), _host(host)
{
}

std::string WebhookAuthenticator::printable(std::string_view text, std::size_t limit)
{
    std::string out;
    for (const char c : text.substr(0, limit)) out += (c >= 0x20 && c < 0x7F) ? c : '?';
    if (text.size() > limit) out += "...";
    return out;
}

bool WebhookAuthenticator::parse(const sdk::HttpRequest& request, std::string_view endpoint, Parsed& parsed,
                                 WebhookRefusal& refusal) const
{
    sdk::Logger& log = _host.logger();
    const std::string name(endpoint);
    auto refuse = [&](int status, const char* result, const std::string& why) {
        refusal = WebhookRefusal{status, result};
        log.warn(name + " webhook refused (" + std::to_string(status) + "): " + why);
        return false;
    };
    if (request.body.size() > kMaxBodyBytes)
        return refuse(413, "too-large",
                      "body of " + std::to_string(request.body.size()) + " bytes exceeds " + std::to_string(kMaxBodyBytes));
    if (request.query.size() > kMaxQueryBytes)
        return refuse(400, "bad-request", "query of " + std::to_string(request.query.size()) + " bytes exceeds " +
                                              std::to_string(kMaxQueryBytes));

    std::string error;
    if (request.method == "GET")
    {
        // Everything is in the URL, which the signature already covers: no extra parameters.
        if (!parsed.params.parse(request.query, &error)) return refuse(400, "bad-request", "malformed query: " + error);
    }
    else if (request.method != "POST")
        return refuse(405, "bad-request", "method " + printable(request.method, 16) + " is not GET or POST");
    else
    {
        const std::string type = mediaType(request.header("Content-Type"));
        if (type == "application/x-www-form-urlencoded")
        {
            if (!parsed.params.parse(request.body, &error)) return refuse(400, "bad-request", "malformed form body: " + error);
            parsed.signedParams = parsed.params.pairs();
        }
        else if (type == "application/json")
        {
            // §3.2: the URL carries the body's hash and is signed alone; JSON members are never signed params.
            FormData query;
            const std::string* hash = query.parse(request.query) ? query.find("bodySHA256") : nullptr;
            if (!hash || hash->empty())
                return refuse(400, "bad-request", "application/json body without a bodySHA256 query parameter");
            parsed.json = true;
            parsed.bodySha256 = lower(*hash);
            sdk::support::JsonDocument doc;
            if (!doc.parse(request.body, &error) || !doc.root().isObject())
                return refuse(400, "bad-request", "JSON body is not an object" + (error.empty() ? "" : ": " + error));
            for (const auto& member : doc.root())
            {
                if (member.isString()) parsed.params.add(std::string(member.key()), std::string(member.asString()));
                else if (member.isNumber()) parsed.params.add(std::string(member.key()), std::string(member.numberText()));
                else if (member.isBool()) parsed.params.add(std::string(member.key()), member.asBool() ? "true" : "false");
            }
        }
        else
            return refuse(400, "bad-request",
                          "Content-Type '" + printable(type, 64) + "' is not application/x-www-form-urlencoded");
    }

    const std::string_view accountSid = parsed.params.get("AccountSid");
    if (!plausibleSid(accountSid))
        return refuse(400, "bad-request",
                      accountSid.empty() ? std::string("no AccountSid parameter")
                                         : "AccountSid '" + printable(accountSid, 64) + "' is not a SID");
    const std::string_view callSid = parsed.params.get("CallSid");
    if (!callSid.empty() && !plausibleSid(callSid))
        return refuse(400, "bad-request", "CallSid '" + printable(callSid, 64) + "' is not a SID");
    return true;
}

bool WebhookAuthenticator::authenticate(const sdk::HttpRequest& request, std::string_view endpoint, WebhookRequest& out,
                                        WebhookRefusal& refusal) const
{
    Parsed parsed;
    if (!parse(request, endpoint, parsed, refusal)) return false;
    const std::string accountSid(parsed.params.get("AccountSid"));
    const std::string callSid(parsed.params.get("CallSid"));
    const std::string name(endpoint);
    sdk::Logger& log = _host.logger();

    if (_config.developmentMode)
    {
        log.warn("developmentMode: X-Twilio-Signature NOT validated for " + name + " webhook " +
                     loggable(_config.publicUrl + request.path) + " (account " + accountSid + ") — never run this in production",
                 callSid);
    }
    else
    {
        sdk::TenantStore* store = _host.tenantStore();
        if (!store)
        {
            refusal = WebhookRefusal{503, "unavailable"};
            log.error(name + " webhook not validated: no tenant store configured, so no auth token to validate with", callSid);
            return false;
        }
        sdk::Result<sdk::CarrierAccount> account = store->findAccount(accountSid);
        if (!account.isOk())
        {
            if (account.status().code() == sdk::StatusCode::NotFound)
            {
                refusal = WebhookRefusal{403, "forbidden"};
                log.warn(name + " webhook refused (403): unknown AccountSid " + accountSid +
                             " — add the account to the tenant store (patchbayctl accounts add); request URL " +
                             loggable(_config.publicUrl + request.path),
                         callSid);
                return false;
            }
            refusal = WebhookRefusal{503, "unavailable"};
            log.error(name + " webhook not validated: account lookup for " + accountSid + " failed: " +
                          account.status().toString(),
                      callSid);
            return false;
        }
        if (!verify(request, endpoint, parsed, account.value(), refusal)) return false;
    }

    out.params = std::move(parsed.params);
    out.accountSid = accountSid;
    out.callSid = callSid;
    out.validated = !_config.developmentMode;
    return true;
}

bool WebhookAuthenticator::verify(const sdk::HttpRequest& request, std::string_view endpoint, const Parsed& parsed,
                                  const sdk::CarrierAccount& account, WebhookRefusal& refusal) const
{
    sdk::Logger& log = _host.logger();
    const std::string callSid(parsed.params.get("CallSid"));
    const std::string prefix = std::string(endpoint) + " webhook refused (403): account " + account.sid + ": ";
    refusal = WebhookRefusal{403, "forbidden"};
    const std::vector<std::string> urls = withVariants(candidateUrls(request));
    const std::string_view header = trim(request.header("X-Twilio-Signature"));
    if (header.empty())
    {
        log.warn(prefix + "no X-Twilio-Signature header; validated URL(s): " + join(urls) +
                     "; likely cause: the request did not come from Twilio, or a proxy dropped the header",
                 callSid);
        return false;
    }
    if (account.authToken.empty() && account.secondaryToken.empty())
    {
        log.error(prefix + "the tenant store has no auth token for this account; set it (patchbayctl accounts add)", callSid);
        return false;
    }

    const SignatureValidator::Params noParams;
    const SignatureValidator::Params& params = parsed.json ? noParams : parsed.signedParams;
    ValidationResult result = SignatureValidator::check(header, urls, params, account.authToken);
    bool secondary = false;
    if (!result.valid() && !account.secondaryToken.empty())
    {
        ValidationResult second = SignatureValidator::check(header, urls, params, account.secondaryToken);
        if (second.valid())
        {
            result = std::move(second);
            secondary = true;
        }
    }
    if (!result.valid())
    {
        log.warn(prefix + result.describe() + "; likely cause: " + diagnose(request, parsed, account), callSid);
        return false;
    }
    if (parsed.json && !SignatureValidator::constantTimeEquals(SignatureValidator::sha256Hex(request.body), parsed.bodySha256))
    {
        log.warn(prefix + "signature valid for " + result.matchedUrl +
                     " but the JSON body does not match its bodySHA256; likely cause: the body was altered after signing",
                 callSid);
        return false;
    }
    if (secondary)
        log.debug("signature valid with the secondary auth token of " + account.sid + " (rotation in progress)", callSid);
    return true;
}

std::vector<std::string> WebhookAuthenticator::candidateUrls(const sdk::HttpRequest& request) const
{
    const std::string pathAndQuery = request.path + (request.query.empty() ? "" : "?" + request.query);
    std::vector<std::string> urls;
    for (const std::string& base : _config.publicBaseUrls()) addUnique(urls, base + pathAndQuery);
    std::string forwarded = forwardedUrl(request);
    if (!forwarded.empty()) addUnique(urls, std::move(forwarded));
    return urls;
}

std::string WebhookAuthenticator::forwardedUrl(const sdk::HttpRequest& request) const
{
    if (!_config.trustedProxyRanges.contains(request.remoteAddress)) return {};
    const std::string_view proto = firstValue(request.header("X-Forwarded-Proto"));
    const std::string_view host = firstValue(request.header("X-Forwarded-Host"));
    if (proto.empty() && host.empty()) return {};
    const std::string scheme = proto.empty() ? std::string(request.secure ? "https" : "http") : lower(proto);
    const std::string_view authority = host.empty() ? trim(request.header("Host")) : host;
    if ((scheme != "https" && scheme != "http") || !plausibleHost(authority)) return {};
    return scheme + "://" + std::string(authority) + request.path + (request.query.empty() ? "" : "?" + request.query);
}

std::vector<std::string> WebhookAuthenticator::claimedUrls(const sdk::HttpRequest& request) const
{
    const std::string pathAndQuery = request.path + (request.query.empty() ? "" : "?" + request.query);
    const std::string ownScheme = request.secure ? "https" : "http";
    const std::string_view hostHeader = trim(request.header("Host"));
    std::vector<std::string> urls;
    const std::string_view proto = firstValue(request.header("X-Forwarded-Proto"));
    const std::string_view fwdHost = firstValue(request.header("X-Forwarded-Host"));
    if (!proto.empty() || !fwdHost.empty())
    {
        const std::string scheme = proto.empty() ? ownScheme : lower(proto);
        const std::string_view host = fwdHost.empty() ? hostHeader : fwdHost;
        if ((scheme == "https" || scheme == "http") && plausibleHost(host))
            addUnique(urls, scheme + "://" + std::string(host) + pathAndQuery);
    }
    if (plausibleHost(hostHeader))
    {
        // TLS usually ends at a proxy, so the scheme Twilio used is more likely https than what we see.
        addUnique(urls, "https://" + std::string(hostHeader) + pathAndQuery);
        addUnique(urls, "http://" + std::string(hostHeader) + pathAndQuery);
    }
    return urls;
}

std::string WebhookAuthenticator::diagnose(const sdk::HttpRequest& request, const Parsed& parsed,
                                           const sdk::CarrierAccount& account) const
{
    const std::string_view header = trim(request.header("X-Twilio-Signature"));
    const SignatureValidator::Params noParams;
    const SignatureValidator::Params& params = parsed.json ? noParams : parsed.signedParams;
    const std::vector<std::string> claimed = withVariants(claimedUrls(request));
    for (const std::string* token : {&account.authToken, &account.secondaryToken})
    {
        if (token->empty()) continue;
        const ValidationResult r = SignatureValidator::check(header, claimed, params, *token);
        if (!r.valid()) continue;
        // The request is genuine, only our idea of the URL is wrong: say which base would work.
        const std::string origin = printable(originOf(r.matchedUrl));
        const bool forwardedHeaders = !request.header("X-Forwarded-Proto").empty() || !request.header("X-Forwarded-Host").empty();
        std::string cause = "URL mismatch: the signature is valid for " + printable(r.matchedUrl) +
                            ", the URL this request claims (" + (forwardedHeaders ? "X-Forwarded-* / Host" : "Host") +
                            " header), but not for publicUrl; set publicUrl to " + origin +
                            " (or add it to alternatePublicUrls)";
        if (forwardedHeaders && !_config.trustedProxyRanges.contains(request.remoteAddress))
            cause += ", or add the proxy " + printable(TrustedProxies::hostOf(request.remoteAddress), 64) +
                     " to trustedProxies";
        return cause;
    }
    return std::string("wrong auth token for the account (") +
           (account.secondaryToken.empty() ? "primary token tried" : "primary and secondary tokens tried") +
           ") or the request was altered on the way (a proxy rewriting the path or query, or re-encoding / trimming "
           "form values)";
}

} // namespace patchbay::twilio
