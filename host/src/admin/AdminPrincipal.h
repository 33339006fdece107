// AdminPrincipal.h: who an admin request acts as — the operator, or one tenant through one of its tokens.
#ifndef PATCHBAY_HOST_ADMIN_ADMIN_PRINCIPAL_H
#define PATCHBAY_HOST_ADMIN_ADMIN_PRINCIPAL_H

#include <string>

namespace patchbay::host {

/// Value type.
struct AdminPrincipal
{
    bool isOperator = false;
    std::string tenantId; ///< the tenant a tenant token belongs to; empty for the operator
    std::string tokenId;  ///< the tenant token's public id (for logs); empty for the operator

    /// Operator sees every tenant; a tenant token only its own.
    bool mayAccessTenant(const std::string& id) const { return isOperator || id == tenantId; }
    /// For log lines: "operator" or "tenant acme (token tok_...)". Never the token itself.
    std::string describe() const { return isOperator ? std::string("operator") : "tenant " + tenantId + " (" + tokenId + ")"; }
};

} // namespace patchbay::host

#endif
