// ConversationEndpoint.h: the URLs of an ElevenLabs conversation — direct WebSocket URL, signed-URL request, signed-URL response.
#ifndef PATCHBAY_ELEVENLABS_CONVERSATION_ENDPOINT_H
#define PATCHBAY_ELEVENLABS_CONVERSATION_ENDPOINT_H

#include <string>
#include <string_view>

namespace patchbay::elevenlabs {

/// Pure string functions (elevenlabs.md §1). THREAD: Any.
class ConversationEndpoint
{
public:
    /// "<wsBase>/v1/convai/conversation?agent_id=<percent-encoded id>"; a trailing '/' on the base is ignored.
    static std::string conversationUrl(std::string_view wsBase, std::string_view agentId);

    /// "<httpBase>/v1/convai/conversation/get-signed-url?agent_id=<percent-encoded id>".
    static std::string signedUrlRequestUrl(std::string_view httpBase, std::string_view agentId);

    /// The REST host matching a WebSocket host: ws→http, wss→https, path dropped. Used when a tenant
    /// overrides the WebSocket base for data residency, so the signed URL comes from the same region.
    static std::string httpBaseFor(std::string_view wsBase);

    /// Extracts "signed_url" from the get-signed-url JSON body. The URL is opaque (its signature
    /// parameter changed name over time) and is used verbatim; it only has to be ws:// or wss://.
    /// @return false with a short, secret-free reason in `error`.
    static bool parseSignedUrlResponse(std::string_view body, std::string& url, std::string& error);

    /// RFC 3986 percent-encoding of everything but the unreserved characters.
    static std::string percentEncode(std::string_view text);

    /// True for "ws://host..." / "wss://host..." (non-empty host part).
    static bool isWebSocketUrl(std::string_view url) noexcept;
    /// True for "http://host..." / "https://host..." (non-empty host part).
    static bool isHttpUrl(std::string_view url) noexcept;

    /// The URL without a trailing '/'.
    static std::string_view trimSlash(std::string_view url) noexcept;
};

} // namespace patchbay::elevenlabs

#endif
