// ConversationConnection.cpp: the conversation state machine — initiation, metadata, audio both ways, barge-in, ping, end.
#include "ConversationConnection.h"

#include <exception>
#include <utility>

#include "patchbay/sdk/support/Base64.h"
#include "protocol/ConversationEndpoint.h"

namespace patchbay::elevenlabs {

namespace {

// Wire text that ends up in a log line or an end detail: short, printable ASCII only, so a hostile
// or broken peer can neither flood the log nor forge line breaks in it.
std::string clip(std::string_view text, std::size_t max = 120)
{
    std::string out;
    for (char c : text.substr(0, max))
        out += (c >= 0x20 && c < 0x7f) ? c : '?';
    if (text.size() > max)
        out += "...";
    return out;
}

// Host error texts may quote the URL, and a signed URL's query carries a conversation signature:
// drop every query string ("?..." up to the next space) before the text goes anywhere.
std::string withoutQueries(std::string_view text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i)
    {
        if (text[i] != '?')
        {
            out += text[i];
            continue;
        }
        out += "?...";
        while (i + 1 < text.size() && text[i + 1] != ' ')
            ++i;
    }
    return out;
}

} // namespace

ConversationConnection::ConversationConnection(sdk::HostServices& host, const PluginMetrics& metrics,
                                               sdk::CallChannel& channel, sdk::EventLoop& loop, Settings settings)
    : _host(host)
    , _logger(host.logger())
    , _metrics(metrics)
    , _channel(&channel)
    , _loop(loop)
    , _settings(std::move(settings))
{
}

ConversationConnection::~ConversationConnection() = default;

sdk::Status ConversationConnection::connect(const std::string& url) noexcept
{
    sdk::WebSocketConnectOptions options;
    try
    {
        options.url = url;
    }
    catch (const std::exception&)
    {
        return sdk::Status::internal("out of memory");
    }
    options.connectTimeoutMs = _settings.connectTimeoutMs;
    const sdk::Status status = _host.connectWebSocket(options, _loop, shared_from_this());
    if (!status)
        return sdk::Status(status.code(), "the host refused the agent WebSocket URL");
    return status;
}

void ConversationConnection::connectViaSignedUrl(sdk::HttpClientRequest request) noexcept
{
    try
    {
        std::weak_ptr<ConversationConnection> weak = weak_from_this();
        sdk::EventLoop* loop = &_loop;
        sdk::HttpClient* http = &_host.httpClient();
        // Only copies travel to the worker; the connection itself is touched again only on its loop.
        _host.runBlocking([weak, loop, http, request = std::move(request)]() {
            auto outcome = std::make_shared<SignedUrlOutcome>(fetchSignedUrl(*http, request));
            loop->post([weak, outcome]() {
                if (auto self = weak.lock())
                    self->onSignedUrl(*outcome);
            });
        });
    }
    catch (const std::exception&)
    {
        endLeg(sdk::EndReason::AgentFailed, "could not start the signed-URL request");
    }
}

ConversationConnection::SignedUrlOutcome ConversationConnection::fetchSignedUrl(sdk::HttpClient& http,
                                                                                const sdk::HttpClientRequest& request) noexcept
{
    SignedUrlOutcome outcome;
    try
    {
        const auto result = http.send(request);
        if (!result)
        {
            // Status messages from the host name the code and the URL at most (the URL has no key).
            outcome.detail = "signed-URL request failed: " + clip(result.status().toString());
            return outcome;
        }
        const int status = result->status;
        if (status != 200)
        {
            outcome.detail = "signed-URL request refused: HTTP " + std::to_string(status);
            if (status == 401 || status == 403)
                outcome.detail += " (check the ElevenLabs API key and the agent's workspace)";
            else if (status == 404 || status == 422)
                outcome.detail += " (check the agent id)";
            return outcome;
        }
        std::string error;
        if (!ConversationEndpoint::parseSignedUrlResponse(result->body, outcome.url, error))
        {
            outcome.detail = error;
            return outcome;
        }
        outcome.ok = true;
    }
    catch (const std::exception&)
    {
        outcome.ok = false;
        outcome.detail = "signed-URL request failed: out of memory";
    }
    return outcome;
}

void ConversationConnection::onSignedUrl(const SignedUrlOutcome& outcome) noexcept
{
    if (!_channel || _socketClosing)
        return; // the call ended while the request was in flight
    if (!outcome.ok)
    {
        endLeg(sdk::EndReason::AgentFailed, outcome.detail);
        return;
    }
    const sdk::Status status = connect(outcome.url);
    if (!status)
        endLeg(sdk::EndReason::AgentFailed, "the host refused the signed URL");
}

