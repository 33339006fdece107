// AdminHandler.cpp: per-request flow of the admin API, its error answers, log line and metrics.
#include "admin/AdminHandler.h"

#include <chrono>

#include "admin/AdminProblem.h"
#include "admin/AdminRequest.h"

namespace patchbay::host {

AdminHandler::AdminHandler(const AdminRouteTable& routes, const AdminAuthenticator& authenticator, sdk::Logger& logger,
                           sdk::Metrics& metrics)
    : _routes(routes), _authenticator(authenticator), _logger(logger), _metrics(metrics)
{
}

std::optional<std::vector<std::string>> AdminHandler::splitPath(const std::string& path)
{
    std::vector<std::string> segments;
    std::string_view p = path;
    if (!p.empty() && p.front() == '/') p.remove_prefix(1);
    if (!p.empty() && p.back() == '/') p.remove_suffix(1);
    while (true)
    {
        const auto slash = p.find('/');
        auto decoded = AdminRequest::percentDecode(p.substr(0, slash), false);
        if (!decoded) return std::nullopt;
        segments.push_back(std::move(*decoded));
        if (slash == std::string_view::npos) break;
        p.remove_prefix(slash + 1);
    }
    return segments;
}

std::string AdminHandler::serve(const sdk::HttpRequest& request, sdk::HttpResponse& response, std::string& principalText)
{
    std::string pattern = "unmatched";
    try
    {
        AdminPrincipal principal = _authenticator.authenticate(request);
        principalText = principal.describe();
        if (request.body.size() > kMaxBodyBytes)
            throw AdminProblem(413, "request body larger than " + std::to_string(kMaxBodyBytes) + " bytes");
        auto segments = splitPath(request.path);
        if (!segments) throw AdminProblem::badRequest("", "malformed percent-encoding in the path");
        AdminRouteTable::Match match = _routes.match(request.method, *segments);
        if (!match.route)
        {
            if (match.pathKnown)
                throw AdminProblem(405, request.method + " is not allowed here (allowed: " + match.allow + ")")
                    .withHeader("Allow", match.allow);
            throw AdminProblem::notFound("no such endpoint: " + request.path);
        }
        pattern = match.route->pattern;
        if (match.route->access == AdminAccess::Operator && !principal.isOperator)
            throw AdminProblem::forbidden("this endpoint needs the operator token");
        AdminRequest adminRequest(request, std::move(principal), std::move(match.params));
        match.route->endpoint(adminRequest, response);
    }
    catch (const AdminProblem& problem)
    {
        if (problem.status() == 401)
            _metrics.counter("patchbay_admin_auth_failures_total", "Admin API requests refused for a missing or invalid token").inc();
        if (problem.status() >= 500)
            _logger.error("admin " + request.method + " " + request.path + ": " + problem.detail() +
                          (problem.logDetail().empty() ? "" : " (" + problem.logDetail() + ")"));
        problem.writeTo(response);
    }
    catch (const std::exception& e)
    {
        _logger.error("admin " + request.method + " " + request.path + " failed: " + e.what());
        AdminProblem(500, "internal error").writeTo(response);
    }
    return pattern;
}

void AdminHandler::handle(const sdk::HttpRequest& request, sdk::HttpResponse& response)
{
    const auto started = std::chrono::steady_clock::now();
    std::string principal = "unauthenticated";
    const std::string pattern = serve(request, response, principal);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    std::string line = "admin " + request.method + " " + request.path + " -> " + std::to_string(response.status) + " (" +
                       principal + ", " + std::to_string(ms) + " ms)";
    if (response.status == 401) line += " from " + request.remoteAddress;
    if (response.status >= 500) _logger.error(line);
    else if (response.status == 401 || response.status == 403) _logger.warn(line);
    else _logger.info(line);
    _metrics
        .counter("patchbay_admin_requests_total", "Admin API requests answered",
                 {{"endpoint", pattern}, {"method", request.method}, {"code", std::to_string(response.status)}})
        .inc();
}

} // namespace patchbay::host
