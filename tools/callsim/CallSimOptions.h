// CallSimOptions.h: the command-line settings of patchbay-callsim.
#pragma once

#include <cstdint>
#include <string>

namespace patchbay {
namespace callsim {

struct CallSimOptions
{
    std::string gatewayHost = "127.0.0.1"; ///< where the simulator really connects (from --gateway)
    std::uint16_t gatewayPort = 8080;
    std::string publicUrl = "https://gw.example.test"; ///< what Twilio would use; signatures are computed on it
    std::string voicePath = "/twilio/voice";
    std::string account;
    std::string authToken;
    std::string from = "+14155550100";
    std::string to = "+15005550006";
    int calls = 1;
    std::uint32_t rampMs = 0;
    std::uint32_t ringMs = 0;         ///< after the TwiML answer, wait this long before opening the media socket
    std::uint32_t durationMs = 3000;
    std::uint32_t frameMs = 20;
    std::uint32_t graceMs = 1500;     ///< after the last frame, wait this long for echoes before `stop`
    std::uint32_t lossSkipMs = 1000;  ///< frames sent this early in a call may be lost without counting
    std::uint32_t timeoutMs = 0;      ///< whole run; 0 = ramp + ring + duration + grace + 30 s
    bool badSignature = false;
    bool wsSignature = true;          ///< sign the WebSocket handshake like Twilio does
    bool immediateMarks = false;      ///< echo marks at once instead of after simulated playout
    bool json = false;
    bool perCall = false;
    std::size_t loops = 1;
    int httpThreads = 8;
    int connectThreads = 4;
    std::string expect;               ///< "", echo, reject, busy, fallback, forbidden
    std::string dtmfDigits;           ///< --dtmf: caller key presses, each a Media Streams `dtmf` event
    std::uint32_t dtmfAtMs = 0;       ///< the first digit this long after the stream opened, then one per kDtmfGapMs

    static constexpr std::uint32_t kDtmfGapMs = 20;

    /// Parses argv; returns false when --help was printed. Throws tools::UsageError.
    static bool parse(int argc, char** argv, CallSimOptions& out);
};

} // namespace callsim
} // namespace patchbay
