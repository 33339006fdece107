// AgentRequestHandler.h: the mock agent's HTTP routes — WebSocket upgrade, signed URL, stats, health.
#pragma once

#include "AgentConversation.h"
#include "SignatureBook.h"

#include <patchbay/media/EventLoopGroup.h>
#include <patchbay/media/WebSocketOptions.h>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <string>

namespace patchbay {
namespace mockagent {

/// Shared by all requests; everything in it is thread-safe or read-only.
struct ServerContext
{
    ConversationContext& conversations;
    media::EventLoopGroup& loops;
    SignatureBook& signatures;
    media::WebSocketOptions socketOptions;
    std::string publicAuthority; ///< "host:port" put into signed URLs when the request has no Host
};

class AgentRequestHandler: public Poco::Net::HTTPRequestHandler
{
public:
    explicit AgentRequestHandler(ServerContext& context): _context(context) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

    /// Creates one handler per request (Poco owns and deletes it).
    class Factory: public Poco::Net::HTTPRequestHandlerFactory
    {
    public:
        explicit Factory(ServerContext& context): _context(context) {}
        Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override
        {
            return new AgentRequestHandler(_context);
        }

    private:
        ServerContext& _context;
    };

private:
    void conversation(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
        const std::string& agentId, const std::string& signature);
    void signedUrl(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, const std::string& agentId);
    static void reply(Poco::Net::HTTPServerResponse& response, int status, const std::string& contentType,
        const std::string& body);

    ServerContext& _context;
};

} // namespace mockagent
} // namespace patchbay
