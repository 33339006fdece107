// AdminTokens.cpp: SHA-256, CRYPTO_memcmp and RAND_bytes behind the admin API's token handling.
#include "admin/AdminTokens.h"

#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <patchbay/sdk/support/Base64.h>

namespace patchbay::host {
namespace {

std::string hex(const unsigned char* bytes, std::size_t size)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i)
    {
        out += kHex[bytes[i] >> 4];
        out += kHex[bytes[i] & 0x0f];
    }
    return out;
}

void randomBytes(unsigned char* out, int size)
{
    if (RAND_bytes(out, size) != 1) throw std::runtime_error("the OpenSSL random generator failed");
}

} // namespace

AdminTokens::Digest AdminTokens::sha256(std::string_view text)
{
    Digest digest{};
    unsigned int size = 0;
    if (EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1 || size != digest.size())
        throw std::runtime_error("SHA-256 failed");
    return digest;
}

std::string AdminTokens::sha256Hex(std::string_view text)
{
    const Digest digest = sha256(text);
    return hex(digest.data(), digest.size());
}

bool AdminTokens::digestEquals(const Digest& a, const Digest& b) noexcept
{
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string AdminTokens::newToken()
{
    unsigned char bytes[32];
    randomBytes(bytes, sizeof bytes);
    std::string out;
    sdk::support::Base64::encodeUrl(bytes, sizeof bytes, out);
    return out;
}

std::string AdminTokens::newTokenId()
{
    unsigned char bytes[8];
    randomBytes(bytes, sizeof bytes);
    return "tok_" + hex(bytes, sizeof bytes);
}

} // namespace patchbay::host
