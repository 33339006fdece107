// CallHistoryTable.h: SQL for call_status_events and transcripts — the append-only history of a call.
#ifndef PATCHBAY_TENANTSQLITE_CALL_HISTORY_TABLE_H
#define PATCHBAY_TENANTSQLITE_CALL_HISTORY_TABLE_H

#include <Poco/Data/Session.h>

#include <string>
#include <vector>

#include "patchbay/sdk/Tenant.h"

namespace patchbay::tenantsqlite {

/// Both tables are appended to and read per CallSid; neither references calls, because carrier
/// callbacks and agent transcripts may arrive before the call record is written.
/// THREAD: the thread holding the session. Methods throw Poco::Exception; callers classify.
class CallHistoryTable
{
public:
    static void addStatus(Poco::Data::Session& session, const sdk::CallStatusEvent& event);

    /// Ordered by sequence number, then time, then arrival (carriers may deliver out of order).
    static std::vector<sdk::CallStatusEvent> statuses(Poco::Data::Session& session, const std::string& callSid);

    static void addTranscript(Poco::Data::Session& session, const std::string& callSid,
                              const sdk::TranscriptEntry& entry);

    /// Ordered by time, then arrival.
    static std::vector<sdk::TranscriptEntry> transcript(Poco::Data::Session& session, const std::string& callSid);
};

} // namespace patchbay::tenantsqlite

#endif
