// CallRecordUpdater.h: folds Twilio's call and stream status callbacks into the call's status history and record, in SequenceNumber order.
#ifndef PATCHBAY_TWILIO_CALL_RECORD_UPDATER_H
#define PATCHBAY_TWILIO_CALL_RECORD_UPDATER_H

#include <array>
#include <mutex>
#include <string>
#include <string_view>

#include <patchbay/sdk/HostServices.h>

namespace patchbay::twilio {

/// Each callback becomes one CallStatusEvent in the store (a repeat of the same event is not stored
/// twice), then the record's carrier-driven fields are recomputed from the whole history:
///
/// - status follows the event with the highest SequenceNumber (Twilio numbers call-progress
///   events from 0; they arrive as separate requests in any order), and never moves backwards
///   (received < answered < streaming < ended; "rejected" and "ended" are final), so a late
///   "ringing" cannot undo "completed" and the core's own "streaming" is not downgraded;
/// - answeredAtMs / endedAtMs / streamStartedAtMs are filled from the carrier's timestamps only
///   while still 0: the core's own times, when it has them, win.
///
/// The core writes the same record (admission, stream start, end). Those writes replace the whole
/// record, so the plugin re-reads it right before saving and only changes fields that changed,
/// and it never calls finishCall() (usage is the core's). Updates of one call are serialised here.
/// THREAD: I/O (HTTP workers); blocks on the tenant store.
class CallRecordUpdater
{
public:
    enum class Outcome
    {
        Updated,      ///< history and/or record changed
        Unchanged,    ///< a repeat, or nothing new for the record
        UnknownCall,  ///< no record for the CallSid
        WrongAccount, ///< the record belongs to another account than the validated one
        Unavailable   ///< the store failed
    };

    struct Result
    {
        Outcome outcome = Outcome::Unavailable;
        std::string detail; ///< for the log line
    };

    explicit CallRecordUpdater(sdk::HostServices& host);

    /// A call status callback (CallStatus, SequenceNumber, Timestamp already parsed into `event`).
    Result applyCallStatus(std::string_view accountSid, const sdk::CallStatusEvent& event);

    /// A stream status callback; event.status is the StreamEvent (stream-started, -stopped, -error).
    Result applyStreamEvent(std::string_view accountSid, const sdk::CallStatusEvent& event);

    /// The record status a carrier CallStatus means ("in-progress" → "answered"), or "" if none.
    static const char* recordStatusFor(std::string_view carrierStatus) noexcept;
    /// Order of record statuses; -1 for unknown ones.
    static int rank(std::string_view recordStatus) noexcept;
    static bool isTerminalCarrierStatus(std::string_view carrierStatus) noexcept;

private:
    Result apply(std::string_view accountSid, const sdk::CallStatusEvent& event, bool stream);
    std::mutex& stripe(std::string_view callSid);

    sdk::HostServices& _host;
    std::array<std::mutex, 32> _stripes; // one call's updates are serialised; different calls run in parallel
};

} // namespace patchbay::twilio

#endif
