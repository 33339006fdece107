// StoreStats.h: a snapshot of what an open tenant store holds and how its writer connection is configured.
#ifndef PATCHBAY_TENANTSQLITE_STORE_STATS_H
#define PATCHBAY_TENANTSQLITE_STORE_STATS_H

#include <cstdint>
#include <string>

namespace patchbay::tenantsqlite {

/// Value type. The pragma fields are read back from the writer connection so that tests and the
/// startup log show what SQLite actually applied, not what was asked for.
struct StoreStats
{
    int schemaVersion = 0;
    std::int64_t accounts = 0;
    std::int64_t tenants = 0;
    std::int64_t numbers = 0;
    std::int64_t calls = 0;
    std::string journalMode; ///< "wal" when open
    int synchronous = 0;     ///< 2 = FULL
    bool foreignKeys = false;
};

} // namespace patchbay::tenantsqlite

#endif
