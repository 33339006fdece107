// SelfSignedCertificate.h: a throw-away self-signed certificate and key, made with the openssl CLI in a TempDir.
#ifndef PATCHBAY_TESTS_SUPPORT_SELF_SIGNED_CERTIFICATE_H
#define PATCHBAY_TESTS_SUPPORT_SELF_SIGNED_CERTIFICATE_H

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "TempDir.h"

namespace patchbay::testing {

/// Real TLS needs real files: the certificate is generated per use (EC P-256, valid two days) so no
/// key ever lives in the repository.
class SelfSignedCertificate
{
public:
    /// @param subjectAltName e.g. "DNS:localhost,IP:127.0.0.1" (a mismatching one tests host checks).
    explicit SelfSignedCertificate(const std::string& subjectAltName = "DNS:localhost,IP:127.0.0.1")
        : _dir("patchbay-cert")
    {
        const std::string cmd = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout '" +
                                keyFile() + "' -out '" + certFile() + "' -days 2 -subj /CN=localhost -addext subjectAltName=" +
                                subjectAltName + " >/dev/null 2>&1";
        if (std::system(cmd.c_str()) != 0) throw std::runtime_error("could not generate a test certificate with: " + cmd);
    }

    std::string keyFile() const { return _dir.file("key.pem"); }
    std::string certFile() const { return _dir.file("cert.pem"); }

private:
    TempDir _dir;
};

} // namespace patchbay::testing

#endif
