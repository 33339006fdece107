// AgentConversation.cpp: the mock agent's side of the conversation protocol (elevenlabs.md §2–§4).
#include "AgentConversation.h"

#include <patchbay/sdk/support/Json.h>

#include <atomic>
#include <chrono>

#include <unistd.h>

namespace patchbay {
namespace mockagent {

namespace {

using sdk::support::JsonDocument;
using sdk::support::JsonWriter;

// Per loop thread: every conversation on a loop shares one parser and one output buffer, so a
// message costs no allocation once they have grown to the largest message seen.
JsonDocument& parser()
{
    thread_local JsonDocument document;
    return document;
}

std::string& outBuffer()
{
    thread_local std::string buffer;
    buffer.clear();
    return buffer;
}

std::string newConversationId()
{
    static std::atomic<std::uint64_t> counter{0};
    static const std::string prefix = "conv_mock_" + std::to_string(::getpid()) + "_";
    return prefix + std::to_string(counter.fetch_add(1, std::memory_order_relaxed) + 1);
}

} // namespace

AgentConversation::AgentConversation(const ConversationContext& context, std::string agentId):
    _context(context),
    _agentId(std::move(agentId)),
    _conversationId(newConversationId())
{
}

void AgentConversation::onOpen(media::WebSocketConnection& connection)
{
    _connection = &connection;
    _context.stats.noteOpen();
    const MockAgentOptions& options = _context.options;
    media::EventLoop& loop = connection.loop();
    if (options.pingIntervalMs > 0)
        _pingTimer = loop.runEvery(std::chrono::milliseconds(options.pingIntervalMs), [this] { sendPing(); });
    if (options.closeAfterMs > 0)
    {
        _closeTimer = loop.runAfter(std::chrono::milliseconds(options.closeAfterMs), [this] {
            _closeTimer = 0;
            if (_connection && _connection->isOpen())
            {
                _context.stats.closesByUs.fetch_add(1, std::memory_order_relaxed);
                _connection->close(_context.options.closeCode, "mock agent closes");
            }
        });
    }
}

void AgentConversation::onText(media::WebSocketConnection& /*connection*/, std::string_view text)
{
    MockAgentStats& stats = _context.stats;
    JsonDocument& doc = parser();
    if (!doc.parse(text) || !doc.root().isObject())
    {
        stats.protocolErrors.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    const auto& root = doc.root();
    // Audio is recognised by its key, not by a type (elevenlabs.md §3).
    const auto& chunk = root["user_audio_chunk"];
    if (chunk.exists())
    {
        if (!_gotFirst)
            handleFirst(false);
        if (!chunk.isString())
        {
            stats.protocolErrors.fetch_add(1, std::memory_order_relaxed);
            return;
        }
        stats.chunksIn.fetch_add(1, std::memory_order_relaxed);
        ++_chunks;
        echo(chunk.asString());
        return;
    }
    const std::string_view type = root["type"].asString();
    if (type == "conversation_initiation_client_data")
    {
        stats.recordInit(text);
        if (!_gotFirst)
            handleFirst(true);
        return;
    }
    if (!_gotFirst)
        handleFirst(false);
    if (type == "pong")
    {
        stats.pongsReceived.fetch_add(1, std::memory_order_relaxed);
        const auto& id = root["event_id"];
        if (!id.isInteger())
            stats.protocolErrors.fetch_add(1, std::memory_order_relaxed);
        else
            handlePong(id.asInt64());
    }
    else if (type == "contextual_update")
        stats.contextualUpdates.fetch_add(1, std::memory_order_relaxed);
    else if (type == "user_message" || type == "user_activity" || type == "client_tool_result" || type == "feedback")
        stats.otherMessages.fetch_add(1, std::memory_order_relaxed);
    else
        stats.protocolErrors.fetch_add(1, std::memory_order_relaxed);
}

void AgentConversation::onBinary(media::WebSocketConnection& /*connection*/, std::string_view /*data*/)
{
    // The agent protocol is JSON text only.
    _context.stats.protocolErrors.fetch_add(1, std::memory_order_relaxed);
}

void AgentConversation::onClose(media::WebSocketConnection& connection, std::uint16_t code, std::string_view /*reason*/)
{
    media::EventLoop& loop = connection.loop();
    if (_pingTimer)
        loop.cancelTimer(_pingTimer);
    if (_closeTimer)
        loop.cancelTimer(_closeTimer);
    _pingTimer = 0;
    _closeTimer = 0;
    _connection = nullptr;
    _context.stats.noteClose(code);
}

void AgentConversation::handleFirst(bool wasInit)
{
    _gotFirst = true;
    (wasInit ? _context.stats.initFirst : _context.stats.firstNotInit).fetch_add(1, std::memory_order_relaxed);
    // Whatever came first, the conversation starts now (the real service does not stall either).
    sendMetadata();
    sendGreeting();
}

void AgentConversation::sendMetadata()
{
    std::string& out = outBuffer();
    JsonWriter w(out);
    w.beginObject()
        .key("type")
        .value("conversation_initiation_metadata")
        .key("conversation_initiation_metadata_event")
        .beginObject()
        .key("conversation_id")
        .value(_conversationId)
        .key("agent_output_audio_format")
        .value(_context.options.outputFormat)
        .key("user_input_audio_format")
        .value(_context.options.inputFormat)
        .endObject()
        .endObject();
    send(out);
    _context.stats.metadataSent.fetch_add(1, std::memory_order_relaxed);
}

void AgentConversation::sendGreeting()
{
    for (const std::string& chunk : _context.greetingChunks)
    {
        sendAudio(chunk, _nextEventId++);
        _context.stats.greetingChunksSent.fetch_add(1, std::memory_order_relaxed);
    }
}

void AgentConversation::echo(std::string_view base64)
{
    const std::int64_t id = _nextEventId++;
    sendAudio(base64, id);
    _context.stats.echoesSent.fetch_add(1, std::memory_order_relaxed);
    const std::uint32_t after = _context.options.interruptAfter;
    if (after > 0 && !_interrupted && _chunks >= after)
    {
        _interrupted = true;
        sendInterruption();
        if (_context.options.staleAudioAfterInterrupt)
        {
            // The chunk just echoed, again, under its old event_id: a gateway that filters by
            // event_id drops it; one that does not plays the caller a duplicate after the clear.
            sendAudio(base64, id);
            _context.stats.staleAudioSent.fetch_add(1, std::memory_order_relaxed);
        }
    }
}

void AgentConversation::sendAudio(std::string_view base64, std::int64_t eventId)
{
    std::string& out = outBuffer();
    JsonWriter w(out);
    w.beginObject()
        .key("type")
        .value("audio")
        .key("audio_event")
        .beginObject()
        .key("audio_base_64")
        .value(base64)
        .key("event_id")
        .value(eventId)
        .endObject()
        .endObject();
    send(out);
    if (eventId > _lastAudioEventId)
        _lastAudioEventId = eventId;
    _context.stats.audioOut.fetch_add(1, std::memory_order_relaxed);
}

void AgentConversation::sendInterruption()
{
    std::string& out = outBuffer();
    JsonWriter w(out);
    w.beginObject()
        .key("type")
        .value("interruption")
        .key("interruption_event")
        .beginObject()
        .key("event_id")
        .value(_nextEventId++)
        .endObject()
        .endObject();
    send(out);
    _context.stats.interruptionsSent.fetch_add(1, std::memory_order_relaxed);
}

void AgentConversation::sendPing()
{
    if (!_connection || !_connection->isOpen())
        return;
    const std::int64_t id = _nextEventId++;
    _pendingPings[_pingCursor++ % _pendingPings.size()] = id;
    std::string& out = outBuffer();
    JsonWriter w(out);
    w.beginObject()
        .key("type")
        .value("ping")
        .key("ping_event")
        .beginObject()
        .key("event_id")
        .value(id)
        .key("ping_ms")
        .null()
        .endObject()
        .endObject();
    send(out);
    _context.stats.pingsSent.fetch_add(1, std::memory_order_relaxed);
}

void AgentConversation::handlePong(std::int64_t eventId)
{
    for (auto& pending : _pendingPings)
    {
        if (pending != 0 && pending == eventId)
        {
            pending = 0; // a second pong for the same ping does not match again
            _context.stats.pongsMatched.fetch_add(1, std::memory_order_relaxed);
            return;
        }
    }
}

void AgentConversation::send(const std::string& text)
{
    if (!_connection || !_connection->sendText(text))
        _context.stats.sendsRefused.fetch_add(1, std::memory_order_relaxed);
}

} // namespace mockagent
} // namespace patchbay
