// ConversationConnectionTools.cpp: ConversationConnection's transcripts and client tools (end_call, transfer, DTMF refusal).
#include "ConversationConnection.h"

#include <exception>

#include "protocol/ClientTools.h"

namespace patchbay::elevenlabs {

void ConversationConnection::handleTranscript(const ServerMessage& message)
{
    if (!_channel)
        return;
    sdk::TranscriptEntry entry;
    entry.atMs = _host.nowUnixMs();
    switch (message.type)
    {
    case ServerMessageType::UserTranscript:
        entry.role = "user";
        entry.text.assign(message.text.data(), message.text.size());
        break;
    case ServerMessageType::AgentResponse:
        entry.role = "agent";
        entry.text.assign(message.text.data(), message.text.size());
        break;
    default:
        // agent_response_correction: what the agent actually said before the caller barged in.
        // The transcript is append-only, so it is a new agent entry, marked so a reader can pair
        // it with the (longer) response above it.
        entry.role = "agent";
        if (message.correction.corrected.empty())
            return;
        entry.text = "[correction] ";
        entry.text.append(message.correction.corrected.data(), message.correction.corrected.size());
        break;
    }
    // ASR yields empty finals on noise; an empty line is no use to anyone reading the transcript.
    if (entry.text.empty())
        return;
    count(_metrics.transcriptEntries);
    _channel->onTranscript(entry);
}

void ConversationConnection::handleToolCall(const ServerMessage& message)
{
    const ToolDecision decision = decideToolCall(message.tool.name, message.tool.parameters);
    count(_metrics.toolCalls[static_cast<std::size_t>(decision.tool)]);
    const std::string callId(message.tool.callId);
    if (callId.empty() && !_loggedToolWithoutId)
    {
        // Without an id the agent cannot be answered; the action still runs.
        _loggedToolWithoutId = true;
        log(sdk::LogLevel::Warn, std::string("client_tool_call ") + clientToolLabel(decision.tool)
                                     + " without tool_call_id; it cannot be answered (further ones are not logged)");
    }
    switch (decision.action)
    {
    case ToolDecision::Action::Reply:
        // An unknown tool's result quotes the wire name; the log gets only the fixed label.
        if (decision.isError)
            log(sdk::LogLevel::Info, std::string("refused client tool ") + clientToolLabel(decision.tool)
                                         + (decision.tool == ClientTool::Unknown ? std::string() : ": " + decision.result));
        replyTool(callId, decision.result, decision.isError);
        return;
    case ToolDecision::Action::Hangup:
        replyTool(callId, decision.result, false);
        log(sdk::LogLevel::Info, "agent asked to end the call (end_call)");
        if (_channel)
            _channel->requestHangupAfterPlayout(decision.reason.empty() ? std::string_view("agent end_call")
                                                                        : std::string_view(decision.reason));
        return;
    case ToolDecision::Action::Transfer: {
        if (!_channel)
            return;
        const std::uint64_t requestId = _nextRequestId++;
        _pendingTransfers.emplace_back(requestId, callId);
        // The number is a fact of the tenant's agent configuration, not a secret; still only the
        // prefix is logged, as caller-provided numbers may end up in it.
        log(sdk::LogLevel::Info, "agent asked to transfer the call to " + decision.number.substr(0, 5) + "...");
        _channel->requestTransfer(decision.number, requestId);
        return;
    }
    }
}

void ConversationConnection::onActionResult(std::uint64_t requestId, const sdk::Status& result) noexcept
{
    auto it = _pendingTransfers.begin();
    while (it != _pendingTransfers.end() && it->first != requestId)
        ++it;
    if (it == _pendingTransfers.end())
        return;
    try
    {
        const std::string callId = std::move(it->second);
        _pendingTransfers.erase(it);
        if (!_channel)
            return;
        if (result)
        {
            replyTool(callId, "the call is being transferred", false);
            return;
        }
        const std::string reason = "transfer failed: " + (result.message().empty() ? std::string("unknown reason") : result.message());
        log(sdk::LogLevel::Warn, reason);
        replyTool(callId, reason, true);
    }
    catch (const std::exception&)
    {
        failInternal();
    }
}

void ConversationConnection::replyTool(std::string_view toolCallId, std::string_view result, bool isError) noexcept
{
    if (isError)
        count(_metrics.toolErrors);
    if (toolCallId.empty() || !_channel)
        return;
    try
    {
        _out.clear();
        AgentProtocol::encodeToolResult(toolCallId, result, isError, _out);
    }
    catch (const std::exception&)
    {
        count(_metrics.sendsDropped);
        return;
    }
    send(_out);
}

} // namespace patchbay::elevenlabs
