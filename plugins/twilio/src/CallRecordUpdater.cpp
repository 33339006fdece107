// CallRecordUpdater.cpp: status history de-duplication and the monotonic record fields derived from it.
#include "CallRecordUpdater.h"

#include <functional>
#include <vector>

namespace patchbay::twilio {

namespace {

bool isStreamEvent(std::string_view status)
{
    return status.rfind("stream-", 0) == 0;
}

/// Twilio repeats a callback it got no answer to; the repeat is the same event.
bool sameEvent(const sdk::CallStatusEvent& a, const sdk::CallStatusEvent& b)
{
    if (a.status != b.status) return false;
    // Call-progress events are identified by their SequenceNumber; stream events carry none, so by time.
    return a.sequenceNumber >= 0 ? a.sequenceNumber == b.sequenceNumber : a.atMs == b.atMs;
}

/// What the history says about the call, independent of arrival order.
struct Derived
{
    const sdk::CallStatusEvent* latest = nullptr; ///< call-progress event with the highest SequenceNumber
    std::int64_t answeredAtMs = 0;
    std::int64_t endedAtMs = 0;
    std::int64_t streamStartedAtMs = 0;
};

Derived derive(const std::vector<sdk::CallStatusEvent>& history)
{
    Derived d;
    auto earliest = [](std::int64_t& slot, std::int64_t at) {
        if (at > 0 && (slot == 0 || at < slot)) slot = at;
    };
    for (const sdk::CallStatusEvent& e : history)
    {
        if (isStreamEvent(e.status))
        {
            if (e.status == "stream-started") earliest(d.streamStartedAtMs, e.atMs);
            continue;
        }
        if (!d.latest || e.sequenceNumber > d.latest->sequenceNumber ||
            (e.sequenceNumber == d.latest->sequenceNumber && e.atMs > d.latest->atMs))
            d.latest = &e;
        if (e.status == "in-progress") earliest(d.answeredAtMs, e.atMs);
        if (CallRecordUpdater::isTerminalCarrierStatus(e.status)) earliest(d.endedAtMs, e.atMs);
    }
    return d;
}

/// The record fields the history implies; the core merges them into the record in order with its
/// own writes (status only forward, a time only where none is yet).
sdk::CarrierCallUpdate toUpdate(const std::string& callSid, const Derived& d)
{
    sdk::CarrierCallUpdate update;
    update.callSid = callSid;
    if (d.latest) update.status = CallRecordUpdater::recordStatusFor(d.latest->status);
    if (d.streamStartedAtMs && CallRecordUpdater::rank(update.status) < CallRecordUpdater::rank("streaming"))
        update.status = "streaming";
    update.answeredAtMs = d.answeredAtMs;
    update.streamStartedAtMs = d.streamStartedAtMs;
    update.endedAtMs = d.endedAtMs;
    return update;
}

} // namespace

CallRecordUpdater::CallRecordUpdater(sdk::HostServices& host) : _host(host) {}

const char* CallRecordUpdater::recordStatusFor(std::string_view carrierStatus) noexcept
{
    if (carrierStatus == "queued" || carrierStatus == "initiated" || carrierStatus == "ringing") return "received";
    if (carrierStatus == "in-progress" || carrierStatus == "answered") return "answered";
    if (isTerminalCarrierStatus(carrierStatus)) return "ended";
    return "";
}

int CallRecordUpdater::rank(std::string_view recordStatus) noexcept
{
    if (recordStatus.empty() || recordStatus == "received") return 0;
    if (recordStatus == "answered") return 1;
    if (recordStatus == "streaming") return 2;
    if (recordStatus == "ended" || recordStatus == "rejected") return 3;
    return -1;
}

bool CallRecordUpdater::isTerminalCarrierStatus(std::string_view s) noexcept
{
    return s == "completed" || s == "busy" || s == "failed" || s == "no-answer" || s == "canceled";
}

std::mutex& CallRecordUpdater::stripe(std::string_view callSid)
{
    return _stripes[std::hash<std::string_view>{}(callSid) % _stripes.size()];
}

CallRecordUpdater::Result CallRecordUpdater::applyCallStatus(std::string_view accountSid, const sdk::CallStatusEvent& event)
{
    return apply(accountSid, event, false);
}

CallRecordUpdater::Result CallRecordUpdater::applyStreamEvent(std::string_view accountSid, const sdk::CallStatusEvent& event)
{
    return apply(accountSid, event, true);
}

CallRecordUpdater::Result CallRecordUpdater::apply(std::string_view accountSid, const sdk::CallStatusEvent& event, bool stream)
{
    sdk::TenantStore* store = _host.tenantStore();
    if (!store) return {Outcome::Unavailable, "no tenant store configured"};
    std::lock_guard<std::mutex> lock(stripe(event.callSid));

    sdk::Result<sdk::CallRecord> found = store->findCall(event.callSid);
    if (!found.isOk())
    {
        if (found.status().code() == sdk::StatusCode::NotFound) return {Outcome::UnknownCall, "no record of this CallSid"};
        return {Outcome::Unavailable, "call lookup failed: " + found.status().toString()};
    }
    // A valid signature proves the account, not that the call is that account's.
    if (!found->call.accountSid.empty() && found->call.accountSid != accountSid)
        return {Outcome::WrongAccount, "the call belongs to account " + found->call.accountSid};

    sdk::Result<std::vector<sdk::CallStatusEvent>> history = store->callStatusHistory(event.callSid);
    if (!history.isOk()) return {Outcome::Unavailable, "status history lookup failed: " + history.status().toString()};
    std::vector<sdk::CallStatusEvent> events = std::move(history.value());
    bool repeat = false;
    for (const sdk::CallStatusEvent& e : events) repeat = repeat || sameEvent(e, event);
    if (!repeat)
    {
        sdk::Status st = store->addCallStatus(event);
        if (!st.isOk()) return {Outcome::Unavailable, "status not stored: " + st.toString()};
        events.push_back(event);
    }

    const Derived d = derive(events);
    std::string detail;
    if (!stream && d.latest && d.latest->sequenceNumber > event.sequenceNumber)
        detail = "late event (SequenceNumber " + std::to_string(event.sequenceNumber) + " after " +
                 std::to_string(d.latest->sequenceNumber) + "): kept in the history only";
    if (repeat) return {Outcome::Unchanged, "repeated callback"};
    // The record itself is the core's: it applies this in order with its own writes of the call.
    _host.router().updateFromCarrier(toUpdate(event.callSid, d));
    return {Outcome::Updated, detail.empty() ? "status " + event.status + " recorded" : detail};
}

} // namespace patchbay::twilio
