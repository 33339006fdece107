// CallHistoryTable.cpp: appends and reads carrier status events and transcript lines.
#include "patchbay/tenantsqlite/CallHistoryTable.h"

namespace patchbay::tenantsqlite {

using namespace Poco::Data::Keywords;
namespace kw = Poco::Data::Keywords;

void CallHistoryTable::addStatus(Poco::Data::Session& session, const sdk::CallStatusEvent& event)
{
    const Poco::Int64 sequence = event.sequenceNumber;
    const Poco::Int64 at = event.atMs;
    session << "INSERT INTO call_status_events (call_sid, status, sequence_number, at_ms) VALUES (?, ?, ?, ?)",
        kw::bind(event.callSid), kw::bind(event.status), kw::bind(sequence), kw::bind(at), now;
}

std::vector<sdk::CallStatusEvent> CallHistoryTable::statuses(Poco::Data::Session& session, const std::string& callSid)
{
    std::vector<std::string> statuses;
    std::vector<Poco::Int64> sequences, times;
    session << "SELECT status, sequence_number, at_ms FROM call_status_events WHERE call_sid = ?"
               " ORDER BY sequence_number, at_ms, id",
        into(statuses), into(sequences), into(times), kw::bind(callSid), now;
    std::vector<sdk::CallStatusEvent> events(statuses.size());
    for (std::size_t i = 0; i < statuses.size(); ++i)
    {
        events[i].callSid = callSid;
        events[i].status = std::move(statuses[i]);
        events[i].sequenceNumber = sequences[i];
        events[i].atMs = times[i];
    }
    return events;
}

void CallHistoryTable::addTranscript(Poco::Data::Session& session, const std::string& callSid,
                                     const sdk::TranscriptEntry& entry)
{
    const Poco::Int64 at = entry.atMs;
    session << "INSERT INTO transcripts (call_sid, role, text, at_ms) VALUES (?, ?, ?, ?)", kw::bind(callSid),
        kw::bind(entry.role), kw::bind(entry.text), kw::bind(at), now;
}

std::vector<sdk::TranscriptEntry> CallHistoryTable::transcript(Poco::Data::Session& session,
                                                               const std::string& callSid)
{
    std::vector<std::string> roles, texts;
    std::vector<Poco::Int64> times;
    session << "SELECT role, text, at_ms FROM transcripts WHERE call_sid = ? ORDER BY at_ms, id", into(roles),
        into(texts), into(times), kw::bind(callSid), now;
    std::vector<sdk::TranscriptEntry> entries(roles.size());
    for (std::size_t i = 0; i < roles.size(); ++i)
    {
        entries[i].role = std::move(roles[i]);
        entries[i].text = std::move(texts[i]);
        entries[i].atMs = times[i];
    }
    return entries;
}

} // namespace patchbay::tenantsqlite
