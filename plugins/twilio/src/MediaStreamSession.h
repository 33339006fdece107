// MediaStreamSession.h: one Twilio Media Stream — verifies its start, translates Twilio events to the core and back.
#ifndef PATCHBAY_TWILIO_MEDIA_STREAM_SESSION_H
#define PATCHBAY_TWILIO_MEDIA_STREAM_SESSION_H

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include <patchbay/sdk/HostServices.h>
#include <patchbay/sdk/WebSocket.h>

#include <protocol/MediaStreamCodec.h>
#include <protocol/PendingOutbound.h>
#include <protocol/PlayoutTracker.h>
#include <protocol/StreamTokenReplayCache.h>
#include <protocol/TokenCheck.h>

#include "MediaStreamMetrics.h"
#include "TwilioConfig.h"

namespace patchbay::twilio {

/// What every stream of one plugin instance shares. Owned by the endpoint and by each session
/// (a session can outlive the endpoint's registration by the time its socket takes to close).
struct MediaStreamContext
{
    MediaStreamContext(const TwilioConfig& config, sdk::HostServices& host, std::atomic<std::size_t>& activeLegs)
        : config(config), host(host), activeLegs(activeLegs), metrics(host.metrics())
    {
    }

    const TwilioConfig& config;
    sdk::HostServices& host;
    std::atomic<std::size_t>& activeLegs;
    MediaStreamMetrics metrics;
    StreamTokenReplayCache replayCache; ///< per node; see its class comment for the cluster case
};

/// Lives on the socket's loop (THREAD: Media for everything). Held by the host until onClose(); the
/// core holds it as an InboundLeg between attachInbound() and the first of onLegEnded()/hangup().
///
/// Towards the caller, a mark of our own follows the media chunk that completes each 200 ms of
/// audio since the last mark (PlayoutTracker::kMarkIntervalBytes), so the echoes tell what the
/// caller has heard to within 200 ms for a tenth of the marks (and echoes) one per chunk would
/// cost. After a clear, echoes of marks sent before it count as flushed, and so does the unmarked
/// audio before it. The core's own marks are always forwarded, right behind the audio sent before
/// them, and their echoes returned to it, played or flushed (the SDK's MediaSink::onMark
/// contract). Anything the core sends before `start` has named the stream waits in a bounded
/// queue (PendingOutbound) and goes out in order right after it.
///
/// Bad input after start: malformed JSON, unknown events and out-of-place events are ignored and
/// counted (a glitch must not drop a phone call); a message over the codec's size limit closes
/// the stream with 1009, since Twilio never sends one. Before start, anything wrong closes the
/// socket (1008), as does the lack of a valid start within startTimeoutMs.
class MediaStreamSession final : public sdk::WebSocketHandler, public sdk::InboundLeg
{
public:
    /// @param token the path token, already verified (MAC, expiry) at the upgrade; `check` is its result.
    MediaStreamSession(std::shared_ptr<MediaStreamContext> context, std::string token, TokenCheck check);
    ~MediaStreamSession() override;

    // sdk::WebSocketHandler
    void onOpen(sdk::WebSocketConnection& connection) noexcept override;
    void onText(sdk::WebSocketConnection& connection, std::string_view message) noexcept override;
    void onBinary(sdk::WebSocketConnection& connection, std::string_view message) noexcept override;
    void onClose(sdk::WebSocketConnection& connection, std::uint16_t code, std::string_view reason) noexcept override;

    // sdk::InboundLeg (agent → caller)
    void onAudio(const sdk::AudioFrame& frame) noexcept override;
    void onClear() noexcept override;
    void onMark(std::string_view name) noexcept override;
    void onDtmf(char digit) noexcept override;
    void hangup(sdk::EndReason reason, std::string_view detail) noexcept override;

    /// For diagnostics and tests: the caller's playout as the mark echoes report it.
    const PlayoutTracker& playout() const noexcept
    {
        return _playout;
    }
    const PendingOutbound& pending() const noexcept
    {
        return _pending;
    }

private:
    void handleStart(const MediaStreamMessage& message);
    void handleMarkEcho(std::string_view name);
    /// False (and counted) when the message is not for this stream or comes before start.
    bool inPlace(const MediaStreamMessage& message);
    void ignore(const char* why);
    void refuse(std::uint16_t code, const std::string& why);
    void fail(std::uint16_t code, const std::string& why);
    void endLeg(sdk::EndReason reason, const std::string& detail);
    void closeSocket(std::uint16_t code, const std::string& why);

    void sendMedia(std::string_view base64Payload, std::uint64_t audioBytes);
    void sendCoreMark(std::string_view name);
    bool send(std::string_view text);
    void queued(std::size_t dropped);
    void flushPending();
    void logSummary();

    std::shared_ptr<MediaStreamContext> _ctx;
    const TwilioConfig& _config;
    sdk::HostServices& _host;
    MediaStreamMetrics& _metrics;
    std::string _token;
    TokenCheck _check; ///< tenant, CallSid (trusted: MAC-verified) and expiry of the path token

    sdk::WebSocketConnection* _connection = nullptr; // between onOpen and onClose
    sdk::CallChannel* _channel = nullptr;            // between attach and leg end
    MediaStreamCodec _codec;
    MediaStreamMessage _message;
    PendingOutbound _pending;
    PlayoutTracker _playout;
    std::string _scratch; // base64 of raw agent frames, reused
    std::string _streamSid;
    sdk::TimerId _startTimer = 0;
    bool _started = false;
    bool _closing = false;
    bool _legCounted = false;
    std::uint64_t _malformed = 0;
    std::uint64_t _unknownEvents = 0;
    std::uint64_t _ignored = 0;
    std::uint64_t _sendDrops = 0;
    std::uint64_t _pendingDrops = 0;
};

} // namespace patchbay::twilio

#endif
