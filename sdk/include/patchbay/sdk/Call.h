// Call.h: what a call is to a plugin — its identity, how it ends, and the two interfaces that join a leg to the core.
//
// A call joins an inbound leg (from an InboundProvider, e.g. Twilio) and an agent leg (from an
// AgentProvider, e.g. ElevenLabs) in the host's routing core (DESIGN §4). Each leg talks to the core
// through a CallChannel the core hands it, and the core talks to the leg through the leg's own
// MediaSink-derived interface (InboundLeg here, AgentSession in AgentProvider.h).
#ifndef PATCHBAY_SDK_CALL_H
#define PATCHBAY_SDK_CALL_H

#include <cstdint>
#include <string>
#include <string_view>

#include "patchbay/sdk/Media.h"

namespace patchbay::sdk {

enum class CallDirection : std::uint8_t { Inbound, Outbound };

/// Why a call (or one leg) ended. Recorded on the call as its end reason.
enum class EndReason : std::uint8_t
{
    Completed,        ///< the caller hung up or the stream stopped normally
    AgentEnded,       ///< the agent ended the conversation
    AgentFailed,      ///< the agent leg could not be opened or broke mid-call
    InboundFailed,    ///< the carrier leg broke (socket error, protocol violation)
    Rejected,         ///< refused at admission (unknown number, limits, suspended)
    Timeout,          ///< no stream arrived, or a configured limit (duration, silence) expired
    Transferred,      ///< handed off to another number
    HostShutdown,     ///< the gateway is stopping
    Error,            ///< anything else
};

inline const char* endReasonName(EndReason r) noexcept
{
    switch (r)
    {
    case EndReason::Completed: return "completed";
    case EndReason::AgentEnded: return "agent-ended";
    case EndReason::AgentFailed: return "agent-failed";
    case EndReason::InboundFailed: return "inbound-failed";
    case EndReason::Rejected: return "rejected";
    case EndReason::Timeout: return "timeout";
    case EndReason::Transferred: return "transferred";
    case EndReason::HostShutdown: return "host-shutdown";
    case EndReason::Error: return "error";
    }
    return "unknown";
}

/// Identity of a call as both legs see it. Value type; THREAD: Any.
struct CallInfo
{
    std::string callSid;    ///< carrier call id (Twilio CallSid); the key of every log line
    std::string tenantId;
    std::string accountSid; ///< carrier account that owns the dialled number
    std::string from;       ///< caller as the carrier reports it (not always E.164)
    std::string to;         ///< dialled number, E.164
    CallDirection direction = CallDirection::Inbound;
    std::string inboundProvider; ///< plugin id of the inbound leg, e.g. "twilio"
};

/// One line of a call's transcript.
struct TranscriptEntry
{
    std::string role; ///< "agent" or "user"
    std::string text;
    std::int64_t atMs = 0;
};

/// What a leg reports once it is ready to carry media. Value type.
struct LegInfo
{
    MediaFormat sendsFormat;    ///< format of the audio this leg sends to the core
    MediaFormat receivesFormat; ///< format of the audio this leg wants from the core
    std::string remoteId;       ///< the leg's own id for the conversation (e.g. ElevenLabs conversation_id, Twilio StreamSid)
};

/// The core's side of one leg: the leg pushes what it receives into it.
///
/// THREAD: Media — call only on the call's event loop (the loop the leg was attached on).
/// OWNERSHIP: owned by the core. Valid from the moment it is handed to the leg until the leg has
/// called onLegEnded(), or until the core told the leg to end (InboundLeg::hangup /
/// AgentSession::close) and that call returned. After that the leg must not touch it.
class CallChannel : public MediaSink
{
public:
    /// The leg is ready; formats are known. Audio sent before this may be dropped (and is counted).
    virtual void onLegReady(const LegInfo& info) = 0;
    /// The leg ended by itself (peer closed, error). Called at most once; the leg makes no further
    /// calls on this channel afterwards. `detail` is a short, secret-free explanation for the record.
    virtual void onLegEnded(EndReason reason, std::string_view detail) = 0;

    // ---- What an agent leg may ask of the call (ABI 1.2). The inbound leg never calls these. ----

    /// A finished utterance for the call's transcript ("user" or "agent", its text, when it was
    /// said). The core stores it off the media loop, in order. A correction replaces nothing: send
    /// the corrected text as a new entry.
    virtual void onTranscript(const TranscriptEntry& entry) = 0;

    /// The agent wants the call over (its end_call tool): the core lets the caller hear everything
    /// the agent has sent so far (using marks), then ends the call cleanly with EndReason::Completed.
    /// Idempotent.
    virtual void requestHangupAfterPlayout(std::string_view reason) = 0;

    /// The agent wants the caller moved to a phone number (its transfer tool). The core asks the
    /// inbound provider (InboundProvider::transferCall) off the media loop and answers through
    /// AgentSession::onActionResult(requestId, status) on the call's loop.
    /// @param toNumber E.164. @param requestId the session's own id for the answer.
    virtual void requestTransfer(std::string_view toNumber, std::uint64_t requestId) = 0;

protected:
    ~CallChannel() = default;
};

/// The carrier side of a call, implemented by an inbound plugin and attached to the core with
/// CallRouter::attachInbound(). The core sends agent audio, clears, marks into it (MediaSink).
///
/// THREAD: Media (the loop it was attached on).
/// OWNERSHIP: owned by the plugin. Must stay valid until the plugin has called
/// CallChannel::onLegEnded() or hangup() has returned, whichever comes first.
class InboundLeg : public MediaSink
{
public:
    /// End the call from the gateway's side (close the media stream so the carrier runs what
    /// follows, e.g. hangs up). After this returns the leg makes no more calls into its channel.
    virtual void hangup(EndReason reason, std::string_view detail) = 0;

protected:
    ~InboundLeg() = default;
};

} // namespace patchbay::sdk

#endif
