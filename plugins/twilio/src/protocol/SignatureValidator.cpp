// SignatureValidator.cpp: HMAC-SHA1 signing string, URL variant generation and constant-time checks.
#include "protocol/SignatureValidator.h"

#include "protocol/FormData.h"

#include "patchbay/sdk/support/Base64.h"
#include "patchbay/sdk/support/Hex.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>

namespace patchbay::twilio {

namespace {

// A URL cut into the pieces the variants recombine. Anything without "scheme://" is left whole.
struct UrlParts
{
    bool ok = false;
    std::string_view scheme;
    std::string_view host; // brackets kept for IPv6 literals
    std::string_view port; // digits only; empty when absent
    std::string_view rest; // path, query and fragment, verbatim
};

UrlParts splitUrl(std::string_view url)
{
    UrlParts parts;
    const std::size_t schemeEnd = url.find("://");
    if (schemeEnd == std::string_view::npos || schemeEnd == 0)
        return parts;
    parts.scheme = url.substr(0, schemeEnd);
    const std::size_t authorityStart = schemeEnd + 3;
    std::size_t authorityEnd = url.find_first_of("/?#", authorityStart);
    if (authorityEnd == std::string_view::npos)
        authorityEnd = url.size();
    std::string_view authority = url.substr(authorityStart, authorityEnd - authorityStart);
    parts.rest = url.substr(authorityEnd);
    const std::size_t at = authority.rfind('@');
    if (at != std::string_view::npos)
        authority = authority.substr(at + 1);
    std::size_t colon = std::string_view::npos;
    if (!authority.empty() && authority.front() == '[')
    {
        const std::size_t close = authority.find(']');
        if (close != std::string_view::npos && close + 1 < authority.size() && authority[close + 1] == ':')
            colon = close + 1;
    }
    else
        colon = authority.rfind(':');
    parts.host = authority;
    if (colon != std::string_view::npos)
    {
        const std::string_view port = authority.substr(colon + 1);
        const bool digits = std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (digits)
        {
            parts.host = authority.substr(0, colon);
            parts.port = port;
        }
    }
    parts.ok = !parts.host.empty();
    return parts;
}

std::string_view defaultPort(std::string_view scheme)
{
    std::string lower(scheme);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower == "https" || lower == "wss")
        return "443";
    if (lower == "http" || lower == "ws")
        return "80";
    return {};
}

std::string joinUrl(const UrlParts& parts, std::string_view port)
{
    std::string url;
    url.reserve(parts.scheme.size() + parts.host.size() + port.size() + parts.rest.size() + 4);
    url.append(parts.scheme).append("://").append(parts.host);
    if (!port.empty())
        url.append(":").append(port);
    url.append(parts.rest);
    return url;
}

void addUnique(std::vector<std::string>& urls, std::string url)
{
    if (std::find(urls.begin(), urls.end(), url) == urls.end())
        urls.push_back(std::move(url));
}

std::string_view trim(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}


// Toggles the trailing '/' of the path part (before any query or fragment).
std::string toggleTrailingSlash(std::string_view url)
{
    const std::size_t schemeEnd = url.find("://");
    const std::size_t searchFrom = schemeEnd == std::string_view::npos ? 0 : schemeEnd + 3;
    std::size_t pathEnd = url.find_first_of("?#", searchFrom);
    if (pathEnd == std::string_view::npos)
        pathEnd = url.size();
    std::string out(url);
    if (pathEnd > searchFrom && url[pathEnd - 1] == '/' && url.find('/', searchFrom) < pathEnd - 1)
        out.erase(pathEnd - 1, 1);
    else if (pathEnd > searchFrom && url[pathEnd - 1] != '/')
        out.insert(pathEnd, 1, '/');
    return out;
}

} // namespace

std::string SignatureValidator::compute(std::string_view url, const Params& params, std::string_view authToken)
{
    std::vector<const std::pair<std::string, std::string>*> sorted;
    sorted.reserve(params.size());
    for (const auto& param : params)
        sorted.push_back(&param);
    // std::string compares with char_traits<char>, i.e. memcmp: unsigned byte order, as §3.1 wants.
    std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return *a < *b; });
    sorted.erase(std::unique(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return *a == *b; }),
                 sorted.end());

    std::string data(url);
    for (const auto* param : sorted)
        data.append(param->first).append(param->second);

    static const char kEmptyKey = 0;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int macLen = 0;
    const void* key = authToken.empty() ? static_cast<const void*>(&kEmptyKey) : authToken.data();
    if (!HMAC(EVP_sha1(), key, static_cast<int>(authToken.size()), reinterpret_cast<const unsigned char*>(data.data()),
              data.size(), mac, &macLen))
        return {};
    std::string signature;
    sdk::support::Base64::encode(mac, macLen, signature);
    return signature;
}

