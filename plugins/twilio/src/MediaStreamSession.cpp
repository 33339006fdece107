// MediaStreamSession.cpp: the Media Streams protocol of one call, both directions.
#include "MediaStreamSession.h"

#include <patchbay/sdk/support/Base64.h>

#include <protocol/StreamToken.h>

namespace patchbay::twilio {

MediaStreamSession::MediaStreamSession(const TwilioConfig& config, sdk::HostServices& host, std::string token,
                                       std::string tokenCallSid, std::atomic<std::size_t>& activeLegs)
    : _config(config), _host(host), _token(std::move(token)), _tokenCallSid(std::move(tokenCallSid)), _activeLegs(activeLegs)
{
}

MediaStreamSession::~MediaStreamSession()
{
    if (_legCounted) --_activeLegs;
}

void MediaStreamSession::onOpen(sdk::WebSocketConnection& connection) noexcept
{
    _connection = &connection;
    // A socket that never proves it belongs to an admitted call is closed quickly (DESIGN §6).
    _startTimer = connection.loop().runAfter(_config.startTimeoutMs, [this] {
        _startTimer = 0;
        if (!_started) refuse(sdk::CloseCode::PolicyViolation, "no valid start message within " + std::to_string(_config.startTimeoutMs) + " ms");
    });
}

void MediaStreamSession::refuse(std::uint16_t code, const std::string& why)
{
    _host.logger().warn("media stream closed: " + why, _callSid.empty() ? _tokenCallSid : _callSid);
    _host.metrics().counter("patchbay_twilio_streams_refused_total", "Media streams closed before or at start").inc();
    if (_connection) _connection->close(code, why.substr(0, 120));
}

void MediaStreamSession::onText(sdk::WebSocketConnection& connection, std::string_view text) noexcept
{
    if (!_codec.decode(text, _message))
    {
        ++_malformed;
        if (!_started) return refuse(sdk::CloseCode::PolicyViolation, "malformed message before start: " + _codec.error());
        if (_malformed == 1) _host.logger().warn("malformed media-stream message ignored: " + _codec.error() + " (further ones are counted)", _callSid);
        _host.metrics().counter("patchbay_twilio_stream_malformed_total", "Malformed Media Streams messages ignored").inc();
        return;
    }
    using Event = MediaStreamMessage::Event;
    switch (_message.event)
    {
    case Event::Connected: return;
    case Event::Start: return handleStart(_message);
    case Event::Media:
        if (_channel)
        {
            sdk::AudioFrame frame;
            frame.format = sdk::MediaFormat::ulaw8000();
            frame.encoding = sdk::PayloadEncoding::Base64;
            frame.payload = _message.media.payload;
            frame.timestampMs = _message.media.timestamp;
            _channel->onAudio(frame);
        }
        return;
    case Event::Mark:
        if (_channel) _channel->onMark(_message.mark.name);
        return;
    case Event::Dtmf:
        if (_channel && _message.dtmf.digit.size() == 1) _channel->onDtmf(_message.dtmf.digit[0]);
        return;
    case Event::Stop:
        endLeg(sdk::EndReason::Completed, "stream stopped by Twilio");
        connection.close(sdk::CloseCode::Normal, "stopped");
        return;
    case Event::Unknown:
        if (++_unknownEvents == 1)
            _host.logger().info("unknown media-stream event '" + std::string(_message.eventName.substr(0, 40)) + "' ignored", _callSid);
        return;
    }
}

void MediaStreamSession::handleStart(const MediaStreamMessage& message)
{
    if (_started)
    {
        ++_malformed;
        return;
    }
    const std::string& callSid = message.start.callSid;
    _callSid = callSid;
    const TokenCheck check = StreamToken::verify(_token, callSid, _host.nowUnixMs() / 1000, _config.streamTokenSecret);
    if (!check.ok()) return refuse(sdk::CloseCode::PolicyViolation, std::string("stream token ") + TokenCheck::reasonName(check.reason) + " for start.callSid");
    const std::string* param = message.start.parameter("callToken");
    if (!param || *param != _token) return refuse(sdk::CloseCode::PolicyViolation, "callToken parameter does not match the stream URL");
    if (message.start.mediaFormat.encoding != "audio/x-mulaw" || message.start.mediaFormat.sampleRate != 8000)
        return refuse(sdk::CloseCode::PolicyViolation, "unsupported media format " + message.start.mediaFormat.encoding);

    _streamSid = message.start.streamSid.empty() ? std::string(message.streamSid) : message.start.streamSid;
    sdk::LegInfo info{sdk::MediaFormat::ulaw8000(), sdk::MediaFormat::ulaw8000(), _streamSid};
    sdk::Result<sdk::CallChannel*> attached = _host.router().attachInbound(callSid, *this, info, _connection->loop());
    if (!attached.isOk()) return refuse(sdk::CloseCode::PolicyViolation, "call not attachable: " + attached.status().message());
    _started = true;
    _channel = attached.value();
    _legCounted = true;
    ++_activeLegs;
    if (_startTimer)
    {
        _connection->loop().cancelTimer(_startTimer);
        _startTimer = 0;
    }
    _host.logger().info("media stream started (" + _streamSid + ")", callSid);
}

void MediaStreamSession::onBinary(sdk::WebSocketConnection& /*connection*/, std::string_view /*message*/) noexcept
{
    // Twilio only sends JSON text frames; a binary frame is not Twilio.
    refuse(sdk::CloseCode::UnsupportedData, "binary frames are not part of the Media Streams protocol");
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
    if (_malformed > 1) _host.logger().warn(std::to_string(_malformed) + " malformed messages were ignored on this stream", _callSid);
    if (_sendDrops) _host.logger().warn(std::to_string(_sendDrops) + " messages to Twilio dropped on a full write queue", _callSid);
}

void MediaStreamSession::endLeg(sdk::EndReason reason, const std::string& detail)
{
    sdk::CallChannel* channel = _channel;
    _channel = nullptr;
    if (channel) channel->onLegEnded(reason, detail);
}

void MediaStreamSession::onAudio(const sdk::AudioFrame& frame) noexcept
{
    if (!_connection || _streamSid.empty()) return;
    std::string_view text;
    if (frame.encoding == sdk::PayloadEncoding::Base64)
    {
        text = _codec.encodeMedia(_streamSid, frame.payload);
    }
    else
    {
        const std::string b64 = sdk::support::Base64::encode(frame.payload);
        text = _codec.encodeMedia(_streamSid, b64);
    }
    if (!_connection->sendText(text)) ++_sendDrops;
}

void MediaStreamSession::onClear() noexcept
{
    if (_connection && !_streamSid.empty() && !_connection->sendText(_codec.encodeClear(_streamSid))) ++_sendDrops;
}

void MediaStreamSession::onMark(std::string_view name) noexcept
{
    if (_connection && !_streamSid.empty() && !_connection->sendText(_codec.encodeMark(_streamSid, name))) ++_sendDrops;
}

void MediaStreamSession::onDtmf(char /*digit*/) noexcept
{
    // Media Streams cannot send DTMF to the caller (twilio.md §5.1); nothing to do.
}

void MediaStreamSession::hangup(sdk::EndReason reason, std::string_view detail) noexcept
{
    _channel = nullptr;
    // Closing the stream makes Twilio run the TwiML after <Connect>; there is none, so the call ends.
    if (_connection) _connection->close(sdk::CloseCode::Normal, sdk::endReasonName(reason));
    _host.logger().debug("hangup: " + std::string(detail), _callSid);
}

} // namespace patchbay::twilio
