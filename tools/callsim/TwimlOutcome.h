// TwimlOutcome.h: what the gateway's TwiML told Twilio to do with a call.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace patchbay {
namespace callsim {

struct TwimlOutcome
{
    enum class Kind
    {
        Invalid, ///< not parseable TwiML (see error)
        Empty,   ///< <Response/>: Twilio hangs up
        Connect, ///< <Connect><Stream url=...>
        Reject,  ///< <Reject reason=...>
        Say,     ///< fallback message (maybe followed by <Dial>)
        Dial,    ///< fallback transfer
        Hangup,
        Other
    };

    Kind kind = Kind::Invalid;
    std::string reason;     ///< Reject reason ("rejected" when absent)
    std::string streamUrl;  ///< Connect
    std::vector<std::pair<std::string, std::string>> parameters; ///< Connect: <Parameter name value>
    std::string say;
    std::string dial;
    std::string error;
    std::string verb;       ///< first verb's element name

    static const char* kindName(Kind kind);
};

} // namespace callsim
} // namespace patchbay