bool SignatureValidator::constantTimeEquals(std::string_view a, std::string_view b) noexcept
{
    // Lengths are public (a signature is always 28 characters); only the bytes are secret.
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

namespace {

void addPortVariants(std::vector<std::string>& urls, const UrlParts& parts)
{
    addUnique(urls, joinUrl(parts, parts.port));
    if (!parts.port.empty())
        addUnique(urls, joinUrl(parts, {}));
    else if (!defaultPort(parts.scheme).empty())
        addUnique(urls, joinUrl(parts, defaultPort(parts.scheme)));
}

// The query as the WHATWG URL serializer writes it for http(s): a raw ' becomes %27. Only
// the apostrophe matters in practice (the other bytes it escapes cannot appear raw in a
// request line), and it is the case twilio-node's own test vector exercises.
std::string whatwgQuery(std::string_view rest)
{
    std::string out;
    const std::size_t question = rest.find('?');
    if (question == std::string_view::npos)
        return out;
    for (std::size_t i = 0; i < rest.size(); ++i)
    {
        if (i > question && rest[i] == '\'')
            out += "%27";
        else
            out += rest[i];
    }
    return out;
}

} // namespace

std::vector<std::string> SignatureValidator::urlVariants(std::string_view url)
{
    std::vector<std::string> urls;
    UrlParts parts = splitUrl(url);
    if (!parts.ok)
    {
        urls.emplace_back(url);
        return urls;
    }
    addPortVariants(urls, parts);
    const std::string escaped = whatwgQuery(parts.rest);
    if (!escaped.empty() && escaped != parts.rest)
    {
        parts.rest = escaped;
        addPortVariants(urls, parts);
    }
    return urls;
}

std::vector<std::string> SignatureValidator::webSocketUrlVariants(std::string_view url)
{
    std::vector<std::string> urls = urlVariants(url);
    for (std::string& variant : urlVariants(toggleTrailingSlash(url)))
        addUnique(urls, std::move(variant));
    return urls;
}

std::string SignatureValidator::toWebSocketScheme(std::string_view url)
{
    const UrlParts parts = splitUrl(url);
    const std::string_view port = defaultPort(parts.scheme);
    if (!parts.ok || port.empty())
        return std::string(url);
    std::string out(port == "443" ? "wss" : "ws");
    out.append(url.substr(parts.scheme.size()));
    return out;
}

std::string SignatureValidator::sha256Hex(std::string_view data)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digestLen = 0;
    if (!EVP_Digest(data.data(), data.size(), digest, &digestLen, EVP_sha256(), nullptr))
        return {};
    return sdk::support::Hex::encode(std::string_view(reinterpret_cast<const char*>(digest), digestLen));
}

ValidationResult SignatureValidator::check(std::string_view signatureHeader, const std::vector<std::string>& urls,
                                           const Params& params, std::string_view authToken)
{
    ValidationResult result;
    const std::string_view header = trim(signatureHeader);
    if (header.empty())
    {
        result.outcome = ValidationResult::Outcome::MissingSignature;
        return result;
    }
    if (authToken.empty())
    {
        result.outcome = ValidationResult::Outcome::MissingAuthToken;
        return result;
    }
    for (const std::string& url : urls)
    {
        result.triedUrls.push_back(url);
        if (constantTimeEquals(compute(url, params, authToken), header))
        {
            result.outcome = ValidationResult::Outcome::Valid;
            result.matchedUrl = url;
            return result;
        }
    }
    result.outcome = ValidationResult::Outcome::Mismatch;
    return result;
}

ValidationResult SignatureValidator::validate(std::string_view signatureHeader, std::string_view url,
                                              const Params& params, std::string_view authToken)
{
    return check(signatureHeader, urlVariants(url), params, authToken);
}

ValidationResult SignatureValidator::validateJsonBody(std::string_view signatureHeader, std::string_view url,
                                                      std::string_view rawBody, std::string_view authToken)
{
    ValidationResult result = check(signatureHeader, urlVariants(url), {}, authToken);
    if (!result.valid())
        return result;
    FormData query;
    const std::string* bodyHash = query.parseQuery(url) ? query.find("bodySHA256") : nullptr;
    if (!bodyHash || bodyHash->empty())
    {
        result.outcome = ValidationResult::Outcome::MissingBodyHash;
        return result;
    }
    std::string expected(*bodyHash);
    std::transform(expected.begin(), expected.end(), expected.begin(), [](unsigned char c) { return std::tolower(c); });
    if (!constantTimeEquals(sha256Hex(rawBody), expected))
        result.outcome = ValidationResult::Outcome::BodyHashMismatch;
    return result;
}

ValidationResult SignatureValidator::validateWebSocket(std::string_view signatureHeader, std::string_view url,
                                                       std::string_view authToken)
{
    return check(signatureHeader, webSocketUrlVariants(url), {}, authToken);
}

} // namespace patchbay::twilio
