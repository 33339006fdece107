// PostCallWebhook.cpp: verifying post-call webhooks and attaching transcripts, agent reports and failure reasons to call records.
#include "PostCallWebhook.h"

#include "WebhookReply.h"
#include "protocol/WebhookSignature.h"

namespace patchbay::elevenlabs {

namespace {

constexpr const char* kWebhook = "post_call";

std::string describe(const PostCallEvent& event)
{
    return event.typeName + " for conversation " + webhook::printable(event.conversationId, 64);
}

} // namespace

void PostCallWebhook::answer(sdk::HttpResponse& response, int status, const char* result, std::string_view detail)
{
    webhook::count(_host.metrics(), kWebhook, result);
    if (status == 200)
        webhook::json(response, 200, "{\"status\":\"ok\"}");
    else
        webhook::problem(response, status, result, detail);
}

void PostCallWebhook::handle(const sdk::HttpRequest& request, sdk::HttpResponse& response)
{
    // The size check comes first: nothing is hashed for a body we would refuse anyway.
    if (request.body.size() > _config.postCallMaxBodyBytes)
    {
        _host.logger().warn("post-call webhook refused (413): body of " + std::to_string(request.body.size())
                            + " bytes is over postCallMaxBodyBytes " + std::to_string(_config.postCallMaxBodyBytes)
                            + " (audio events need a higher limit, or unsubscribe from them)");
        answer(response, 413, "too-large", "request body too large");
        return;
    }
    std::int64_t timestamp = 0;
    const WebhookSignature::Verdict verdict =
        WebhookSignature::verify(request.header("ElevenLabs-Signature"), request.body, _config.webhookSecret,
                                 _host.nowUnixMs(), &timestamp);
    if (verdict != WebhookSignature::Verdict::Valid)
    {
        // One line per refusal saying why; neither the secret nor the header value (an attacker's
        // text) is written, only the peer and the parsed timestamp.
        std::string line = std::string("post-call webhook refused (401): ") + WebhookSignature::verdictName(verdict)
                           + " from " + webhook::printable(request.remoteAddress, 64);
        if (verdict == WebhookSignature::Verdict::Expired || verdict == WebhookSignature::Verdict::FromFuture)
            line += ", t=" + std::to_string(timestamp) + " vs now " + std::to_string(_host.nowUnixMs() / 1000);
        else if (verdict == WebhookSignature::Verdict::Mismatch)
            line += " (wrong webhookSecret, or the body was altered)";
        _host.logger().warn(line);
        answer(response, 401, WebhookSignature::verdictName(verdict), "invalid ElevenLabs-Signature");
        return;
    }
    PostCallEvent event;
    std::string error;
    if (!PostCallEvent::parse(request.body, event, &error))
    {
        _host.logger().warn("post-call webhook refused (400): signed body is " + webhook::printable(error));
        answer(response, 400, "bad-request", "the body is not a webhook event");
        return;
    }
    attach(event, response);
}

void PostCallWebhook::attach(const PostCallEvent& event, sdk::HttpResponse& response)
{
    if (event.type == PostCallEvent::Type::Other)
    {
        _host.logger().info("post-call webhook: ignoring " + describe(event) + " (type not handled)");
        answer(response, 200, "ignored");
        return;
    }
    if (event.type == PostCallEvent::Type::Audio)
    {
        // Metadata only: call audio is personal data the gateway has no business keeping.
        _host.logger().info("post-call webhook: " + describe(event) + ", " + std::to_string(event.audioBytes)
                                + " bytes of audio (not stored)",
                            event.callSid);
        answer(response, 200, "audio");
        return;
    }
    // Logged before any store work, so the reason is kept even when the record cannot be.
    if (event.type == PostCallEvent::Type::InitiationFailure)
        _host.logger().warn("ElevenLabs could not start " + describe(event) + ": "
                                + (event.failureReason.empty() ? std::string("no reason given") : webhook::printable(event.failureReason)),
                            event.callSid);
    sdk::TenantStore* store = _host.tenantStore();
    if (!store)
    {
        _host.logger().warn("post-call webhook: " + describe(event) + " dropped: no tenant store is configured", event.callSid);
        answer(response, 503, "unavailable", "no call store");
        return;
    }
    if (event.callSid.empty())
    {
        _host.logger().info("post-call webhook: " + describe(event) + " names no CallSid; not a call of this gateway");
        answer(response, 200, "unknown-call");
        return;
    }
    sdk::Result<sdk::CallRecord> found = store->findCall(event.callSid);
    if (!found)
    {
        if (found.status().code() == sdk::StatusCode::NotFound)
        {
            _host.logger().info("post-call webhook: " + describe(event) + " is for a call this gateway has no record of",
                                event.callSid);
            answer(response, 200, "unknown-call");
        }
        else
        {
            _host.logger().warn("post-call webhook: " + describe(event) + " not attached, store error: " + found.status().toString(),
                                event.callSid);
            answer(response, 503, "unavailable", "call store unavailable");
        }
        return;
    }
    const sdk::CallRecord& record = found.value();
    if (!record.agentConversationId.empty() && !event.conversationId.empty()
        && record.agentConversationId != event.conversationId)
    {
        _host.logger().warn("post-call webhook: " + describe(event) + " names this call, whose conversation is "
                                + record.agentConversationId + "; not attached",
                            event.callSid);
        answer(response, 200, "conversation-mismatch");
        return;
    }
    if (event.type == PostCallEvent::Type::Transcription)
    {
        storeTranscript(*store, record, event);
        storeReport(*store, record, event);
    }
    else
        recordFailure(*store, record, event);
    answer(response, 200, event.type == PostCallEvent::Type::Transcription ? "transcript" : "initiation-failure");
}

void PostCallWebhook::storeTranscript(sdk::TenantStore& store, const sdk::CallRecord& record, const PostCallEvent& event)
{
    const std::string& callSid = record.call.callSid;
    std::string summary = describe(event) + ": status " + webhook::printable(event.status, 32) + ", "
                          + (event.durationSeconds >= 0 ? std::to_string(event.durationSeconds) + " s" : "no duration")
                          + (event.terminationReason.empty() ? "" : ", ended: " + webhook::printable(event.terminationReason));
    sdk::Result<std::vector<sdk::TranscriptEntry>> existing = store.transcript(callSid);
    if (!existing)
    {
        _host.logger().warn("post-call webhook: " + summary + "; transcript not stored, store error: " + existing.status().toString(),
                            callSid);
        return;
    }
    if (!existing.value().empty())
    {
        // The live session (or an earlier delivery of this webhook) already stored it.
        _host.logger().info("post-call webhook: " + summary + "; the call already has " + std::to_string(existing.value().size())
                                + " transcript entries, keeping those",
                            callSid);
        return;
    }
    // Turn times are relative to the conversation start; anchor them on ElevenLabs' start time,
    // else on when our stream started, so they sort correctly against the call's other events.
    const std::int64_t baseMs = event.startUnixSeconds > 0 ? event.startUnixSeconds * 1000
                                : record.streamStartedAtMs > 0 ? record.streamStartedAtMs
                                                               : record.receivedAtMs;
    std::size_t stored = 0;
    for (sdk::TranscriptEntry entry : event.transcript)
    {
        entry.atMs += baseMs;
        const sdk::Status st = store.addTranscript(callSid, entry);
        if (!st)
        {
            _host.logger().warn("post-call webhook: transcript entry not stored: " + st.toString(), callSid);
            break;
        }
        ++stored;
    }
    _host.logger().info("post-call webhook: " + summary + "; stored " + std::to_string(stored) + " transcript entries", callSid);
}

void PostCallWebhook::storeReport(sdk::TenantStore& store, const sdk::CallRecord& record, const PostCallEvent& event)
{
    const std::string& callSid = record.call.callSid;
    const sdk::Status st = store.saveAgentReport(callSid, event.agentReport(_host.nowUnixMs()));
    if (!st)
    {
        // Still 200: the transcript (if any) is stored, and a redelivery would meet the same store.
        // A store built without agent reports answers Declined here.
        _host.logger().warn("post-call webhook: agent report of " + describe(event) + " not stored: " + st.toString(), callSid);
        return;
    }
    _host.logger().info("post-call webhook: agent report of " + describe(event) + " stored: call_successful "
                            + (event.callSuccessful.empty() ? std::string("not evaluated") : event.callSuccessful) + ", cost "
                            + (event.cost >= 0 ? std::to_string(event.cost) : std::string("unknown")) + ", summary "
                            + std::to_string(event.summary.size()) + " bytes, analysis " + std::to_string(event.analysisJson.size())
                            + " bytes",
                        callSid);
}

void PostCallWebhook::recordFailure(sdk::TenantStore& store, const sdk::CallRecord& record, const PostCallEvent& event)
{
    // Stored as the agent's report, never by rewriting the record: a read-modify-write of the record
    // here would race the core's ordered writes of the same call (its end, carrier status merges).
    sdk::AgentCallReport report;
    report.conversationId = event.conversationId;
    report.status = "initiation-failed";
    report.terminationReason = "elevenlabs call initiation failed: "
                               + (event.failureReason.empty() ? std::string("no reason given") : webhook::printable(event.failureReason));
    report.receivedAtMs = _host.nowUnixMs();
    const sdk::Status st = store.saveAgentReport(record.call.callSid, report);
    if (!st)
        _host.logger().warn("post-call webhook: initiation failure not recorded: " + st.toString(), record.call.callSid);
}

} // namespace patchbay::elevenlabs
