// TwilioRequests.h: what a test needs to play Twilio — its signature algorithm (written independently of the plugin), form bodies, text slicing.
#pragma once

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <patchbay/sdk/support/Base64.h>

namespace patchbay::testsupport {

using FormParams = std::vector<std::pair<std::string, std::string>>;

/// X-Twilio-Signature per twilio.md §3.1: base64(HMAC-SHA1(token, url + every key+value sorted by key)).
inline std::string twilioSignature(const std::string& url, FormParams params, const std::string& token)
{
    std::sort(params.begin(), params.end());
    std::string data = url;
    for (const auto& p : params) data += p.first + p.second;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha1(), token.data(), static_cast<int>(token.size()), reinterpret_cast<const unsigned char*>(data.data()),
         data.size(), mac, &len);
    return sdk::support::Base64::encode(std::string_view(reinterpret_cast<const char*>(mac), len));
}

/// application/x-www-form-urlencoded, as Twilio sends it (space as '+').
inline std::string formEncode(const FormParams& params)
{
    std::string out;
    for (const auto& p : params)
    {
        if (!out.empty()) out += '&';
        for (const std::string* s : {&p.first, &p.second})
        {
            for (const unsigned char c : *s)
            {
                if (std::isalnum(c) || c == '-' || c == '_' || c == '.') out += static_cast<char>(c);
                else if (c == ' ') out += '+';
                else
                {
                    char buf[4];
                    std::snprintf(buf, sizeof buf, "%%%02X", c);
                    out += buf;
                }
            }
            if (s == &p.first) out += '=';
        }
    }
    return out;
}

/// The text between the first `a` and the next `b` in s, or "".
inline std::string between(const std::string& s, const std::string& a, const std::string& b)
{
    auto i = s.find(a);
    if (i == std::string::npos) return {};
    i += a.size();
    auto j = s.find(b, i);
    return j == std::string::npos ? std::string() : s.substr(i, j - i);
}

} // namespace patchbay::testsupport
