// ConnectionPool.cpp: opening, lending and closing the store's SQLite sessions.
#include "patchbay/tenantsqlite/ConnectionPool.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Exception.h>

#include <chrono>

namespace patchbay::tenantsqlite {

namespace {

void registerConnectorOnce()
{
    // Never unregistered: other code in the process (another store instance, the other copy of
    // this library inside the plugin) may share Poco's connector registry.
    static std::once_flag once;
    std::call_once(once, [] { Poco::Data::SQLite::Connector::registerConnector(); });
}

} // namespace

ConnectionPool::Lease::Lease(ConnectionPool& pool, Poco::Data::Session* session) noexcept : _pool(&pool), _session(session)
{
}

ConnectionPool::Lease::Lease(Lease&& other) noexcept : _pool(other._pool), _session(other._session)
{
    other._pool = nullptr;
    other._session = nullptr;
}

ConnectionPool::Lease::~Lease()
{
    if (_pool && _session)
        _pool->release(_session);
}

ConnectionPool::~ConnectionPool()
{
    close();
}

void ConnectionPool::open(const std::string& path, std::size_t size, int waitMs, const Setup& setup)
{
    registerConnectorOnce();
    std::vector<std::unique_ptr<Poco::Data::Session>> sessions;
    sessions.reserve(size);
    for (std::size_t i = 0; i < size; ++i)
    {
        auto session = std::make_unique<Poco::Data::Session>(Poco::Data::SQLite::Connector::KEY, path);
        if (setup)
            setup(*session);
        sessions.push_back(std::move(session));
    }

    std::lock_guard<std::mutex> lock(_mutex);
    if (_open)
        throw Poco::IllegalStateException("connection pool is already open");
    _sessions = std::move(sessions);
    _free.clear();
    for (auto& session : _sessions)
        _free.push_back(session.get());
    _lent = 0;
    _waitMs = waitMs < 0 ? 0 : waitMs;
    _open = true;
}

void ConnectionPool::close() noexcept
{
    std::vector<std::unique_ptr<Poco::Data::Session>> closing;
    {
        std::unique_lock<std::mutex> lock(_mutex);
        if (!_open)
            return;
        _open = false;
        _changed.notify_all();
        // Statements in flight finish first; closing a session under a running statement would crash.
        _changed.wait(lock, [this] { return _lent == 0; });
        closing = std::move(_sessions);
        _sessions.clear();
        _free.clear();
    }
    for (auto& session : closing)
    {
        try
        {
            session->close();
        }
        catch (...)
        {
            // Nothing useful to do while shutting down; the file stays consistent either way.
        }
    }
}

bool ConnectionPool::isOpen() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _open;
}

ConnectionPool::Lease ConnectionPool::acquire()
{
    std::unique_lock<std::mutex> lock(_mutex);
    const bool ready = _changed.wait_for(lock, std::chrono::milliseconds(_waitMs),
                                         [this] { return !_open || !_free.empty(); });
    if (!_open)
        throw Poco::IllegalStateException("tenant store is closed");
    if (!ready)
        throw Poco::TimeoutException("no free database connection within " + std::to_string(_waitMs) + " ms");
    Poco::Data::Session* session = _free.back();
    _free.pop_back();
    ++_lent;
    return Lease(*this, session);
}

void ConnectionPool::release(Poco::Data::Session* session) noexcept
{
    std::lock_guard<std::mutex> lock(_mutex);
    --_lent;
    // After close() began the session is closed by close() itself; only an open pool re-lends it.
    if (_open)
        _free.push_back(session);
    _changed.notify_all();
}

} // namespace patchbay::tenantsqlite
