// Migrations.h: the ordered schema steps of the tenant store, applied by PRAGMA user_version.
#ifndef PATCHBAY_TENANTSQLITE_MIGRATIONS_H
#define PATCHBAY_TENANTSQLITE_MIGRATIONS_H

#include <Poco/Data/Session.h>

#include <string>
#include <vector>

#include "patchbay/sdk/Status.h"

namespace patchbay::tenantsqlite {

/// One schema version: the statements that take the schema from version-1 to version.
struct MigrationStep
{
    int version = 0;
    std::string summary;                 ///< one line for the log, e.g. "accounts, tenants, numbers, calls"
    std::vector<std::string> statements; ///< run in order inside one transaction
};

/// Brings a database to the newest schema this build knows.
///
/// PRAGMA user_version holds the schema version (0 = empty file). Each missing step runs in its
/// own IMMEDIATE transaction together with the user_version bump, so a crash or a failing
/// statement leaves the file at the previous version, never half-migrated; the version is read
/// again inside the transaction, so two processes opening one fresh file migrate it once.
/// A file whose version is newer than the last step is refused: this build would misread it.
///
/// To add a version, append a step to Migrations::standard() (never edit a shipped step).
class Migrations
{
public:
    /// @param steps versions 1, 2, ... in order, without gaps.
    explicit Migrations(std::vector<MigrationStep> steps);

    /// The store's schema history.
    static const Migrations& standard();

    int latestVersion() const noexcept;
    const std::vector<MigrationStep>& steps() const noexcept { return _steps; }

    /// PRAGMA user_version of the session's database. @throws Poco::Exception.
    static int currentVersion(Poco::Data::Session& session);

    /// Applies every step above the file's version.
    /// @param label the file as named in messages (its path).
    /// @return the version now in the file; Internal when the file is newer than latestVersion();
    ///         the classified database error when a step fails (the file keeps its old version).
    sdk::Result<int> apply(Poco::Data::Session& session, const std::string& label) const noexcept;

private:
    std::vector<MigrationStep> _steps;
};

} // namespace patchbay::tenantsqlite

#endif
