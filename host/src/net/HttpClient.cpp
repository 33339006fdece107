// HttpClient.cpp: request validation, deadline handling and error classification of the outbound HTTP client.
#include "net/HttpClient.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <openssl/x509.h>

#include <chrono>
#include <cstdlib>
#include <istream>
#include <memory>
#include <ostream>

namespace patchbay::host {

namespace {

using patchbay::sdk::HttpClientRequest;
using patchbay::sdk::HttpClientResponse;
using patchbay::sdk::Result;
using patchbay::sdk::Status;
using Clock = std::chrono::steady_clock;

constexpr std::uint32_t kDefaultTimeoutMs = 5000;

bool isTokenChar(char c)
{
    // RFC 9110 tchar
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    switch (c)
    {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~': return true;
    default: return false;
    }
}

bool isToken(const std::string& s)
{
    if (s.empty()) return false;
    for (char c : s)
        if (!isTokenChar(c)) return false;
    return true;
}

bool isSafeHeaderValue(const std::string& s)
{
    for (char c : s)
        if (c == '\r' || c == '\n' || c == '\0') return false;
    return true;
}

/// Headers whose framing meaning the client owns; a caller's copy would desynchronise the stream.
bool isHopHeader(const std::string& name)
{
    using patchbay::sdk::headerNameEquals;
    return headerNameEquals(name, "Content-Length") || headerNameEquals(name, "Transfer-Encoding") ||
           headerNameEquals(name, "Connection");
}

/// The remaining budget, at least 1 ms so that an expired deadline still surfaces as a timeout
/// from the socket rather than as Poco's "no timeout".
Poco::Timespan remaining(Clock::time_point deadline)
{
    auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now()).count();
    return Poco::Timespan(left < 1000 ? 1000 : left);
}

} // namespace

std::string PocoHttpClient::systemCaDirectory()
{
    if (std::getenv(X509_get_default_cert_file_env())) return {}; // the operator named a bundle
    const char* fromEnv = std::getenv(X509_get_default_cert_dir_env());
    const std::string dir = fromEnv && *fromEnv ? fromEnv : X509_get_default_cert_dir();
    // SSL_CERT_DIR may list several directories; the by-hash lookup only reads the first here.
    const std::string first = dir.substr(0, dir.find(':'));
    try
    {
        Poco::File folder(first);
        if (!folder.exists() || !folder.isDirectory()) return {};
        // c_rehash / update-ca-certificates names each root <8 hex digits>.<n>: without such links
        // the directory lookup finds nothing and every TLS peer would fail verification.
        for (Poco::DirectoryIterator it(first), end; it != end; ++it)
        {
            const std::string& name = it.name();
            const auto dot = name.find('.');
            if (dot == 8 && name.size() > 9 &&
                name.find_first_not_of("0123456789abcdef") == dot &&
                name.find_first_not_of("0123456789", dot + 1) == std::string::npos)
                return first;
        }
    }
    catch (const Poco::Exception&)
    {
    }
    return {};
}

Poco::Net::Context::Ptr PocoHttpClient::makeClientContext(const ClientTlsConfig& tls)
{
    using Poco::Net::Context;
    Context::Params params;
    // STRICT, not RELAXED: for a client both demand a valid chain, but Poco 1.11 skips the host
    // name check for loopback peers unless the mode is STRICT.
    params.verificationMode = tls.verifyPeer ? Context::VERIFY_STRICT : Context::VERIFY_NONE;
    params.caLocation = tls.caFile;
    params.loadDefaultCAs = false;
    if (tls.caFile.empty())
    {
        // The system roots, looked up by subject hash in OpenSSL's certificate directory when a chain
        // needs one, rather than the whole bundle parsed at start (~140 roots, 0.8 MB of heap held for
        // the process's life). Without a hashed directory (or with SSL_CERT_FILE set): the bundle.
        const std::string dir = systemCaDirectory();
        if (dir.empty())
            params.loadDefaultCAs = true;
        else
            params.caLocation = dir;
    }
    params.verificationDepth = 9;
    params.cipherList = "HIGH:!aNULL:!MD5:!RC4";
    Context::Ptr ctx = new Context(Context::TLS_CLIENT_USE, params);
    // TLS 1.0/1.1 are deprecated (RFC 8996); none of our peers need them.
    ctx->disableProtocols(Context::PROTO_SSLV2 | Context::PROTO_SSLV3 | Context::PROTO_TLSV1 | Context::PROTO_TLSV1_1);
    return ctx;
}

PocoHttpClient::PocoHttpClient(const ClientTlsConfig& tls, std::size_t maxResponseBytes)
    : _context(makeClientContext(tls)), _maxResponseBytes(maxResponseBytes)
{
}

Result<HttpClientResponse> PocoHttpClient::send(const HttpClientRequest& request) noexcept
{
    try
    {
        return perform(request);
    }
    catch (const std::exception& e)
    {
        return Status::internal(std::string("HTTP client: ") + e.what());
    }
    catch (...)
    {
        return Status::internal("HTTP client: unknown exception");
    }
}