void ConversationConnection::sendCallerAudio(const sdk::AudioFrame& frame) noexcept
{
    // Until the metadata arrives the agent's input format is unknown, and sending audio before
    // the initiation data was honoured is unconfirmed (elevenlabs.md §2): drop and count. The
    // core expects this — CallChannel says audio sent before onLegReady() may be dropped.
    if (!_channel || !_ready || !_connection || _socketClosing)
    {
        count(_metrics.callerAudioDroppedNotReady);
        return;
    }
    if (frame.format != _userInputFormat)
    {
        // The core transcodes to the format announced in LegInfo; anything else is a core bug or a
        // frame from before the metadata was known — drop rather than send the agent noise.
        count(_metrics.callerAudioDroppedFormat);
        return;
    }
    try
    {
        _out.clear();
        if (frame.encoding == sdk::PayloadEncoding::Base64)
        {
            AgentProtocol::encodeUserAudio(frame.payload, _out);
        }
        else
        {
            _scratch.clear();
            sdk::support::Base64::encode(frame.payload, _scratch);
            AgentProtocol::encodeUserAudio(_scratch, _out);
        }
    }
    catch (const std::exception&)
    {
        count(_metrics.sendsDropped);
        return;
    }
    send(_out);
}

void ConversationConnection::sendDtmf(char digit) noexcept
{
    // There is no DTMF message in the protocol; a contextual update informs the LLM without
    // interrupting the agent (elevenlabs.md §3).
    if (!_channel || !_connection || _socketClosing)
        return;
    try
    {
        _out.clear();
        AgentProtocol::encodeContextualUpdate(AgentProtocol::dtmfText(digit), _out);
    }
    catch (const std::exception&)
    {
        return;
    }
    send(_out);
}

void ConversationConnection::close(sdk::EndReason reason) noexcept
{
    if (!_channel && _socketClosing)
        return;
    const bool wasAttached = _channel != nullptr;
    _channel = nullptr;
    if (wasAttached && _logger.enabled(sdk::LogLevel::Debug))
    {
        try
        {
            log(sdk::LogLevel::Debug, std::string("agent session closed by the core: ") + sdk::endReasonName(reason));
        }
        catch (const std::exception&)
        {
        }
    }
    closeSocket();
}

void ConversationConnection::onOpen(sdk::WebSocketConnection& connection) noexcept
{
    _connection = &connection;
    if (!_channel || _socketClosing)
    {
        // The call ended while we were connecting.
        _socketClosing = false;
        closeSocket();
        return;
    }
    log(sdk::LogLevel::Debug, "agent WebSocket open; sending conversation_initiation_client_data");
    try
    {
        _out.clear();
        AgentProtocol::encodeInitiation(_settings.initiation, _out);
    }
    catch (const std::exception&)
    {
        endLeg(sdk::EndReason::AgentFailed, "could not encode the conversation initiation data");
        return;
    }
    send(_out); // always the first frame (elevenlabs.md §2)
    startSilenceWatch();
}

void ConversationConnection::onText(sdk::WebSocketConnection& /*connection*/, std::string_view message) noexcept
{
    if (!_channel)
        return;
    noteReceived();
    try
    {
        ServerMessage decoded;
        std::string error;
        if (_protocol.decode(message, decoded, &error) != AgentProtocol::DecodeResult::Ok)
        {
            count(_metrics.malformedMessages);
            if (!_loggedMalformed)
            {
                _loggedMalformed = true;
                log(sdk::LogLevel::Warn,
                    "ignoring a malformed message from the agent (" + clip(error) + "); further ones are only counted");
            }
            return;
        }
        handleMessage(decoded);
    }
    catch (const std::exception&)
    {
        failInternal();
    }
}

void ConversationConnection::handleMessage(const ServerMessage& message)
{
    count(_metrics.messagesByType[static_cast<std::size_t>(message.type)]);
    switch (message.type)
    {
    case ServerMessageType::ConversationInitiationMetadata:
        handleMetadata(message);
        return;
    case ServerMessageType::Audio:
        handleAudio(message);
        return;
    case ServerMessageType::Interruption:
        // Audio of the interrupted turn may still be in flight: remember where it ends.
        if (message.eventId > _lastInterruptionId)
            _lastInterruptionId = message.eventId;
        if (_channel)
            _channel->onClear();
        return;
    case ServerMessageType::Ping:
        handlePing(message);
        return;
    case ServerMessageType::Error:
        handleError(message);
        return;
    case ServerMessageType::Unknown:
        count(_metrics.unknownTypes);
        if (!_loggedUnknown)
        {
            _loggedUnknown = true;
            log(sdk::LogLevel::Info, "ignoring unknown agent message type '" + clip(message.typeName, 64)
                                         + "'; further unknown types are only counted");
        }
        return;
    case ServerMessageType::UserTranscript:
    case ServerMessageType::AgentResponse:
    case ServerMessageType::AgentResponseCorrection:
        handleTranscript(message);
        return;
    case ServerMessageType::ClientToolCall:
        handleToolCall(message);
        return;
    default:
        // Tentative transcripts, VAD scores, internal events, informational tool events, text
        // parts: nothing for a phone call to do with them. Counted by type above, else ignored.
        return;
    }
}

