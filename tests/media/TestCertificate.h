// TestCertificate.h: a throw-away self-signed localhost certificate generated with the openssl CLI, plus TLS contexts for it.
#pragma once

#include <patchbay/media/WebSocketClient.h>
#include <patchbay/media/WebSocketUpgrade.h>

#include <Poco/Net/Context.h>

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace patchbay {
namespace media {
namespace test {

class TestCertificate
{
public:
    /// Generated once per process into a fresh temp directory.
    static const TestCertificate& instance()
    {
        static TestCertificate cert;
        return cert;
    }

    std::string keyFile() const { return _dir + "/key.pem"; }
    std::string certFile() const { return _dir + "/cert.pem"; }

    Poco::Net::Context::Ptr serverContext() const
    {
        Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, keyFile(), certFile(), "",
            Poco::Net::Context::VERIFY_NONE, 9, false, "ALL:!ADH:!LOW:!EXP:!MD5:@STRENGTH");
        WebSocketUpgrade::prepareServerContext(ctx);
        return ctx;
    }

    /// Trusts only this certificate (pinned), with verification on.
    Poco::Net::Context::Ptr clientContext() const
    {
        Poco::Net::Context::Params params;
        params.caLocation = certFile();
        params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
        params.loadDefaultCAs = false;
        return new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    }

private:
    TestCertificate()
    {
        char templ[] = "/tmp/patchbay-media-cert-XXXXXX";
        if (::mkdtemp(templ) == nullptr)
            throw std::runtime_error("mkdtemp failed");
        _dir = templ;
        std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -keyout '" + keyFile() + "' -out '" + certFile() +
            "' -days 2 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 >/dev/null 2>&1";
        if (std::system(cmd.c_str()) != 0)
            throw std::runtime_error("could not generate a test certificate with: " + cmd);
    }
    ~TestCertificate()
    {
        ::unlink(keyFile().c_str());
        ::unlink(certFile().c_str());
        ::rmdir(_dir.c_str());
    }

    std::string _dir;
};

} // namespace test
} // namespace media
} // namespace patchbay
