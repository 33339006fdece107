// SimCall.cpp: a simulated call from webhook to hang-up, Twilio side (twilio.md §1, §5, §6).
#include "SimCall.h"

#include "CallDriver.h"
#include "FormBody.h"
#include "TwilioSigner.h"
#include "WebhookClient.h"

#include <patchbay/media/WebSocketClient.h>
#include <patchbay/sdk/support/Base64.h>
#include <patchbay/sdk/support/JsonWriter.h>

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <charconv>

namespace patchbay {
namespace callsim {

using sdk::support::JsonWriter;

namespace {

std::string hex16(std::uint64_t v)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, v >>= 4)
        out[static_cast<std::size_t>(i)] = kHex[v & 0xF];
    return out;
}

// Twilio's numeric fields are strings; to_chars into a stack buffer keeps them allocation-free.
std::string_view numberText(char (&buffer)[24], std::uint64_t v)
{
    const auto r = std::to_chars(buffer, buffer + sizeof buffer, v);
    return std::string_view(buffer, static_cast<std::size_t>(r.ptr - buffer));
}

} // namespace

const char* CallResult::outcomeName(Outcome outcome)
{
    switch (outcome)
    {
    case Outcome::Pending: return "pending";
    case Outcome::Completed: return "completed";
    case Outcome::Rejected: return "rejected";
    case Outcome::Forbidden: return "forbidden";
    case Outcome::Fallback: return "fallback";
    case Outcome::Failed: return "failed";
    }
    return "?";
}

SimCall::SimCall(CallSimContext& context, CallDriver& driver, std::uint32_t index):
    _context(context),
    _driver(driver),
    _index(index)
{
    _result.callSid = "CA" + context.runId + hex16(index);
    _result.streamSid = "MZ" + context.runId + hex16(index);
    const CallSimOptions& o = context.options;
    _totalFrames = o.durationMs / o.frameMs;
    _echoedBits.assign((_totalFrames + 63) / 64, 0);
}

std::string SimCall::stateName(State state)
{
    switch (state)
    {
    case State::Idle: return "idle";
    case State::Webhook: return "waiting for the webhook";
    case State::Ringing: return "ringing (before the stream)";
    case State::Connecting: return "connecting the stream";
    case State::Streaming: return "streaming";
    case State::Draining: return "waiting for the last echoes";
    case State::Closing: return "closing";
    case State::Done: return "done";
    }
    return "?";
}

void SimCall::start()
{
    const CallSimOptions& o = _context.options;
    // What a real inbound PSTN call carries (twilio.md §1.2), geo fields included.
    const std::vector<std::pair<std::string, std::string>> params = {
        {"AccountSid", o.account},
        {"ApiVersion", "2010-04-01"},
        {"CallSid", _result.callSid},
        {"CallStatus", "ringing"},
        {"Called", o.to},
        {"CalledCity", ""},
        {"CalledCountry", "US"},
        {"CalledState", "CA"},
        {"CalledZip", ""},
        {"Caller", o.from},
        {"CallerCity", "SAN FRANCISCO"},
        {"CallerCountry", "US"},
        {"CallerState", "CA"},
        {"CallerZip", "94103"},
        {"Direction", "inbound"},
        {"From", o.from},
        {"FromCity", "SAN FRANCISCO"},
        {"FromCountry", "US"},
        {"FromState", "CA"},
        {"FromZip", "94103"},
        {"To", o.to},
        {"ToCity", ""},
        {"ToCountry", "US"},
        {"ToState", "CA"},
        {"ToZip", ""},
    };
    const std::string url = o.publicUrl + o.voicePath;
    const std::string token = o.badSignature ? "not-" + o.authToken : o.authToken;
    WebhookClient::Headers headers{{"X-Twilio-Signature", TwilioSigner::sign(url, params, token)}};
    _state = State::Webhook;
    std::weak_ptr<SimCall> weak = shared_from_this();
    media::EventLoop* loop = &_driver.loop();
    _context.webhooks.post(o.voicePath, FormBody::encode(params), std::move(headers), [weak, loop](WebhookResult r) {
        auto shared = std::make_shared<WebhookResult>(std::move(r));
        loop->post([weak, shared] {
            if (auto self = weak.lock())
                self->onWebhook(*shared);
        });
    });
}