void ConversationConnection::handleMetadata(const ServerMessage& message)
{
    if (_ready)
    {
        log(sdk::LogLevel::Warn, "ignoring a second conversation_initiation_metadata");
        return;
    }
    const auto& meta = message.metadata;
    sdk::MediaFormat output;
    sdk::MediaFormat input;
    if (!sdk::parseMediaFormat(meta.agentOutputAudioFormat, output) || !sdk::parseMediaFormat(meta.userInputAudioFormat, input))
    {
        endLeg(sdk::EndReason::AgentFailed, "agent announced an unsupported audio format (output '"
                                                + clip(meta.agentOutputAudioFormat, 32) + "', input '"
                                                + clip(meta.userInputAudioFormat, 32) + "')");
        return;
    }
    if (_settings.requireUlaw && (output != sdk::MediaFormat::ulaw8000() || input != sdk::MediaFormat::ulaw8000()))
    {
        endLeg(sdk::EndReason::AgentFailed,
               "agent audio formats are output " + sdk::mediaFormatName(output) + " / input " + sdk::mediaFormatName(input)
                   + "; requireUlaw is set, so ulaw_8000 is needed both ways (set the agent's TTS output and ASR "
                     "input format to u-law 8000 Hz, or unset requireUlaw to let the core transcode)");
        return;
    }
    try
    {
        _conversationId.assign(meta.conversationId.data(), meta.conversationId.size());
    }
    catch (const std::exception&)
    {
    }
    _agentOutputFormat = output;
    _userInputFormat = input;
    _ready = true;
    log(sdk::LogLevel::Info, "agent conversation " + clip(_conversationId, 64) + " ready (agent sends "
                                 + sdk::mediaFormatName(output) + ", receives " + sdk::mediaFormatName(input) + ")");
    if (_channel)
        _channel->onLegReady(sdk::LegInfo{output, input, _conversationId});
}

void ConversationConnection::handleAudio(const ServerMessage& message)
{
    if (!_ready)
    {
        count(_metrics.agentAudioDroppedNotReady); // the metadata must come first; format unknown
        return;
    }
    // Same filter as the official Python SDK: late chunks of an interrupted turn must not reach
    // the caller after the clear.
    if (message.eventId <= _lastInterruptionId)
    {
        count(_metrics.agentAudioDroppedInterrupted);
        return;
    }
    sdk::AudioFrame frame;
    frame.format = _agentOutputFormat;
    frame.encoding = sdk::PayloadEncoding::Base64;
    frame.payload = message.audioBase64;
    frame.eventId = static_cast<std::uint64_t>(message.eventId);
    if (_channel)
        _channel->onAudio(frame);
}

void ConversationConnection::handlePing(const ServerMessage& message)
{
    // ping_ms is the server's round-trip estimate (elevenlabs.md §4). The issue asks us to honour
    // it as a delay before the pong (as ElevenLabs' WebSocket guide example does with setTimeout);
    // done on a loop timer since the media path never sleeps, and capped at kMaxPongDelayMs so a
    // bogus value cannot get the conversation timed out.
    constexpr std::int64_t kMaxPongDelayMs = 2000;
    const std::int64_t delay = message.hasPingMs ? message.pingMs : 0;
    if (delay <= 0)
    {
        sendPong(message.eventId);
        return;
    }
    std::weak_ptr<ConversationConnection> weak = weak_from_this();
    const std::int64_t eventId = message.eventId;
    const sdk::TimerId timer = _loop.runAfter(static_cast<std::uint32_t>(delay < kMaxPongDelayMs ? delay : kMaxPongDelayMs),
                                              [weak, eventId]() {
                                                  if (auto self = weak.lock())
                                                      self->sendPong(eventId);
                                              });
    _pongTimers.emplace_back(timer, eventId);
}

void ConversationConnection::sendPong(std::int64_t eventId) noexcept
{
    for (auto it = _pongTimers.begin(); it != _pongTimers.end(); ++it)
    {
        if (it->second == eventId)
        {
            _pongTimers.erase(it);
            break;
        }
    }
    if (!_channel)
        return;
    try
    {
        _out.clear();
        AgentProtocol::encodePong(eventId, _out);
    }
    catch (const std::exception&)
    {
        count(_metrics.sendsDropped);
        return;
    }
    send(_out);
}

