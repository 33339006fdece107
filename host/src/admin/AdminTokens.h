// AdminTokens.h: bearer-token crypto of the admin API — SHA-256 digests, constant-time comparison, random tenant tokens.
#ifndef PATCHBAY_HOST_ADMIN_ADMIN_TOKENS_H
#define PATCHBAY_HOST_ADMIN_ADMIN_TOKENS_H

#include <array>
#include <string>
#include <string_view>

namespace patchbay::host {

/// Tokens are compared as SHA-256 digests so the comparison always covers 32 bytes, whatever the
/// lengths of the presented and the expected token (a length check would leak the length).
/// THREAD: Any.
class AdminTokens
{
public:
    using Digest = std::array<unsigned char, 32>;

    static Digest sha256(std::string_view text);
    /// Lowercase hex of sha256(text): the form the tenant store keeps instead of the token.
    static std::string sha256Hex(std::string_view text);
    /// Constant time (CRYPTO_memcmp): the time taken does not depend on where the digests differ.
    static bool digestEquals(const Digest& a, const Digest& b) noexcept;
    /// A new tenant token: 32 bytes from the OpenSSL CSPRNG, base64url without padding (43 characters).
    /// @throws std::runtime_error when the CSPRNG fails (never hand out a weak token).
    static std::string newToken();
    /// A public token id: "tok_" and 16 random hex digits.
    static std::string newTokenId();
};

} // namespace patchbay::host

#endif
