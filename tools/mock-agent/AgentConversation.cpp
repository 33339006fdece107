// AgentConversation.cpp: the mock agent's side of the conversation protocol (elevenlabs.md §2–§4).
#include "AgentConversation.h"

#include <patchbay/sdk/support/Base64.h>
#include <patchbay/sdk/support/Json.h>

#include <atomic>
#include <ctime>

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
    if (context.inputFormat != context.outputFormat)
        _echoConverter = std::make_unique<audio::AudioConverter>(context.inputFormat, context.outputFormat);
}

void AgentConversation::onOpen(media::WebSocketConnection& connection)
{
    _connection = &connection;
    _openedAt = Clock::now();
    _openedUnix = static_cast<std::int64_t>(std::time(nullptr));
    _context.stats.noteOpen();
    const MockAgentOptions& options = _context.options;
    media::EventLoop& loop = connection.loop();
    if (options.pingIntervalMs > 0)
        _pingTimer = loop.runEvery(std::chrono::milliseconds(options.pingIntervalMs), [this] { sendPing(); });
    if (options.closeAfterMs > 0)
    {
        _closeTimer = loop.runAfter(std::chrono::milliseconds(options.closeAfterMs), [this] {
            _closeTimer = 0;
            closeByUs();
        });
    }
    if (options.errorAfterMs > 0)
    {
        _errorTimer = loop.runAfter(std::chrono::milliseconds(options.errorAfterMs), [this] {
            _errorTimer = 0;
            sendError();
        });
    }
    if (options.silentAfterMs > 0)
    {
        _silentTimer = loop.runAfter(std::chrono::milliseconds(options.silentAfterMs), [this] {
            _silentTimer = 0;
            goSilent();
        });
    }
}

void AgentConversation::goSilent()
{
    // A hung agent: the socket stays open and is read (what arrives is still counted), but nothing
    // scripted is left to fire and nothing more goes out.
    _silent = true;
    cancelTimers();
    _context.stats.silenced.fetch_add(1, std::memory_order_relaxed);
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
        handleAudio(chunk.asString());
        return;
    }
    const std::string_view type = root["type"].asString();
    if (type == "conversation_initiation_client_data")
    {
        stats.recordInit(text);
        if (_record.initiationJson.empty())
            _record.initiationJson.assign(text.data(), text.size());
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
        stats.recordContextualUpdate(root["text"].asString());
    else if (type == "client_tool_result")
    {
        stats.otherMessages.fetch_add(1, std::memory_order_relaxed);
        handleToolResult(root);
    }
    else if (type == "user_message" || type == "user_activity" || type == "feedback")
        stats.otherMessages.fetch_add(1, std::memory_order_relaxed);
    else
        stats.protocolErrors.fetch_add(1, std::memory_order_relaxed);
}

void AgentConversation::onBinary(media::WebSocketConnection& /*connection*/, std::string_view /*data*/)
{
    // The agent protocol is JSON text only.
    _context.stats.protocolErrors.fetch_add(1, std::memory_order_relaxed);
}

void AgentConversation::onClose(media::WebSocketConnection& /*connection*/, std::uint16_t code, std::string_view /*reason*/)
{
    cancelTimers();
    _connection = nullptr;
    _context.stats.noteClose(code);
    _context.stats.addAudioIn(_probe);
    finishRecord(code);
}

void AgentConversation::cancelTimers()
{
    if (!_connection)
        return;
    media::EventLoop& loop = _connection->loop();
    for (media::EventLoop::TimerId* timer :
        {&_pingTimer, &_closeTimer, &_errorTimer, &_metadataTimer, &_eventsTimer, &_greetingTimer, &_silentTimer})
    {
        if (*timer)
            loop.cancelTimer(*timer);
        *timer = 0;
    }
    for (media::EventLoop::TimerId timer : _toolTimers)
        if (timer)
            loop.cancelTimer(timer);
    _toolTimers.clear();
}

void AgentConversation::handleFirst(bool wasInit)
{
    _gotFirst = true;
    (wasInit ? _context.stats.initFirst : _context.stats.firstNotInit).fetch_add(1, std::memory_order_relaxed);
    if (_silent)
        return; // gone quiet before the conversation even started: no metadata either
    // Whatever came first, the conversation starts now (the real service does not stall either),
    // unless --metadata-delay-ms plays a slow agent.
    const std::uint32_t delay = _context.options.metadataDelayMs;
    if (delay == 0 || !_connection)
        return start();
    _metadataTimer = _connection->loop().runAfter(std::chrono::milliseconds(delay), [this] {
        _metadataTimer = 0;
        if (_connection && _connection->isOpen())
            start();
    });
}

