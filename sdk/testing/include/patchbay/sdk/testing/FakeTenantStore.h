// FakeTenantStore.h: an in-memory sdk::TenantStore with tenants, numbers, accounts and call records a test fills in.
#ifndef PATCHBAY_SDK_TESTING_FAKE_TENANT_STORE_H
#define PATCHBAY_SDK_TESTING_FAKE_TENANT_STORE_H

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "patchbay/sdk/TenantStore.h"
#include "patchbay/sdk/support/Billing.h"
#include "patchbay/sdk/support/JsonDocument.h"

namespace patchbay::sdk::testing {

/// Implements every TenantStore method in memory with SqliteTenantStore's documented semantics
/// (validation, conflicts, usage arithmetic: billed seconds = ceil(durationMs / 1000), cost from the
/// tenant's rate unless the record carries one, month = UTC month of receivedAtMs, counted once per
/// CallSid; agent reports kept apart from saveCall()/finishCall()); tests/store/TenantStoreContractTest
/// runs the same suite against both. Secrets are kept
/// as given (no encryption in memory). Thread-safe. setUnavailable(true) makes every method answer Unavailable, as a store whose database
/// is down would.
class FakeTenantStore : public sdk::TenantStore
{
public:
    FakeTenantStore() = default;
    FakeTenantStore(const FakeTenantStore&) = delete;
    FakeTenantStore& operator=(const FakeTenantStore&) = delete;
    virtual ~FakeTenantStore() = default;

    sdk::Result<sdk::Tenant> findTenantByNumber(std::string_view number) noexcept override
    {
        return guardedResult<sdk::Tenant>([&]() -> sdk::Result<sdk::Tenant> {
            auto route = _numbers.find(std::string(number));
            if (route == _numbers.end()) return sdk::Status::notFound("no tenant owns " + std::string(number));
            auto tenant = _tenants.find(route->second.tenantId);
            if (tenant == _tenants.end()) return sdk::Status::notFound("tenant " + route->second.tenantId + " is gone");
            return tenant->second;
        });
    }

    sdk::Result<sdk::Tenant> findTenant(std::string_view tenantId) noexcept override
    {
        return guardedResult<sdk::Tenant>([&]() -> sdk::Result<sdk::Tenant> {
            auto tenant = _tenants.find(std::string(tenantId));
            if (tenant == _tenants.end()) return sdk::Status::notFound("unknown tenant " + std::string(tenantId));
            return tenant->second;
        });
    }

    sdk::Result<sdk::CarrierAccount> findAccount(std::string_view accountSid) noexcept override
    {
        return guardedResult<sdk::CarrierAccount>([&]() -> sdk::Result<sdk::CarrierAccount> {
            auto account = _accounts.find(std::string(accountSid));
            if (account == _accounts.end()) return sdk::Status::notFound("unknown account " + std::string(accountSid));
            return account->second;
        });
    }

    sdk::Status saveCall(const sdk::CallRecord& record) noexcept override
    {
        try
        {
            std::lock_guard<std::mutex> lock(_mutex);
            if (_unavailable) return sdk::Status::unavailable("store unavailable (test)");
            storeKeepingReport(record);
            ++_saves;
            return sdk::Status::ok();
        }
        catch (const std::exception& e)
        {
            return sdk::Status::internal(e.what());
        }
    }

    sdk::Result<sdk::CallRecord> findCall(std::string_view callSid) noexcept override
    {
        return guardedResult<sdk::CallRecord>([&]() -> sdk::Result<sdk::CallRecord> {
            auto call = _calls.find(std::string(callSid));
            if (call == _calls.end()) return sdk::Status::notFound("unknown call " + std::string(callSid));
            return call->second;
        });
    }

    sdk::Result<std::vector<sdk::CallRecord>> listCalls(const sdk::CallQuery& query) noexcept override
    {
        return guardedResult<std::vector<sdk::CallRecord>>([&]() -> sdk::Result<std::vector<sdk::CallRecord>> {
            std::vector<sdk::CallRecord> out;
            for (const auto& entry : _calls)
            {
                const auto& r = entry.second;
                if (!query.tenantId.empty() && r.call.tenantId != query.tenantId) continue;
                if (!query.status.empty() && r.status != query.status) continue;
                if (r.receivedAtMs < query.sinceMs) continue;
                if (query.untilMs > 0 && r.receivedAtMs >= query.untilMs) continue;
                out.push_back(r);
            }
            // Newest first, ties by CallSid descending: the order SqliteTenantStore pages in.
            std::sort(out.begin(), out.end(), [](const sdk::CallRecord& a, const sdk::CallRecord& b) {
                if (a.receivedAtMs != b.receivedAtMs) return a.receivedAtMs > b.receivedAtMs;
                return a.call.callSid > b.call.callSid;
            });
            const std::size_t skip = std::min<std::size_t>(query.offset, out.size());
            out.erase(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(skip));
            if (out.size() > query.limit) out.resize(query.limit);
            return out;
        });
    }

