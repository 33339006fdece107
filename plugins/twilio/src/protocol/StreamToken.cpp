// StreamToken.cpp: payload layout, HMAC-SHA256 and the order of verification checks.
#include "protocol/StreamToken.h"

#include "patchbay/sdk/support/Base64.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace patchbay::twilio {

namespace {

using sdk::support::Base64;

constexpr unsigned char kVersion = 1;
constexpr std::size_t kMacSize = 32;
// Domain separation: a MAC made with the same secret for another purpose never verifies here.
constexpr std::string_view kLabel("patchbay.twilio.stream-token\0", 29);

bool mac(std::string_view secret, std::string_view payload, unsigned char (&out)[EVP_MAX_MD_SIZE])
{
    std::string input;
    input.reserve(kLabel.size() + payload.size());
    input.append(kLabel).append(payload);
    unsigned int len = 0;
    return HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
                reinterpret_cast<const unsigned char*>(input.data()), input.size(), out, &len) != nullptr &&
           len == kMacSize;
}

} // namespace

std::string StreamToken::issue(std::string_view tenantId, std::string_view callSid, std::int64_t expiresAtUnixSec,
                               std::string_view secret)
{
    if (tenantId.empty() || tenantId.size() > kMaxTenantIdLength || callSid.empty() ||
        callSid.size() > kMaxCallSidLength || secret.empty())
        return {};
    std::string payload;
    payload.reserve(3 + tenantId.size() + callSid.size() + 8);
    payload += static_cast<char>(kVersion);
    payload += static_cast<char>(tenantId.size());
    payload.append(tenantId);
    payload += static_cast<char>(callSid.size());
    payload.append(callSid);
    const auto expiry = static_cast<std::uint64_t>(expiresAtUnixSec);
    for (int shift = 56; shift >= 0; shift -= 8)
        payload += static_cast<char>((expiry >> shift) & 0xFF);

    unsigned char tag[EVP_MAX_MD_SIZE];
    if (!mac(secret, payload, tag))
        return {};
    std::string token;
    token.reserve(Base64::encodedUrlSize(payload.size()) + 1 + Base64::encodedUrlSize(kMacSize));
    Base64::encodeUrl(payload, token);
    token += '.';
    Base64::encodeUrl(tag, kMacSize, token);
    return token;
}

TokenCheck StreamToken::verify(std::string_view token, std::string_view expectedCallSid, std::int64_t nowUnixSec,
                               std::string_view secret)
{
    TokenCheck check;
    if (token.empty() || token.size() > kMaxTokenLength)
        return check;
    const std::size_t dot = token.find('.');
    if (dot == std::string_view::npos || token.find('.', dot + 1) != std::string_view::npos)
        return check;
    std::string payload, tag;
    if (!Base64::decodeUrl(token.substr(0, dot), payload) || !Base64::decodeUrl(token.substr(dot + 1), tag) ||
        tag.size() != kMacSize || payload.empty())
        return check;

    unsigned char expected[EVP_MAX_MD_SIZE];
    if (secret.empty() || !mac(secret, payload, expected) || CRYPTO_memcmp(expected, tag.data(), kMacSize) != 0)
    {
        check.reason = TokenCheck::Reason::BadSignature;
        return check;
    }

    // Authentic from here on; a layout error now means a format change, still "malformed".
    const auto* p = reinterpret_cast<const unsigned char*>(payload.data());
    const std::size_t size = payload.size();
    if (size < 2 || p[0] != kVersion)
        return check;
    const std::size_t tenantLen = p[1];
    if (tenantLen == 0 || 2 + tenantLen + 1 > size)
        return check;
    const std::size_t callSidLen = p[2 + tenantLen];
    const std::size_t expiryAt = 3 + tenantLen + callSidLen;
    if (callSidLen == 0 || expiryAt + 8 != size)
        return check;
    std::uint64_t expiry = 0;
    for (std::size_t i = 0; i < 8; ++i)
        expiry = (expiry << 8) | p[expiryAt + i];

    check.tenantId.assign(payload, 2, tenantLen);
    check.callSid.assign(payload, 3 + tenantLen, callSidLen);
    check.expiresAtUnixSec = static_cast<std::int64_t>(expiry);
    if (nowUnixSec >= check.expiresAtUnixSec)
        check.reason = TokenCheck::Reason::Expired;
    else if (!expectedCallSid.empty() && expectedCallSid != check.callSid)
        check.reason = TokenCheck::Reason::CallSidMismatch;
    else
        check.reason = TokenCheck::Reason::Ok;
    return check;
}

} // namespace patchbay::twilio
