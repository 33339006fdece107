// WebhookSignature.cpp: ElevenLabs-Signature parsing and HMAC-SHA256 verification with OpenSSL.
#include "protocol/WebhookSignature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "patchbay/sdk/support/Hex.h"

namespace patchbay::elevenlabs {

namespace {

/// The header's t= and v0= elements as the SDKs find them: split on ',', first match of each.
/// No whitespace trimming: the SDKs do none, so " v0=..." is not a signature to them either.
struct ParsedHeader
{
    std::string_view timestamp;
    std::string_view signature; ///< including the "v0=" prefix, as the SDKs compare it
    bool hasTimestamp = false;
    bool hasSignature = false;
};

ParsedHeader parseHeader(std::string_view header)
{
    ParsedHeader parsed;
    std::size_t start = 0;
    while (start <= header.size())
    {
        std::size_t comma = header.find(',', start);
        if (comma == std::string_view::npos)
            comma = header.size();
        const std::string_view element = header.substr(start, comma - start);
        if (!parsed.hasTimestamp && element.substr(0, 2) == "t=")
        {
            parsed.timestamp = element.substr(2);
            parsed.hasTimestamp = true;
        }
        else if (!parsed.hasSignature && element.substr(0, 3) == "v0=")
        {
            parsed.signature = element;
            parsed.hasSignature = true;
        }
        start = comma + 1;
    }
    return parsed;
}

/// Decimal seconds; at most 12 digits (year 33658), so no overflow and no "1e9" or "0x" forms
/// that JavaScript's Number() would accept but that no genuine sender produces.
bool parseSeconds(std::string_view text, std::int64_t& out)
{
    if (text.empty() || text.size() > 12)
        return false;
    std::int64_t value = 0;
    for (char c : text)
    {
        if (c < '0' || c > '9')
            return false;
        value = value * 10 + (c - '0');
    }
    out = value;
    return true;
}

} // namespace

const char* WebhookSignature::verdictName(Verdict verdict) noexcept
{
    switch (verdict)
    {
    case Verdict::Valid: return "valid";
    case Verdict::MissingHeader: return "missing-signature";
    case Verdict::Malformed: return "malformed-signature";
    case Verdict::Expired: return "expired-timestamp";
    case Verdict::FromFuture: return "future-timestamp";
    case Verdict::Mismatch: return "bad-signature";
    }
    return "bad-signature";
}

std::string WebhookSignature::compute(std::string_view timestamp, std::string_view body, std::string_view secret)
{
    std::string message;
    message.reserve(timestamp.size() + 1 + body.size());
    message.append(timestamp).append(1, '.').append(body);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    // HMAC() accepts a zero-length key; an empty secret never gets here (the config requires one).
    if (!HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(message.data()),
              message.size(), digest, &length))
        return {};
    std::string out = "v0=";
    sdk::support::Hex::encode(std::string_view(reinterpret_cast<const char*>(digest), length), out);
    return out;
}

std::string WebhookSignature::header(std::int64_t timestamp, std::string_view body, std::string_view secret)
{
    const std::string t = std::to_string(timestamp);
    return "t=" + t + "," + compute(t, body, secret);
}

WebhookSignature::Verdict WebhookSignature::verify(std::string_view header, std::string_view body, std::string_view secret,
                                                   std::int64_t nowMs, std::int64_t* timestamp)
{
    if (header.empty())
        return Verdict::MissingHeader;
    const ParsedHeader parsed = parseHeader(header);
    std::int64_t seconds = 0;
    if (!parsed.hasTimestamp || !parsed.hasSignature || !parseSeconds(parsed.timestamp, seconds))
        return Verdict::Malformed;
    if (timestamp)
        *timestamp = seconds;
    // The SDKs' rule exactly: reject when t*1000 < now - 30 min (so exactly 30 min old still passes).
    if (seconds * 1000 < nowMs - kToleranceSeconds * 1000)
        return Verdict::Expired;
    if (seconds * 1000 > nowMs + kFutureToleranceSeconds * 1000)
        return Verdict::FromFuture;
    // The digest is checked last and always fully, so timing reveals nothing about how close a forgery came.
    const std::string expected = compute(parsed.timestamp, body, secret);
    if (expected.empty() || !constantTimeEquals(expected, parsed.signature))
        return Verdict::Mismatch;
    return Verdict::Valid;
}

bool WebhookSignature::constantTimeEquals(std::string_view a, std::string_view b) noexcept
{
    // Lengths are public (a genuine v0= element is always 67 characters); only the bytes are secret.
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace patchbay::elevenlabs
