// ConversationEndpoint.cpp: URL building and the signed-URL response parser.
#include "protocol/ConversationEndpoint.h"

#include "patchbay/sdk/support/JsonDocument.h"

namespace patchbay::elevenlabs {

namespace {

bool hasSchemeAndHost(std::string_view url, std::string_view scheme) noexcept
{
    if (url.size() <= scheme.size() || url.substr(0, scheme.size()) != scheme)
        return false;
    const char first = url[scheme.size()];
    return first != '/' && first != '?' && first != '#';
}

} // namespace

std::string_view ConversationEndpoint::trimSlash(std::string_view url) noexcept
{
    while (!url.empty() && url.back() == '/')
        url.remove_suffix(1);
    return url;
}

std::string ConversationEndpoint::percentEncode(std::string_view text)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (char ch : text)
    {
        const auto c = static_cast<unsigned char>(ch);
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
                                || c == '.' || c == '_' || c == '~';
        if (unreserved)
        {
            out += ch;
        }
        else
        {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0x0F];
        }
    }
    return out;
}

std::string ConversationEndpoint::conversationUrl(std::string_view wsBase, std::string_view agentId)
{
    std::string url(trimSlash(wsBase));
    url += "/v1/convai/conversation?agent_id=";
    url += percentEncode(agentId);
    return url;
}

std::string ConversationEndpoint::signedUrlRequestUrl(std::string_view httpBase, std::string_view agentId)
{
    std::string url(trimSlash(httpBase));
    url += "/v1/convai/conversation/get-signed-url?agent_id=";
    url += percentEncode(agentId);
    return url;
}

std::string ConversationEndpoint::httpBaseFor(std::string_view wsBase)
{
    std::string_view rest;
    std::string scheme;
    if (wsBase.substr(0, 6) == "wss://")
    {
        scheme = "https://";
        rest = wsBase.substr(6);
    }
    else if (wsBase.substr(0, 5) == "ws://")
    {
        scheme = "http://";
        rest = wsBase.substr(5);
    }
    else
    {
        return std::string(trimSlash(wsBase));
    }
    const auto slash = rest.find_first_of("/?#");
    return scheme + std::string(rest.substr(0, slash));
}

bool ConversationEndpoint::parseSignedUrlResponse(std::string_view body, std::string& url, std::string& error)
{
    sdk::support::JsonDocument document;
    if (!document.parse(body))
    {
        error = "signed-URL response is not JSON";
        return false;
    }
    const auto& signedUrl = document.root()["signed_url"];
    if (!signedUrl.isString())
    {
        error = "signed-URL response has no signed_url";
        return false;
    }
    if (!isWebSocketUrl(signedUrl.asString()))
    {
        error = "signed_url is not a ws:// or wss:// URL";
        return false;
    }
    url.assign(signedUrl.asString());
    return true;
}

bool ConversationEndpoint::isWebSocketUrl(std::string_view url) noexcept
{
    return hasSchemeAndHost(url, "ws://") || hasSchemeAndHost(url, "wss://");
}

bool ConversationEndpoint::isHttpUrl(std::string_view url) noexcept
{
    return hasSchemeAndHost(url, "http://") || hasSchemeAndHost(url, "https://");
}

} // namespace patchbay::elevenlabs
