// PostCallWebhook.h: the post-call webhook route — ElevenLabs-Signature gate, then the payload (transcript, agent report) attached to the call record.
#ifndef PATCHBAY_ELEVENLABS_POST_CALL_WEBHOOK_H
#define PATCHBAY_ELEVENLABS_POST_CALL_WEBHOOK_H

#include "ElevenLabsConfig.h"
#include "patchbay/sdk/HostServices.h"
#include "patchbay/sdk/Http.h"
#include "protocol/PostCallEvent.h"

namespace patchbay::elevenlabs {

/// POST {postCallPath}. Answers (elevenlabs.md §8.2: anything but 200 is a failed delivery, and
/// 10+ consecutive failures disable the workspace webhook):
///   413  body over postCallMaxBodyBytes
///   401  missing, malformed, expired (> 30 min), future (> 5 min) or wrong ElevenLabs-Signature;
///        one warn line saying which, never the secret or the header
///   400  signed, but not a webhook envelope
///   503  no tenant store configured, or it is unavailable (a real failure: the data is lost)
///   200  everything else, including a call this gateway does not know (a conversation on a
///        number left on ElevenLabs' native integration) and types it does not know, each with
///        an info line — answering 404 there would count as failures and eventually disable the
///        webhook for the calls we do know.
/// Correlation: the store has no lookup by conversation id, so the CallSid comes from the dynamic
/// variables the plugin sent at initiation (see PostCallEvent::callSid); when the record already
/// carries an agentConversationId that differs, nothing is attached (warn).
/// Effects: post_call_transcription stores the transcript only when the call has none yet (the live
/// session stores it as it happens, and a redelivery must not duplicate it), and always stores the
/// agent's report (status, termination reason, duration, cost, call_successful, summary, bounded
/// analysis JSON) with TenantStore::saveAgentReport(), replacing an earlier delivery's; a store that
/// refuses it (Declined: built without agent reports) costs a warn line, never the 200. The report
/// is written apart from the record, so it cannot race the core's record writes; call_initiation_failure
/// is logged and, when the call has no endReason yet, becomes its endDetail; post_call_audio is
/// logged with its size only — audio is never stored.
/// THREAD: I/O (concurrent HTTP workers); stateless apart from the references.
class PostCallWebhook final : public sdk::HttpHandler
{
public:
    PostCallWebhook(const ElevenLabsConfig& config, sdk::HostServices& host) noexcept : _config(config), _host(host) {}

    void handle(const sdk::HttpRequest& request, sdk::HttpResponse& response) override;

private:
    /// Everything after the signature and JSON checks; fills the response.
    void attach(const PostCallEvent& event, sdk::HttpResponse& response);
    void storeTranscript(sdk::TenantStore& store, const sdk::CallRecord& record, const PostCallEvent& event);
    void storeReport(sdk::TenantStore& store, const sdk::CallRecord& record, const PostCallEvent& event);
    void recordFailure(sdk::TenantStore& store, const sdk::CallRecord& record, const PostCallEvent& event);
    void answer(sdk::HttpResponse& response, int status, const char* result, std::string_view detail = {});

    const ElevenLabsConfig& _config; ///< owned by the plugin, which outlives its routes
    sdk::HostServices& _host;
};

} // namespace patchbay::elevenlabs

#endif
