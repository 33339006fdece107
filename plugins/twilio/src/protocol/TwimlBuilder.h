// TwimlBuilder.h: renders the few TwiML documents the gateway returns, escaping every attribute and text node.
#ifndef PATCHBAY_TWILIO_PROTOCOL_TWIML_BUILDER_H
#define PATCHBAY_TWILIO_PROTOCOL_TWIML_BUILDER_H

#include "protocol/ConnectStreamSpec.h"

#include <optional>
#include <string>
#include <string_view>

namespace patchbay::twilio {

enum class RejectReason
{
    Rejected,
    Busy
};

/// Every document starts with `<?xml version="1.0" encoding="UTF-8"?>` and has a single
/// <Response> root. Values are escaped (& < > " ' and CR/LF/TAB in attributes as character
/// references); characters XML 1.0 cannot carry (most C0 controls) are dropped and invalid
/// UTF-8 becomes U+FFFD, so any caller input yields well-formed XML.
class TwimlBuilder
{
public:
    static std::string connectStream(const ConnectStreamSpec& spec);

    /// <Reject reason="rejected|busy"/>: refuses without answering (not billed).
    static std::string reject(RejectReason reason = RejectReason::Rejected);

    /// <Say language voice>message</Say><Hangup/>; empty language/voice are left out.
    static std::string sayAndHangup(std::string_view message, std::string_view language = "en-US",
                                    std::string_view voice = {});

    /// <Dial callerId timeout>number</Dial><Hangup/>.
    static std::string dialAndHangup(std::string_view number, std::string_view callerId = {},
                                     std::optional<int> timeoutSec = std::nullopt);

    /// Optional <Say>, then optional <Dial>, then <Hangup/>: the "something went wrong" answer.
    static std::string fallback(std::optional<std::string_view> sayMessage,
                                std::optional<std::string_view> dialNumber, std::string_view language = "en-US",
                                std::string_view voice = {});

    static std::string hangup();

    /// <Response/>: also the right answer to status callbacks that want a 200.
    static std::string empty();

    /// Appends `text` escaped for use in both text nodes and double-quoted attributes.
    static void appendEscaped(std::string& out, std::string_view text);
};

} // namespace patchbay::twilio

#endif // PATCHBAY_TWILIO_PROTOCOL_TWIML_BUILDER_H