    sdk::Status ping() noexcept override
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _unavailable ? sdk::Status::unavailable("store unavailable (test)") : sdk::Status::ok();
    }

    // ---- management (ABI 1.1), same rules as SqliteTenantStore (tests/store/TenantStoreContractTest) ----

    sdk::Status saveTenant(const sdk::Tenant& tenant) noexcept override
    {
        return guardedStatus([&] {
            sdk::Status valid = validTenant(tenant);
            if (valid) _tenants[tenant.id] = tenant;
            return valid;
        });
    }

    sdk::Status deleteTenant(std::string_view tenantId) noexcept override
    {
        return guardedStatus([&] {
            const std::string id(tenantId);
            if (!_tenants.count(id)) return sdk::Status::notFound("unknown tenant " + id);
            for (const auto& number : _numbers)
                if (number.second.tenantId == id)
                    return sdk::Status::invalidArgument("tenant " + id + " still has numbers assigned; release them first");
            _tenants.erase(id);
            for (auto token = _tokens.begin(); token != _tokens.end();)
                token = token->second.tenantId == id ? _tokens.erase(token) : std::next(token);
            return sdk::Status::ok();
        });
    }

    sdk::Result<std::vector<sdk::Tenant>> listTenants() noexcept override
    {
        return guardedResult<std::vector<sdk::Tenant>>([&]() -> sdk::Result<std::vector<sdk::Tenant>> {
            return valuesOf(_tenants);
        });
    }

    sdk::Status saveAccount(const sdk::CarrierAccount& account) noexcept override
    {
        return guardedStatus([&] {
            if (account.sid.empty()) return sdk::Status::invalidArgument("account.sid is required");
            if (account.authToken.empty()) return sdk::Status::invalidArgument("account.authToken is required");
            _accounts[account.sid] = account;
            return sdk::Status::ok();
        });
    }

    sdk::Status deleteAccount(std::string_view accountSid) noexcept override
    {
        return guardedStatus([&] {
            const std::string sid(accountSid);
            if (!_accounts.count(sid)) return sdk::Status::notFound("unknown carrier account " + sid);
            for (const auto& number : _numbers)
                if (number.second.accountSid == sid)
                    return sdk::Status::invalidArgument("carrier account " + sid + " is still used by numbers");
            _accounts.erase(sid);
            return sdk::Status::ok();
        });
    }

    sdk::Result<std::vector<sdk::CarrierAccount>> listAccounts() noexcept override
    {
        return guardedResult<std::vector<sdk::CarrierAccount>>([&]() -> sdk::Result<std::vector<sdk::CarrierAccount>> {
            return valuesOf(_accounts);
        });
    }

    sdk::Status assignNumber(const sdk::NumberRoute& route) noexcept override
    {
        return guardedStatus([&] {
            if (!isE164(route.number)) return sdk::Status::invalidArgument("number.number must be E.164");
            if (route.tenantId.empty()) return sdk::Status::invalidArgument("number.tenantId is required");
            if (!_tenants.count(route.tenantId)) return sdk::Status::notFound("unknown tenant " + route.tenantId);
            if (!route.accountSid.empty() && !_accounts.count(route.accountSid))
                return sdk::Status::notFound("unknown carrier account " + route.accountSid);
            auto existing = _numbers.find(route.number);
            if (existing != _numbers.end() && existing->second.tenantId != route.tenantId)
                return sdk::Status::alreadyExists("number " + route.number + " is assigned to another tenant");
            _numbers[route.number] = route;
            return sdk::Status::ok();
        });
    }

    sdk::Status releaseNumber(std::string_view number) noexcept override
    {
        return guardedStatus([&] {
            if (!_numbers.erase(std::string(number)))
                return sdk::Status::notFound("number " + std::string(number) + " is not assigned");
            return sdk::Status::ok();
        });
    }

    sdk::Result<sdk::NumberRoute> findNumber(std::string_view number) noexcept override
    {
        return guardedResult<sdk::NumberRoute>([&]() -> sdk::Result<sdk::NumberRoute> {
            auto route = _numbers.find(std::string(number));
            if (route == _numbers.end()) return sdk::Status::notFound("number " + std::string(number) + " is not assigned");
            return route->second;
        });
    }

