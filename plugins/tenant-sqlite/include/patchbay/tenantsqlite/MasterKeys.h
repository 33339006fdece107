// MasterKeys.h: the AES-256 master keys the store protects secrets with — by key id, plus which one is active.
#ifndef PATCHBAY_TENANTSQLITE_MASTER_KEYS_H
#define PATCHBAY_TENANTSQLITE_MASTER_KEYS_H

#include <map>
#include <string>

namespace patchbay::tenantsqlite {

/// Keys come from the plugin config (files or environment variables), never from the database, so
/// a copied database file alone reveals no secret. Old keys stay listed until rotateSecrets() has
/// moved every value to the active one. Value type; the key bytes must never be logged.
struct MasterKeys
{
    static constexpr std::size_t kKeyBytes = 32;
    /// Key id of the fixed, publicly known development key (see "insecureDevelopmentKey").
    static constexpr const char* kInsecureDevelopmentKeyId = "insecure-dev";

    std::string activeId;                   ///< key new values are sealed with; empty = no key
    std::map<std::string, std::string> keys; ///< key id -> 32 raw bytes

    bool empty() const noexcept { return keys.empty(); }

    /// Adds the fixed development key (derived from a public constant: protects nothing against
    /// anyone who has read this source; it only keeps demos and tests on the encrypted code path).
    void addInsecureDevelopmentKey();
};

} // namespace patchbay::tenantsqlite

#endif
