// CallRouterImpl.cpp: admission, attachment and bookkeeping of calls.
#include "core/CallRouterImpl.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <vector>

#include "patchbay/sdk/support/Billing.h"
#include "patchbay/sdk/support/VariantPicker.h"

namespace patchbay::host {

CallRouterImpl::CallRouterImpl(sdk::Logger& logger, sdk::Metrics& metrics, CallRecorder& recorder,
                               std::function<std::int64_t()> now, Options options)
    : _logger(logger), _metrics(metrics), _recorder(recorder), _now(std::move(now)), _options(options)
{
}

CallRouterImpl::~CallRouterImpl() = default;

sdk::Admission CallRouterImpl::admit(const sdk::CallInfo& call) noexcept
{
    try
    {
        const std::int64_t now = _now();
        {
            std::lock_guard<std::mutex> lock(_mutex);
            auto it = _decisions.find(call.callSid);
            if (it != _decisions.end() && now - it->second.atMs < _options.decisionMemoryMs)
            {
                _logger.info("repeated webhook for a known call: same decision (" +
                                 std::string(sdk::admissionOutcomeName(it->second.admission.outcome)) + ")",
                             call.callSid);
                return it->second.admission;
            }
        }

        sdk::Tenant tenant;
        std::string variant;
        std::string reason;
        sdk::Admission a = decide(call, tenant, variant, reason, now);
        _metrics.admissions(a.outcome).inc();
        if (!reason.empty()) _metrics.refusals(reason).inc();

        sdk::CallRecord record;
        record.call = call;
        record.call.tenantId = a.tenantId;
        record.variant = variant;
        record.receivedAtMs = now;
        if (a.outcome == sdk::AdmissionOutcome::Accepted)
        {
            record.status = "answered";
            record.answeredAtMs = now;
        }
        else
        {
            record.status = "rejected";
            record.endedAtMs = now;
            record.endReason = reason.empty() ? sdk::admissionOutcomeName(a.outcome) : reason;
            record.endDetail = a.detail;
        }
        // Refusals for unknown numbers belong to no tenant; they are logged and counted, not stored.
        if (!a.tenantId.empty())
        {
            sdk::Status st = _recorder.saveNow(record);
            if (!st.isOk() && a.outcome == sdk::AdmissionOutcome::Accepted)
            {
                _limiter.release(a.tenantId); // the slot taken in decide(): this call will not happen
                a.outcome = sdk::AdmissionOutcome::StoreUnavailable;
                a.detail = "call record not saved: " + st.message();
                _metrics.refusals("store_unavailable").inc();
            }
        }

        // Pre-warm: the agent connects while the phone rings, on the loop the stream will land on.
        std::shared_ptr<Call> prewarmed;
        const AgentBinding* agent = nullptr;
        if (a.outcome == sdk::AdmissionOutcome::Accepted && _options.prewarmAgent && _loopForKey &&
            (agent = _agents.find(tenant.agent.providerId)))
            prewarmed = makeCall(record, tenant, _loopForKey(call.callSid));

        std::lock_guard<std::mutex> lock(_mutex);
        remember(call.callSid, a, now);
        if (a.outcome == sdk::AdmissionOutcome::Accepted)
        {
            _pending[call.callSid] = Pending{std::move(record), std::move(tenant), now, prewarmed};
            _metrics.callsPending.set(static_cast<double>(_pending.size()));
            if (prewarmed) prewarmed->loop().post([prewarmed, agent] { prewarmed->prewarmAgent(agent); });
        }
        _logger.info("admission " + std::string(sdk::admissionOutcomeName(a.outcome)) + " for " +
                         (call.direction == sdk::CallDirection::Outbound ? "outbound call from " + call.from + " to " + call.to
                                                                         : call.to) +
                         (a.tenantId.empty() ? std::string() : " (tenant " + a.tenantId + ")") +
                         (a.detail.empty() ? std::string() : ": " + a.detail),
                     call.callSid);
        return a;
    }
    catch (const std::exception& e)
    {
        _logger.error(std::string("admission failed: ") + e.what(), call.callSid);
    }
    catch (...)
    {
        _logger.error("admission failed: unknown exception", call.callSid);
    }
    sdk::Admission a;
    a.outcome = sdk::AdmissionOutcome::StoreUnavailable;
    a.detail = "internal error";
    return a;
}

namespace {


} // namespace

sdk::Admission CallRouterImpl::decide(const sdk::CallInfo& call, sdk::Tenant& tenant, std::string& variant,
                                      std::string& reason, std::int64_t now)
{
    sdk::Admission a;
    if (_draining)
    {
        a.outcome = sdk::AdmissionOutcome::Draining;
        a.detail = "gateway is shutting down";
        reason = "draining";
        return a;
    }
    if (!_store)
    {
        a.outcome = sdk::AdmissionOutcome::StoreUnavailable;
        a.detail = "no tenant store configured";
        reason = "store_unavailable";
        return a;
    }
    sdk::Result<sdk::Tenant> found = sdk::Status::internal("tenant store threw");
    try
    {
        found = _store->findTenantByNumber(tenantNumber(call));
    }
    catch (...)
    {
    }
    if (!found.isOk())
    {
        if (found.status().code() == sdk::StatusCode::NotFound)
        {
            a.outcome = sdk::AdmissionOutcome::UnknownNumber;
            a.detail = "no tenant owns " + tenantNumber(call);
            reason = "unknown_number";
        }
        else
        {
            a.outcome = sdk::AdmissionOutcome::StoreUnavailable;
            a.detail = found.status().toString();
            reason = "store_unavailable";
        }
        return a;
    }
    tenant = std::move(found.value());
    a.tenantId = tenant.id;
    a.fallback = tenant.fallback;
    if (tenant.status == sdk::TenantStatus::Suspended)
    {
        a.outcome = sdk::AdmissionOutcome::TenantSuspended;
        a.detail = "tenant is suspended";
        reason = "tenant_suspended";
        return a;
    }
    tenant.agent = sdk::support::VariantPicker::agentFor(tenant, call.callSid, variant);
    if (!_agents.find(tenant.agent.providerId))
    {
        a.outcome = sdk::AdmissionOutcome::AgentUnavailable;
        a.detail = "agent provider '" + (tenant.agent.providerId.empty() ? std::string("<default>") : tenant.agent.providerId) +
                   "' is not running";
        reason = "agent_unavailable";
        return a;
    }
    if (tenant.limits.monthlyMinutes)
    {
        sdk::Result<std::vector<sdk::MonthlyUsage>> used = sdk::Status::internal("tenant store threw");
        try
        {
            used = _store->usage(tenant.id, sdk::support::Billing::monthOf(now));
        }
        catch (...)
        {
        }
        if (!used.isOk())
        {
            a.outcome = sdk::AdmissionOutcome::StoreUnavailable;
            a.detail = "usage lookup failed: " + used.status().toString();
            reason = "store_unavailable";
            return a;
        }
        std::int64_t seconds = 0;
        for (const auto& u : used.value()) seconds += u.seconds;
        if (seconds >= static_cast<std::int64_t>(tenant.limits.monthlyMinutes) * 60)
        {
            a.outcome = sdk::AdmissionOutcome::OverLimit;
            a.detail = "monthly quota of " + std::to_string(tenant.limits.monthlyMinutes) + " minutes used";
            reason = "monthly_quota";
            return a;
        }
    }
    const TenantLimiter::Verdict verdict = _limiter.tryAdmit(tenant.id, tenant.limits, now);
    if (verdict != TenantLimiter::Verdict::Admitted)
    {
        a.outcome = sdk::AdmissionOutcome::OverLimit;
        a.detail = verdict == TenantLimiter::Verdict::MaxConcurrent
                       ? "at its limit of " + std::to_string(tenant.limits.maxConcurrentCalls) + " concurrent calls"
                       : "at its limit of " + std::to_string(tenant.limits.callsPerMinute) + " calls per minute";
        reason = TenantLimiter::verdictName(verdict);
        return a;
    }
    a.outcome = sdk::AdmissionOutcome::Accepted;
    return a;
}

void CallRouterImpl::remember(const std::string& callSid, const sdk::Admission& a, std::int64_t now)
{
    // Bounded by the memory window: old decisions are dropped whenever the map is touched.
    if (_decisions.size() > 1024)
    {
        for (auto it = _decisions.begin(); it != _decisions.end();)
            it = (now - it->second.atMs >= _options.decisionMemoryMs) ? _decisions.erase(it) : std::next(it);
    }
    _decisions[callSid] = Decision{a, now};
}

sdk::Result<sdk::CallChannel*> CallRouterImpl::attachInbound(std::string_view callSid, sdk::InboundLeg& leg,
                                                             const sdk::LegInfo& info, sdk::EventLoop& loop) noexcept
{
    try
    {
        std::shared_ptr<Call> call;
        std::shared_ptr<Call> elsewhere; // pre-warmed on another loop than the stream's: closed there
        std::string providerId;
        {
            std::lock_guard<std::mutex> lock(_mutex);
            std::string sid(callSid);
            if (_active.count(sid)) return sdk::Status::alreadyExists("call " + sid + " already has a media stream");
            auto it = _pending.find(sid);
            if (it == _pending.end()) return sdk::Status::notFound("call " + sid + " was not admitted or has expired");
            Pending p = std::move(it->second);
            _pending.erase(it);
            providerId = p.tenant.agent.providerId;
            _metrics.callsPending.set(static_cast<double>(_pending.size()));
            if (p.prewarmed && &p.prewarmed->loop() == &loop)
                call = std::move(p.prewarmed);
            else
                elsewhere = std::move(p.prewarmed);
            if (!call) call = makeCall(p.record, p.tenant, loop);
            _active[sid] = call;
            _metrics.callsActive.set(static_cast<double>(_active.size()));
        }
        if (elsewhere) discard(std::move(elsewhere), "other_loop", "the stream arrived on another loop");
        sdk::CallChannel& channel = call->attachInbound(leg, info);
        call->startAgent(_agents.find(providerId)); // the registry is immutable after start: no lock needed
        return &channel;
    }
    catch (const std::exception& e)
    {
        return sdk::Status::internal(std::string("attach failed: ") + e.what());
    }
}

std::shared_ptr<Call> CallRouterImpl::makeCall(const sdk::CallRecord& record, const sdk::Tenant& tenant, sdk::EventLoop& loop)
{
    // The carrier bindings are immutable after start: the pointer stays valid for the call's life.
    Call::Context ctx{_logger,
                      _metrics,
                      _recorder,
                      _now,
                      _runBlocking,
                      _inbound.find(record.call.inboundProvider),
                      static_cast<std::uint32_t>(std::clamp<std::int64_t>(_options.streamStartTimeoutMs, 0, UINT32_MAX))};
    return std::make_shared<Call>(ctx, record, tenant, loop,
                                  [this](const std::string& s, const std::string& t) { callFinished(s, t); });
}

void CallRouterImpl::discard(std::shared_ptr<Call> call, const char* outcome, const std::string& why)
{
    _metrics.prewarms(outcome).inc();
    sdk::EventLoop& loop = call->loop();
    loop.post([call = std::move(call), why] { call->discardPrewarm(why); });
}

void CallRouterImpl::callFinished(const std::string& callSid, const std::string& tenantId)
{
    _limiter.release(tenantId);
    std::lock_guard<std::mutex> lock(_mutex);
    _active.erase(callSid);
    _metrics.callsActive.set(static_cast<double>(_active.size()));
}

void CallRouterImpl::expirePending()
{
    const std::int64_t now = _now();
    std::vector<sdk::CallRecord> abandoned;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        for (auto it = _pending.begin(); it != _pending.end();)
        {
            if (now - it->second.admittedAtMs >= _options.streamStartTimeoutMs)
            {
                _limiter.release(it->second.tenant.id);
                if (it->second.prewarmed)
                    discard(std::move(it->second.prewarmed), "expired",
                            "no media stream arrived within " + std::to_string(_options.streamStartTimeoutMs) + " ms");
                abandoned.push_back(std::move(it->second.record));
                it = _pending.erase(it);
            }
            else
            {
                ++it;
            }
        }
        _metrics.callsPending.set(static_cast<double>(_pending.size()));
    }
    for (auto& r : abandoned)
    {
        r.status = "ended";
        r.endedAtMs = now;
        r.endReason = sdk::endReasonName(sdk::EndReason::Timeout);
        r.endDetail = "no media stream arrived within " + std::to_string(_options.streamStartTimeoutMs) + " ms";
        _logger.warn("call abandoned: " + r.endDetail, r.call.callSid);
        _metrics.callsEnded(sdk::endReasonName(sdk::EndReason::Timeout)).inc();
        _recorder.save(std::move(r));
    }
}

void CallRouterImpl::endAll(sdk::EndReason reason, const std::string& detail)
{
    std::vector<std::shared_ptr<Call>> calls;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        for (auto& kv : _active) calls.push_back(kv.second);
        // A ringing call keeps its place; a stream that still comes opens its agent then.
        for (auto& kv : _pending)
            if (kv.second.prewarmed) discard(std::move(kv.second.prewarmed), "expired", detail);
    }
    for (auto& call : calls)
        call->loop().post([call, reason, detail] { call->end(reason, detail); });
}

std::size_t CallRouterImpl::activeCalls() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _active.size();
}

std::size_t CallRouterImpl::pendingCalls() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _pending.size();
}

void CallRouterImpl::updateFromCarrier(const sdk::CarrierCallUpdate& update) noexcept
{
    try
    {
        if (!update.callSid.empty()) _recorder.applyCarrier(update);
    }
    catch (const std::exception& e)
    {
        _logger.error(std::string("carrier status dropped: ") + e.what(), update.callSid);
    }
}

} // namespace patchbay::host
