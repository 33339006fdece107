// HttpClientTest.cpp: CppUnit suite for PocoHttpClient against real loopback Poco servers (HTTP and HTTPS with a test-made certificate).
#include "net/HttpClient.h"

#include <cppunit/extensions/HelperMacros.h>

#include "SelfSignedCertificate.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>

#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <thread>

using namespace patchbay::host;
using patchbay::sdk::HttpClientRequest;
using patchbay::sdk::StatusCode;

namespace {

class TestHandler : public Poco::Net::HTTPRequestHandler
{
public:
    void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) override
    {
        std::string body;
        Poco::StreamCopier::copyToString(req.stream(), body);
        const std::string& uri = req.getURI();
        if (uri.rfind("/status/", 0) == 0)
        {
            resp.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(std::stoi(uri.substr(8))));
            resp.send() << "status body";
            return;
        }
        if (uri == "/big")
        {
            std::string big(5000, 'x');
            resp.setContentLength(static_cast<std::streamsize>(big.size()));
            resp.send() << big;
            return;
        }
        if (uri == "/slow-body")
        {
            resp.setContentLength(100);
            std::ostream& os = resp.send();
            os << "partial";
            os.flush();
            std::this_thread::sleep_for(std::chrono::milliseconds(1200));
            return;
        }
        resp.set("X-Reply", "yes");
        resp.setContentType("text/plain");
        resp.send() << req.getMethod() << " " << uri << " x-test=" << req.get("X-Test", "") << " ct="
                    << req.getContentType() << " host=" << req.getHost() << " body=" << body;
    }
};

class TestFactory : public Poco::Net::HTTPRequestHandlerFactory
{
public:
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override
    {
        return new TestHandler;
    }
};

/// A Poco HTTPServer on an ephemeral loopback port, plain or TLS.
class TestServer
{
public:
    explicit TestServer(Poco::Net::ServerSocket socket) : _pool(2, 8)
    {
        _port = socket.address().port();
        auto* params = new Poco::Net::HTTPServerParams;
        params->setMaxThreads(8);
        _server = std::make_unique<Poco::Net::HTTPServer>(new TestFactory, _pool, socket, params);
        _server->start();
    }
    ~TestServer()
    {
        _server->stopAll(true);
        _pool.joinAll();
    }
    std::uint16_t port() const { return _port; }

private:
    Poco::ThreadPool _pool;
    std::unique_ptr<Poco::Net::HTTPServer> _server;
    std::uint16_t _port = 0;
};

void initializeSslOnce()
{
    // The application does this once in main(); the client itself must not.
    static bool done = [] {
        Poco::Net::initializeSSL();
        return true;
    }();
    (void)done;
}

} // namespace

class HttpClientTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(HttpClientTest);
    CPPUNIT_TEST(getAndPost);
    CPPUNIT_TEST(statusCodesPassThrough);
    CPPUNIT_TEST(responseBodyCap);
    CPPUNIT_TEST(timeoutWhenServerNeverAnswers);
    CPPUNIT_TEST(timeoutCoversTheBody);
    CPPUNIT_TEST(connectionRefused);
    CPPUNIT_TEST(malformedRequests);
    CPPUNIT_TEST(httpsWithPinnedCa);
    CPPUNIT_TEST(httpsWithSystemCasFailsCleanly);
    CPPUNIT_TEST(httpsHostNameMismatchFails);
    CPPUNIT_TEST(systemRootsAreLookedUpOnDemand);
    CPPUNIT_TEST(badCaFileThrowsAtConstruction);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        initializeSslOnce();
        _server = std::make_unique<TestServer>(Poco::Net::ServerSocket(Poco::Net::SocketAddress("127.0.0.1", 0)));
        _base = "http://127.0.0.1:" + std::to_string(_server->port());
    }

    void tearDown() override
    {
        _server.reset();
        _cert.reset();
    }

    void getAndPost()
    {
        PocoHttpClient client(ClientTlsConfig{});
        HttpClientRequest get;
        get.url = _base + "/echo?a=1&b=two";
        get.headers = {{"X-Test", "hello"}};
        auto r = client.send(get);
        CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
        CPPUNIT_ASSERT_EQUAL(200, r->status);
        CPPUNIT_ASSERT_EQUAL(std::string("GET /echo?a=1&b=two x-test=hello ct= host=127.0.0.1:" +
                                         std::to_string(_server->port()) + " body="),
                             r->body);
        CPPUNIT_ASSERT_EQUAL(std::string("yes"), std::string(patchbay::sdk::findHeader(r->headers, "x-reply")));

        HttpClientRequest post;
        post.method = "POST";
        post.url = _base + "/form";
        post.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Content-Length", "999"}};
        post.body = "To=%2B15551234567&Body=hi";
        r = client.send(post);
        CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("POST /form x-test= ct=application/x-www-form-urlencoded host=127.0.0.1:" +
                                         std::to_string(_server->port()) + " body=To=%2B15551234567&Body=hi"),
                             r->body);

        HttpClientRequest emptyPost;
        emptyPost.method = "POST";
        emptyPost.url = _base; // no path at all
        r = client.send(emptyPost);
        CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
        CPPUNIT_ASSERT(r->body.rfind("POST / ", 0) == 0);
    }

    void statusCodesPassThrough()
    {
        PocoHttpClient client(ClientTlsConfig{});
        for (int code : {201, 204, 301, 400, 404, 429, 500, 503})
        {
            HttpClientRequest req;
            req.url = _base + "/status/" + std::to_string(code);
            auto r = client.send(req);
            CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
            CPPUNIT_ASSERT_EQUAL(code, r->status);
        }
    }

    void responseBodyCap()
    {
        PocoHttpClient small(ClientTlsConfig{}, 1000);
        HttpClientRequest req;
        req.url = _base + "/big";
        auto r = small.send(req);
        CPPUNIT_ASSERT(!r.isOk());
        CPPUNIT_ASSERT(r.status().code() == StatusCode::Unavailable);
        CPPUNIT_ASSERT_MESSAGE(r.status().message(), r.status().message().find("exceeds 1000 bytes") != std::string::npos);
        PocoHttpClient normal(ClientTlsConfig{});
        r = normal.send(req);
        CPPUNIT_ASSERT(r.isOk());
        CPPUNIT_ASSERT_EQUAL(std::size_t(5000), r->body.size());
    }

    void timeoutWhenServerNeverAnswers()
    {
        // Listening but never accepting: the kernel completes the handshake, nobody ever replies.
        Poco::Net::ServerSocket silent(Poco::Net::SocketAddress("127.0.0.1", 0));
        PocoHttpClient client(ClientTlsConfig{});
        HttpClientRequest req;
        req.url = "http://127.0.0.1:" + std::to_string(silent.address().port()) + "/x?token=SECRET";
        req.headers = {{"Authorization", "Bearer SECRET"}};
        req.timeoutMs = 300;
        auto start = std::chrono::steady_clock::now();
        auto r = client.send(req);
        auto elapsed = std::chrono::steady_clock::now() - start;
        CPPUNIT_ASSERT(!r.isOk());
        CPPUNIT_ASSERT(r.status().code() == StatusCode::Unavailable);
        const std::string& m = r.status().message();
        CPPUNIT_ASSERT_MESSAGE(m, m.find("timed out after 300 ms") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(m, m.find("127.0.0.1") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(m, m.find("SECRET") == std::string::npos);
        CPPUNIT_ASSERT(elapsed < std::chrono::seconds(5));
    }

    void timeoutCoversTheBody()
    {
        PocoHttpClient client(ClientTlsConfig{});
        HttpClientRequest req;
        req.url = _base + "/slow-body";
        req.timeoutMs = 300;
        auto r = client.send(req);
        CPPUNIT_ASSERT(!r.isOk());
        CPPUNIT_ASSERT(r.status().code() == StatusCode::Unavailable);
        CPPUNIT_ASSERT_MESSAGE(r.status().message(), r.status().message().find("timed out") != std::string::npos);
    }

    void connectionRefused()
    {
        std::uint16_t port = 0;
        {
            Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
            port = s.address().port();
        }
        PocoHttpClient client(ClientTlsConfig{});
        HttpClientRequest req;
        req.url = "http://127.0.0.1:" + std::to_string(port) + "/";
        auto r = client.send(req);
        CPPUNIT_ASSERT(!r.isOk());
        CPPUNIT_ASSERT(r.status().code() == StatusCode::Unavailable);
        CPPUNIT_ASSERT_MESSAGE(r.status().message(),
                               r.status().message() == "http://127.0.0.1:" + std::to_string(port) + ": connection refused");
    }

    void malformedRequests()
    {
        PocoHttpClient client(ClientTlsConfig{});
        auto statusOf = [&](const std::string& url, const std::string& method = "GET",
                            patchbay::sdk::HttpHeaders headers = {}) {
            HttpClientRequest req;
            req.url = url;
            req.method = method;
            req.headers = std::move(headers);
            auto r = client.send(req);
            CPPUNIT_ASSERT_MESSAGE(url, !r.isOk());
            return r.status();
        };
        for (const char* url : {"http://[::1", "not a url", "ftp://example.com/x", "http:///path", "", "http://h:99999/"})
        {
            auto s = statusOf(url);
            CPPUNIT_ASSERT_MESSAGE(std::string(url) + " -> " + s.toString(), s.code() == StatusCode::InvalidArgument);
        }
        CPPUNIT_ASSERT(statusOf(_base, "GE T").code() == StatusCode::InvalidArgument);
        auto s = statusOf(_base, "GET", {{"X-Evil", "a\r\nInjected: SECRET"}});
        CPPUNIT_ASSERT(s.code() == StatusCode::InvalidArgument);
        CPPUNIT_ASSERT(s.message().find("SECRET") == std::string::npos);
        CPPUNIT_ASSERT(statusOf(_base, "GET", {{"Bad Name", "v"}}).code() == StatusCode::InvalidArgument);
    }

    void httpsWithPinnedCa()
    {
        startTlsServer();
        ClientTlsConfig pinned;
        pinned.caFile = _cert->certFile();
        PocoHttpClient client(pinned);
        for (const char* host : {"127.0.0.1", "localhost"})
        {
            HttpClientRequest req;
            req.method = "POST";
            req.url = "https://" + std::string(host) + ":" + std::to_string(_tlsServer->port()) + "/secure";
            req.body = "over tls";
            auto r = client.send(req);
            CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
            CPPUNIT_ASSERT_EQUAL(200, r->status);
            CPPUNIT_ASSERT(r->body.find("POST /secure") == 0);
            CPPUNIT_ASSERT(r->body.find("body=over tls") != std::string::npos);
        }
        _tlsServer.reset();
    }

    void httpsWithSystemCasFailsCleanly()
    {
        startTlsServer();
        PocoHttpClient client(ClientTlsConfig{});
        HttpClientRequest req;
        req.url = "https://127.0.0.1:" + std::to_string(_tlsServer->port()) + "/secure";
        auto r = client.send(req);
        CPPUNIT_ASSERT(!r.isOk());
        CPPUNIT_ASSERT(r.status().code() == StatusCode::Unavailable);
        CPPUNIT_ASSERT_MESSAGE(r.status().message(), r.status().message().find("TLS failure") != std::string::npos);

        // verifyPeer=false is the operator's explicit opt-out and then connects.
        ClientTlsConfig insecure;
        insecure.verifyPeer = false;
        PocoHttpClient lax(insecure);
        r = lax.send(req);
        CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
        CPPUNIT_ASSERT_EQUAL(200, r->status);
        _tlsServer.reset();
    }

    /// Without a caFile the client trusts the system roots through OpenSSL's hashed directory: none
    /// is in memory until a chain needs it, and then a real system root is found and trusted.
    void systemRootsAreLookedUpOnDemand()
    {
        // A bundle named in the environment wins (checked at the end); some shells export one.
        const char* inherited = std::getenv("SSL_CERT_FILE");
        const std::string savedBundle = inherited ? inherited : "";
        ::unsetenv("SSL_CERT_FILE");
        struct Restore
        {
            const std::string& value;
            ~Restore()
            {
                if (!value.empty()) ::setenv("SSL_CERT_FILE", value.c_str(), 1);
            }
        } restore{savedBundle};
        const std::string dir = PocoHttpClient::systemCaDirectory();
        CPPUNIT_ASSERT_MESSAGE("no hashed root directory on this machine (ca-certificates installed?)", !dir.empty());
        PocoHttpClient client(ClientTlsConfig{});
        X509_STORE* store = SSL_CTX_get_cert_store(client.context()->sslContext());
        CPPUNIT_ASSERT(store);
        CPPUNIT_ASSERT_EQUAL(0, sk_X509_OBJECT_num(X509_STORE_get0_objects(store))); // nothing loaded up front

        // Any root of the system store, read from its hash link, must verify against that store.
        std::string rootPath;
        for (Poco::DirectoryIterator it(dir), end; it != end && rootPath.empty(); ++it)
            if (it.name().size() > 9 && it.name()[8] == '.' && it.name().substr(9) == "0") rootPath = it->path();
        CPPUNIT_ASSERT(!rootPath.empty());
        FILE* f = std::fopen(rootPath.c_str(), "r");
        CPPUNIT_ASSERT_MESSAGE(rootPath, f);
        X509* root = PEM_read_X509(f, nullptr, nullptr, nullptr);
        std::fclose(f);
        CPPUNIT_ASSERT_MESSAGE(rootPath, root);
        X509_STORE_CTX* ctx = X509_STORE_CTX_new();
        X509_STORE_CTX_init(ctx, store, root, nullptr);
        const int ok = X509_verify_cert(ctx);
        const int err = X509_STORE_CTX_get_error(ctx);
        X509_STORE_CTX_free(ctx);
        X509_free(root);
        CPPUNIT_ASSERT_MESSAGE(rootPath + ": " + X509_verify_cert_error_string(err), ok == 1);
        CPPUNIT_ASSERT(sk_X509_OBJECT_num(X509_STORE_get0_objects(store)) >= 1); // looked up when needed

        // SSL_CERT_FILE names a bundle: the operator's choice wins over the directory.
        ::setenv("SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt", 1);
        const std::string withBundle = PocoHttpClient::systemCaDirectory();
        ::unsetenv("SSL_CERT_FILE");
        CPPUNIT_ASSERT_EQUAL(std::string(), withBundle);
    }

    void httpsHostNameMismatchFails()
    {
        // Trusted CA, wrong name: the chain verifies, the host name must not.
        startTlsServer("DNS:other.example");
        ClientTlsConfig pinned;
        pinned.caFile = _cert->certFile();
        PocoHttpClient client(pinned);
        HttpClientRequest req;
        req.url = "https://127.0.0.1:" + std::to_string(_tlsServer->port()) + "/secure";
        auto r = client.send(req);
        CPPUNIT_ASSERT_MESSAGE(r.isOk() ? "connected" : r.status().toString(), !r.isOk());
        CPPUNIT_ASSERT(r.status().code() == StatusCode::Unavailable);
        _tlsServer.reset();
    }

    void badCaFileThrowsAtConstruction()
    {
        ClientTlsConfig bad;
        bad.caFile = "/nonexistent/ca.pem";
        CPPUNIT_ASSERT_THROW(PocoHttpClient client(bad), Poco::Exception);
    }

private:
    void startTlsServer(const std::string& subjectAltName = "DNS:localhost,IP:127.0.0.1")
    {
        _cert = std::make_unique<patchbay::testing::SelfSignedCertificate>(subjectAltName);
        Poco::Net::Context::Ptr ctx =
            new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, _cert->keyFile(), _cert->certFile(), "",
                                   Poco::Net::Context::VERIFY_NONE);
        _tlsServer = std::make_unique<TestServer>(
            Poco::Net::SecureServerSocket(Poco::Net::SocketAddress("127.0.0.1", 0), 64, ctx));
    }

    std::unique_ptr<TestServer> _server;
    std::unique_ptr<TestServer> _tlsServer;
    std::string _base;
    std::unique_ptr<patchbay::testing::SelfSignedCertificate> _cert;
};

CPPUNIT_TEST_SUITE_REGISTRATION(HttpClientTest);
