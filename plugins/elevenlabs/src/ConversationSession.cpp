// ConversationSession.cpp: opening a conversation (endpoint and auth choice) and forwarding the core's calls to the connection.
#include "ConversationSession.h"

#include <exception>
#include <utility>

#include "ConversationConnection.h"
#include "protocol/ConversationEndpoint.h"
#include "protocol/InitiationData.h"

namespace patchbay::elevenlabs {

sdk::Result<std::unique_ptr<sdk::AgentSession>> ConversationSession::open(sdk::HostServices& host, const ElevenLabsConfig& config,
                                                                          const PluginMetrics& metrics,
                                                                          const sdk::AgentSessionRequest& request,
                                                                          sdk::CallChannel& channel, sdk::EventLoop& loop) noexcept
{
    try
    {
        const sdk::AgentSettings& agent = request.agent;
        if (agent.agentId.empty())
            return sdk::Status::invalidArgument("the tenant has no ElevenLabs agent id");
        if (!agent.baseUrl.empty() && !ConversationEndpoint::isWebSocketUrl(agent.baseUrl))
            return sdk::Status::invalidArgument("the tenant's agent baseUrl must be a ws:// or wss:// URL");

        const std::string wsBase = agent.baseUrl.empty() ? config.baseUrl : agent.baseUrl;
        // A tenant pinned to a residency host must get its signed URL from that region too.
        const std::string httpBase =
            agent.baseUrl.empty() ? config.signedUrlBase : ConversationEndpoint::httpBaseFor(agent.baseUrl);
        const std::string& apiKey = agent.apiKey.empty() ? config.apiKey : agent.apiKey;

        ConversationConnection::Settings settings;
        settings.callSid = request.call.callSid;
        settings.initiation = InitiationData::fromRequest(request);
        settings.requireUlaw = config.requireUlaw;
        settings.connectTimeoutMs = config.connectTimeoutMs;
        settings.silenceTimeoutMs = config.silenceTimeoutMs;
        settings.stallTimeoutMs = config.stallTimeoutMs;
        auto connection = std::make_shared<ConversationConnection>(host, metrics, channel, loop, std::move(settings));

        if (host.logger().enabled(sdk::LogLevel::Info))
            host.logger().info("opening agent conversation with agent " + agent.agentId + " at " + wsBase
                                   + (apiKey.empty() ? " (public agent)" : " (signed URL)"),
                               request.call.callSid);

        if (apiKey.empty())
        {
            const sdk::Status status = connection->connect(ConversationEndpoint::conversationUrl(wsBase, agent.agentId));
            if (!status)
                return status;
        }
        else
        {
            sdk::HttpClientRequest fetch;
            fetch.method = "GET";
            fetch.url = ConversationEndpoint::signedUrlRequestUrl(httpBase, agent.agentId);
            fetch.headers.emplace_back("xi-api-key", apiKey);
            fetch.timeoutMs = config.connectTimeoutMs;
            connection->connectViaSignedUrl(std::move(fetch));
        }
        if (metrics.sessionsOpened)
            metrics.sessionsOpened->inc();
        return std::unique_ptr<sdk::AgentSession>(std::make_unique<ConversationSession>(std::move(connection)));
    }
    catch (const std::exception&)
    {
        return sdk::Status::internal("out of memory while opening the agent session");
    }
}

ConversationSession::ConversationSession(std::shared_ptr<ConversationConnection> connection) noexcept
    : _connection(std::move(connection))
{
}

ConversationSession::~ConversationSession()
{
    // The core normally calls close() first; if not, the connection must still stop touching the
    // channel, which dies with the call.
    _connection->close(sdk::EndReason::Completed);
}

void ConversationSession::onAudio(const sdk::AudioFrame& frame) noexcept
{
    _connection->sendCallerAudio(frame);
}

void ConversationSession::onClear() noexcept
{
}

void ConversationSession::onMark(std::string_view /*name*/) noexcept
{
}

void ConversationSession::onDtmf(char digit) noexcept
{
    _connection->sendDtmf(digit);
}

void ConversationSession::close(sdk::EndReason reason) noexcept
{
    _connection->close(reason);
}

void ConversationSession::onActionResult(std::uint64_t requestId, const sdk::Status& result) noexcept
{
    _connection->onActionResult(requestId, result);
}

} // namespace patchbay::elevenlabs
