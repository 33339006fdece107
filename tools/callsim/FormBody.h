// FormBody.h: application/x-www-form-urlencoded encoding of the voice webhook's parameters.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace patchbay {
namespace callsim {

class FormBody
{
public:
    using Params = std::vector<std::pair<std::string, std::string>>;

    /// name=value&... with everything but unreserved characters percent-encoded, space as '+', and
    /// so the '+' of E.164 numbers as %2B, as Twilio sends it.
    static std::string encode(const Params& params);
    static void appendEncoded(std::string& out, const std::string& text);
};

} // namespace callsim
} // namespace patchbay
