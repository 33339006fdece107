// V1Database.h: builds a schema-v1 tenant database with data in it, as a gateway of the first release left it.
#ifndef PATCHBAY_TESTS_STORE_V1_DATABASE_H
#define PATCHBAY_TESTS_STORE_V1_DATABASE_H

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>

#include <string>

#include "StoreTestData.h"
#include "patchbay/tenantsqlite/Migrations.h"
#include "patchbay/tenantsqlite/SqliteTenantStore.h"

namespace patchbay::tenantsqlite::test {

/// Only the v1 step, so the file is exactly what v1 wrote (secrets in plaintext).
inline Migrations v1Only()
{
    return Migrations({Migrations::standard().steps().at(0)});
}

/// A v1 file holding account AC...01 (kAuthToken, kSecondaryToken), tenant "acme" (kApiKey),
/// number +15550100 -> acme and call CA-v1, written with v1's own column set.
inline void createV1Database(const std::string& path)
{
    const Migrations v1 = v1Only();
    {
        SqliteTenantStore store(v1);
        StoreOptions options;
        options.path = path;
        if (!store.open(options))
            throw std::runtime_error("cannot create a v1 database at " + path);
    }
    using namespace Poco::Data::Keywords;
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY, path);
    std::string sid = "AC00000000000000000000000000000001", token = kAuthToken, secondary = kSecondaryToken,
                apiKey = kApiKey;
    session << "INSERT INTO accounts (sid, parent_sid, auth_token, secondary_token) VALUES (?, '', ?, ?)", use(sid),
        use(token), use(secondary), now;
    session << "INSERT INTO tenants (id, name, agent_provider, agent_id, dynamic_variables, agent_api_key,"
               " max_concurrent_calls, fallback_number) VALUES ('acme', 'Acme', 'elevenlabs', 'agent_acme',"
               " '{\"company\":\"Acme\"}', ?, 3, '+15550199')",
        use(apiKey), now;
    session << "INSERT INTO phone_numbers (number, tenant_id, account_sid) VALUES ('+15550100', 'acme', ?)", use(sid),
        now;
    session << "INSERT INTO calls (call_sid, tenant_id, account_sid, status, received_at_ms, duration_ms, end_reason)"
               " VALUES ('CA-v1', 'acme', ?, 'ended', 1000, 61000, 'caller-hung-up')",
        use(sid), now;
}

} // namespace patchbay::tenantsqlite::test

#endif
