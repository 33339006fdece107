// SecretCipher.cpp: AES-256-GCM through OpenSSL EVP, and the "v1:<keyId>:<base64>" stored form.
#include "patchbay/tenantsqlite/SecretCipher.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>
#include <vector>

#include "patchbay/sdk/support/Base64.h"
#include "patchbay/tenantsqlite/SecretError.h"

namespace patchbay::tenantsqlite {

namespace {

constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;
constexpr std::string_view kSealedPrefix = "v1:";
constexpr std::string_view kPlainPrefix = "plain:";

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherContext newContext()
{
    CipherContext context(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    if (!context)
        throw SecretError(sdk::StatusCode::Internal, "tenant store: cannot allocate a cipher context");
    return context;
}

const unsigned char* bytes(std::string_view text)
{
    return reinterpret_cast<const unsigned char*>(text.data());
}

int length(std::size_t size)
{
    return static_cast<int>(size);
}

} // namespace

SecretCipher::SecretCipher(MasterKeys keys) : _keys(std::move(keys))
{
}

const char* SecretCipher::missingKeysMessage() noexcept
{
    return "tenant-sqlite: config.keys is required to store secrets (generate one with "
           "`head -c32 /dev/urandom | base64 > k1.key`)";
}

std::string SecretCipher::seal(std::string_view plaintext, const std::string& place) const
{
    if (plaintext.empty())
        return {};
    if (!canSeal())
        throw SecretError(sdk::StatusCode::InvalidArgument, missingKeysMessage());
    const std::string& key = _keys.keys.at(_keys.activeId);

    unsigned char nonce[kNonceBytes];
    if (RAND_bytes(nonce, sizeof(nonce)) != 1)
        throw SecretError(sdk::StatusCode::Internal, "tenant store: no randomness for a nonce (" + place + ")");
    std::string box(reinterpret_cast<const char*>(nonce), kNonceBytes);
    box.resize(kNonceBytes + plaintext.size() + kTagBytes);
    auto* out = reinterpret_cast<unsigned char*>(box.data());

    CipherContext context = newContext();
    int written = 0;
    int finalWritten = 0;
    const bool ok =
        EVP_EncryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
        EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_IVLEN, length(kNonceBytes), nullptr) == 1 &&
        EVP_EncryptInit_ex(context.get(), nullptr, nullptr, bytes(key), nonce) == 1 &&
        EVP_EncryptUpdate(context.get(), nullptr, &written, bytes(place), length(place.size())) == 1 &&
        EVP_EncryptUpdate(context.get(), out + kNonceBytes, &written, bytes(plaintext), length(plaintext.size())) == 1 &&
        EVP_EncryptFinal_ex(context.get(), out + kNonceBytes + written, &finalWritten) == 1 &&
        EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, length(kTagBytes),
                            out + kNonceBytes + plaintext.size()) == 1;
    if (!ok)
        throw SecretError(sdk::StatusCode::Internal, "tenant store: encrypting " + place + " failed");

    std::string stored(kSealedPrefix);
    stored += _keys.activeId;
    stored += ':';
    sdk::support::Base64::encode(box, stored);
    return stored;
}

std::string SecretCipher::open(std::string_view stored, const std::string& place) const
{
    if (stored.empty())
        return {};
    if (stored.substr(0, kPlainPrefix.size()) == kPlainPrefix)
        return std::string(stored.substr(kPlainPrefix.size()));
    if (stored.substr(0, kSealedPrefix.size()) != kSealedPrefix)
        throw SecretError(sdk::StatusCode::Internal, "tenant store: " + place + " holds no protected value");

    const std::string_view rest = stored.substr(kSealedPrefix.size());
    const std::size_t colon = rest.find(':');
    if (colon == std::string_view::npos || colon == 0)
        throw SecretError(sdk::StatusCode::Internal, "tenant store: " + place + " is damaged (no key id)");
    const std::string keyId(rest.substr(0, colon));
    const auto key = _keys.keys.find(keyId);
    if (key == _keys.keys.end())
        throw SecretError(sdk::StatusCode::Internal,
                          "tenant store: " + place + " is protected with master key '" + keyId +
                              "', which is not configured (add it to config.keys)");

    std::string box;
    if (!sdk::support::Base64::decode(rest.substr(colon + 1), box) || box.size() < kNonceBytes + kTagBytes)
        throw SecretError(sdk::StatusCode::Internal, "tenant store: " + place + " is damaged (bad encoding)");
    const std::size_t cipherBytes = box.size() - kNonceBytes - kTagBytes;
    auto* in = reinterpret_cast<unsigned char*>(box.data());
    std::string plaintext(cipherBytes, '\0');
    auto* out = reinterpret_cast<unsigned char*>(plaintext.data());

    CipherContext context = newContext();
    int written = 0;
    int finalWritten = 0;
    const bool setUp =
        EVP_DecryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
        EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_IVLEN, length(kNonceBytes), nullptr) == 1 &&
        EVP_DecryptInit_ex(context.get(), nullptr, nullptr, bytes(key->second), in) == 1 &&
        EVP_DecryptUpdate(context.get(), nullptr, &written, bytes(place), length(place.size())) == 1 &&
        EVP_DecryptUpdate(context.get(), out, &written, in + kNonceBytes, length(cipherBytes)) == 1 &&
        EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_TAG, length(kTagBytes), in + kNonceBytes + cipherBytes) == 1;
    // The tag is checked by the final call: garbage never comes back as a secret.
    if (!setUp || EVP_DecryptFinal_ex(context.get(), out + written, &finalWritten) != 1)
        throw SecretError(sdk::StatusCode::Internal, "tenant store: " + place + " failed authentication under key '" +
                                                         keyId + "' (tampered, moved from another row, or wrong key)");
    return plaintext;
}

bool SecretCipher::isLegacy(std::string_view stored) noexcept
{
    return stored.substr(0, kPlainPrefix.size()) == kPlainPrefix;
}

bool SecretCipher::isCurrent(std::string_view stored) const noexcept
{
    if (stored.empty())
        return true;
    if (_keys.activeId.empty())
        return false;
    const std::size_t prefix = kSealedPrefix.size() + _keys.activeId.size() + 1;
    return stored.size() > prefix && stored.substr(0, kSealedPrefix.size()) == kSealedPrefix &&
           stored.substr(kSealedPrefix.size(), _keys.activeId.size()) == _keys.activeId &&
           stored[prefix - 1] == ':';
}

} // namespace patchbay::tenantsqlite