void SimCall::onWebhook(const WebhookResult& webhook)
{
    if (_state != State::Webhook)
        return;
    _result.webhookStatus = webhook.status;
    _result.webhookMs = webhook.elapsedMs;
    if (webhook.status == 0)
        return finish(CallResult::Outcome::Failed, "webhook request failed: " + webhook.error);
    if (webhook.status == 403)
        return finish(CallResult::Outcome::Forbidden, "webhook answered 403");
    if (webhook.status != 200)
        return finish(CallResult::Outcome::Failed, "webhook answered HTTP " + std::to_string(webhook.status));
    const TwimlOutcome& twiml = webhook.twiml;
    switch (twiml.kind)
    {
    case TwimlOutcome::Kind::Connect:
        _customParameters = twiml.parameters;
        return ring(twiml.streamUrl);
    case TwimlOutcome::Kind::Reject:
        return finish(CallResult::Outcome::Rejected, twiml.reason);
    case TwimlOutcome::Kind::Say:
        return finish(CallResult::Outcome::Fallback, twiml.dial.empty() ? "say" : "say+dial " + twiml.dial);
    case TwimlOutcome::Kind::Dial:
        return finish(CallResult::Outcome::Fallback, "dial " + twiml.dial);
    case TwimlOutcome::Kind::Invalid:
        return finish(CallResult::Outcome::Failed, twiml.error + (webhook.body.empty() ? "" : ": " + webhook.body));
    default:
        return finish(CallResult::Outcome::Failed,
            std::string("unexpected TwiML (") + TwimlOutcome::kindName(twiml.kind) + " " + twiml.verb + ")");
    }
}

void SimCall::ring(const std::string& streamUrl)
{
    const std::uint32_t ringMs = _context.options.ringMs;
    if (ringMs == 0)
        return connectStream(streamUrl);
    // The phone rings and Twilio sets up its stream: a loop timer, so no thread waits for it.
    _state = State::Ringing;
    std::weak_ptr<SimCall> weak = shared_from_this();
    _driver.loop().runAfter(std::chrono::milliseconds(ringMs), [weak, streamUrl] {
        if (auto self = weak.lock(); self && self->_state == State::Ringing)
            self->connectStream(streamUrl);
    });
}

void SimCall::connectStream(const std::string& streamUrl)
{
    const CallSimOptions& o = _context.options;
    std::string target;
    try
    {
        Poco::URI uri(streamUrl);
        if (uri.getScheme() != "wss" && uri.getScheme() != "ws")
            return finish(CallResult::Outcome::Failed, "stream URL is not ws(s): " + streamUrl);
        // Like a proxy in front of the gateway: the public URL's path, opened on the real address.
        target = "ws://" + o.gatewayHost + ":" + std::to_string(o.gatewayPort) + uri.getPathEtc();
    }
    catch (const Poco::Exception& e)
    {
        return finish(CallResult::Outcome::Failed, "bad stream URL: " + e.displayText());
    }
    _streamUrl = streamUrl;
    media::WebSocketClient::Headers headers{{"User-Agent", "Twilio.TmeWs/1.0"}};
    if (o.wsSignature) // Twilio signs the handshake over the wss:// URL with no parameters (twilio.md §3.3)
        headers.emplace_back("X-Twilio-Signature", TwilioSigner::sign(streamUrl, {}, o.authToken));
    _state = State::Connecting;
    _connection = media::WebSocketClient::connect(target, headers, _driver.loop(), shared_from_this(),
        _context.socketOptions, nullptr, _context.connector);
}

