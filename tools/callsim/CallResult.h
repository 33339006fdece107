// CallResult.h: the outcome and counters of one simulated call, as the report reads them.
#pragma once

#include <cstdint>
#include <string>

namespace patchbay {
namespace callsim {

struct CallResult
{
    enum class Outcome
    {
        Pending,   ///< never got an answer (run timed out)
        Completed, ///< streamed and ended by us (stop + close)
        Rejected,  ///< TwiML <Reject>
        Forbidden, ///< HTTP 403 on the webhook
        Fallback,  ///< TwiML <Say>/<Dial> instead of a stream
        Failed     ///< anything else; see detail
    };

    std::string callSid;
    std::string streamSid;
    Outcome outcome = Outcome::Pending;
    std::string detail;           ///< reject reason, failure reason
    bool connected = false;       ///< the media WebSocket opened
    int webhookStatus = 0;
    std::uint32_t webhookMs = 0;
    std::uint64_t framesSent = 0;
    std::uint64_t echoed = 0;       ///< distinct frames echoed intact
    std::uint64_t lost = 0;         ///< sent after loss-skip-ms, never echoed
    std::uint64_t corrupted = 0;
    std::uint64_t duplicates = 0;   ///< a frame echoed twice (no clear in between)
    std::uint64_t reordered = 0;    ///< an echo older than one already received (no clear in between)
    std::uint64_t staleAfterClear = 0; ///< echo of a frame at or before the last echo preceding a clear
    std::uint64_t foreignAudio = 0; ///< media messages that are not our frames (agent greeting etc.)
    std::uint64_t foreignBytes = 0;
    std::uint64_t clears = 0;
    std::uint64_t marksReceived = 0;
    std::uint64_t marksEchoed = 0;
    std::uint64_t badMessages = 0;  ///< unparseable, unknown event, wrong streamSid
    std::uint64_t dtmfSent = 0;     ///< --dtmf digits sent
    /// `start` sent → first `media` message from the gateway (echo or agent audio), steady clock; -1 = none came.
    std::int64_t firstAudioMicros = -1;
    int closeCode = 0;
    std::string closeReason;

    static const char* outcomeName(Outcome outcome);
};

} // namespace callsim
} // namespace patchbay
