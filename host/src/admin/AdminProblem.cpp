// AdminProblem.cpp: problem+json bodies and the mapping of store statuses to HTTP statuses.
#include "admin/AdminProblem.h"

#include <patchbay/sdk/support/JsonWriter.h>

namespace patchbay::host {
namespace {

/// "tenant.limits.callsPerMinute: must be ..." -> "limits.callsPerMinute". The store prefixes paths
/// with the record kind; the API's fields are relative to the request body.
std::string fieldOf(const std::string& message)
{
    const auto colon = message.find(": ");
    if (colon == std::string::npos || colon == 0) return {};
    std::string path = message.substr(0, colon);
    if (path.find(' ') != std::string::npos) return {};
    for (const char* prefix : {"tenant.", "account.", "route.", "number.", "token.", "call."})
    {
        const std::string p(prefix);
        if (path.compare(0, p.size(), p) == 0) return path.substr(p.size());
    }
    return path;
}

} // namespace

AdminProblem::AdminProblem(int status, std::string detail, std::string field)
    : _status(status), _detail(std::move(detail)), _field(std::move(field))
{
}

AdminProblem AdminProblem::badRequest(std::string field, std::string detail)
{
    return AdminProblem(400, std::move(detail), std::move(field));
}

AdminProblem AdminProblem::notFound(std::string detail)
{
    return AdminProblem(404, std::move(detail));
}

AdminProblem AdminProblem::conflict(std::string detail, std::string field)
{
    return AdminProblem(409, std::move(detail), std::move(field));
}

AdminProblem AdminProblem::unauthorized(std::string detail)
{
    AdminProblem p(401, std::move(detail));
    p.withHeader("WWW-Authenticate", "Bearer realm=\"patchbay-admin\"");
    return p;
}

AdminProblem AdminProblem::forbidden(std::string detail)
{
    return AdminProblem(403, std::move(detail));
}

AdminProblem AdminProblem::unavailable(std::string detail)
{
    AdminProblem p(503, std::move(detail));
    p.withHeader("Retry-After", "1");
    return p;
}

AdminProblem AdminProblem::fromStatus(const sdk::Status& status)
{
    switch (status.code())
    {
    case sdk::StatusCode::NotFound: return notFound(status.message());
    case sdk::StatusCode::AlreadyExists: return conflict(status.message());
    case sdk::StatusCode::InvalidArgument: return badRequest(fieldOf(status.message()), status.message());
    case sdk::StatusCode::PermissionDenied: return forbidden(status.message());
    case sdk::StatusCode::Unavailable: return unavailable("tenant store unavailable: " + status.message());
    default: break;
    }
    // The store's internal message stays in the log (the router logs 5xx); the client learns only that it failed.
    AdminProblem p(500, "tenant store error");
    p._logDetail = status.toString();
    return p;
}

AdminProblem& AdminProblem::withHeader(std::string name, std::string value)
{
    _headers.emplace_back(std::move(name), std::move(value));
    return *this;
}

AdminProblem& AdminProblem::withOffset(std::size_t offset)
{
    _offset = offset;
    return *this;
}

const char* AdminProblem::title(int status) noexcept
{
    switch (status)
    {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Error";
    }
}

void AdminProblem::writeTo(sdk::HttpResponse& response) const
{
    response.status = _status;
    response.contentType = "application/problem+json";
    for (const auto& h : _headers) response.headers.push_back(h);
    response.body.clear();
    sdk::support::JsonWriter w(response.body);
    w.beginObject().key("type").value("about:blank").key("title").value(title(_status)).key("status").value(_status);
    w.key("detail").value(_detail);
    if (!_field.empty()) w.key("field").value(_field);
    if (_offset) w.key("offset").value(static_cast<std::uint64_t>(*_offset));
    w.endObject();
}

} // namespace patchbay::host
