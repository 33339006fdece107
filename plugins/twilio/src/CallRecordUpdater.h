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
/// twice); then what the whole history implies for the record is handed to the core
/// (CallRouter::updateFromCarrier), which owns the record and merges it in order with its own writes:
///
/// - status follows the event with the highest SequenceNumber (Twilio numbers call-progress
///   events from 0; they arrive as separate requests in any order), and never moves backwards,
///   so a late "ringing" cannot undo "completed";
/// - answered / stream-started / ended times come from the carrier's timestamps and are only used
///   where the record has none yet.
///
/// Updates of one call are serialised here, so two callbacks of one call never both miss each
/// other's event. THREAD: I/O (HTTP workers); blocks on the tenant store.
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
