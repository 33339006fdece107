// CoreMetrics.h: the routing core's Prometheus series, looked up once so the media path only touches atomics.
#ifndef PATCHBAY_HOST_CORE_CORE_METRICS_H
#define PATCHBAY_HOST_CORE_CORE_METRICS_H

#include <patchbay/sdk/CallRouter.h>
#include <patchbay/sdk/Metrics.h>

namespace patchbay::host {

struct CoreMetrics
{
    explicit CoreMetrics(sdk::Metrics& m)
        : callsActive(m.gauge("patchbay_calls_active", "Calls with a media leg attached right now")),
          callsPending(m.gauge("patchbay_calls_pending", "Admitted calls waiting for their media stream")),
          framesToAgent(m.counter("patchbay_frames_relayed_total", "Audio frames relayed by the core",
                                  {{"direction", "to_agent"}})),
          framesToCaller(m.counter("patchbay_frames_relayed_total", "Audio frames relayed by the core",
                                   {{"direction", "to_caller"}})),
          framesDroppedNotReady(m.counter("patchbay_frames_dropped_total", "Audio frames the core dropped",
                                          {{"reason", "agent_not_ready"}})),
          framesDroppedFormat(m.counter("patchbay_frames_dropped_total", "Audio frames the core dropped",
                                        {{"reason", "format_mismatch"}})),
          clears(m.counter("patchbay_clears_total", "Barge-in clears relayed to the caller")),
          agentConnectSeconds(m.histogram("patchbay_agent_connect_seconds",
                                          "Time from stream start to agent ready (0 when pre-warmed)",
                                          {0.05, 0.1, 0.25, 0.5, 1, 2, 5})),
          _metrics(m)
    {
    }

    sdk::Counter& admissions(sdk::AdmissionOutcome outcome)
    {
        return _metrics.counter("patchbay_admissions_total", "Admission decisions on offered calls",
                                {{"outcome", sdk::admissionOutcomeName(outcome)}});
    }
    /// Refused offers by reason: unknown_number, tenant_suspended, agent_unavailable, draining,
    /// store_unavailable, max_concurrent, calls_per_minute, monthly_quota.
    sdk::Counter& refusals(const std::string& reason)
    {
        return _metrics.counter("patchbay_admission_refusals_total", "Offered calls refused, by reason", {{"reason", reason}});
    }
    /// Pre-warmed agent sessions by what became of them: ready (the stream found the agent ready),
    /// opening (found it still connecting), reopened (it failed while ringing; a fresh one was
    /// opened), other_loop (the stream came on another loop), expired (no stream came).
    sdk::Counter& prewarms(const char* outcome)
    {
        return _metrics.counter("patchbay_agent_prewarm_total", "Agent sessions opened while the phone rang, by outcome",
                                {{"outcome", outcome}});
    }
    sdk::Counter& callsEnded(const char* reason)
    {
        return _metrics.counter("patchbay_calls_total", "Calls that ended, by outcome", {{"outcome", reason}});
    }

    sdk::Gauge& callsActive;
    sdk::Gauge& callsPending;
    sdk::Counter& framesToAgent;
    sdk::Counter& framesToCaller;
    sdk::Counter& framesDroppedNotReady;
    sdk::Counter& framesDroppedFormat;
    sdk::Counter& clears;
    sdk::Histogram& agentConnectSeconds;

private:
    sdk::Metrics& _metrics;
};

} // namespace patchbay::host

#endif
