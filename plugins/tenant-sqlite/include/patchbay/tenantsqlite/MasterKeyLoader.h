// MasterKeyLoader.h: reads the plugin config's "keys" object — key files, environment variables, the development key.
#ifndef PATCHBAY_TENANTSQLITE_MASTER_KEY_LOADER_H
#define PATCHBAY_TENANTSQLITE_MASTER_KEY_LOADER_H

#include <string>
#include <string_view>

#include "patchbay/sdk/Status.h"
#include "patchbay/sdk/support/JsonValue.h"
#include "patchbay/tenantsqlite/MasterKeys.h"

namespace patchbay::tenantsqlite {

/// The "keys" object (docs/operator/tenant-sqlite.md, "Secrets at rest"):
///
///   { "active": "k2",
///     "files": {"k1": "/etc/patchbay/k1.key", "k2": "/etc/patchbay/k2.key"},
///     "env":   {"k3": "PATCHBAY_MASTER_KEY_K3"},
///     "insecureDevelopmentKey": false }
///
/// A key is 32 random bytes written as base64 (44 characters) or hex (64), surrounding whitespace
/// ignored. Messages name the key id, the file or the variable, never the key's content.
class MasterKeyLoader
{
public:
    /// Key ids are [A-Za-z0-9_-]{1,32}: they are stored in every sealed value's prefix.
    static bool isKeyId(std::string_view id) noexcept;

    /// Decodes base64 or hex text into 32 bytes. @return false for anything else.
    static bool decodeKey(std::string_view text, std::string& key);

    /// @param where the path in messages, "config.keys".
    static sdk::Result<MasterKeys> fromJson(const sdk::support::JsonValue& value, std::string_view where) noexcept;
};

} // namespace patchbay::tenantsqlite

#endif
