// HealthRoutes.h: the host's own routes — /healthz (process up), /readyz (serving), /metrics (Prometheus text).
#ifndef PATCHBAY_HOST_APP_HEALTH_ROUTES_H
#define PATCHBAY_HOST_APP_HEALTH_ROUTES_H

#include <atomic>
#include <functional>
#include <string>

#include <patchbay/sdk/Http.h>

namespace patchbay::host {

class MetricsRegistry;

class HealthzHandler final : public sdk::HttpHandler
{
public:
    void handle(const sdk::HttpRequest&, sdk::HttpResponse& response) noexcept override
    {
        response.status = 200;
        response.body = "ok\n";
    }
};

/// 200 only while every plugin started, the store answers and no drain is in progress.
class ReadyzHandler final : public sdk::HttpHandler
{
public:
    /// @param check returns an empty string when ready, else the reason.
    explicit ReadyzHandler(std::function<std::string()> check) : _check(std::move(check)) {}
    void handle(const sdk::HttpRequest&, sdk::HttpResponse& response) noexcept override
    {
        std::string why;
        try
        {
            why = _check();
        }
        catch (...)
        {
            why = "readiness check failed";
        }
        response.status = why.empty() ? 200 : 503;
        response.body = why.empty() ? "ready\n" : "not ready: " + why + "\n";
    }

private:
    std::function<std::string()> _check;
};

class MetricsHandler final : public sdk::HttpHandler
{
public:
    explicit MetricsHandler(std::function<std::string()> render) : _render(std::move(render)) {}
    void handle(const sdk::HttpRequest&, sdk::HttpResponse& response) noexcept override
    {
        try
        {
            response.body = _render();
            response.contentType = "text/plain; version=0.0.4; charset=utf-8";
        }
        catch (...)
        {
            response.status = 500;
            response.body = "metrics unavailable\n";
        }
    }

private:
    std::function<std::string()> _render;
};

} // namespace patchbay::host

#endif