void AgentConversation::start()
{
    _started = true;
    sendMetadata();
    const std::uint32_t greetingDelay = _context.options.greetingDelayMs;
    if (greetingDelay == 0 || !_connection)
        sendGreeting();
    else if (!_context.greetingChunks.empty())
    {
        _greetingTimer = _connection->loop().runAfter(std::chrono::milliseconds(greetingDelay), [this] {
            _greetingTimer = 0;
            if (_connection && _connection->isOpen())
                sendGreeting();
        });
    }
    startScript();
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

void AgentConversation::handleAudio(std::string_view base64)
{
    thread_local std::string raw;
    raw.clear();
    const bool decoded = sdk::support::Base64::decode(base64, raw);
    const std::uint64_t before = _probe.samples;
    if (decoded)
        _probe.add(_context.inputFormat, raw);
    // Audio before the metadata (--metadata-delay-ms) is heard but not answered, like a real agent
    // that is still starting; after --silent-after-ms it is heard and never answered.
    if (!_started || _silent)
        return;
    noteCallerAudio(_probe.samples - before);
    if (!_echoConverter)
        return echo(base64);
    thread_local std::string converted;
    converted.clear();
    if (!_echoConverter->convertBase64(base64, converted))
    {
        _context.stats.protocolErrors.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    if (!converted.empty()) // the resampler may still be filling its history
        echo(converted);
}

void AgentConversation::echo(std::string_view base64)
{
    const std::int64_t id = _nextEventId++;
    // agent_response goes out with the first audio of its turn (elevenlabs.md §4).
    if (_agentResponsePending)
        sendAgentResponse(id);
    sendAudio(base64, id);
    _context.stats.echoesSent.fetch_add(1, std::memory_order_relaxed);
    const std::uint32_t after = _context.options.interruptAfter;
    // Without a scripted interruption the correction follows the first response's audio, so
    // --correction alone still exercises the gateway's handling of it.
    if (after == 0 && _context.options.correction && !_correctionSent && !_lastAgentResponse.empty())
        sendCorrection();
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
        if (_context.options.correction && !_correctionSent && !_lastAgentResponse.empty())
            sendCorrection();
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
    const std::size_t slot = _pingCursor++ % _pendingPings.size();
    _pendingPings[slot] = id;
    _pingSentAt[slot] = Clock::now();
    std::string& out = outBuffer();
    JsonWriter w(out);
    w.beginObject().key("type").value("ping").key("ping_event").beginObject().key("event_id").value(id).key("ping_ms");
    if (_context.options.pingMs < 0)
        w.null();
    else
        w.value(static_cast<std::int64_t>(_context.options.pingMs));
    w.endObject().endObject();
    send(out);
    _context.stats.pingsSent.fetch_add(1, std::memory_order_relaxed);
}

void AgentConversation::handlePong(std::int64_t eventId)
{
    for (std::size_t i = 0; i < _pendingPings.size(); ++i)
    {
        if (_pendingPings[i] != 0 && _pendingPings[i] == eventId)
        {
            _pendingPings[i] = 0; // a second pong for the same ping does not match again
            MockAgentStats& stats = _context.stats;
            stats.pongsMatched.fetch_add(1, std::memory_order_relaxed);
            const auto delay =
                std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - _pingSentAt[i]).count();
            // ping_ms is the peer's hint of the round trip: a pong far sooner than that is "early".
            const std::int32_t pingMs = _context.options.pingMs;
            if (pingMs >= 0 && delay < pingMs)
                stats.pongsEarly.fetch_add(1, std::memory_order_relaxed);
            stats.recordPong({eventId, static_cast<std::int64_t>(delay), pingMs});
            return;
        }
    }
}

void AgentConversation::send(const std::string& text)
{
    if (_silent)
    {
        // Every scripted sender stops with its timer; this catches anything that still gets here.
        _context.stats.sendsSuppressed.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    if (!_connection || !_connection->sendText(text))
        _context.stats.sendsRefused.fetch_add(1, std::memory_order_relaxed);
}

} // namespace mockagent
} // namespace patchbay
