// MediaStreamSession.h: one Twilio Media Stream — verifies its start, translates Twilio events to the core and back.
#ifndef PATCHBAY_TWILIO_MEDIA_STREAM_SESSION_H
#define PATCHBAY_TWILIO_MEDIA_STREAM_SESSION_H

#include <atomic>
#include <cstdint>
#include <string>

#include <patchbay/sdk/HostServices.h>
#include <patchbay/sdk/WebSocket.h>

#include <protocol/MediaStreamCodec.h>

#include "TwilioConfig.h"

namespace patchbay::twilio {

/// Lives on the socket's loop (THREAD: Media for everything). Held by the host until onClose(); the
/// core holds it as an InboundLeg between attachInbound() and the first of onLegEnded()/hangup().
class MediaStreamSession final : public sdk::WebSocketHandler, public sdk::InboundLeg
{
public:
    MediaStreamSession(const TwilioConfig& config, sdk::HostServices& host, std::string token, std::string tokenCallSid,
                       std::atomic<std::size_t>& activeLegs);
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

private:
    void handleStart(const MediaStreamMessage& message);
    void refuse(std::uint16_t code, const std::string& why);
    void endLeg(sdk::EndReason reason, const std::string& detail);

    const TwilioConfig& _config;
    sdk::HostServices& _host;
    std::string _token;
    std::string _tokenCallSid;
    std::atomic<std::size_t>& _activeLegs;

    sdk::WebSocketConnection* _connection = nullptr; // between onOpen and onClose
    sdk::CallChannel* _channel = nullptr;            // between attach and leg end
    MediaStreamCodec _codec;
    MediaStreamMessage _message;
    std::string _callSid;
    std::string _streamSid;
    sdk::TimerId _startTimer = 0;
    bool _started = false;
    bool _legCounted = false;
    std::uint64_t _malformed = 0;
    std::uint64_t _unknownEvents = 0;
    std::uint64_t _sendDrops = 0;
};

} // namespace patchbay::twilio

#endif