    sdk::Result<std::vector<sdk::NumberRoute>> listNumbers(std::string_view tenantId) noexcept override
    {
        return guardedResult<std::vector<sdk::NumberRoute>>([&]() -> sdk::Result<std::vector<sdk::NumberRoute>> {
            std::vector<sdk::NumberRoute> out;
            for (const auto& route : _numbers)
                if (tenantId.empty() || route.second.tenantId == tenantId) out.push_back(route.second);
            return out;
        });
    }

    sdk::Status finishCall(const sdk::CallRecord& record) noexcept override
    {
        return guardedStatus([&] {
            if (record.call.callSid.empty()) return sdk::Status::invalidArgument("a call record needs a CallSid");
            sdk::CallRecord finished = record;
            const std::int64_t seconds = support::Billing::billedSeconds(record.durationMs);
            if (finished.costMicros == 0 && !finished.call.tenantId.empty())
            {
                auto tenant = _tenants.find(finished.call.tenantId);
                const std::int64_t rate = tenant == _tenants.end() ? 0 : tenant->second.rates.perMinuteMicros;
                finished.costMicros = support::Billing::costMicros(seconds, rate);
            }
            storeKeepingReport(finished);
            if (!finished.call.tenantId.empty() && _counted.insert(finished.call.callSid).second)
            {
                sdk::MonthlyUsage& row = _usage[{finished.call.tenantId, support::Billing::monthOf(finished.receivedAtMs), finished.variant}];
                row.calls += 1;
                row.seconds += seconds;
                row.costMicros += finished.costMicros;
            }
            ++_finishes;
            return sdk::Status::ok();
        });
    }

    sdk::Status addCallStatus(const sdk::CallStatusEvent& event) noexcept override
    {
        return guardedStatus([&] {
            if (event.callSid.empty()) return sdk::Status::invalidArgument("event.callSid is required");
            if (event.status.empty()) return sdk::Status::invalidArgument("event.status is required");
            _statuses[event.callSid].push_back(event);
            return sdk::Status::ok();
        });
    }

    sdk::Result<std::vector<sdk::CallStatusEvent>> callStatusHistory(std::string_view callSid) noexcept override
    {
        return guardedResult<std::vector<sdk::CallStatusEvent>>([&]() -> sdk::Result<std::vector<sdk::CallStatusEvent>> {
            auto found = _statuses.find(std::string(callSid));
            std::vector<sdk::CallStatusEvent> out;
            if (found != _statuses.end()) out = found->second;
            std::stable_sort(out.begin(), out.end(), [](const sdk::CallStatusEvent& a, const sdk::CallStatusEvent& b) {
                return a.sequenceNumber != b.sequenceNumber ? a.sequenceNumber < b.sequenceNumber : a.atMs < b.atMs;
            });
            return out;
        });
    }

    sdk::Status addTranscript(std::string_view callSid, const sdk::TranscriptEntry& entry) noexcept override
    {
        return guardedStatus([&] {
            if (callSid.empty()) return sdk::Status::invalidArgument("callSid is required");
            if (entry.role != "agent" && entry.role != "user")
                return sdk::Status::invalidArgument("entry.role must be \"agent\" or \"user\"");
            _transcripts[std::string(callSid)].push_back(entry);
            return sdk::Status::ok();
        });
    }

    sdk::Result<std::vector<sdk::TranscriptEntry>> transcript(std::string_view callSid) noexcept override
    {
        return guardedResult<std::vector<sdk::TranscriptEntry>>([&]() -> sdk::Result<std::vector<sdk::TranscriptEntry>> {
            auto found = _transcripts.find(std::string(callSid));
            std::vector<sdk::TranscriptEntry> out;
            if (found != _transcripts.end()) out = found->second;
            std::stable_sort(out.begin(), out.end(),
                             [](const sdk::TranscriptEntry& a, const sdk::TranscriptEntry& b) { return a.atMs < b.atMs; });
            return out;
        });
    }

    sdk::Result<std::vector<sdk::MonthlyUsage>> usage(std::string_view tenantId, std::string_view month) noexcept override
    {
        return guardedResult<std::vector<sdk::MonthlyUsage>>([&]() -> sdk::Result<std::vector<sdk::MonthlyUsage>> {
            std::vector<sdk::MonthlyUsage> out;
            for (const auto& [key, row] : _usage)
            {
                if (!tenantId.empty() && std::get<0>(key) != tenantId) continue;
                if (!month.empty() && std::get<1>(key) != month) continue;
                out.push_back(row);
                out.back().tenantId = std::get<0>(key);
                out.back().month = std::get<1>(key);
                out.back().variant = std::get<2>(key);
            }
            return out;
        });
    }

