// AdminAuthenticator.h: turns an admin request's bearer token into a principal — the operator or one tenant.
#ifndef PATCHBAY_HOST_ADMIN_ADMIN_AUTHENTICATOR_H
#define PATCHBAY_HOST_ADMIN_ADMIN_AUTHENTICATOR_H

#include <string>
#include <string_view>

#include <patchbay/sdk/Http.h>
#include <patchbay/sdk/TenantStore.h>

#include "admin/AdminPrincipal.h"
#include "admin/AdminTokens.h"

namespace patchbay::host {

/// The operator token is held only as its SHA-256 digest and compared with CRYPTO_memcmp. Tenant
/// tokens are looked up by their SHA-256 hex (the store never sees a token); a revoked token, or one
/// whose tenant is gone, is as invalid as an unknown one and gets the same answer.
/// THREAD: Any.
class AdminAuthenticator
{
public:
    /// @throws std::invalid_argument for an empty operator token (an API nobody can be operator of
    ///         would be a misconfiguration, not a lock).
    AdminAuthenticator(std::string_view operatorToken, sdk::TenantStore* store);

    /// @throws AdminProblem 401 (with WWW-Authenticate) for a missing, malformed, unknown or revoked
    ///         token; 503 when the store cannot be asked about a tenant token.
    AdminPrincipal authenticate(const sdk::HttpRequest& request) const;

    /// The token of "Authorization: Bearer <token>" (scheme case-insensitive), or empty.
    static std::string_view bearerToken(std::string_view authorization) noexcept;

private:
    AdminTokens::Digest _operatorDigest;
    sdk::TenantStore* _store;
};

} // namespace patchbay::host

#endif
