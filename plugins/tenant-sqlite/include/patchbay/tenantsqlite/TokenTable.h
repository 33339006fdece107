// TokenTable.h: SQL for tenant_tokens — hashes of tenant API tokens, their labels and revocation times.
#ifndef PATCHBAY_TENANTSQLITE_TOKEN_TABLE_H
#define PATCHBAY_TENANTSQLITE_TOKEN_TABLE_H

#include <Poco/Data/Session.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "patchbay/sdk/Tenant.h"

namespace patchbay::tenantsqlite {

/// Only the SHA-256 of a token is stored (UNIQUE), so the table is no secret: a leaked file does
/// not let anyone authenticate. THREAD: the thread holding the session. Methods throw Poco::Exception.
class TokenTable
{
public:
    /// Whether a token with this id or this hash exists.
    static bool existsIdOrHash(Poco::Data::Session& session, const std::string& id, const std::string& sha256Hex);

    static void insert(Poco::Data::Session& session, const sdk::TenantToken& token);

    /// Sets revoked_at_ms unless already revoked (the first revocation time is kept).
    /// @return false for an unknown id.
    static bool revoke(Poco::Data::Session& session, const std::string& id, std::int64_t revokedAtMs);

    static std::optional<sdk::TenantToken> findByHash(Poco::Data::Session& session, const std::string& sha256Hex);

    /// One tenant's tokens, or all when tenantId is empty; oldest first.
    static std::vector<sdk::TenantToken> list(Poco::Data::Session& session, const std::string& tenantId);
};

} // namespace patchbay::tenantsqlite

#endif
