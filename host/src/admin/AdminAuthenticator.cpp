// AdminAuthenticator.cpp: bearer parsing, the constant-time operator check and the tenant token lookup.
#include "admin/AdminAuthenticator.h"

#include <stdexcept>

#include "admin/AdminProblem.h"

namespace patchbay::host {

AdminAuthenticator::AdminAuthenticator(std::string_view operatorToken, sdk::TenantStore* store) : _store(store)
{
    if (operatorToken.empty()) throw std::invalid_argument("the admin API needs an operator token");
    _operatorDigest = AdminTokens::sha256(operatorToken);
}

std::string_view AdminAuthenticator::bearerToken(std::string_view authorization) noexcept
{
    constexpr std::string_view kScheme = "bearer";
    if (authorization.size() <= kScheme.size() + 1) return {};
    for (std::size_t i = 0; i < kScheme.size(); ++i)
    {
        char c = authorization[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != kScheme[i]) return {};
    }
    std::string_view rest = authorization.substr(kScheme.size());
    if (rest.front() != ' ') return {};
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    while (!rest.empty() && rest.back() == ' ') rest.remove_suffix(1);
    if (rest.find(' ') != std::string_view::npos) return {};
    return rest;
}

AdminPrincipal AdminAuthenticator::authenticate(const sdk::HttpRequest& request) const
{
    const std::string_view header = request.header("Authorization");
    if (header.empty()) throw AdminProblem::unauthorized("missing bearer token (Authorization: Bearer <token>)");
    const std::string_view token = bearerToken(header);
    if (token.empty()) throw AdminProblem::unauthorized("expected Authorization: Bearer <token>");

    AdminPrincipal principal;
    if (AdminTokens::digestEquals(AdminTokens::sha256(token), _operatorDigest))
    {
        principal.isOperator = true;
        return principal;
    }
    if (token.size() > 1024) throw AdminProblem::unauthorized("invalid or revoked token");
    if (!_store) throw AdminProblem::unavailable("no tenant store is running to check tenant tokens");
    sdk::Result<sdk::TenantToken> found = _store->findTenantTokenByHash(AdminTokens::sha256Hex(token));
    if (!found.isOk())
    {
        if (found.status().code() == sdk::StatusCode::NotFound) throw AdminProblem::unauthorized("invalid or revoked token");
        throw AdminProblem::fromStatus(found.status());
    }
    if (found->revokedAtMs != 0) throw AdminProblem::unauthorized("invalid or revoked token");
    sdk::Result<sdk::Tenant> tenant = _store->findTenant(found->tenantId);
    if (!tenant.isOk())
    {
        if (tenant.status().code() == sdk::StatusCode::NotFound) throw AdminProblem::unauthorized("invalid or revoked token");
        throw AdminProblem::fromStatus(tenant.status());
    }
    principal.tenantId = found->tenantId;
    principal.tokenId = found->id;
    return principal;
}

} // namespace patchbay::host
