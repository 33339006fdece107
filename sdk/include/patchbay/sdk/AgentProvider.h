// AgentProvider.h: the interface an agent plugin implements — one AgentSession per call, speaking the vendor's protocol.
#ifndef PATCHBAY_SDK_AGENT_PROVIDER_H
#define PATCHBAY_SDK_AGENT_PROVIDER_H

#include <cstdint>
#include <memory>
#include <string>

#include "patchbay/sdk/Call.h"
#include "patchbay/sdk/EventLoop.h"
#include "patchbay/sdk/Status.h"
#include "patchbay/sdk/Tenant.h"

namespace patchbay::sdk {

/// Everything an agent session needs to start. Value type.
struct AgentSessionRequest
{
    CallInfo call;
    AgentSettings agent;        ///< the tenant's settings (SECRET fields inside; never log)
    MediaFormat callerFormat;   ///< the inbound leg's audio format (μ-law 8 kHz for Twilio)
    std::string tenantName;     ///< for the agent's dynamic variables (ABI 1.2)
    std::string variant;        ///< the A/B variant the call is in, "" for none (ABI 1.2)
};

/// The agent leg of one call. The core sends caller audio, DTMF and marks into it (MediaSink) and
/// the session reports what the agent does through the CallChannel it was opened with.
///
/// THREAD: Media — all methods on the loop the session was opened on.
/// OWNERSHIP: owned by the core (it holds the unique_ptr); destroyed on the session's loop, never
/// from inside one of the session's own calls into its channel.
class AgentSession : public MediaSink
{
public:
    virtual ~AgentSession() = default;
    /// Ends the conversation (closes the vendor connection). After this returns the session makes no
    /// further calls into its channel. Idempotent.
    virtual void close(EndReason reason) = 0;

    /// The answer to a request the session made through its channel (CallChannel::requestTransfer),
    /// e.g. to send the agent the tool's result. Ok = done; otherwise the secret-free reason.
    /// Default: ignored (ABI 1.2).
    virtual void onActionResult(std::uint64_t requestId, const Status& result)
    {
        (void)requestId;
        (void)result;
    }
};

class AgentProvider
{
public:
    /// Opens a session for one call. Must not block: connect asynchronously and report readiness
    /// through channel.onLegReady(), failure through channel.onLegEnded(EndReason::AgentFailed, why).
    /// @param channel where the session reports agent audio, clears, marks and its end.
    ///        Valid as documented on CallChannel.
    /// @param loop the call's loop; every socket and timer of the session must live on it.
    /// THREAD: Media (called on `loop`).
    /// @return the session, or InvalidArgument (bad settings, e.g. no agent id) / Unavailable.
    virtual Result<std::unique_ptr<AgentSession>> openSession(const AgentSessionRequest& request, CallChannel& channel,
                                                              EventLoop& loop) = 0;

protected:
    ~AgentProvider() = default;
};

} // namespace patchbay::sdk

#endif
