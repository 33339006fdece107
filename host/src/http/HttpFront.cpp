// HttpFront.cpp: request dispatch, body limits, fault isolation and latency metrics of the public listener.
#include "http/HttpFront.h"

#include <algorithm>
#include <chrono>
#include <istream>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/String.h>

namespace patchbay::host {
namespace {

void sendPlain(Poco::Net::HTTPServerResponse& resp, int status, const std::string& body)
{
    resp.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    resp.setContentType("text/plain; charset=utf-8");
    resp.setContentLength(static_cast<std::streamsize>(body.size()));
    resp.send() << body;
}

bool isWebSocketUpgrade(const Poco::Net::HTTPServerRequest& req)
{
    return Poco::icompare(req.get("Upgrade", ""), "websocket") == 0;
}

} // namespace

class HttpFront::RequestHandler final : public Poco::Net::HTTPRequestHandler
{
public:
    explicit RequestHandler(HttpFront& front) : _front(front) {}

    void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) override
    {
        const auto started = std::chrono::steady_clock::now();
        std::string routeLabel = "unmatched";
        int status = 500;
        try
        {
            status = dispatch(req, resp, routeLabel);
        }
        catch (const std::exception& e)
        {
            // Catch std::exception too: Poco's connection only catches Poco::Exception and would drop the client.
            _front._logger.error("request " + req.getMethod() + " " + pathOf(req.getURI()) + " failed: " + e.what());
            if (!resp.sent()) sendPlain(resp, 500, "internal error\n");
        }
        catch (...)
        {
            _front._logger.error("request " + req.getMethod() + " " + pathOf(req.getURI()) + " failed: unknown exception");
            if (!resp.sent()) sendPlain(resp, 500, "internal error\n");
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        _front._metrics
            .histogram("patchbay_http_request_seconds", "Time to answer HTTP requests (webhooks, health, upgrades)",
                       {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}, {{"route", routeLabel}})
            .observe(seconds);
        _front._metrics
            .counter("patchbay_http_requests_total", "HTTP requests answered", {{"route", routeLabel}, {"code", std::to_string(status)}})
            .inc();
    }

private:
    static std::string pathOf(const std::string& uri)
    {
        auto q = uri.find('?');
        return q == std::string::npos ? uri : uri.substr(0, q);
    }

    sdk::HttpRequest toSdk(Poco::Net::HTTPServerRequest& req)
    {
        sdk::HttpRequest r;
        r.method = req.getMethod();
        const std::string& uri = req.getURI();
        auto q = uri.find('?');
        r.path = q == std::string::npos ? uri : uri.substr(0, q);
        if (q != std::string::npos) r.query = uri.substr(q + 1);
        for (const auto& h : req) r.headers.emplace_back(h.first, h.second);
        r.remoteAddress = req.clientAddress().toString();
        r.secure = _front.secure();
        return r;
    }

    /// Reads the body up to the limit. @return false when it is larger (413 already sent).
    bool readBody(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp, std::string& body)
    {
        const std::size_t limit = _front._options.maxBodyBytes;
        if (req.hasContentLength() && req.getContentLength64() > static_cast<Poco::Int64>(limit))
        {
            sendPlain(resp, 413, "request body larger than " + std::to_string(limit) + " bytes\n");
            return false;
        }
        std::istream& in = req.stream();
        char buf[8192];
        while (in)
        {
            in.read(buf, sizeof buf);
            body.append(buf, static_cast<std::size_t>(in.gcount()));
            if (body.size() > limit)
            {
                sendPlain(resp, 413, "request body larger than " + std::to_string(limit) + " bytes\n");
                return false;
            }
        }
        return true;
    }

    int dispatch(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp, std::string& routeLabel)
    {
        sdk::HttpRequest request = toSdk(req);
        if (isWebSocketUpgrade(req)) return upgrade(req, resp, request, routeLabel);

        bool pathExists = false;
        auto route = _front._routes.findHttp(request.method, request.path, pathExists);
        if (!route)
        {
            const int code = pathExists ? 405 : 404;
            sendPlain(resp, code, code == 405 ? "method not allowed\n" : "not found\n");
            return code;
        }
        routeLabel = route->path;
        if (!readBody(req, resp, request.body)) return 413;

        sdk::HttpResponse response;
        try
        {
            route->handler->handle(request, response);
        }
        catch (...)
        {
            _front._logger.error("plugin '" + route->owner + "' threw from its handler for " + request.method + " " + request.path);
            response = sdk::HttpResponse{};
            response.status = 500;
            response.body = "internal error\n";
        }
        resp.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status));
        resp.setContentType(response.contentType);
        for (const auto& h : response.headers) resp.set(h.first, h.second);
        resp.setContentLength(static_cast<std::streamsize>(response.body.size()));
        std::ostream& out = resp.send();
        if (request.method != "HEAD") out << response.body;
        return response.status;
    }

    int upgrade(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp, const sdk::HttpRequest& request,
                std::string& routeLabel)
    {
        auto route = _front._routes.findWebSocket(request.path);
        if (!route)
        {
            sendPlain(resp, 404, "no WebSocket endpoint here\n");
            return 404;
        }
        routeLabel = route->pathPrefix;
        sdk::WebSocketUpgrade upgrade{request, {}, 403, {}};
        std::shared_ptr<sdk::WebSocketHandler> handler;
        try
        {
            handler = route->endpoint->accept(upgrade);
        }
        catch (...)
        {
            _front._logger.error("plugin '" + route->owner + "' threw from its WebSocket endpoint " + route->pathPrefix);
            sendPlain(resp, 500, "internal error\n");
            return 500;
        }
        if (!handler)
        {
            const int code = upgrade.refuseStatus >= 400 && upgrade.refuseStatus < 600 ? upgrade.refuseStatus : 403;
            sendPlain(resp, code, (upgrade.refuseReason.empty() ? std::string("refused") : upgrade.refuseReason) + "\n");
            return code;
        }
        if (route->keepAlive)
        {
            auto keep = route->keepAlive;
            auto inner = handler;
            handler = std::shared_ptr<sdk::WebSocketHandler>(inner.get(), [inner, keep](sdk::WebSocketHandler*) mutable {
                inner.reset(); // the object goes first, its library after
                keep.reset();
            });
        }
        SdkEventLoop& loop =
            upgrade.affinityKey.empty() ? _front._engine.nextLoop() : _front._engine.loopForKey(upgrade.affinityKey);
        const bool ok = _front._engine.acceptUpgrade(req, resp, loop, std::move(handler), route->owner + " " + request.path);
        return ok ? 101 : 400;
    }

    HttpFront& _front;
};

