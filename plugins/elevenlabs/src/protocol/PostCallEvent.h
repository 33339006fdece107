// PostCallEvent.h: the parts of an ElevenLabs post-call webhook payload the gateway keeps (pure decoder, no I/O).
#ifndef PATCHBAY_ELEVENLABS_POST_CALL_EVENT_H
#define PATCHBAY_ELEVENLABS_POST_CALL_EVENT_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "patchbay/sdk/Call.h"
#include "patchbay/sdk/Tenant.h"

namespace patchbay::elevenlabs {

/// Decoded from `{"type":…,"event_timestamp":…,"data":{…}}` (elevenlabs.md §8.2). Parsing is
/// tolerant: unknown types and fields are accepted (ElevenLabs adds them), only a body that is not
/// a JSON object with a string "type" and an object "data" is refused. Value type.
struct PostCallEvent
{
    enum class Type : std::uint8_t { Transcription, Audio, InitiationFailure, Other };

    Type type = Type::Other;
    std::string typeName;       ///< as sent, for log lines (bounded, printable)
    std::string conversationId;
    std::string agentId;
    /// The Twilio CallSid, found (in this order) in the dynamic variables the gateway sent at
    /// initiation (call_sid, then twilio_call_sid — echoed back in
    /// data.conversation_initiation_client_data), then data.metadata.phone_call.call_sid (native
    /// telephony), then data.metadata.call_sid. Empty when none is present.
    std::string callSid;
    std::string status;            ///< data.status ("done", ...)
    std::string terminationReason; ///< data.metadata.termination_reason
    std::int64_t durationSeconds = -1; ///< data.metadata.call_duration_secs; -1 = absent
    std::int64_t startUnixSeconds = 0; ///< data.metadata.start_time_unix_secs; 0 = absent
    /// data.metadata.cost as sent (ElevenLabs credits; a fraction is cut off); -1 = absent or negative.
    std::int64_t cost = -1;
    /// data.analysis.call_successful when it is "success", "failure" or "unknown"; "" otherwise.
    std::string callSuccessful;
    /// data.analysis.transcript_summary, cut at kMaxSummaryBytes (on a UTF-8 character boundary).
    std::string summary;
    /// data.analysis.data_collection_results and .evaluation_criteria_results re-serialised as
    /// {"dataCollection":…,"evaluation":…} (absent ones left out; "" when both are). At most
    /// sdk::AgentCallReport::kMaxAnalysisJsonBytes: entries that do not fit are left out whole and
    /// the object then ends with "truncated":true, so it is always one valid JSON object.
    std::string analysisJson;
    /// Transcript turns with a role of "agent" or "user" and a non-empty message, atMs relative to
    /// the conversation start (time_in_call_secs * 1000); the caller makes them absolute.
    std::vector<sdk::TranscriptEntry> transcript;
    /// call_initiation_failure: data.failure_reason, else data.reason, else data.error (the field
    /// names are UNCONFIRMED in elevenlabs.md §8.2, so all three are tried).
    std::string failureReason;
    /// post_call_audio: decoded size of data.full_audio in bytes (computed from the base64 length;
    /// the audio itself is never kept).
    std::uint64_t audioBytes = 0;

    /// Largest summary kept, in bytes: a paragraph or two; anything longer is not a summary.
    static constexpr std::size_t kMaxSummaryBytes = 4096;

    /// The agent's account of the call for TenantStore::saveAgentReport(), received at `nowMs`.
    sdk::AgentCallReport agentReport(std::int64_t nowMs) const;

    /// @return true with `out` filled; false with a short `error` for a body to answer 400 to.
    static bool parse(std::string_view body, PostCallEvent& out, std::string* error = nullptr);
};

} // namespace patchbay::elevenlabs

#endif