    sdk::Status saveTenantToken(const sdk::TenantToken& token) noexcept override
    {
        return guardedStatus([&] {
            if (token.id.empty()) return sdk::Status::invalidArgument("token.id is required");
            if (token.tenantId.empty()) return sdk::Status::invalidArgument("token.tenantId is required");
            bool hex = token.sha256Hex.size() == 64;
            for (char c : token.sha256Hex) hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
            if (!hex) return sdk::Status::invalidArgument("token.sha256Hex must be 64 lowercase hex digits");
            if (!_tenants.count(token.tenantId)) return sdk::Status::notFound("unknown tenant " + token.tenantId);
            for (const auto& other : _tokens)
                if (other.first == token.id || other.second.sha256Hex == token.sha256Hex)
                    return sdk::Status::alreadyExists("a tenant token with id " + token.id + " or the same hash exists");
            _tokens[token.id] = token;
            return sdk::Status::ok();
        });
    }

    sdk::Status revokeTenantToken(std::string_view tokenId, std::int64_t revokedAtMs) noexcept override
    {
        return guardedStatus([&] {
            if (revokedAtMs <= 0) return sdk::Status::invalidArgument("revokedAtMs must be a time after 1970");
            auto token = _tokens.find(std::string(tokenId));
            if (token == _tokens.end()) return sdk::Status::notFound("unknown tenant token " + std::string(tokenId));
            if (token->second.revokedAtMs == 0) token->second.revokedAtMs = revokedAtMs;
            return sdk::Status::ok();
        });
    }

    sdk::Result<sdk::TenantToken> findTenantTokenByHash(std::string_view sha256Hex) noexcept override
    {
        return guardedResult<sdk::TenantToken>([&]() -> sdk::Result<sdk::TenantToken> {
            for (const auto& token : _tokens)
                if (token.second.sha256Hex == sha256Hex) return token.second;
            return sdk::Status::notFound("no tenant token has this hash");
        });
    }

    sdk::Result<std::vector<sdk::TenantToken>> listTenantTokens(std::string_view tenantId) noexcept override
    {
        return guardedResult<std::vector<sdk::TenantToken>>([&]() -> sdk::Result<std::vector<sdk::TenantToken>> {
            std::vector<sdk::TenantToken> out;
            for (const auto& token : _tokens)
                if (tenantId.empty() || token.second.tenantId == tenantId) out.push_back(token.second);
            std::stable_sort(out.begin(), out.end(), [](const sdk::TenantToken& a, const sdk::TenantToken& b) {
                return a.createdAtMs < b.createdAtMs;
            });
            return out;
        });
    }

    /// Nothing is protected in memory, so there is never anything to re-protect.
    sdk::Result<std::uint64_t> rotateSecrets() noexcept override
    {
        return guardedResult<std::uint64_t>([&]() -> sdk::Result<std::uint64_t> { return std::uint64_t(0); });
    }

    // ---- agent reports (ABI 1.3), same rules as SqliteTenantStore ----

    sdk::Status saveAgentReport(std::string_view callSid, const sdk::AgentCallReport& report) noexcept override
    {
        return guardedStatus([&] {
            if (callSid.empty()) return sdk::Status::invalidArgument("callSid is required");
            if (report.analysisJson.size() > sdk::AgentCallReport::kMaxAnalysisJsonBytes)
                return sdk::Status::invalidArgument("report.analysisJson is over " +
                                                    std::to_string(sdk::AgentCallReport::kMaxAnalysisJsonBytes) + " bytes");
            if (!report.analysisJson.empty())
            {
                support::JsonDocument document;
                if (!document.parse(report.analysisJson) || !document.root().isObject())
                    return sdk::Status::invalidArgument("report.analysisJson must be a JSON object");
            }
            auto call = _calls.find(std::string(callSid));
            if (call == _calls.end()) return sdk::Status::notFound("unknown call " + std::string(callSid));
            call->second.agentReport = report;
            ++_reports;
            return sdk::Status::ok();
        });
    }

    // ---- test side ----

