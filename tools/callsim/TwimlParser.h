// TwimlParser.h: reads a TwiML document into a TwimlOutcome.
#pragma once

#include "TwimlOutcome.h"

#include <string>

namespace patchbay {
namespace callsim {

class TwimlParser
{
public:
    /// Never throws; XML errors give Kind::Invalid with the parser's message.
    static TwimlOutcome parse(const std::string& xml);
};

} // namespace callsim
} // namespace patchbay
