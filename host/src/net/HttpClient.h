// HttpClient.h: PocoHttpClient, the host's outbound HTTP(S) client (sdk::HttpClient) over Poco HTTP(S)ClientSession.
#ifndef PATCHBAY_HOST_NET_HTTP_CLIENT_H
#define PATCHBAY_HOST_NET_HTTP_CLIENT_H

#include "config/HostConfig.h"

#include "patchbay/sdk/Http.h"

#include <Poco/Net/Context.h>

#include <cstddef>

namespace patchbay::host {

/// One connection per request (Connection: close); no redirects are followed, every status is
/// returned as is. request.timeoutMs bounds the whole exchange (connect, TLS, send, headers, body),
/// not each socket operation. Errors never carry the URL's path/query or any header value — only
/// scheme, host and port — because URLs and headers carry credentials.
///
/// TLS: one client Context built from the `tls` config (system CAs, or only `caFile` when set;
/// peer and host name verified unless verifyPeer is false). OpenSSL must already be initialised
/// by the application (Poco::Net::initializeSSL()); this class never does it.
/// THREAD: send() is I/O and may be called from many threads at once.
class PocoHttpClient final : public patchbay::sdk::HttpClient
{
public:
    static constexpr std::size_t kDefaultMaxResponseBytes = 8 * 1024 * 1024;

    /// @throws Poco::Exception when the TLS context cannot be built (e.g. unreadable caFile).
    explicit PocoHttpClient(const ClientTlsConfig& tls, std::size_t maxResponseBytes = kDefaultMaxResponseBytes);

    patchbay::sdk::Result<patchbay::sdk::HttpClientResponse> send(
        const patchbay::sdk::HttpClientRequest& request) noexcept override;

    /// The client TLS context, shared with other outbound connectors (WebSocket).
    Poco::Net::Context::Ptr context() const noexcept { return _context; }

    /// @throws Poco::Exception as the constructor.
    static Poco::Net::Context::Ptr makeClientContext(const ClientTlsConfig& tls);
    /// OpenSSL's hashed root directory (SSL_CERT_DIR, else the build default) when it holds hash
    /// links and no SSL_CERT_FILE is set; "" = load the default bundle instead. THREAD: Any.
    static std::string systemCaDirectory();

private:
    patchbay::sdk::Result<patchbay::sdk::HttpClientResponse> perform(const patchbay::sdk::HttpClientRequest& request);

    Poco::Net::Context::Ptr _context;
    std::size_t _maxResponseBytes;
};

} // namespace patchbay::host

#endif