Result<HttpClientResponse> PocoHttpClient::perform(const HttpClientRequest& request)
{
    Poco::URI uri;
    try
    {
        uri = Poco::URI(request.url);
    }
    catch (const Poco::Exception&)
    {
        return Status::invalidArgument("malformed URL");
    }
    const std::string scheme = uri.getScheme();
    if (scheme != "http" && scheme != "https")
        return Status::invalidArgument("unsupported URL scheme \"" + scheme + "\" (expected http or https)");
    if (uri.getHost().empty()) return Status::invalidArgument("URL has no host");
    if (!isToken(request.method)) return Status::invalidArgument("invalid HTTP method");
    for (const auto& [name, value] : request.headers)
    {
        if (!isToken(name)) return Status::invalidArgument("invalid header name \"" + name + "\"");
        if (!isSafeHeaderValue(value))
            return Status::invalidArgument("header \"" + name + "\" has a value with CR, LF or NUL");
    }

    const bool https = scheme == "https";
    const std::string origin = scheme + "://" + uri.getHost() + ":" + std::to_string(uri.getPort());
    const std::uint32_t timeoutMs = request.timeoutMs ? request.timeoutMs : kDefaultTimeoutMs;
    const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);

    try
    {
        std::unique_ptr<Poco::Net::HTTPClientSession> session;
        if (https)
            session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), _context);
        else
            session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
        session->setKeepAlive(false);
        session->setTimeout(remaining(deadline));

        std::string target = uri.getPathAndQuery();
        if (target.empty()) target = "/";
        Poco::Net::HTTPRequest req(request.method, target, Poco::Net::HTTPMessage::HTTP_1_1);
        req.setKeepAlive(false);
        for (const auto& [name, value] : request.headers)
        {
            if (isHopHeader(name)) continue;
            if (patchbay::sdk::headerNameEquals(name, "Host"))
                req.setHost(value);
            else
                req.add(name, value);
        }
        const bool bodyAllowed = !request.body.empty() || request.method == "POST" || request.method == "PUT" ||
                                 request.method == "PATCH";
        if (bodyAllowed) req.setContentLength(static_cast<std::streamsize>(request.body.size()));

        // Connects (and completes TLS) within the connection timeout set above.
        std::ostream& os = session->sendRequest(req);
        session->socket().setSendTimeout(remaining(deadline));
        if (!request.body.empty()) os.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
        os.flush();
        if (!os) return Status::unavailable(origin + ": connection lost while sending the request");

        Poco::Net::HTTPResponse resp;
        session->socket().setReceiveTimeout(remaining(deadline));
        std::istream& rs = session->receiveResponse(resp);
        // Without this a socket error in the body stream would only set badbit, and we could not
        // tell a timeout from a complete body.
        rs.exceptions(std::ios::badbit);

        HttpClientResponse out;
        out.status = static_cast<int>(resp.getStatus());
        for (const auto& [name, value] : resp)
            out.headers.emplace_back(name, value);

        char buffer[16384];
        for (;;)
        {
            if (Clock::now() >= deadline) throw Poco::TimeoutException("deadline reached while reading the body");
            session->socket().setReceiveTimeout(remaining(deadline));
            rs.read(buffer, sizeof(buffer));
            auto n = static_cast<std::size_t>(rs.gcount());
            if (out.body.size() + n > _maxResponseBytes)
                return Status::unavailable(origin + ": response body exceeds " + std::to_string(_maxResponseBytes) +
                                           " bytes");
            out.body.append(buffer, n);
            if (n < sizeof(buffer)) break;
        }
        if (resp.hasContentLength() && static_cast<std::uint64_t>(resp.getContentLength64()) > out.body.size())
            return Status::unavailable(origin + ": connection closed before the response body was complete");
        return out;
    }
    catch (const Poco::TimeoutException&)
    {
        return Status::unavailable(origin + ": timed out after " + std::to_string(timeoutMs) + " ms");
    }
    catch (const Poco::Net::ConnectionRefusedException&)
    {
        return Status::unavailable(origin + ": connection refused");
    }
    catch (const Poco::Net::HostNotFoundException&)
    {
        return Status::unavailable(origin + ": host not found");
    }
    catch (const Poco::Net::NoAddressFoundException&)
    {
        return Status::unavailable(origin + ": host has no address");
    }
    catch (const Poco::Net::SSLException& e)
    {
        return Status::unavailable(origin + ": TLS failure: " + e.message());
    }
    catch (const Poco::Net::MessageException& e)
    {
        return Status::unavailable(origin + ": invalid HTTP response: " + e.message());
    }
    catch (const Poco::Net::NetException& e)
    {
        return Status::unavailable(origin + ": network error: " + e.displayText());
    }
    catch (const Poco::IOException& e)
    {
        return Status::unavailable(origin + ": I/O error: " + e.displayText());
    }
    catch (const Poco::Exception& e)
    {
        return Status::unavailable(origin + ": " + e.displayText());
    }
}

} // namespace patchbay::host
