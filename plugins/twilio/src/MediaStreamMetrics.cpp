// MediaStreamMetrics.cpp: names, labels and help texts of the Media Streams series.
#include "MediaStreamMetrics.h"

namespace patchbay::twilio {

namespace {

sdk::Counter& signatures(sdk::Metrics& m, const char* result)
{
    return m.counter("patchbay_twilio_stream_handshake_signatures_total",
                     "Media Stream upgrades by X-Twilio-Signature result", {{"result", result}});
}

sdk::Counter& ignoredMessages(sdk::Metrics& m, const char* reason)
{
    return m.counter("patchbay_twilio_stream_messages_ignored_total", "Media Streams messages ignored, by reason",
                     {{"reason", reason}});
}

sdk::Counter& marks(sdk::Metrics& m, const char* result)
{
    return m.counter("patchbay_twilio_stream_marks_total", "Outbound marks by what their echo meant", {{"result", result}});
}

} // namespace

MediaStreamMetrics::MediaStreamMetrics(sdk::Metrics& m)
    : refused(m.counter("patchbay_twilio_streams_refused_total", "Media streams closed before or at start")),
      tokenReplayed(m.counter("patchbay_twilio_stream_tokens_replayed_total", "Stream tokens refused because their call already streamed")),
      signatureValid(signatures(m, "valid")),
      signatureInvalid(signatures(m, "invalid")),
      signatureAbsent(signatures(m, "absent")),
      signatureUnchecked(signatures(m, "unchecked")),
      malformed(m.counter("patchbay_twilio_stream_malformed_total", "Malformed Media Streams messages ignored")),
      oversized(ignoredMessages(m, "oversized")),
      unknownEvent(ignoredMessages(m, "unknown_event")),
      ignored(ignoredMessages(m, "out_of_place")),
      pendingDropped(m.counter("patchbay_twilio_stream_prestart_dropped_total",
                               "Agent audio and marks dropped from the full queue waiting for start")),
      sendDropped(m.counter("patchbay_twilio_stream_send_dropped_total", "Messages to Twilio dropped on a full write queue")),
      marksPlayed(marks(m, "played")),
      marksFlushed(marks(m, "flushed")),
      marksUnknown(marks(m, "unknown")),
      marksSkipped(marks(m, "skipped")),
      playedMs(m.counter("patchbay_twilio_stream_played_ms_total", "Agent audio the caller heard (confirmed by marks), ms")),
      flushedMs(m.counter("patchbay_twilio_stream_flushed_ms_total", "Agent audio sent to Twilio but discarded by a clear, ms"))
{
}

} // namespace patchbay::twilio
