// ValidationResult.cpp: names and the log line for signature check outcomes.
#include "protocol/ValidationResult.h"

namespace patchbay::twilio {

const char* ValidationResult::outcomeName(Outcome outcome) noexcept
{
    switch (outcome)
    {
    case Outcome::Valid:
        return "valid";
    case Outcome::MissingSignature:
        return "missing X-Twilio-Signature";
    case Outcome::MissingAuthToken:
        return "no auth token configured";
    case Outcome::Mismatch:
        return "signature mismatch";
    case Outcome::MissingBodyHash:
        return "missing bodySHA256 query parameter";
    case Outcome::BodyHashMismatch:
        return "body does not match bodySHA256";
    }
    return "unknown";
}

std::string ValidationResult::describe() const
{
    std::string line = outcomeName(outcome);
    if (valid())
    {
        line += " for ";
        line += matchedUrl;
        return line;
    }
    if (!triedUrls.empty())
    {
        line += "; validated URL(s): ";
        for (std::size_t i = 0; i < triedUrls.size(); ++i)
        {
            if (i > 0)
                line += ", ";
            line += triedUrls[i];
        }
    }
    return line;
}

} // namespace patchbay::twilio
