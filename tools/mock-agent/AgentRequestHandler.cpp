// AgentRequestHandler.cpp: routing of the mock agent's HTTP requests and the checks a real agent endpoint makes.
#include "AgentRequestHandler.h"

#include <patchbay/media/WebSocketUpgrade.h>
#include <patchbay/sdk/support/Json.h>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include <chrono>
#include <memory>
#include <thread>

namespace patchbay {
namespace mockagent {

void AgentRequestHandler::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response)
{
    // A std::exception escaping a Poco handler just drops the connection; answer 500 instead.
    try
    {
        Poco::URI uri(request.getURI());
        std::string agentId;
        std::string signature;
        for (const auto& [name, value] : uri.getQueryParameters())
        {
            if (name == "agent_id")
                agentId = value;
            else if (name == "conversation_signature")
                signature = value;
        }
        const std::string& path = uri.getPath();
        if (path == "/v1/convai/conversation")
            return conversation(request, response, agentId, signature);
        if (path == "/v1/convai/conversation/get-signed-url" && request.getMethod() == "GET")
            return signedUrl(request, response, agentId);
        if (path == "/stats" && request.getMethod() == "GET")
            return reply(response, 200, "application/json", _context.conversations.stats.toJson());
        if (path == "/healthz")
            return reply(response, 200, "text/plain", "ok\n");
        reply(response, 404, "application/json", "{\"detail\":\"not found\"}\n");
    }
    catch (const std::exception& e)
    {
        if (!response.sent())
            reply(response, 500, "text/plain", std::string("internal error: ") + e.what() + "\n");
    }
}

void AgentRequestHandler::conversation(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
    const std::string& agentId, const std::string& signature)
{
    const MockAgentOptions& options = _context.conversations.options;
    MockAgentStats& stats = _context.conversations.stats;
    if (!media::WebSocketUpgrade::isUpgradeRequest(request))
    {
        stats.upgradesRefused.fetch_add(1, std::memory_order_relaxed);
        return reply(response, 426, "text/plain", "WebSocket upgrade required\n");
    }
    if (agentId.empty() || (!options.requireAgentId.empty() && agentId != options.requireAgentId))
    {
        stats.upgradesRefused.fetch_add(1, std::memory_order_relaxed);
        return reply(response, 404, "application/json", "{\"detail\":\"agent not found\"}\n");
    }
    if (options.signedUrl && !_context.signatures.redeem(signature, agentId))
    {
        stats.upgradesRefused.fetch_add(1, std::memory_order_relaxed);
        return reply(response, 403, "application/json", "{\"detail\":\"invalid or reused conversation_signature\"}\n");
    }
    // A slow agent endpoint: the HTTP worker thread (not an event loop) holds the 101 back.
    if (options.connectDelayMs > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(options.connectDelayMs));
    auto listener = std::make_shared<AgentConversation>(_context.conversations, agentId);
    if (!media::WebSocketUpgrade::accept(request, response, _context.loops.next(), listener, _context.socketOptions))
        stats.upgradesRefused.fetch_add(1, std::memory_order_relaxed);
}

void AgentRequestHandler::signedUrl(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
    const std::string& agentId)
{
    const MockAgentOptions& options = _context.conversations.options;
    MockAgentStats& stats = _context.conversations.stats;
    if (!options.signedUrl)
        return reply(response, 404, "application/json", "{\"detail\":\"signed URLs are off (start with --signed-url)\"}\n");
    if (request.get("xi-api-key", "") != options.apiKey)
    {
        stats.signedUrlsRefused.fetch_add(1, std::memory_order_relaxed);
        return reply(response, 401, "application/json", "{\"detail\":\"invalid api key\"}\n");
    }
    if (agentId.empty())
    {
        stats.signedUrlsRefused.fetch_add(1, std::memory_order_relaxed);
        return reply(response, 422, "application/json", "{\"detail\":[{\"loc\":[\"query\",\"agent_id\"],\"msg\":\"field required\"}]}\n");
    }
    if (!options.requireAgentId.empty() && agentId != options.requireAgentId)
    {
        stats.signedUrlsRefused.fetch_add(1, std::memory_order_relaxed);
        return reply(response, 404, "application/json", "{\"detail\":\"agent not found\"}\n");
    }
    const std::string authority = request.getHost().empty() ? _context.publicAuthority : request.getHost();
    std::string agentQuery;
    Poco::URI::encode(agentId, "&=+?#/", agentQuery);
    const std::string url = "ws://" + authority + "/v1/convai/conversation?agent_id=" + agentQuery +
        "&conversation_signature=" + _context.signatures.issue(agentId);
    std::string body;
    sdk::support::JsonWriter(body).beginObject().key("signed_url").value(url).endObject();
    stats.signedUrlsIssued.fetch_add(1, std::memory_order_relaxed);
    reply(response, 200, "application/json", body);
}

void AgentRequestHandler::reply(Poco::Net::HTTPServerResponse& response, int status, const std::string& contentType,
    const std::string& body)
{
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType(contentType);
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.send() << body;
}

} // namespace mockagent
} // namespace patchbay
