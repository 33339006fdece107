// TokenTable.cpp: inserts, revokes and reads tenant API token hashes.
#include "patchbay/tenantsqlite/TokenTable.h"

#include <Poco/Data/Statement.h>

namespace patchbay::tenantsqlite {

using namespace Poco::Data::Keywords;
namespace kw = Poco::Data::Keywords;

namespace {

std::vector<sdk::TenantToken> select(Poco::Data::Session& session, const char* where, const std::string* key)
{
    std::vector<std::string> ids, tenants, hashes, labels;
    std::vector<Poco::Int64> created, revoked;
    Poco::Data::Statement statement(session);
    statement << "SELECT id, tenant_id, sha256, label, created_at_ms, revoked_at_ms FROM tenant_tokens" << where
              << " ORDER BY created_at_ms, id",
        into(ids), into(tenants), into(hashes), into(labels), into(created), into(revoked);
    if (key)
        statement, kw::bind(*key);
    statement.execute();
    std::vector<sdk::TenantToken> tokens(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i)
    {
        tokens[i].id = std::move(ids[i]);
        tokens[i].tenantId = std::move(tenants[i]);
        tokens[i].sha256Hex = std::move(hashes[i]);
        tokens[i].label = std::move(labels[i]);
        tokens[i].createdAtMs = created[i];
        tokens[i].revokedAtMs = revoked[i];
    }
    return tokens;
}

} // namespace

bool TokenTable::existsIdOrHash(Poco::Data::Session& session, const std::string& id, const std::string& sha256Hex)
{
    int n = 0;
    session << "SELECT count(*) FROM tenant_tokens WHERE id = ? OR sha256 = ?", into(n), kw::bind(id),
        kw::bind(sha256Hex), now;
    return n > 0;
}

void TokenTable::insert(Poco::Data::Session& session, const sdk::TenantToken& token)
{
    const Poco::Int64 created = token.createdAtMs;
    const Poco::Int64 revoked = token.revokedAtMs;
    session << "INSERT INTO tenant_tokens (id, tenant_id, sha256, label, created_at_ms, revoked_at_ms)"
               " VALUES (?, ?, ?, ?, ?, ?)",
        kw::bind(token.id), kw::bind(token.tenantId), kw::bind(token.sha256Hex), kw::bind(token.label),
        kw::bind(created), kw::bind(revoked), now;
}

bool TokenTable::revoke(Poco::Data::Session& session, const std::string& id, std::int64_t revokedAtMs)
{
    const Poco::Int64 at = revokedAtMs;
    int n = 0;
    session << "SELECT count(*) FROM tenant_tokens WHERE id = ?", into(n), kw::bind(id), now;
    if (n == 0)
        return false;
    session << "UPDATE tenant_tokens SET revoked_at_ms = ? WHERE id = ? AND revoked_at_ms = 0", kw::bind(at),
        kw::bind(id), now;
    return true;
}

std::optional<sdk::TenantToken> TokenTable::findByHash(Poco::Data::Session& session, const std::string& sha256Hex)
{
    std::vector<sdk::TenantToken> tokens = select(session, " WHERE sha256 = ?", &sha256Hex);
    if (tokens.empty())
        return std::nullopt;
    return std::move(tokens.front());
}

std::vector<sdk::TenantToken> TokenTable::list(Poco::Data::Session& session, const std::string& tenantId)
{
    return tenantId.empty() ? select(session, "", nullptr) : select(session, " WHERE tenant_id = ?", &tenantId);
}

} // namespace patchbay::tenantsqlite
