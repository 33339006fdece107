// FakeTenantStore.h: an in-memory sdk::TenantStore with tenants, numbers, accounts and call records a test fills in.
#ifndef PATCHBAY_SDK_TESTING_FAKE_TENANT_STORE_H
#define PATCHBAY_SDK_TESTING_FAKE_TENANT_STORE_H

#include <algorithm>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "patchbay/sdk/TenantStore.h"

namespace patchbay::sdk::testing {

/// Thread-safe. setUnavailable(true) makes every method answer Unavailable, as a store whose database
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
            _calls[record.call.callSid] = record;
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
                if (r.receivedAtMs < query.sinceMs) continue;
                out.push_back(r);
            }
            std::stable_sort(out.begin(), out.end(),
                             [](const sdk::CallRecord& a, const sdk::CallRecord& b) { return a.receivedAtMs > b.receivedAtMs; });
            if (out.size() > query.limit) out.resize(query.limit);
            return out;
        });
    }

    sdk::Status ping() noexcept override
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _unavailable ? sdk::Status::unavailable("store unavailable (test)") : sdk::Status::ok();
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
        _numbers[number] = sdk::NumberRoute{number, tenantId, accountSid};
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

    /// Successful saveCall() calls.
    std::size_t saveCount() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _saves;
    }

private:
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
    std::size_t _saves = 0;
    bool _unavailable = false;
};

} // namespace patchbay::sdk::testing

#endif
