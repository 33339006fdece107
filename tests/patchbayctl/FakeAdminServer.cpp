// FakeAdminServer.cpp: Poco HTTPServer plumbing of the canned admin API.
#include "FakeAdminServer.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/StreamCopier.h>

#include <stdexcept>

namespace patchbay::tests {

namespace {

class RecordingHandler : public Poco::Net::HTTPRequestHandler
{
public:
    explicit RecordingHandler(FakeAdminServer& server): _server(server) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override
    {
        FakeAdminServer::Request r;
        r.method = request.getMethod();
        r.uri = request.getURI();
        const auto q = r.uri.find('?');
        r.path = r.uri.substr(0, q);
        r.query = q == std::string::npos ? std::string() : r.uri.substr(q + 1);
        r.authorization = request.get("Authorization", "");
        r.contentType = request.get("Content-Type", "");
        Poco::StreamCopier::copyToString(request.stream(), r.body);
        const FakeAdminServer::Reply reply = _server.answer(r);
        response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
        if (reply.body.empty())
        {
            response.setContentLength(0);
            response.send();
            return;
        }
        response.setContentType(reply.contentType);
        response.setContentLength(static_cast<std::streamsize>(reply.body.size()));
        response.send() << reply.body;
    }

private:
    FakeAdminServer& _server;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory
{
public:
    explicit Factory(FakeAdminServer& server): _server(server) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override
    {
        return new RecordingHandler(_server);
    }

private:
    FakeAdminServer& _server;
};

} // namespace

FakeAdminServer::FakeAdminServer()
{
    _fallback = Reply{404, R"({"type":"about:blank","title":"Not Found","status":404,"detail":"no canned answer"})",
                      "application/problem+json"};
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(4);
    params->setKeepAlive(false);
    _server = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, params);
    _server->start();
}

FakeAdminServer::~FakeAdminServer()
{
    _server->stopAll(true);
}

std::uint16_t FakeAdminServer::port() const
{
    return _server->port();
}

std::string FakeAdminServer::url() const
{
    return "http://127.0.0.1:" + std::to_string(port());
}

void FakeAdminServer::on(const std::string& method, const std::string& path, int status, const std::string& body,
                         const std::string& contentType)
{
    std::lock_guard<std::mutex> lock(_mutex);
    _replies[method + " " + path] = Reply{status, body, contentType};
}

void FakeAdminServer::otherwise(int status, const std::string& body, const std::string& contentType)
{
    std::lock_guard<std::mutex> lock(_mutex);
    _fallback = Reply{status, body, contentType};
}

std::vector<FakeAdminServer::Request> FakeAdminServer::requests() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _requests;
}

FakeAdminServer::Request FakeAdminServer::only() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    if (_requests.size() != 1)
        throw std::runtime_error("expected exactly one request, got " + std::to_string(_requests.size()));
    return _requests.front();
}

void FakeAdminServer::clear()
{
    std::lock_guard<std::mutex> lock(_mutex);
    _requests.clear();
}

FakeAdminServer::Reply FakeAdminServer::answer(const Request& request)
{
    std::lock_guard<std::mutex> lock(_mutex);
    _requests.push_back(request);
    const auto it = _replies.find(request.method + " " + request.path);
    return it == _replies.end() ? _fallback : it->second;
}

} // namespace patchbay::tests
