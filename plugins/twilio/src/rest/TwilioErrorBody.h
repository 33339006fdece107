// TwilioErrorBody.h: turns a failed Twilio REST response (error JSON, HTML from a proxy, nothing) into a status code and a one-line description.
#ifndef PATCHBAY_TWILIO_REST_TWILIO_ERROR_BODY_H
#define PATCHBAY_TWILIO_REST_TWILIO_ERROR_BODY_H

#include <cstddef>
#include <string>
#include <string_view>

#include <patchbay/sdk/Status.h>

namespace patchbay::twilio::rest {

/// The fields of Twilio's error document {"code": 21211, "message": "…", "more_info": "https://…",
/// "status": 400}. `parsed` is false when the body is not a JSON object (empty, HTML, truncated).
/// Other JSON error shapes (RFC 7807 problem documents from gateways and mocks) fill `message`
/// from "detail" or "title".
struct TwilioErrorBody
{
    bool parsed = false;
    std::string code;     ///< as written ("21211"); empty when absent
    std::string message;  ///< sanitised, bounded
    std::string moreInfo; ///< sanitised, bounded
};

TwilioErrorBody parseTwilioErrorBody(std::string_view body);

/// 400/422 → InvalidArgument, 401/403 → PermissionDenied, 404 → NotFound, 409 → AlreadyExists,
/// 429/5xx → Unavailable, anything else → Internal. Only meaningful for non-2xx statuses.
sdk::StatusCode statusCodeForHttp(int httpStatus) noexcept;

/// "400 (code 21211) The 'To' number … — https://www.twilio.com/docs/errors/21211", or for a body
/// that is not Twilio JSON: "502 (not a Twilio error document: text/html, 1234 bytes: \"<html>…\")".
std::string describeHttpFailure(int httpStatus, std::string_view contentType, std::string_view body);

/// Text from a remote peer made fit for a one-line Status message: control characters become
/// spaces, runs of whitespace collapse, invalid UTF-8 becomes '?', and at most maxBytes are kept
/// (cut on a character boundary, "…" appended).
std::string sanitizeForMessage(std::string_view text, std::size_t maxBytes);

} // namespace patchbay::twilio::rest

#endif
