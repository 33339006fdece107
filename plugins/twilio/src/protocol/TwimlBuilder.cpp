// TwimlBuilder.cpp: TwiML rendering with XML escaping.
#include "protocol/TwimlBuilder.h"

#include "patchbay/sdk/support/Utf8.h"

namespace patchbay::twilio {

namespace {

using sdk::support::Utf8;

constexpr std::string_view kHeader = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

void attribute(std::string& out, std::string_view name, std::string_view value)
{
    out += ' ';
    out.append(name);
    out += "=\"";
    TwimlBuilder::appendEscaped(out, value);
    out += '"';
}

void optionalAttribute(std::string& out, std::string_view name, std::string_view value)
{
    if (!value.empty())
        attribute(out, name, value);
}

void textElement(std::string& out, std::string_view tag, std::string_view text)
{
    out += '>';
    TwimlBuilder::appendEscaped(out, text);
    out += "</";
    out.append(tag);
    out += '>';
}

void appendSay(std::string& out, std::string_view message, std::string_view language, std::string_view voice)
{
    out += "<Say";
    optionalAttribute(out, "language", language);
    optionalAttribute(out, "voice", voice);
    textElement(out, "Say", message);
}

void appendDial(std::string& out, std::string_view number, std::string_view callerId, std::optional<int> timeoutSec)
{
    out += "<Dial";
    optionalAttribute(out, "callerId", callerId);
    if (timeoutSec)
        attribute(out, "timeout", std::to_string(*timeoutSec));
    textElement(out, "Dial", number);
}

std::string document(std::string_view body)
{
    std::string out;
    out.reserve(kHeader.size() + body.size() + 24);
    out.append(kHeader).append("<Response>").append(body).append("</Response>");
    return out;
}

} // namespace

void TwimlBuilder::appendEscaped(std::string& out, std::string_view text)
{
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = p + text.size();
    while (p < end)
    {
        const unsigned char c = *p;
        switch (c)
        {
        case '&': out += "&amp;"; ++p; continue;
        case '<': out += "&lt;"; ++p; continue;
        case '>': out += "&gt;"; ++p; continue;
        case '"': out += "&quot;"; ++p; continue;
        case '\'': out += "&apos;"; ++p; continue;
        // Raw CR/LF/TAB inside attributes would be normalised to spaces by the XML parser.
        case '\t': out += "&#9;"; ++p; continue;
        case '\n': out += "&#10;"; ++p; continue;
        case '\r': out += "&#13;"; ++p; continue;
        default: break;
        }
        if (c < 0x20)
        {
            ++p; // not representable in XML 1.0, not even as a character reference
            continue;
        }
        if (c < 0x80)
        {
            out += static_cast<char>(c);
            ++p;
            continue;
        }
        const std::size_t len = Utf8::sequenceLength(p, end);
        // U+FFFE and U+FFFF are valid UTF-8 but not XML characters.
        const bool nonCharacter = len == 3 && p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF);
        if (len == 0 || nonCharacter)
        {
            out += Utf8::kReplacement;
            p += len == 0 ? 1 : len;
            continue;
        }
        out.append(reinterpret_cast<const char*>(p), len);
        p += len;
    }
}

std::string TwimlBuilder::connectStream(const ConnectStreamSpec& spec)
{
    std::string body = "<Connect";
    if (!spec.actionUrl.empty())
    {
        attribute(body, "action", spec.actionUrl);
        optionalAttribute(body, "method", spec.actionMethod);
    }
    body += "><Stream";
    attribute(body, "url", spec.streamUrl);
    optionalAttribute(body, "name", spec.streamName);
    if (!spec.statusCallbackUrl.empty())
    {
        attribute(body, "statusCallback", spec.statusCallbackUrl);
        optionalAttribute(body, "statusCallbackMethod", spec.statusCallbackMethod);
    }
    if (spec.parameters.empty())
        body += "/>";
    else
    {
        body += '>';
        for (const auto& [name, value] : spec.parameters)
        {
            body += "<Parameter";
            attribute(body, "name", name);
            attribute(body, "value", value);
            body += "/>";
        }
        body += "</Stream>";
    }
    body += "</Connect>";
    return document(body);
}

std::string TwimlBuilder::reject(RejectReason reason)
{
    return document(reason == RejectReason::Busy ? "<Reject reason=\"busy\"/>" : "<Reject reason=\"rejected\"/>");
}

std::string TwimlBuilder::sayAndHangup(std::string_view message, std::string_view language, std::string_view voice)
{
    std::string body;
    appendSay(body, message, language, voice);
    body += "<Hangup/>";
    return document(body);
}

std::string TwimlBuilder::dialAndHangup(std::string_view number, std::string_view callerId,
                                        std::optional<int> timeoutSec)
{
    std::string body;
    appendDial(body, number, callerId, timeoutSec);
    body += "<Hangup/>";
    return document(body);
}

std::string TwimlBuilder::fallback(std::optional<std::string_view> sayMessage,
                                   std::optional<std::string_view> dialNumber, std::string_view language,
                                   std::string_view voice)
{
    std::string body;
    if (sayMessage && !sayMessage->empty())
        appendSay(body, *sayMessage, language, voice);
    if (dialNumber && !dialNumber->empty())
        appendDial(body, *dialNumber, {}, std::nullopt);
    body += "<Hangup/>";
    return document(body);
}

std::string TwimlBuilder::hangup()
{
    return document("<Hangup/>");
}

std::string TwimlBuilder::empty()
{
    return std::string(kHeader) + "<Response/>";
}

} // namespace patchbay::twilio
