// StoreOptions.h: how SqliteTenantStore opens its database — file path, lock wait budget, reader pool size, master keys.
#ifndef PATCHBAY_TENANTSQLITE_STORE_OPTIONS_H
#define PATCHBAY_TENANTSQLITE_STORE_OPTIONS_H

#include <cstddef>
#include <string>

#include "patchbay/tenantsqlite/MasterKeys.h"

namespace patchbay::tenantsqlite {

/// Value type.
struct StoreOptions
{
    static constexpr int kDefaultBusyTimeoutMs = 5000;
    static constexpr std::size_t kDefaultReadConnections = 4;

    std::string path;                                      ///< SQLite file; its parent directory is created if missing
    int busyTimeoutMs = kDefaultBusyTimeoutMs;             ///< longest wait for a lock or a free connection before Unavailable
    std::size_t readConnections = kDefaultReadConnections; ///< concurrent readers (WAL lets them run beside the writer)
    MasterKeys keys;                                       ///< secrets are sealed with keys.activeId; none = secrets refused
};

} // namespace patchbay::tenantsqlite

#endif