void SimCall::onConnectFailed(std::string_view why)
{
    _connection.reset();
    finish(CallResult::Outcome::Failed, "stream connect failed: " + std::string(why.substr(0, 160)));
}

void SimCall::onOpen(media::WebSocketConnection& /*connection*/)
{
    if (_state != State::Connecting)
        return;
    _result.connected = true;
    _streamStart = Clock::now();
    _playoutEnd = _streamStart;
    std::string& out = _driver.out();
    out.clear();
    JsonWriter(out).beginObject().key("event").value("connected").key("protocol").value("Call").key("version").value(
        "1.0.0").endObject();
    send(out);
    sendStart();
    _state = _totalFrames > 0 ? State::Streaming : State::Draining;
    _drainUntil = _streamStart + std::chrono::milliseconds(_context.options.graceMs);
    _driver.add(shared_from_this());
}

std::string SimCall::sequence()
{
    return std::to_string(++_sequence);
}

void SimCall::sendStart()
{
    const CallSimOptions& o = _context.options;
    std::string& out = _driver.out();
    out.clear();
    JsonWriter w(out);
    w.beginObject().key("event").value("start").key("sequenceNumber").value(sequence());
    w.key("start").beginObject();
    w.key("accountSid").value(o.account).key("streamSid").value(_result.streamSid).key("callSid").value(_result.callSid);
    w.key("tracks").beginArray().value("inbound").endArray();
    w.key("customParameters").beginObject();
    for (const auto& [name, value] : _customParameters)
        w.key(name).value(value);
    w.endObject();
    w.key("mediaFormat").beginObject().key("encoding").value("audio/x-mulaw").key("sampleRate").value(8000).key(
        "channels").value(1).endObject();
    w.endObject();
    w.key("streamSid").value(_result.streamSid).endObject();
    _startSent = Clock::now();
    send(out);
}

bool SimCall::tick(Clock::time_point now)
{
    const CallSimOptions& o = _context.options;
    if (_state == State::Streaming)
    {
        const auto elapsedMs = std::chrono::duration_cast<std::chrono::milliseconds>(now - _streamStart).count();
        const std::uint64_t due = std::min<std::uint64_t>(_totalFrames, static_cast<std::uint64_t>(elapsedMs) / o.frameMs + 1);
        // Catch up after a late tick, but never flood: a real caller's audio does not bunch up much.
        for (int burst = 0; _result.framesSent < due && burst < 10; ++burst)
            sendMedia(now);
        if (_result.framesSent >= _totalFrames)
        {
            _state = State::Draining;
            _drainUntil = now + std::chrono::milliseconds(o.graceMs);
        }
    }
    if (_result.dtmfSent < o.dtmfDigits.size())
        sendDueDtmf(now);
    if (!_marks.empty())
        echoDueMarks(now, false);
    if (_state == State::Draining && now >= _drainUntil)
    {
        echoDueMarks(now, true);
        sendStop();
        _state = State::Closing;
        if (_connection)
            _connection->close(media::WebSocketCloseCode::Normal, "call ended");
    }
    return _state == State::Streaming || _state == State::Draining;
}

void SimCall::sendMedia(Clock::time_point now)
{
    const CallSimOptions& o = _context.options;
    const std::uint64_t frameId = _result.framesSent++;
    char seq[24];
    char chunk[24];
    char stamp[24];
    std::string& out = _driver.out();
    out.clear();
    // Written by hand around the payload: the base64 goes straight into the message buffer.
    out += "{\"event\":\"media\",\"sequenceNumber\":\"";
    out += numberText(seq, ++_sequence);
    out += "\",\"media\":{\"track\":\"inbound\",\"chunk\":\"";
    out += numberText(chunk, frameId + 1);
    out += "\",\"timestamp\":\"";
    out += numberText(stamp, frameId * o.frameMs);
    out += "\",\"payload\":\"";
    _context.codec.appendBase64(_index, static_cast<std::uint32_t>(frameId), out);
    out += "\"},\"streamSid\":\"";
    out += _result.streamSid;
    out += "\"}";
    SentFrame& slot = _sent[frameId % _sent.size()];
    slot.frameId = static_cast<std::uint32_t>(frameId);
    slot.sentMicros = _driver.micros(now);
    send(out);
}

