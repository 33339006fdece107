// TwilioSigner.h: computes X-Twilio-Signature the way Twilio does (twilio.md §3), independently of the gateway's validator.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace patchbay {
namespace callsim {

class TwilioSigner
{
public:
    using Params = std::vector<std::pair<std::string, std::string>>;

    /// base64(HMAC-SHA1(authToken, url + concat(sorted name+value))). Params are the decoded form
    /// values; repeated names are de-duplicated and their values sorted, as the official SDKs do.
    static std::string sign(const std::string& url, const Params& params, const std::string& authToken);
};

} // namespace callsim
} // namespace patchbay
