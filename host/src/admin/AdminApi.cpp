// AdminApi.cpp: wiring of the admin endpoints onto their own HttpFront.
#include "admin/AdminApi.h"

#include "admin/AccountEndpoints.h"
#include "admin/AdminHandler.h"
#include "admin/CallEndpoints.h"
#include "admin/CarrierEndpoints.h"
#include "admin/DoctorEndpoints.h"
#include "admin/NumberEndpoints.h"
#include "admin/SystemEndpoints.h"
#include "admin/TenantEndpoints.h"
#include "admin/TokenEndpoints.h"

namespace patchbay::host {
namespace {

bool isLoopback(const std::string& host)
{
    return host == "localhost" || host == "::1" || host.compare(0, 4, "127.") == 0;
}

} // namespace

AdminApi::AdminApi(sdk::TenantStore* store, const AdminConfig& config, sdk::Logger& logger, sdk::Metrics& metrics,
                   MediaEngine& engine, AdminClock clock)
    : _config(config), _logger(logger), _authenticator(config.operatorToken, store)
{
    // The token now lives only as a digest inside the authenticator.
    _config.operatorToken.assign(_config.operatorToken.size(), '\0');
    _config.operatorToken.clear();
    _context.store = store;
    _context.clock = std::move(clock);
    _context.logger = &logger;
    SystemEndpoints::addRoutes(_adminRoutes, _context);
    AccountEndpoints::addRoutes(_adminRoutes, _context);
    TenantEndpoints::addRoutes(_adminRoutes, _context);
    TokenEndpoints::addRoutes(_adminRoutes, _context);
    NumberEndpoints::addRoutes(_adminRoutes, _context);
    CallEndpoints::addRoutes(_adminRoutes, _context);
    CarrierEndpoints::addRoutes(_adminRoutes, _context);
    DoctorEndpoints::addRoutes(_adminRoutes, _context);

    auto handler = std::make_shared<AdminHandler>(_adminRoutes, _authenticator, logger, metrics);
    for (const char* method : {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
        _routes.addHttp({"admin", method, "/", true, handler, nullptr});

    HttpFrontOptions fo;
    fo.host = _config.listenHost;
    fo.port = _config.listenPort;
    fo.threads = _config.threads;
    fo.maxQueued = 64;
    fo.backlog = 64;
    fo.maxBodyBytes = kTransportBodyLimit;
    _front = std::make_unique<HttpFront>(fo, _routes, engine, logger, metrics);
}

AdminApi::~AdminApi()
{
    stop();
}

void AdminApi::start()
{
    _front->start();
    _logger.info("admin API listening on " + _config.listenHost + ":" + std::to_string(_front->port()) +
                 (_context.store ? "" : " (no tenant store running: requests that need it answer 503)"));
    if (!isLoopback(_config.listenHost))
        _logger.warn("admin API is bound to " + _config.listenHost +
                     ", not loopback: it speaks plain HTTP, so bearer tokens cross the network in clear text");
}

void AdminApi::stop()
{
    if (_front) _front->stop();
}

std::uint16_t AdminApi::port() const
{
    return _front ? _front->port() : 0;
}

} // namespace patchbay::host