void SimCall::sendMark(const std::string& name)
{
    std::string& out = _driver.out();
    out.clear();
    JsonWriter(out)
        .beginObject()
        .key("event")
        .value("mark")
        .key("sequenceNumber")
        .value(sequence())
        .key("streamSid")
        .value(_result.streamSid)
        .key("mark")
        .beginObject()
        .key("name")
        .value(name)
        .endObject()
        .endObject();
    send(out);
    ++_result.marksEchoed;
}

void SimCall::sendStop()
{
    const CallSimOptions& o = _context.options;
    std::string& out = _driver.out();
    out.clear();
    JsonWriter(out)
        .beginObject()
        .key("event")
        .value("stop")
        .key("sequenceNumber")
        .value(sequence())
        .key("streamSid")
        .value(_result.streamSid)
        .key("stop")
        .beginObject()
        .key("accountSid")
        .value(o.account)
        .key("callSid")
        .value(_result.callSid)
        .endObject()
        .endObject();
    send(out);
}

void SimCall::sendDueDtmf(Clock::time_point now)
{
    // A key press as Twilio relays it on a bidirectional stream (twilio.md §6.2): inbound_track only.
    const CallSimOptions& o = _context.options;
    while (_result.dtmfSent < o.dtmfDigits.size() &&
        now >= _streamStart + std::chrono::milliseconds(o.dtmfAtMs + _result.dtmfSent * CallSimOptions::kDtmfGapMs))
    {
        const char digit[2] = {o.dtmfDigits[_result.dtmfSent], '\0'};
        std::string& out = _driver.out();
        out.clear();
        JsonWriter(out)
            .beginObject()
            .key("event")
            .value("dtmf")
            .key("streamSid")
            .value(_result.streamSid)
            .key("sequenceNumber")
            .value(sequence())
            .key("dtmf")
            .beginObject()
            .key("track")
            .value("inbound_track")
            .key("digit")
            .value(digit)
            .endObject()
            .endObject();
        send(out);
        ++_result.dtmfSent;
    }
}

void SimCall::send(const std::string& text)
{
    if (_connection && _connection->isOpen())
        _connection->sendText(text);
}

void SimCall::onText(media::WebSocketConnection& /*connection*/, std::string_view text)
{
    const auto now = Clock::now();
    sdk::support::JsonDocument& doc = _driver.parser();
    if (!doc.parse(text) || !doc.root().isObject())
    {
        ++_result.badMessages;
        return;
    }
    const auto& root = doc.root();
    if (root["streamSid"].asString() != _result.streamSid)
    {
        ++_result.badMessages; // everything the gateway sends must name our stream (twilio.md §6.3)
        return;
    }
    const std::string_view event = root["event"].asString();
    if (event == "media")
    {
        if (_result.firstAudioMicros < 0) // any payload: an echo or the agent's own audio (its greeting)
            _result.firstAudioMicros =
                std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::microseconds>(now - _startSent).count());
        handleMedia(root["media"]["payload"].asString(), now);
    }
    else if (event == "clear")
        handleClear();
    else if (event == "mark")
        handleMark(root["mark"]["name"].asString(), now);
    else
        ++_result.badMessages;
}

