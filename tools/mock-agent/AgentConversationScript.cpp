// AgentConversationScript.cpp: the scripted extras of a mock conversation — tool calls, transcripts, VAD and
// internal events, error events, abrupt closes and the post-call webhook record.
#include "AgentConversation.h"

#include "WebhookSender.h"

#include <patchbay/sdk/support/Json.h>

#include <Poco/Net/SocketAddress.h>

#include <algorithm>
#include <ctime>
#include <filesystem>

#include <sys/socket.h>
#include <sys/stat.h>

namespace patchbay {
namespace mockagent {

namespace {

using sdk::support::JsonValue;
using sdk::support::JsonWriter;

// Shared by the conversations of one loop thread, like the buffer in AgentConversation.cpp.
std::string& scriptBuffer()
{
    thread_local std::string buffer;
    buffer.clear();
    return buffer;
}

} // namespace

void AgentConversation::startScript()
{
    const MockAgentOptions& options = _context.options;
    if (!_connection)
        return;
    media::EventLoop& loop = _connection->loop();
    for (const ToolCallSpec& spec : options.toolCalls)
    {
        const std::size_t index = _toolTimers.size();
        _toolTimers.push_back(loop.runAfter(std::chrono::milliseconds(spec.atMs), [this, &spec, index] {
            _toolTimers[index] = 0;
            sendToolCall(spec);
        }));
    }
    if (options.vadScores || options.internalEvents)
        _eventsTimer = loop.runEvery(std::chrono::milliseconds(options.eventIntervalMs), [this] { sendPeriodicEvents(); });
}

void AgentConversation::sendToolCall(const ToolCallSpec& spec)
{
    if (!_connection || !_connection->isOpen())
        return;
    const std::string id = "toolcall_" + std::to_string(_toolCallsSent.size() + 1) + "_" + _conversationId;
    std::string& out = scriptBuffer();
    JsonWriter w(out);
    w.beginObject()
        .key("type")
        .value("client_tool_call")
        .key("client_tool_call")
        .beginObject()
        .key("tool_name")
        .value(spec.name)
        .key("tool_call_id")
        .value(id)
        .key("parameters")
        .raw(spec.parametersJson)
        .key("event_id")
        .value(_nextEventId++)
        .endObject()
        .endObject();
    send(out);
    _toolCallsSent.emplace_back(id, spec.name);
    _context.stats.toolCallsSent.fetch_add(1, std::memory_order_relaxed);
    addTurn("agent", std::string());
    TranscriptTurn& turn = _record.turns.back();
    turn.toolCallName = spec.name;
    turn.toolCallId = id;
    turn.toolParametersJson = spec.parametersJson;
}

void AgentConversation::handleToolResult(const JsonValue& root)
{
    MockAgentStats::ToolResultRecord record;
    record.conversationId = _conversationId;
    record.toolCallId = std::string(root["tool_call_id"].asString());
    const JsonValue& result = root["result"];
    if (result.isString())
        record.result = std::string(result.asString());
    else if (result.exists())
    {
        // Not a string as the contract says: keep it as JSON so the test can still see it.
        JsonWriter w(record.result);
        PostCallPayload::writeValue(w, result);
    }
    record.isError = root["is_error"].asBool(false);
    const auto it = std::find_if(_toolCallsSent.begin(), _toolCallsSent.end(),
        [&record](const auto& sent) { return sent.first == record.toolCallId; });
    if (it != _toolCallsSent.end())
        record.toolName = it->second;
    else
        _context.stats.protocolErrors.fetch_add(1, std::memory_order_relaxed); // an id we never sent
    _context.stats.recordToolResult(std::move(record));
}

void AgentConversation::noteCallerAudio(std::uint64_t samples)
{
    if (!_context.options.transcripts)
        return;
    const std::uint64_t every =
        static_cast<std::uint64_t>(_context.options.transcriptEveryMs) * _context.inputFormat.sampleRate / 1000;
    _samplesSinceTranscript += samples;
    while (_samplesSinceTranscript >= every)
    {
        _samplesSinceTranscript -= every;
        sendUserTranscript();
    }
}

void AgentConversation::sendUserTranscript()
{
    ++_transcriptCount;
    const std::string text = "caller segment " + std::to_string(_transcriptCount);
    std::string& out = scriptBuffer();
    JsonWriter w(out);
    w.beginObject()
        .key("type")
        .value("user_transcript")
        .key("user_transcription_event")
        .beginObject()
        .key("user_transcript")
        .value(text)
        .key("event_id")
        .value(_nextEventId++)
        .endObject()
        .endObject();
    send(out);
    _context.stats.userTranscriptsSent.fetch_add(1, std::memory_order_relaxed);
    addTurn("user", text);
    _agentResponsePending = true; // answered with the next echo
}

void AgentConversation::sendAgentResponse(std::int64_t eventId)
{
    _agentResponsePending = false;
    _lastAgentResponse = "echo of caller segment " + std::to_string(_transcriptCount);
    std::string& out = scriptBuffer();
    JsonWriter w(out);
    w.beginObject()
        .key("type")
        .value("agent_response")
        .key("agent_response_event")
        .beginObject()
        .key("agent_response")
        .value(_lastAgentResponse)
        .key("event_id")
        .value(eventId)
        .endObject()
        .endObject();
    send(out);
    _context.stats.agentResponsesSent.fetch_add(1, std::memory_order_relaxed);
    addTurn("agent", _lastAgentResponse);
}

void AgentConversation::sendCorrection()
{
    _correctionSent = true;
    // What "was actually spoken" before the barge-in: the first half of the response.
    const std::string corrected = _lastAgentResponse.substr(0, _lastAgentResponse.size() / 2) + "...";
    std::string& out = scriptBuffer();
    JsonWriter w(out);
    w.beginObject()
        .key("type")
        .value("agent_response_correction")
        .key("agent_response_correction_event")
        .beginObject()
        .key("original_agent_response")
        .value(_lastAgentResponse)
        .key("corrected_agent_response")
        .value(corrected)
        .key("event_id")
        .value(_nextEventId++)
        .endObject()
        .endObject();
    send(out);
    _context.stats.correctionsSent.fetch_add(1, std::memory_order_relaxed);
    for (auto it = _record.turns.rbegin(); it != _record.turns.rend(); ++it)
    {
        if (it->role == "agent" && it->message == _lastAgentResponse)
        {
            it->message = corrected;
            break;
        }
    }
}

void AgentConversation::sendPeriodicEvents()
{
    if (!_connection || !_connection->isOpen())
        return;
    const MockAgentOptions& options = _context.options;
    ++_periodicTick;
    if (options.vadScores)
    {
        std::string& out = scriptBuffer();
        JsonWriter(out)
            .beginObject()
            .key("type")
            .value("vad_score")
            .key("vad_score_event")
            .beginObject()
            .key("vad_score")
            .value(_periodicTick % 2 ? 0.9 : 0.1)
            .endObject()
            .endObject();
        send(out);
        _context.stats.vadScoresSent.fetch_add(1, std::memory_order_relaxed);
    }
    if (options.internalEvents)
    {
        std::string& out = scriptBuffer();
        JsonWriter(out)
            .beginObject()
            .key("type")
            .value("internal_tentative_agent_response")
            .key("tentative_agent_response_internal_event")
            .beginObject()
            .key("tentative_agent_response")
            .value("tentative " + std::to_string(_periodicTick))
            .endObject()
            .endObject();
        send(out);
        std::string& out2 = scriptBuffer();
        JsonWriter(out2)
            .beginObject()
            .key("type")
            .value("internal_turn_probability")
            .key("turn_probability_internal_event")
            .beginObject()
            .key("turn_probability")
            .value(0.5)
            .endObject()
            .endObject();
        send(out2);
        _context.stats.internalEventsSent.fetch_add(2, std::memory_order_relaxed);
    }
}

void AgentConversation::sendError()
{
    if (!_connection || !_connection->isOpen())
        return;
    const MockAgentOptions& options = _context.options;
    // The shape of the contract's ErrorPayload: error_event {code, message, error_type, reason,
    // debug_message, details}; the server closes right after it (elevenlabs.md §4, §5).
    std::string& out = scriptBuffer();
    JsonWriter(out)
        .beginObject()
        .key("type")
        .value("error")
        .key("error_event")
        .beginObject()
        .key("code")
        .value(static_cast<std::int64_t>(options.errorCloseCode))
        .key("message")
        .value(options.errorMessage)
        .key("error_type")
        .value(options.errorType)
        .key("reason")
        .value("mock agent error")
        .key("debug_message")
        .null()
        .key("details")
        .null()
        .endObject()
        .endObject();
    send(out);
    _context.stats.errorsSent.fetch_add(1, std::memory_order_relaxed);
    _closeReason = "error";
    // A close reason has at most 123 bytes on the wire.
    _connection->close(options.errorCloseCode, std::string_view(options.errorMessage).substr(0, 100));
}

void AgentConversation::closeByUs()
{
    if (!_connection || !_connection->isOpen())
        return;
    _context.stats.closesByUs.fetch_add(1, std::memory_order_relaxed);
    _closeReason = "agent closed the conversation";
    if (_context.options.closeCode == 1006)
    {
        _context.stats.abruptCloses.fetch_add(1, std::memory_order_relaxed);
        _closeReason = "agent dropped the connection";
        return dropTcp();
    }
    _connection->close(_context.options.closeCode, "mock agent closes");
}

void AgentConversation::dropTcp()
{
    // 1006 means "no close frame": the TCP connection just ends. WebSocketConnection always sends a
    // close frame and does not expose its socket, so the socket is found by its peer address among
    // this process's descriptors and shut down under the connection, which then sees EOF and closes
    // as usual. Hacky, but only a test peer needs to misbehave like this.
    const std::string& peer = _connection->remoteAddress();
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec))
    {
        int fd = -1;
        try
        {
            fd = std::stoi(entry.path().filename().string());
        }
        catch (const std::exception&)
        {
            continue;
        }
        struct stat st;
        if (::fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode))
            continue;
        sockaddr_storage address{};
        socklen_t length = sizeof address;
        if (::getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
            continue;
        if (address.ss_family != AF_INET && address.ss_family != AF_INET6)
            continue;
        if (Poco::Net::SocketAddress(reinterpret_cast<const sockaddr*>(&address), length).toString() == peer)
        {
            ::shutdown(fd, SHUT_RDWR);
            return;
        }
    }
    // Not found (should not happen): at least end the conversation.
    _connection->close(1011, "mock agent could not drop TCP");
}

void AgentConversation::addTurn(const char* role, std::string message)
{
    TranscriptTurn turn;
    turn.role = role;
    turn.message = std::move(message);
    turn.timeInCallSecs = std::chrono::duration<double>(Clock::now() - _openedAt).count();
    _record.turns.push_back(std::move(turn));
}

void AgentConversation::finishRecord(std::uint16_t code)
{
    if (!_context.webhooks.enabled())
        return;
    _record.agentId = _agentId;
    _record.conversationId = _conversationId;
    _record.startUnixSecs = _openedUnix;
    _record.durationSecs = std::chrono::duration<double>(Clock::now() - _openedAt).count();
    _record.outputFormat = _context.options.outputFormat;
    _record.inputFormat = _context.options.inputFormat;
    _record.terminationReason = _closeReason ? std::string(_closeReason)
        : code == 1000                       ? std::string("client ended the call")
                                             : "connection closed with code " + std::to_string(code);
    _context.webhooks.post(_conversationId, PostCallPayload::build(_record, static_cast<std::int64_t>(std::time(nullptr))));
    _record.turns.clear();
}

} // namespace mockagent
} // namespace patchbay
