// ConnectionPool.h: a fixed set of Poco::Data SQLite sessions on one file, lent to one thread at a time.
#ifndef PATCHBAY_TENANTSQLITE_CONNECTION_POOL_H
#define PATCHBAY_TENANTSQLITE_CONNECTION_POOL_H

#include <Poco/Data/Session.h>

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace patchbay::tenantsqlite {

/// A Poco::Data::Session is not thread-safe, so each is lent to one thread at a time. The store
/// keeps two pools: one writer (SQLite allows one writer; serialising our own writes here means
/// they never fight each other for the file lock) and several readers (WAL lets readers run
/// beside the writer). Poco's own SessionPool fails at once when exhausted; this one waits a
/// bounded time, which is what the store's busy budget means.
///
/// THREAD: Any for acquire(); open()/close() from the owner only, never concurrently with each other.
class ConnectionPool
{
public:
    /// Runs on every new session before it is lent out (pragmas). May throw.
    using Setup = std::function<void(Poco::Data::Session&)>;

    /// RAII loan of one session; returns it to the pool when destroyed. Move-only.
    class Lease
    {
    public:
        Lease(Lease&& other) noexcept;
        Lease& operator=(Lease&&) = delete;
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        ~Lease();

        Poco::Data::Session& session() noexcept { return *_session; }

    private:
        friend class ConnectionPool;
        Lease(ConnectionPool& pool, Poco::Data::Session* session) noexcept;

        ConnectionPool* _pool;
        Poco::Data::Session* _session;
    };

    ConnectionPool() = default;
    ConnectionPool(const ConnectionPool&) = delete;
    ConnectionPool& operator=(const ConnectionPool&) = delete;
    ~ConnectionPool();

    /// Opens `size` sessions on `path` and runs `setup` on each.
    /// @throws Poco::Exception when a session cannot be opened or set up; the pool then stays closed.
    void open(const std::string& path, std::size_t size, int waitMs, const Setup& setup);

    /// Waits for every lent session to come back, then closes them all. Idempotent.
    void close() noexcept;

    bool isOpen() const;

    /// @throws Poco::IllegalStateException when closed, Poco::TimeoutException when no session is
    ///         free within the wait budget given to open().
    Lease acquire();

private:
    void release(Poco::Data::Session* session) noexcept;

    mutable std::mutex _mutex;
    std::condition_variable _changed;
    std::vector<std::unique_ptr<Poco::Data::Session>> _sessions;
    std::vector<Poco::Data::Session*> _free;
    std::size_t _lent = 0;
    int _waitMs = 0;
    bool _open = false;
};

} // namespace patchbay::tenantsqlite

#endif
