// CallRecordMerge.h: the rules that let the core's writes and the carrier's status callbacks share one call record.
#ifndef PATCHBAY_HOST_CORE_CALL_RECORD_MERGE_H
#define PATCHBAY_HOST_CORE_CALL_RECORD_MERGE_H

#include <cstdint>
#include <string_view>

#include <patchbay/sdk/CallRouter.h>
#include <patchbay/sdk/Tenant.h>

namespace patchbay::host {

/// Both writers only ever move a record forward, so the order in which their writes land does not
/// matter: the status climbs received < answered < streaming < ended ("rejected" and "ended" are
/// final), and a time, once known, is kept. THREAD: any (pure functions).
class CallRecordMerge
{
public:
    /// -1 for a status outside the ladder (left alone).
    static int rank(std::string_view status) noexcept
    {
        if (status.empty() || status == "received") return 0;
        if (status == "answered") return 1;
        if (status == "streaming") return 2;
        if (status == "ended" || status == "rejected") return 3;
        return -1;
    }

    /// Applies a carrier update to a stored record. @return whether anything changed.
    static bool applyCarrier(const sdk::CarrierCallUpdate& update, sdk::CallRecord& record)
    {
        bool changed = false;
        const int current = rank(record.status);
        if (!update.status.empty() && current < 3 && rank(update.status) > current)
        {
            record.status = update.status;
            changed = true;
        }
        changed |= fill(record.answeredAtMs, update.answeredAtMs);
        changed |= fill(record.streamStartedAtMs, update.streamStartedAtMs);
        if (record.status == "ended" || record.status == "rejected") changed |= fill(record.endedAtMs, update.endedAtMs);
        return changed;
    }

    /// Before the core writes `record` over `stored`: keeps what the carrier already told (a later
    /// status, times the core does not know), so the core's whole-record write never erases it.
    static void keepCarrierFields(const sdk::CallRecord& stored, sdk::CallRecord& record)
    {
        if (rank(stored.status) > rank(record.status) && rank(record.status) >= 0) record.status = stored.status;
        fill(record.answeredAtMs, stored.answeredAtMs);
        fill(record.streamStartedAtMs, stored.streamStartedAtMs);
        fill(record.endedAtMs, stored.endedAtMs);
    }

private:
    static bool fill(std::int64_t& slot, std::int64_t value) noexcept
    {
        if (slot != 0 || value <= 0) return false;
        slot = value;
        return true;
    }
};

} // namespace patchbay::host

#endif
