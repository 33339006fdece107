// MediaStreamSession.cpp: the Media Streams protocol of one call, both directions.
#include "MediaStreamSession.h"

#include <patchbay/sdk/support/Base64.h>

#include <protocol/StreamToken.h>

namespace patchbay::twilio {

namespace {

// μ-law at 8 kHz: one byte per sample, 8 per millisecond.
constexpr double kUlawBytesPerMs = 8.0;

std::string msText(std::uint64_t bytes)
{
    return std::to_string(static_cast<std::uint64_t>(static_cast<double>(bytes) / kUlawBytesPerMs)) + " ms";
}

} // namespace

MediaStreamSession::MediaStreamSession(std::shared_ptr<MediaStreamContext> context, std::string token, TokenCheck check)
    : _ctx(std::move(context)), _config(_ctx->config), _host(_ctx->host), _metrics(_ctx->metrics), _token(std::move(token)),
      _check(std::move(check))
{
}

MediaStreamSession::~MediaStreamSession()
{
    if (_legCounted) --_ctx->activeLegs;
}

void MediaStreamSession::onOpen(sdk::WebSocketConnection& connection) noexcept
{
    _connection = &connection;
    // A socket that never proves it belongs to an admitted call is closed quickly (DESIGN §6).
    _startTimer = connection.loop().runAfter(_config.startTimeoutMs, [this] {
        _startTimer = 0;
        if (!_started && !_closing) refuse(sdk::CloseCode::PolicyViolation, "no valid start message within " + std::to_string(_config.startTimeoutMs) + " ms");
    });
}

// ---- Twilio → core ---------------------------------------------------------------------------

void MediaStreamSession::onText(sdk::WebSocketConnection& /*connection*/, std::string_view text) noexcept
{
    if (_closing) return;
    if (text.size() > MediaStreamCodec::kMaxMessageSize)
    {
        // Twilio's messages are a few hundred bytes; this peer does not speak the protocol we know.
        _metrics.oversized.inc();
        return fail(sdk::CloseCode::MessageTooBig, "message of " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                                                       std::to_string(MediaStreamCodec::kMaxMessageSize));
    }
    if (!_codec.decode(text, _message))
    {
        if (!_started) return refuse(sdk::CloseCode::PolicyViolation, "malformed message before start: " + _codec.error());
        if (++_malformed == 1) _host.logger().warn("malformed media-stream message ignored: " + _codec.error() + " (further ones are counted)", _check.callSid);
        _metrics.malformed.inc();
        return;
    }
    using Event = MediaStreamMessage::Event;
    switch (_message.event)
    {
    case Event::Connected: return;
    case Event::Start: return handleStart(_message);
    case Event::Media:
        if (!inPlace(_message)) return;
        {
            sdk::AudioFrame frame;
            frame.format = sdk::MediaFormat::ulaw8000();
            frame.encoding = sdk::PayloadEncoding::Base64;
            frame.payload = _message.media.payload;
            frame.timestampMs = _message.media.timestamp;
            if (_channel) _channel->onAudio(frame);
        }
        return;
    case Event::Mark:
        if (inPlace(_message)) handleMarkEcho(_message.mark.name);
        return;
    case Event::Dtmf:
        if (!inPlace(_message)) return;
        if (!MediaStreamCodec::isDtmfDigit(_message.dtmf.digit)) return ignore("dtmf with an invalid digit");
        if (_channel) _channel->onDtmf(_message.dtmf.digit[0]);
        return;
    case Event::Stop:
        if (_started && !inPlace(_message)) return;
        endLeg(sdk::EndReason::Completed, "stream stopped by Twilio");
        closeSocket(sdk::CloseCode::Normal, "stopped");
        return;
    case Event::Unknown:
        _metrics.unknownEvent.inc();
        if (++_unknownEvents == 1)
            _host.logger().info("unknown media-stream event '" + std::string(_message.eventName.substr(0, 40)) + "' ignored (further ones are counted)", _check.callSid);
        return;
    }
}

bool MediaStreamSession::inPlace(const MediaStreamMessage& message)
{
    if (!_started)
    {
        ignore("event before start");
        return false;
    }
    if (message.streamSid != _streamSid)
    {
        ignore("event for another streamSid");
        return false;
    }
    return true;
}

void MediaStreamSession::ignore(const char* why)
{
    _metrics.ignored.inc();
    if (++_ignored == 1) _host.logger().info(std::string("media-stream message ignored: ") + why + " (further ones are counted)", _check.callSid);
}

void MediaStreamSession::handleStart(const MediaStreamMessage& message)
{
    if (_started) return ignore("second start");
    const std::int64_t nowSec = _host.nowUnixMs() / 1000;
    const std::string& callSid = message.start.callSid;
    // The token was checked at the upgrade; check it again now that the call names itself, since
    // it may have expired meanwhile, and bind it to start.callSid.
    const TokenCheck check = StreamToken::verify(_token, callSid, nowSec, _config.streamTokenSecret);
    if (!check.ok()) return refuse(sdk::CloseCode::PolicyViolation, std::string("stream token ") + TokenCheck::reasonName(check.reason) + " for start.callSid");
    const std::string* param = message.start.parameter("callToken");
    if (!param || *param != _token) return refuse(sdk::CloseCode::PolicyViolation, "callToken parameter does not match the stream URL");
    const std::string* tenant = message.start.parameter("tenant");
    if (tenant && *tenant != check.tenantId) return refuse(sdk::CloseCode::PolicyViolation, "tenant parameter does not match the stream token");
    if (message.start.mediaFormat.encoding != "audio/x-mulaw" || message.start.mediaFormat.sampleRate != 8000)
        return refuse(sdk::CloseCode::PolicyViolation, "unsupported media format " + message.start.mediaFormat.encoding);
    // Single use: whatever else is right about this start, its call may stream only once.
    if (!_ctx->replayCache.consume(callSid, check.expiresAtUnixSec, nowSec))
    {
        _metrics.tokenReplayed.inc();
        return refuse(sdk::CloseCode::PolicyViolation, std::string("stream token ") + TokenCheck::reasonName(TokenCheck::Reason::AlreadyUsed) +
                                                           ": this call already started a stream");
    }

    const std::string streamSid = message.start.streamSid.empty() ? std::string(message.streamSid) : message.start.streamSid;
    sdk::LegInfo info{sdk::MediaFormat::ulaw8000(), sdk::MediaFormat::ulaw8000(), streamSid};
    sdk::Result<sdk::CallChannel*> attached = _host.router().attachInbound(callSid, *this, info, _connection->loop());
    if (!attached.isOk()) return refuse(sdk::CloseCode::PolicyViolation, "call not attachable: " + attached.status().message());
    if (_closing) return; // the core hung up from inside attachInbound(): the channel is already void
    _streamSid = streamSid;
    _started = true;
    _channel = attached.value();
    _legCounted = true;
    ++_ctx->activeLegs;
    if (_startTimer)
    {
        _connection->loop().cancelTimer(_startTimer);
        _startTimer = 0;
    }
    _host.logger().info("media stream started (" + _streamSid + ")" +
                            (_pending.empty() ? std::string() : ", sending " + std::to_string(_pending.size()) + " queued agent messages"),
                        callSid);
    flushPending();
}

void MediaStreamSession::handleMarkEcho(std::string_view name)
{
    const PlayoutTracker::Echo echo = _playout.echoed(name);
    switch (echo.outcome)
    {
    case PlayoutTracker::Outcome::Played:
        _metrics.marksPlayed.inc();
        _metrics.playedMs.inc(static_cast<double>(echo.bytes) / kUlawBytesPerMs);
        break;
    case PlayoutTracker::Outcome::Flushed:
        _metrics.marksFlushed.inc();
        _metrics.flushedMs.inc(static_cast<double>(echo.bytes) / kUlawBytesPerMs);
        break;
    case PlayoutTracker::Outcome::Unknown:
        _metrics.marksUnknown.inc();
        break;
    }
    // The SDK has no "played up to" report, so our own marks stay here (playout(), metrics, the
    // summary line). The core's own marks go back to it, played or flushed, as MediaSink::onMark says.
    if (echo.core && _channel) _channel->onMark(name);
}

void MediaStreamSession::onBinary(sdk::WebSocketConnection& /*connection*/, std::string_view /*message*/) noexcept
{
    // Twilio only sends JSON text frames; a binary frame is not Twilio.
    fail(sdk::CloseCode::UnsupportedData, "binary frames are not part of the Media Streams protocol");
}

void MediaStreamSession::onClose(sdk::WebSocketConnection& /*connection*/, std::uint16_t code, std::string_view reason) noexcept
{
    if (_startTimer && _connection) _connection->loop().cancelTimer(_startTimer);
    _startTimer = 0;
    if (code == 1000 || code == 1001 || code == 1005)
        endLeg(sdk::EndReason::Completed, "stream closed");
    else
        endLeg(sdk::EndReason::InboundFailed, "stream closed with code " + std::to_string(code) + " " + std::string(reason.substr(0, 80)));
    _connection = nullptr;
    _closing = true;
    if (_started) logSummary();
}

void MediaStreamSession::logSummary()
{
    std::string line = "media stream closed: " + msText(_playout.sentBytes()) + " of agent audio sent, " + msText(_playout.playedBytes()) +
                       " heard (confirmed by marks), " + msText(_playout.flushedBytes()) + " flushed by " +
                       std::to_string(_playout.clears()) + " clear(s)";
    // Marks go out only every 200 ms of audio and the last ones may never be echoed (the caller
    // hung up, Twilio stopped): that tail is sent but not known to be either heard or flushed.
    if (const std::uint64_t unconfirmed = _playout.unconfirmedBytes())
        line += ", " + msText(unconfirmed) + " unconfirmed (neither heard nor flushed as far as marks tell; " + msText(_playout.unmarkedBytes()) +
                " of it after the last mark)";
    if (_malformed) line += "; " + std::to_string(_malformed) + " malformed message(s) ignored";
    if (_ignored) line += "; " + std::to_string(_ignored) + " out-of-place message(s) ignored";
    if (_unknownEvents) line += "; " + std::to_string(_unknownEvents) + " unknown event(s) ignored";
    if (_sendDrops) line += "; " + std::to_string(_sendDrops) + " message(s) to Twilio dropped on a full write queue";
    if (_pendingDrops) line += "; " + std::to_string(_pendingDrops) + " agent message(s) dropped waiting for start";
    _host.logger().info(line, _check.callSid);
}

void MediaStreamSession::refuse(std::uint16_t code, const std::string& why)
{
    _host.logger().warn("media stream closed: " + why, _check.callSid);
    _metrics.refused.inc();
    closeSocket(code, why);
}

void MediaStreamSession::fail(std::uint16_t code, const std::string& why)
{
    if (!_started) return refuse(code, why);
    _host.logger().warn("media stream closed: " + why, _check.callSid);
    endLeg(sdk::EndReason::InboundFailed, why);
    closeSocket(code, why);
}

void MediaStreamSession::closeSocket(std::uint16_t code, const std::string& why)
{
    if (_closing) return;
    _closing = true;
    if (_connection) _connection->close(code, why.substr(0, 120)); // a close reason must fit in 123 bytes
}

void MediaStreamSession::endLeg(sdk::EndReason reason, const std::string& detail)
{
    sdk::CallChannel* channel = _channel;
    _channel = nullptr;
    if (channel) channel->onLegEnded(reason, detail);
}

// ---- core → Twilio ---------------------------------------------------------------------------

bool MediaStreamSession::send(std::string_view text)
{
    if (!_connection || _closing) return false;
    if (_connection->sendText(text)) return true;
    // Never wait for the socket: the frame is lost, counted, and the first loss is reported.
    _metrics.sendDropped.inc();
    if (++_sendDrops == 1) _host.logger().warn("write queue to Twilio full: dropping outbound messages (further drops are counted)", _check.callSid);
    return false;
}

void MediaStreamSession::queued(std::size_t dropped)
{
    if (!dropped) return;
    _metrics.pendingDropped.inc(static_cast<double>(dropped));
    if (_pendingDrops == 0)
        _host.logger().warn("queue of agent audio waiting for start is full: dropping the oldest (further drops are counted)", _check.callSid);
    _pendingDrops += dropped;
}

void MediaStreamSession::flushPending()
{
    _pending.drain([this](const PendingOutbound::Item& item) {
        if (item.kind == PendingOutbound::Kind::Media)
            sendMedia(item.data, item.audioBytes);
        else
            sendCoreMark(item.data);
    });
}

void MediaStreamSession::sendMedia(std::string_view base64Payload, std::uint64_t audioBytes)
{
    if (!send(_codec.encodeMedia(_streamSid, base64Payload))) return; // never reaches the caller: not counted as sent
    // A mark of ours only every PlayoutTracker::kMarkIntervalBytes of audio: one per chunk would
    // double the messages to Twilio and add an echo per chunk, for resolution nobody uses.
    if (_playout.markDue(audioBytes))
    {
        if (!_playout.hasRoom())
        {
            _metrics.marksSkipped.inc();
        }
        else if (send(_codec.encodeMark(_streamSid, _playout.nextMarkName())))
        {
            _playout.chunkMarked(audioBytes);
            return;
        }
    }
    _playout.chunkUnmarked(audioBytes);
}

void MediaStreamSession::sendCoreMark(std::string_view name)
{
    if (send(_codec.encodeMark(_streamSid, name)) && !_playout.coreMarkSent(name)) _metrics.marksSkipped.inc();
}

void MediaStreamSession::onAudio(const sdk::AudioFrame& frame) noexcept
{
    if (!_connection || _closing) return;
    std::string_view base64 = frame.payload;
    std::uint64_t audioBytes = 0;
    if (frame.encoding == sdk::PayloadEncoding::Base64)
    {
        audioBytes = MediaStreamCodec::decodedSize(frame.payload);
    }
    else
    {
        _scratch.clear();
        sdk::support::Base64::encode(frame.payload, _scratch);
        base64 = _scratch;
        audioBytes = frame.payload.size();
    }
    if (_streamSid.empty()) return queued(_pending.pushMedia(base64, audioBytes));
    sendMedia(base64, audioBytes);
}

void MediaStreamSession::onClear() noexcept
{
    if (!_connection || _closing) return;
    if (_streamSid.empty())
    {
        _pending.discardMedia(); // nothing reached Twilio yet: dropping the queue is the clear
        return;
    }
    if (!send(_codec.encodeClear(_streamSid))) return;
    // Marks outstanding now are reported flushed by their echoes; audio after the last mark has
    // none coming, so it is counted here.
    const std::uint64_t unmarked = _playout.cleared();
    if (unmarked) _metrics.flushedMs.inc(static_cast<double>(unmarked) / kUlawBytesPerMs);
}

void MediaStreamSession::onMark(std::string_view name) noexcept
{
    if (!_connection || _closing) return;
    if (_streamSid.empty()) return queued(_pending.pushMark(name));
    sendCoreMark(name);
}

void MediaStreamSession::onDtmf(char /*digit*/) noexcept
{
    // Media Streams cannot send DTMF to the caller (twilio.md §5.1); nothing to do.
}

void MediaStreamSession::hangup(sdk::EndReason reason, std::string_view detail) noexcept
{
    _channel = nullptr;
    // Closing the stream makes Twilio run the TwiML after <Connect>; there is none, so the call ends.
    closeSocket(sdk::CloseCode::Normal, sdk::endReasonName(reason));
    _host.logger().debug("hangup: " + std::string(detail), _check.callSid);
}

} // namespace patchbay::twilio
