// TwilioErrorBody.cpp: Twilio error JSON parsing, HTTP status → StatusCode mapping and safe one-line descriptions of failed responses.
#include "rest/TwilioErrorBody.h"

#include <patchbay/sdk/support/Json.h>

namespace patchbay::twilio::rest {

namespace {

using sdk::support::JsonDocument;
using sdk::support::JsonValue;
using sdk::support::Utf8;

constexpr std::size_t kMaxMessageBytes = 400;
constexpr std::size_t kMaxMoreInfoBytes = 200;
constexpr std::size_t kMaxSnippetBytes = 120;

/// A scalar member as text: strings as they are, numbers as written; empty otherwise.
std::string scalarText(const JsonValue& value)
{
    if (value.isString()) return std::string(value.asString());
    if (value.isNumber()) return std::string(value.numberText());
    return {};
}

} // namespace

std::string sanitizeForMessage(std::string_view text, std::size_t maxBytes)
{
    std::string out;
    out.reserve(text.size() < maxBytes ? text.size() : maxBytes);
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = p + text.size();
    bool truncated = false;
    while (p < end)
    {
        std::size_t len = Utf8::sequenceLength(p, end);
        char replacement = 0;
        if (len == 0)
        {
            replacement = '?';
            len = 1;
        }
        else if (len == 1 && (*p < 0x20 || *p == 0x7F))
        {
            replacement = ' ';
        }
        const std::size_t produced = replacement ? 1 : len;
        if (out.size() + produced > maxBytes)
        {
            truncated = true;
            break;
        }
        if (replacement == ' ' || (len == 1 && *p == ' '))
        {
            if (!out.empty() && out.back() != ' ') out.push_back(' ');
        }
        else if (replacement)
        {
            out.push_back(replacement);
        }
        else
        {
            out.append(reinterpret_cast<const char*>(p), len);
        }
        p += len;
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    if (truncated) out += "\xE2\x80\xA6"; // …
    return out;
}

TwilioErrorBody parseTwilioErrorBody(std::string_view body)
{
    TwilioErrorBody out;
    JsonDocument doc;
    if (!doc.parse(body) || !doc.root().isObject()) return out;
    const JsonValue& root = doc.root();
    out.parsed = true;
    out.code = sanitizeForMessage(scalarText(root["code"]), 32);
    std::string message = scalarText(root["message"]);
    if (message.empty())
    {
        // RFC 7807 problem documents (load balancers, Prism): "title" is the summary, "detail" the specifics.
        const std::string title = scalarText(root["title"]);
        const std::string detail = scalarText(root["detail"]);
        message = title;
        if (!detail.empty()) message += (message.empty() ? "" : ": ") + detail;
    }
    out.message = sanitizeForMessage(message, kMaxMessageBytes);
    out.moreInfo = sanitizeForMessage(scalarText(root["more_info"]), kMaxMoreInfoBytes);
    return out;
}

sdk::StatusCode statusCodeForHttp(int httpStatus) noexcept
{
    switch (httpStatus)
    {
    case 400:
    case 422: return sdk::StatusCode::InvalidArgument;
    case 401:
    case 403: return sdk::StatusCode::PermissionDenied;
    case 404: return sdk::StatusCode::NotFound;
    case 409: return sdk::StatusCode::AlreadyExists;
    case 429: return sdk::StatusCode::Unavailable;
    default: break;
    }
    if (httpStatus >= 500 && httpStatus <= 599) return sdk::StatusCode::Unavailable;
    return sdk::StatusCode::Internal;
}

std::string describeHttpFailure(int httpStatus, std::string_view contentType, std::string_view body)
{
    std::string out = std::to_string(httpStatus);
    const TwilioErrorBody error = parseTwilioErrorBody(body);
    if (error.parsed && (!error.code.empty() || !error.message.empty()))
    {
        if (!error.code.empty()) out += " (code " + error.code + ")";
        if (!error.message.empty()) out += " " + error.message;
        if (!error.moreInfo.empty()) out += " \xE2\x80\x94 " + error.moreInfo; // —
        return out;
    }
    if (body.empty())
    {
        out += " (empty body)";
        return out;
    }
    out += " (not a Twilio error document: ";
    const std::string type = sanitizeForMessage(contentType, 80);
    out += type.empty() ? std::string("no content type") : type;
    out += ", " + std::to_string(body.size()) + " bytes: \"" + sanitizeForMessage(body, kMaxSnippetBytes) + "\")";
    return out;
}

} // namespace patchbay::twilio::rest
