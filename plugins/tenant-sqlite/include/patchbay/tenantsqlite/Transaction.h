// Transaction.h: RAII write transaction on one SQLite session — BEGIN IMMEDIATE, commit() or roll back.
#ifndef PATCHBAY_TENANTSQLITE_TRANSACTION_H
#define PATCHBAY_TENANTSQLITE_TRANSACTION_H

#include <Poco/Data/Session.h>

namespace patchbay::tenantsqlite {

/// IMMEDIATE takes the write lock up front (waiting up to busy_timeout), so a transaction that
/// reads before it writes cannot fail half-way with SQLITE_BUSY when another process writes —
/// the failure, if any, happens at begin, before anything was done.
/// THREAD: the thread holding the session.
class Transaction
{
public:
    /// @throws Poco::Exception when the write lock cannot be taken.
    explicit Transaction(Poco::Data::Session& session) : _session(session)
    {
        using Poco::Data::Keywords::now;
        _session << "BEGIN IMMEDIATE", now;
        _active = true;
    }

    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    ~Transaction()
    {
        if (!_active)
            return;
        try
        {
            using Poco::Data::Keywords::now;
            _session << "ROLLBACK", now;
        }
        catch (...)
        {
            // SQLite already rolled back (e.g. after an I/O error); nothing is left to undo.
        }
    }

    /// @throws Poco::Exception when the commit fails; the destructor then rolls back.
    void commit()
    {
        using Poco::Data::Keywords::now;
        _session << "COMMIT", now;
        _active = false;
    }

private:
    Poco::Data::Session& _session;
    bool _active = false;
};

} // namespace patchbay::tenantsqlite

#endif
