// MediaStreamMetrics.h: the Media Streams series, registered once so the frame path never looks a metric up.
#ifndef PATCHBAY_TWILIO_MEDIA_STREAM_METRICS_H
#define PATCHBAY_TWILIO_MEDIA_STREAM_METRICS_H

#include <patchbay/sdk/Metrics.h>

namespace patchbay::twilio {

/// References into the host registry (valid until process exit), shared by every stream.
/// THREAD: Any (the counters are lock-free).
struct MediaStreamMetrics
{
    explicit MediaStreamMetrics(sdk::Metrics& metrics);

    sdk::Counter& refused;            ///< upgrades refused, and sockets closed before or at start
    sdk::Counter& tokenReplayed;      ///< a token whose call already has (had) a stream on this node
    sdk::Counter& signatureValid;     ///< handshake x-twilio-signature checked and valid
    sdk::Counter& signatureInvalid;   ///< present and wrong: refused with 403
    sdk::Counter& signatureAbsent;    ///< no header (Twilio does not always send one): allowed
    sdk::Counter& signatureUnchecked; ///< present but not checkable (store down, development mode): allowed
    sdk::Counter& malformed;          ///< malformed messages ignored after start
    sdk::Counter& oversized;          ///< messages over the codec limit (the stream is closed)
    sdk::Counter& unknownEvent;       ///< well-formed events this version does not know: ignored
    sdk::Counter& ignored;            ///< known events out of place (before start, second start, bad digit, other stream)
    sdk::Counter& pendingDropped;     ///< agent audio/marks dropped from the full pre-start queue
    sdk::Counter& sendDropped;        ///< messages to Twilio dropped on a full write queue
    sdk::Counter& marksPlayed;        ///< mark echoes meaning "the caller heard the audio before it"
    sdk::Counter& marksFlushed;       ///< mark echoes for audio a clear discarded
    sdk::Counter& marksUnknown;       ///< echoes of marks not outstanding
    sdk::Counter& marksSkipped;       ///< chunks sent without a mark (too many outstanding)
    sdk::Counter& playedMs;           ///< agent audio confirmed heard, in ms
    sdk::Counter& flushedMs;          ///< agent audio sent but discarded by a clear, in ms
};

} // namespace patchbay::twilio

#endif