void SimCall::handleMedia(std::string_view payload, Clock::time_point now)
{
    std::string& bytes = _driver.decoded();
    bytes.clear();
    if (payload.empty() || !sdk::support::Base64::decode(payload, bytes))
    {
        ++_result.corrupted;
        return;
    }
    // What Twilio would play: later marks wait behind this audio (8 bytes per ms of μ-law).
    _playoutEnd = std::max(_playoutEnd, now) + std::chrono::microseconds(bytes.size() * 125);
    std::uint32_t frameId = 0;
    switch (_context.codec.verify(bytes, _index, frameId))
    {
    case FrameCodec::Check::Foreign:
        ++_result.foreignAudio;
        _result.foreignBytes += bytes.size();
        return;
    case FrameCodec::Check::Corrupted:
        ++_result.corrupted;
        return;
    case FrameCodec::Check::Ok:
        break;
    }
    if (frameId >= _result.framesSent)
    {
        ++_result.corrupted; // a frame we never sent
        return;
    }
    const std::int64_t id = frameId;
    if (id <= _maxEchoedAtClear)
    {
        ++_result.staleAfterClear; // audio from before the interruption, played after the clear
        return;
    }
    std::uint64_t& word = _echoedBits[frameId / 64];
    const std::uint64_t bit = std::uint64_t(1) << (frameId % 64);
    if (word & bit)
    {
        ++_result.duplicates;
        return;
    }
    if (id < _maxEchoed)
        ++_result.reordered;
    word |= bit;
    ++_result.echoed;
    _maxEchoed = std::max(_maxEchoed, id);
    const SentFrame& slot = _sent[frameId % _sent.size()];
    if (slot.frameId == frameId)
    {
        const std::int64_t rtt = _driver.micros(now) - slot.sentMicros;
        _driver.rtt().add(static_cast<std::uint32_t>(std::max<std::int64_t>(0, rtt)));
    }
}

void SimCall::handleClear()
{
    ++_result.clears;
    // Every frame echoed so far belongs to the interrupted turn; none of them may come again.
    _maxEchoedAtClear = _maxEchoed;
    const auto now = Clock::now();
    _playoutEnd = now;
    echoDueMarks(now, true); // Twilio answers every pending mark on clear (twilio.md §6.4)
}

void SimCall::handleMark(std::string_view name, Clock::time_point now)
{
    ++_result.marksReceived;
    if (_context.options.immediateMarks || _playoutEnd <= now)
    {
        sendMark(std::string(name));
        return;
    }
    _marks.push_back(PendingMark{std::string(name), _playoutEnd});
}

void SimCall::echoDueMarks(Clock::time_point now, bool all)
{
    while (!_marks.empty() && (all || _marks.front().due <= now))
    {
        sendMark(_marks.front().name);
        _marks.pop_front();
    }
}

void SimCall::onClose(media::WebSocketConnection& /*connection*/, std::uint16_t code, std::string_view reason)
{
    _result.closeCode = code;
    _result.closeReason = std::string(reason.substr(0, 120));
    _connection.reset();
    if (_state == State::Closing)
        return finish(CallResult::Outcome::Completed, std::string());
    finish(CallResult::Outcome::Failed,
        "gateway closed the stream while " + stateName(_state) + ": " + std::to_string(code) + " " + _result.closeReason);
}

void SimCall::finish(CallResult::Outcome outcome, std::string detail)
{
    _state = State::Done;
    if (_finished)
        return;
    _finished = true;
    _result.outcome = outcome;
    _result.detail = std::move(detail);
    if (_context.callFinished)
        _context.callFinished();
}

void SimCall::finalize()
{
    if (!_finished)
    {
        _finished = true;
        _result.outcome = CallResult::Outcome::Failed;
        _result.detail = "run timed out while " + stateName(_state);
    }
    const CallSimOptions& o = _context.options;
    const std::uint64_t skip = (o.lossSkipMs + o.frameMs - 1) / o.frameMs;
    for (std::uint64_t id = skip; id < _result.framesSent; ++id)
        if (!(_echoedBits[id / 64] & (std::uint64_t(1) << (id % 64))))
            ++_result.lost;
}

} // namespace callsim
} // namespace patchbay
