// InboundProvider.h: the interface an inbound (carrier) plugin implements for the core — legs, call control, numbers, outbound calls.
//
// An inbound plugin receives calls through the HTTP and WebSocket routes it registers
// (HostServices::addHttpRoute / addWebSocketEndpoint), asks the core to admit each call
// (CallRouter::admit) and attaches the call's media leg (CallRouter::attachInbound). What the core
// needs back from the provider itself is below; it grows only with minor ABI versions.
//
// Results (as in every SDK interface): Ok = done; Declined = this provider does not do that (the
// caller tries another way or reports "not supported"); any other code = it tried and failed, with
// a secret-free message naming what failed and how to fix it.
#ifndef PATCHBAY_SDK_INBOUND_PROVIDER_H
#define PATCHBAY_SDK_INBOUND_PROVIDER_H

#include <cstddef>
#include <string>
#include <vector>

#include "patchbay/sdk/Status.h"
#include "patchbay/sdk/Tenant.h"

namespace patchbay::sdk {

/// A call the gateway asks the carrier to place (ABI 1.2). Value type.
struct OutboundCallRequest
{
    std::string tenantId;   ///< the tenant the call is for; its agent answers the callee
    std::string from;       ///< E.164 caller id: one of the tenant's numbers
    std::string to;         ///< E.164 number to ring
    std::string accountSid; ///< the carrier account that owns `from`
    std::uint32_t ringTimeoutSeconds = 30;
};

/// One finding of a setup check (ABI 1.2): `patchbayctl doctor` prints one line per finding. Value type.
struct SetupCheck
{
    std::string subject; ///< what was checked: an E.164 number, "voice webhook", "media stream", ...
    bool ok = false;
    std::string problem; ///< empty when ok; what is wrong, e.g. "VoiceUrl is https://old.example.com/voice"
    std::string fix;     ///< empty when ok; the one thing to do, e.g. "patchbayctl numbers assign ... --configure"
};

class InboundProvider
{
public:
    /// Media legs this provider has open right now (for drain on shutdown and /readyz).
    /// THREAD: Any.
    virtual std::size_t activeLegs() const = 0;

    // ---- Call control and numbers (ABI 1.2). Defaults decline, so a provider without a REST API
    // ---- (or built for 1.1 semantics) stays valid. Every method may block: THREAD: I/O — the host
    // ---- calls them from its blocking pool, never from a media loop.

    /// Ends a live call at the carrier (the phone hangs up).
    /// @param call the call as admitted (callSid and accountSid are what matter).
    /// @return Ok, Declined, NotFound (the carrier no longer knows the call), Unavailable (carrier
    ///         unreachable after retries), PermissionDenied (credentials refused).
    virtual Status hangupCall(const CallInfo& call) { (void)call; return Status::declined("no call control"); }

    /// Moves a live call off the agent to a phone number (the caller hears ringing, then that party).
    /// @param toNumber E.164.
    /// @return as hangupCall; InvalidArgument for a number the carrier refuses.
    virtual Status transferCall(const CallInfo& call, const std::string& toNumber)
    {
        (void)call; (void)toNumber;
        return Status::declined("no call control");
    }

    /// Replaces what a live call is doing with the tenant's fallback (say its message and/or dial its
    /// number, then hang up) — used when the agent fails mid-call.
    /// @return as hangupCall.
    virtual Status redirectToFallback(const CallInfo& call, const Fallback& fallback)
    {
        (void)call; (void)fallback;
        return Status::declined("no call control");
    }

    /// Points a number's carrier configuration at this gateway (Twilio: VoiceUrl, VoiceMethod=POST,
    /// StatusCallback), looking the number up in `account` first. The host calls it on every
    /// assignment through the admin API.
    /// @param route in: number and accountSid; out: phoneNumberSid filled in when the carrier told it.
    /// @param requested true when the operator asked for it (patchbayctl numbers assign --configure);
    ///        false on a plain assignment, where the provider's own setting decides.
    /// @return Ok, Declined (not requested and the provider is set not to touch numbers), NotFound
    ///         (the account does not own the number), or a carrier failure.
    virtual Status configureNumber(NumberRoute& route, const CarrierAccount& account, bool requested)
    {
        (void)route; (void)account; (void)requested;
        return Status::declined("numbers are configured at the carrier by hand");
    }

    /// Checks, without changing anything, that a number's carrier configuration points here.
    /// @return the finding (ok, or problem + fix); a Status when the carrier could not be asked.
    virtual Result<SetupCheck> checkNumber(const NumberRoute& route, const CarrierAccount& account)
    {
        (void)route; (void)account;
        return Status::declined("this provider cannot check numbers");
    }

    /// Checks the way in from the carrier end to end, through the public URL (proxy, TLS, DNS
    /// included): e.g. a correctly signed webhook is accepted, a badly signed one refused, the media
    /// WebSocket handshake completes. Must not admit a call or count against any tenant's limits.
    /// @param account an account whose token signs the test requests.
    /// @return one finding per check; empty when the provider has none.
    virtual std::vector<SetupCheck> checkPublicEndpoints(const CarrierAccount& account)
    {
        (void)account;
        return {};
    }

    /// Places an outbound call whose answer opens the same stream path and agent bridge as an
    /// inbound one; the call is admitted like any other when the carrier asks for its TwiML.
    /// @return the carrier's call id (Twilio CallSid).
    virtual Result<std::string> placeCall(const OutboundCallRequest& request, const CarrierAccount& account)
    {
        (void)request; (void)account;
        return Status::declined("this provider cannot place calls");
    }

protected:
    ~InboundProvider() = default;
};

} // namespace patchbay::sdk

#endif
