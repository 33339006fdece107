// SimCall.h: one simulated Twilio call — webhook, Media Streams socket, paced frames, echo checks.
#pragma once

#include "CallResult.h"
#include "CallSimContext.h"

#include <patchbay/media/WebSocketConnection.h>
#include <patchbay/media/WebSocketListener.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace patchbay {
namespace callsim {

class CallDriver;
struct WebhookResult;

/// Lives on its driver's loop thread (all methods except result() after the loops stopped). It does
/// not pace itself: the driver's single timer calls tick() for every streaming call.
class SimCall: public media::WebSocketListener, public std::enable_shared_from_this<SimCall>
{
public:
    using Clock = std::chrono::steady_clock;

    SimCall(CallSimContext& context, CallDriver& driver, std::uint32_t index);

    /// Posts the voice webhook. Loop thread.
    void start();
    /// Sends due frames, ends the call when its time is up, echoes played marks. False once the
    /// call needs no more ticks. Loop thread.
    bool tick(Clock::time_point now);
    /// After the loops stopped: computes losses and fails calls that never finished.
    void finalize();

    const CallResult& result() const { return _result; }

    void onOpen(media::WebSocketConnection& connection) override;
    void onText(media::WebSocketConnection& connection, std::string_view text) override;
    void onClose(media::WebSocketConnection& connection, std::uint16_t code, std::string_view reason) override;
    void onConnectFailed(std::string_view why) override;

private:
    enum class State
    {
        Idle,
        Webhook,
        Ringing,   ///< TwiML received; --ring-ms before the media socket opens
        Connecting,
        Streaming,
        Draining, ///< all frames sent; waiting grace-ms for the last echoes
        Closing,  ///< stop sent, close handshake running
        Done
    };

    struct SentFrame
    {
        std::uint32_t frameId = 0xFFFFFFFFu;
        std::int64_t sentMicros = 0;
    };

    struct PendingMark
    {
        std::string name;
        Clock::time_point due;
    };

    void onWebhook(const WebhookResult& webhook);
    void ring(const std::string& streamUrl);
    void connectStream(const std::string& streamUrl);
    void sendStart();
    void sendMedia(Clock::time_point now);
    void sendMark(const std::string& name);
    void sendStop();
    void sendDueDtmf(Clock::time_point now);
    void handleMedia(std::string_view payload, Clock::time_point now);
    void handleClear();
    void handleMark(std::string_view name, Clock::time_point now);
    void echoDueMarks(Clock::time_point now, bool all);
    void send(const std::string& text);
    void finish(CallResult::Outcome outcome, std::string detail);
    std::string sequence();
    static std::string stateName(State state);

    CallSimContext& _context;
    CallDriver& _driver;
    std::uint32_t _index;
    State _state = State::Idle;
    CallResult _result;
    std::vector<std::pair<std::string, std::string>> _customParameters;
    std::string _streamUrl;
    std::shared_ptr<media::WebSocketConnection> _connection;
    Clock::time_point _streamStart{};
    Clock::time_point _startSent{}; ///< when `start` went out (firstAudioMicros counts from here)
    Clock::time_point _drainUntil{};
    Clock::time_point _playoutEnd{};
    std::uint64_t _sequence = 0;
    std::uint32_t _totalFrames = 0;
    std::vector<std::uint64_t> _echoedBits;
    std::array<SentFrame, 256> _sent{};
    std::int64_t _maxEchoed = -1;
    std::int64_t _maxEchoedAtClear = -1;
    std::deque<PendingMark> _marks;
    bool _finished = false;
};

} // namespace callsim
} // namespace patchbay
