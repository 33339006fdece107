// CallRouter.h: the host's routing core as an inbound plugin sees it — admit a call, then attach its media leg.
#ifndef PATCHBAY_SDK_CALL_ROUTER_H
#define PATCHBAY_SDK_CALL_ROUTER_H

#include <cstdint>
#include <string>
#include <string_view>

#include "patchbay/sdk/Call.h"
#include "patchbay/sdk/EventLoop.h"
#include "patchbay/sdk/Status.h"
#include "patchbay/sdk/Tenant.h"

namespace patchbay::sdk {

/// The core's decision on a new call. The inbound plugin turns each into its carrier's answer
/// (for Twilio: Connect/Stream TwiML, Reject, or the tenant's fallback).
enum class AdmissionOutcome : std::uint8_t
{
    Accepted,         ///< open the media stream
    UnknownNumber,    ///< no tenant owns the dialled number → refuse without answering
    TenantSuspended,  ///< the tenant is suspended → its fallback
    OverLimit,        ///< a tenant limit is reached → busy
    AgentUnavailable, ///< no agent provider can take the call → its fallback
    Draining,         ///< the gateway is shutting down → fallback / carrier retry
    StoreUnavailable, ///< the tenant store did not answer → fallback; the carrier may retry
};

inline const char* admissionOutcomeName(AdmissionOutcome o) noexcept
{
    switch (o)
    {
    case AdmissionOutcome::Accepted: return "accepted";
    case AdmissionOutcome::UnknownNumber: return "unknown-number";
    case AdmissionOutcome::TenantSuspended: return "tenant-suspended";
    case AdmissionOutcome::OverLimit: return "over-limit";
    case AdmissionOutcome::AgentUnavailable: return "agent-unavailable";
    case AdmissionOutcome::Draining: return "draining";
    case AdmissionOutcome::StoreUnavailable: return "store-unavailable";
    }
    return "unknown";
}

/// What the carrier's status callbacks say about a call's record (ABI 1.2). The plugin derives it
/// from the call's whole status history (so arrival order does not matter); empty / 0 = no news.
struct CarrierCallUpdate
{
    std::string callSid;
    std::string status;               ///< received | answered | streaming | ended; "" = unchanged
    std::int64_t answeredAtMs = 0;
    std::int64_t streamStartedAtMs = 0;
    std::int64_t endedAtMs = 0;
};

struct Admission
{
    AdmissionOutcome outcome = AdmissionOutcome::StoreUnavailable;
    std::string tenantId; ///< set when the tenant is known
    Fallback fallback;    ///< the tenant's fallback, when known
    std::string detail;   ///< short, secret-free explanation for logs
};

/// The routing core. OWNERSHIP: owned by the host, valid from init() until shutdown() returns.
class CallRouter
{
public:
    /// Decides whether to take a call the carrier is offering. Looks the tenant up by call.to,
    /// applies the tenant's status and limits, and records the call. A repeated request for a CallSid
    /// that is still pending gets the same decision and is not counted twice.
    /// @param call the call as the carrier described it (tenantId is ignored and filled by the core).
    /// THREAD: I/O (may block on the tenant store).
    virtual Admission admit(const CallInfo& call) noexcept = 0;

    /// Joins an admitted call's media leg to the core, which then opens the tenant's agent session on
    /// the same loop.
    /// @param callSid a call previously Accepted by admit().
    /// @param leg the plugin's leg; must stay valid as documented on InboundLeg.
    /// @param info the leg's formats and its own id (Twilio StreamSid).
    /// @param loop the loop the leg's socket lives on (the calling thread's loop).
    /// THREAD: Media (on `loop`).
    /// @return the channel to push caller media into (valid as documented on CallChannel);
    ///         NotFound if the call was never admitted or has expired; AlreadyExists if attached twice.
    virtual Result<CallChannel*> attachInbound(std::string_view callSid, InboundLeg& leg, const LegInfo& info,
                                               EventLoop& loop) noexcept = 0;

    /// Applies a carrier's view of a call to its record, in order with the core's own writes of that
    /// record, so neither overwrites the other: the status only moves forward (received < answered <
    /// streaming < ended; "rejected" and "ended" are final) and a time is set only where none is yet.
    /// Returns at once; the write happens on the core's record writer. An unknown CallSid is ignored.
    /// THREAD: Any (ABI 1.2).
    virtual void updateFromCarrier(const CarrierCallUpdate& update) noexcept = 0;

protected:
    ~CallRouter() = default;
};

} // namespace patchbay::sdk

#endif
