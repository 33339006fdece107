// ConnectStreamSpec.h: what TwimlBuilder::connectStream() renders as <Connect><Stream>…</Stream></Connect>.
#ifndef PATCHBAY_TWILIO_PROTOCOL_CONNECT_STREAM_SPEC_H
#define PATCHBAY_TWILIO_PROTOCOL_CONNECT_STREAM_SPEC_H

#include <string>
#include <utility>
#include <vector>

namespace patchbay::twilio {

/// Empty strings mean "leave the attribute out". Twilio rules the builder does not enforce:
/// streamUrl must be an absolute wss:// URL without a query string, and each parameter's
/// name + value must stay under 500 characters.
struct ConnectStreamSpec
{
    std::string actionUrl;                    ///< <Connect action>, requested when the stream ends.
    std::string actionMethod = "POST";        ///< Only written when actionUrl is set.
    std::string streamUrl;                    ///< <Stream url>
    std::string streamName;                   ///< <Stream name>
    std::string statusCallbackUrl;            ///< <Stream statusCallback>
    std::string statusCallbackMethod = "POST"; ///< Only written when statusCallbackUrl is set.
    std::vector<std::pair<std::string, std::string>> parameters; ///< <Parameter name value/> in order.
};

} // namespace patchbay::twilio

#endif // PATCHBAY_TWILIO_PROTOCOL_CONNECT_STREAM_SPEC_H