    void addTenant(const sdk::Tenant& tenant)
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _tenants[tenant.id] = tenant;
    }

    /// Routes number (E.164) to tenantId under accountSid.
    void addNumber(const std::string& number, const std::string& tenantId, const std::string& accountSid = {})
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _numbers[number] = sdk::NumberRoute{number, tenantId, accountSid, {}};
    }

    void addAccount(const sdk::CarrierAccount& account)
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _accounts[account.sid] = account;
    }

    void setUnavailable(bool unavailable)
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _unavailable = unavailable;
    }

    /// Records saved so far, by CallSid.
    std::map<std::string, sdk::CallRecord> savedCalls() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _calls;
    }

    /// Successful finishCall() calls.
    std::size_t finishCount() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _finishes;
    }

    /// Successful saveCall() calls.
    std::size_t saveCount() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _saves;
    }

    /// Successful saveAgentReport() calls.
    std::size_t agentReportCount() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _reports;
    }

private:
    /// saveCall()/finishCall() never write the agent report: a stored one survives them and the
    /// record's own agentReport is ignored, as in SqliteTenantStore (the report has its own columns).
    /// PRECONDITION: _mutex held.
    void storeKeepingReport(const sdk::CallRecord& record)
    {
        sdk::CallRecord& stored = _calls[record.call.callSid];
        sdk::AgentCallReport report = std::move(stored.agentReport);
        stored = record;
        stored.agentReport = std::move(report);
    }

    template <class Fn>
    sdk::Status guardedStatus(Fn&& fn) noexcept
    {
        try
        {
            std::lock_guard<std::mutex> lock(_mutex);
            if (_unavailable) return sdk::Status::unavailable("store unavailable (test)");
            return fn();
        }
        catch (const std::exception& e)
        {
            return sdk::Status::internal(e.what());
        }
    }

    static bool isE164(const std::string& number)
    {
        if (number.size() < 3 || number.size() > 16 || number[0] != '+' || number[1] < '1' || number[1] > '9') return false;
        return std::all_of(number.begin() + 2, number.end(), [](char c) { return c >= '0' && c <= '9'; });
    }

    static sdk::Status validTenant(const sdk::Tenant& tenant)
    {
        if (tenant.id.empty()) return sdk::Status::invalidArgument("tenant.id is required");
        std::set<std::string> names;
        for (std::size_t i = 0; i < tenant.variants.size(); ++i)
        {
            const std::string& name = tenant.variants[i].name;
            const bool ok = !name.empty() && name.size() <= 32 && std::all_of(name.begin(), name.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            });
            if (!ok || !names.insert(name).second)
                return sdk::Status::invalidArgument("tenant.variants[" + std::to_string(i) + "].name is invalid or repeated");
        }
        if (tenant.rates.perMinuteMicros < 0)
            return sdk::Status::invalidArgument("tenant.rates.perMinuteMicros must not be negative");
        const std::string& c = tenant.rates.currency;
        if (c.size() != 3 || !std::all_of(c.begin(), c.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; }))
            return sdk::Status::invalidArgument("tenant.rates.currency must be a three-letter ISO 4217 code");
        if (!tenant.fallback.dialNumber.empty() && !isE164(tenant.fallback.dialNumber))
            return sdk::Status::invalidArgument("tenant.fallback.dialNumber must be E.164");
        return sdk::Status::ok();
    }

    template <class Map>
    static std::vector<typename Map::mapped_type> valuesOf(const Map& map)
    {
        std::vector<typename Map::mapped_type> out;
        out.reserve(map.size());
        for (const auto& entry : map) out.push_back(entry.second);
        return out;
    }

    template <class T, class Fn>
    sdk::Result<T> guardedResult(Fn&& fn) noexcept
    {
        try
        {
            std::lock_guard<std::mutex> lock(_mutex);
            if (_unavailable) return sdk::Status::unavailable("store unavailable (test)");
            return fn();
        }
        catch (const std::exception& e)
        {
            return sdk::Status::internal(e.what());
        }
    }

    mutable std::mutex _mutex;
    std::map<std::string, sdk::Tenant> _tenants;
    std::map<std::string, sdk::NumberRoute> _numbers;
    std::map<std::string, sdk::CarrierAccount> _accounts;
    std::map<std::string, sdk::CallRecord> _calls;
    std::map<std::string, std::vector<sdk::CallStatusEvent>> _statuses;
    std::map<std::string, std::vector<sdk::TranscriptEntry>> _transcripts;
    std::map<std::tuple<std::string, std::string, std::string>, sdk::MonthlyUsage> _usage;
    std::set<std::string> _counted; ///< CallSids already added to _usage by finishCall
    std::map<std::string, sdk::TenantToken> _tokens;
    std::size_t _saves = 0;
    std::size_t _finishes = 0;
    std::size_t _reports = 0;
    bool _unavailable = false;
};

} // namespace patchbay::sdk::testing

#endif
