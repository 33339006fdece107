// TestCertificate.h: a throw-away self-signed localhost certificate generated with the openssl CLI, plus TLS contexts for it.
#pragma once

#include <patchbay/media/WebSocketClient.h>
#include <patchbay/media/WebSocketUpgrade.h>

#include <Poco/Net/Context.h>

#include <string>

#include "SelfSignedCertificate.h"

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

    std::string keyFile() const { return _files.keyFile(); }
    std::string certFile() const { return _files.certFile(); }

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
    TestCertificate() = default;

    patchbay::testing::SelfSignedCertificate _files;
};

} // namespace test
} // namespace media
} // namespace patchbay
