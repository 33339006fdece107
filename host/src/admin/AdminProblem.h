// AdminProblem.h: an admin API error as thrown by endpoints and sent as an RFC 9457 application/problem+json body.
#ifndef PATCHBAY_HOST_ADMIN_ADMIN_PROBLEM_H
#define PATCHBAY_HOST_ADMIN_ADMIN_PROBLEM_H

#include <cstddef>
#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <patchbay/sdk/Http.h>
#include <patchbay/sdk/Status.h>

namespace patchbay::host {

/// Endpoints throw this for every non-2xx answer; the router turns it into the response, so no
/// endpoint writes an error body by hand. Detail texts must never contain a secret.
/// Value type; THREAD: Any.
class AdminProblem : public std::exception
{
public:
    AdminProblem(int status, std::string detail, std::string field = {});

    static AdminProblem badRequest(std::string field, std::string detail);
    static AdminProblem notFound(std::string detail);
    static AdminProblem conflict(std::string detail, std::string field = {});
    /// Carries WWW-Authenticate: Bearer, as RFC 6750 asks of every 401.
    static AdminProblem unauthorized(std::string detail);
    static AdminProblem forbidden(std::string detail);
    static AdminProblem unavailable(std::string detail);

    /// A store error as the API reports it: NotFound 404, AlreadyExists 409, InvalidArgument 400 (the
    /// field taken from the store's "path: message"), Unavailable 503, anything else 500.
    static AdminProblem fromStatus(const sdk::Status& status);

    AdminProblem& withHeader(std::string name, std::string value);
    AdminProblem& withOffset(std::size_t offset);

    /// What only the log may see (a store's internal error message); never sent to the client.
    const std::string& logDetail() const noexcept { return _logDetail; }

    int status() const noexcept { return _status; }
    const std::string& detail() const noexcept { return _detail; }
    const std::string& field() const noexcept { return _field; }
    const char* what() const noexcept override { return _detail.c_str(); }

    /// The reason phrase for a status ("Not Found").
    static const char* title(int status) noexcept;
    /// Fills status, content type, headers and the problem body.
    void writeTo(sdk::HttpResponse& response) const;

private:
    int _status;
    std::string _detail;
    std::string _field;
    std::string _logDetail;
    std::optional<std::size_t> _offset;
    sdk::HttpHeaders _headers;
};

} // namespace patchbay::host

#endif
