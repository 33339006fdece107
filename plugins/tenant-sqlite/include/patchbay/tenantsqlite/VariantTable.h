// VariantTable.h: SQL for the tenant_variants table — a tenant's weighted A/B agent variants.
#ifndef PATCHBAY_TENANTSQLITE_VARIANT_TABLE_H
#define PATCHBAY_TENANTSQLITE_VARIANT_TABLE_H

#include <Poco/Data/Session.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "patchbay/sdk/Tenant.h"
#include "patchbay/tenantsqlite/SecretCipher.h"

namespace patchbay::tenantsqlite {

/// Variants are owned by their tenant: saved as a whole list with it and read back in the order
/// they were given. The agent API key column is sealed like every other secret.
/// THREAD: the thread holding the session. Methods throw Poco::Exception or SecretError.
class VariantTable
{
public:
    /// The variants of one tenant, in their saved order.
    static std::vector<sdk::AgentVariant> forTenant(Poco::Data::Session& session, const SecretCipher& cipher,
                                                    const std::string& tenantId);

    /// Every tenant's variants, keyed by tenant id.
    static std::map<std::string, std::vector<sdk::AgentVariant>> all(Poco::Data::Session& session,
                                                                     const SecretCipher& cipher);

    /// Replaces the tenant's variants with `variants`.
    static void replace(Poco::Data::Session& session, const SecretCipher& cipher, const std::string& tenantId,
                        const std::vector<sdk::AgentVariant>& variants);

    /// Re-seals every secret not under the active key, or with legacyOnly only the "plain:" ones
    /// schema v1 left. @return how many values were re-sealed.
    static std::uint64_t reseal(Poco::Data::Session& session, const SecretCipher& cipher, bool legacyOnly);
};

} // namespace patchbay::tenantsqlite

#endif
