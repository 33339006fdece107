// AdminApi.h: the admin HTTP API — its own listener (a second HttpFront with its own RouteTable) over the tenant store.
#ifndef PATCHBAY_HOST_ADMIN_ADMIN_API_H
#define PATCHBAY_HOST_ADMIN_ADMIN_API_H

#include <cstdint>
#include <memory>

#include <patchbay/sdk/Logger.h>
#include <patchbay/sdk/Metrics.h>
#include <patchbay/sdk/TenantStore.h>

#include "admin/AdminAuthenticator.h"
#include "admin/AdminContext.h"
#include "admin/AdminRouteTable.h"
#include "config/HostConfig.h"
#include "engine/MediaEngine.h"
#include "http/HttpFront.h"
#include "http/RouteTable.h"

namespace patchbay::host {

/// Endpoints and rules: docs/admin-api.md. Separate from the public listener so it can stay on
/// loopback (DESIGN §6) and so webhook traffic never queues behind admin work or vice versa.
///
/// OWNERSHIP: borrows the store, logger, metrics and engine; all must outlive the AdminApi (stop()
/// before the store shuts down). The engine is only there because HttpFront needs one: the admin
/// listener registers no WebSocket endpoint, so it never hands a socket to it.
/// THREAD: construct, start() and stop() on Control; requests run on the listener's own workers.
class AdminApi
{
public:
    /// Largest body the listener reads at all; bodies between AdminHandler::kMaxBodyBytes and this get
    /// a problem+json 413, larger ones HttpFront's plain 413.
    static constexpr std::size_t kTransportBodyLimit = 1024 * 1024;

    /// @param store may be null (no tenant store running): every request that needs it answers 503.
    /// @param clock Unix milliseconds.
    /// @throws std::invalid_argument when config.operatorToken is empty.
    AdminApi(sdk::TenantStore* store, const AdminConfig& config, sdk::Logger& logger, sdk::Metrics& metrics,
             MediaEngine& engine, AdminClock clock);
    ~AdminApi();
    AdminApi(const AdminApi&) = delete;
    AdminApi& operator=(const AdminApi&) = delete;

    /// Gives the carrier endpoints their providers and the core's call counts. THREAD: Control, before start().
    void setCarrier(AdminCarrier carrier) { _context.carrier = std::move(carrier); }

    /// Binds config.listen and serves. @throws Poco::Exception when the address cannot be bound.
    void start();
    /// Stops accepting and waits for requests in flight. Idempotent.
    void stop();
    /// The bound port (with listen port 0, the one the OS chose); 0 before start().
    std::uint16_t port() const;

private:
    AdminConfig _config;
    sdk::Logger& _logger;
    AdminContext _context;
    AdminAuthenticator _authenticator;
    AdminRouteTable _adminRoutes;
    RouteTable _routes;
    std::unique_ptr<HttpFront> _front;
};

} // namespace patchbay::host

#endif
