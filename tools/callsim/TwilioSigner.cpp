// TwilioSigner.cpp: HMAC-SHA1 request signing with OpenSSL.
#include "TwilioSigner.h"

#include <patchbay/sdk/support/Base64.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <stdexcept>

namespace patchbay {
namespace callsim {

std::string TwilioSigner::sign(const std::string& url, const Params& params, const std::string& authToken)
{
    Params sorted = params;
    // Byte order on the name, then on the value; std::string's operator< compares as unsigned chars.
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    std::string data = url;
    for (const auto& [name, value] : sorted)
    {
        data += name;
        data += value;
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!HMAC(EVP_sha1(), authToken.data(), static_cast<int>(authToken.size()),
            reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length))
        throw std::runtime_error("HMAC-SHA1 failed");
    std::string out;
    sdk::support::Base64::encode(digest, length, out);
    return out;
}

} // namespace callsim
} // namespace patchbay