class HttpFront::Factory final : public Poco::Net::HTTPRequestHandlerFactory
{
public:
    explicit Factory(HttpFront& front) : _front(front) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override
    {
        return new RequestHandler(_front);
    }

private:
    HttpFront& _front;
};

HttpFront::HttpFront(HttpFrontOptions options, RouteTable& routes, MediaEngine& engine, sdk::Logger& logger,
                     sdk::Metrics& metrics)
    : _options(std::move(options)), _routes(routes), _engine(engine), _logger(logger), _metrics(metrics)
{
}

HttpFront::~HttpFront()
{
    stop();
}

void HttpFront::start()
{
    Poco::Net::SocketAddress address(_options.host, _options.port);
    // Bind without SO_REUSEPORT (Poco's ServerSocket(address, backlog) sets it): a second gateway on the
    // same port must fail with "cannot listen", not silently share the traffic.
    Poco::Net::ServerSocket socket;
    if (_options.tls.isNull())
    {
        socket.bind(address, true, false);
    }
    else
    {
        Poco::Net::SecureServerSocket secure(_options.tls);
        secure.bind(address, true, false);
        socket = secure;
    }
    socket.listen(_options.backlog);
    _boundPort = socket.address().port();
    // Our own pool: the default pool caps at 16 threads and is shared with anything else in the process.
    _pool = std::make_unique<Poco::ThreadPool>(2, std::max(2, _options.threads), 60);
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(std::max(2, _options.threads));
    params->setMaxQueued(_options.maxQueued);
    params->setKeepAlive(true);
    // A peer has this long to send each request (and to reuse a kept-alive connection). Twilio sends a
    // webhook in one burst; a client that dribbles its headers only holds a worker this long.
    params->setTimeout(Poco::Timespan(5, 0));
    _server = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), *_pool, socket, params);
    _server->start();
}

void HttpFront::stop()
{
    if (!_server) return;
    // Calls were drained before this; whatever is still connected (stalled or idle keep-alive clients)
    // is cut now rather than holding shutdown for the request timeout.
    _server->stopAll(true);
    _server.reset();
    _pool->joinAll();
    _pool.reset();
}

} // namespace patchbay::host