void ConversationConnection::cancelPongTimers() noexcept
{
    for (const auto& pending : _pongTimers)
        _loop.cancelTimer(pending.first);
    _pongTimers.clear();
}

void ConversationConnection::handleError(const ServerMessage& message)
{
    const auto& error = message.error;
    std::string summary = "agent error " + std::to_string(error.code);
    if (!error.errorType.empty())
        summary += " " + clip(error.errorType, 48);
    std::string text = summary;
    if (!error.message.empty())
        text += ": " + clip(error.message, 200);
    log(sdk::LogLevel::Warn, text);
    // Code 1000 is the contract's normal closure (e.g. max_duration_exceeded): the agent ended
    // the call on purpose, which is not a failure of the agent leg. The record keeps the agent's
    // own words (shorter than the log's): "quota exceeded" tells an operator more than a code.
    if (!error.message.empty())
        summary += ": " + clip(error.message, 120);
    endLeg(error.code == sdk::CloseCode::Normal ? sdk::EndReason::AgentEnded : sdk::EndReason::AgentFailed, summary);
}

void ConversationConnection::onClose(sdk::WebSocketConnection& /*connection*/, std::uint16_t code, std::string_view reason) noexcept
{
    _connection = nullptr;
    _socketClosing = true;
    if (!_channel)
        return;
    const sdk::EndReason endReason = code == sdk::CloseCode::Normal ? sdk::EndReason::AgentEnded : sdk::EndReason::AgentFailed;
    try
    {
        std::string detail = "agent closed the connection: " + std::to_string(code);
        if (!reason.empty())
            detail += " " + clip(reason, 80);
        endLeg(endReason, detail);
    }
    catch (const std::exception&)
    {
        endLeg(endReason, "agent closed the connection");
    }
}

void ConversationConnection::onConnectFailed(std::string_view reason) noexcept
{
    _connection = nullptr;
    _socketClosing = true;
    if (!_channel)
        return;
    try
    {
        endLeg(sdk::EndReason::AgentFailed, "agent connect failed: " + clip(withoutQueries(reason)));
    }
    catch (const std::exception&)
    {
        endLeg(sdk::EndReason::AgentFailed, "agent connect failed");
    }
}

void ConversationConnection::endLeg(sdk::EndReason reason, std::string_view detail) noexcept
{
    sdk::CallChannel* channel = _channel;
    if (!channel)
        return;
    // Detach before calling out: the core may close or destroy the session from inside onLegEnded().
    _channel = nullptr;
    if (reason == sdk::EndReason::AgentFailed)
        count(_metrics.sessionsFailed);
    try
    {
        log(reason == sdk::EndReason::AgentFailed ? sdk::LogLevel::Warn : sdk::LogLevel::Info,
            std::string("agent leg ended (") + sdk::endReasonName(reason) + "): " + std::string(detail));
    }
    catch (const std::exception&)
    {
    }
    closeSocket();
    try
    {
        channel->onLegEnded(reason, detail);
    }
    catch (const std::exception&)
    {
        // Nothing left to tell a channel that cannot take the end; the leg is detached anyway.
    }
}

void ConversationConnection::failInternal() noexcept
{
    // Out of memory, or an exception out of the core's channel: either way this leg cannot go on.
    endLeg(sdk::EndReason::AgentFailed, "internal error in the elevenlabs plugin");
}

void ConversationConnection::closeSocket() noexcept
{
    cancelPongTimers();
    cancelTimeoutTimers();
    _pendingTransfers.clear();
    if (_socketClosing)
        return;
    _socketClosing = true;
    if (_connection)
        _connection->close(sdk::CloseCode::Normal, "call ended");
    // Not yet open: onOpen() sees _socketClosing and closes right away.
}

void ConversationConnection::send(std::string_view message) noexcept
{
    if (!_connection || _socketClosing)
        return;
    if (_connection->sendText(message))
    {
        stopStallWatch(); // accepted again: the agent is reading
        return;
    }
    count(_metrics.sendsDropped);
    noteSendRefused();
    if (!_loggedSendDrop)
    {
        _loggedSendDrop = true;
        log(sdk::LogLevel::Warn, "agent socket write queue full; dropping messages (further drops are only counted)");
    }
}

void ConversationConnection::count(sdk::Counter* counter) noexcept
{
    if (counter)
        counter->inc();
}

void ConversationConnection::log(sdk::LogLevel level, std::string_view message) noexcept
{
    if (_logger.enabled(level))
        _logger.log(level, _settings.callSid, message);
}

} // namespace patchbay::elevenlabs
