// AdminRequest.h: one admin API request as endpoints see it — principal, decoded path parameters, query, JSON body.
#ifndef PATCHBAY_HOST_ADMIN_ADMIN_REQUEST_H
#define PATCHBAY_HOST_ADMIN_ADMIN_REQUEST_H

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <patchbay/sdk/Http.h>

#include "admin/AdminPrincipal.h"
#include "admin/JsonBody.h"

namespace patchbay::host {

/// Built by the router after authentication. Accessors throw AdminProblem (400) for malformed input,
/// naming the parameter. THREAD: the request's worker only.
class AdminRequest
{
public:
    AdminRequest(const sdk::HttpRequest& http, AdminPrincipal principal, std::vector<std::string> params);

    const sdk::HttpRequest& http() const noexcept { return _http; }
    const AdminPrincipal& principal() const noexcept { return _principal; }
    /// The i-th "{...}" of the route's path, percent-decoded.
    const std::string& param(std::size_t index) const { return _params.at(index); }

    /// Refuses query parameters outside `allowed` (a typo like ?tenat= would otherwise widen a list).
    void allowQuery(std::initializer_list<std::string_view> allowed) const;
    /// The decoded value of a query parameter, or nullopt when absent.
    std::optional<std::string> query(std::string_view name) const;
    /// An integer query parameter within [min, max], or `fallback` when absent.
    std::int64_t queryInteger(std::string_view name, std::int64_t min, std::int64_t max, std::int64_t fallback) const;

    /// The parsed body (400 when empty or not JSON, with the offset of the error).
    const JsonBody& body() const;

    /// 403 unless the principal is the operator.
    void requireOperator() const;
    /// The tenant a scoped list is about: a tenant token is confined to its own tenant (asking for
    /// another one is 404, as if it did not exist); the operator gets `requested` (empty = all).
    std::string scopeTenant(const std::optional<std::string>& requested, std::string_view field) const;

    /// Percent-decoding of a path segment or query component ('+' means space only in a query).
    /// @return nullopt for a malformed escape.
    static std::optional<std::string> percentDecode(std::string_view text, bool plusIsSpace);

private:
    const sdk::HttpRequest& _http;
    AdminPrincipal _principal;
    std::vector<std::string> _params;
    std::vector<std::pair<std::string, std::string>> _query;
    mutable std::unique_ptr<JsonBody> _body;
};

} // namespace patchbay::host

#endif
