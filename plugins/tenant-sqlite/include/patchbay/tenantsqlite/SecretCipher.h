// SecretCipher.h: seals and opens secret column values with AES-256-GCM under the configured master keys.
#ifndef PATCHBAY_TENANTSQLITE_SECRET_CIPHER_H
#define PATCHBAY_TENANTSQLITE_SECRET_CIPHER_H

#include <string>
#include <string_view>

#include "patchbay/tenantsqlite/MasterKeys.h"

namespace patchbay::tenantsqlite {

/// Stored forms of a secret column:
///   ""                                   not set (nothing to hide)
///   "v1:<keyId>:<base64(nonce|ct|tag)>"  AES-256-GCM, 12-byte random nonce, 16-byte tag
///   "plain:<value>"                      written by schema v1; re-sealed at the next open with a key
/// The associated data binds a value to its place ("accounts.auth_token:AC..."), so a ciphertext
/// copied into another row or column fails to open instead of lending its secret there.
///
/// THREAD: Any (immutable after construction). Methods throw SecretError; messages name the key id
/// and the place, never a key or a value.
class SecretCipher
{
public:
    explicit SecretCipher(MasterKeys keys = {});

    bool canSeal() const noexcept { return !_keys.activeId.empty(); }
    const std::string& activeKeyId() const noexcept { return _keys.activeId; }

    /// @param place "table.column:rowkey", the associated data and the name used in messages.
    /// @throws SecretError InvalidArgument when no key is configured and plaintext is not empty.
    std::string seal(std::string_view plaintext, const std::string& place) const;

    /// @throws SecretError when the key id is not configured, or the value fails authentication.
    std::string open(std::string_view stored, const std::string& place) const;

    /// True when `stored` is empty or already sealed under the active key (rotation skips it).
    bool isCurrent(std::string_view stored) const noexcept;

    /// True for a "plain:" value written by schema v1.
    static bool isLegacy(std::string_view stored) noexcept;

    /// The message for storing a secret without any configured key.
    static const char* missingKeysMessage() noexcept;

private:
    MasterKeys _keys;
};

} // namespace patchbay::tenantsqlite

#endif
