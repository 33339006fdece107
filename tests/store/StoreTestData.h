// StoreTestData.h: sample tenants, accounts, numbers and call records shared by the tenant-store suites.
#ifndef PATCHBAY_TESTS_STORE_STORE_TEST_DATA_H
#define PATCHBAY_TESTS_STORE_STORE_TEST_DATA_H

#include <cstdint>
#include <string>

#include "patchbay/sdk/Tenant.h"
#include "patchbay/tenantsqlite/MasterKeys.h"
#include "patchbay/tenantsqlite/Seed.h"

namespace patchbay::tenantsqlite::test {

// Recognisable fake secrets, so tests can assert they never show up in a message or a log line.
inline const char* const kAuthToken = "tok-primary-0123456789abcdef";
inline const char* const kSecondaryToken = "tok-secondary-fedcba9876543210";
inline const char* const kApiKey = "sk-agent-key-0123456789";

/// A fixed test master key "test" (32 bytes), active: stores in tests seal secrets as in production.
inline MasterKeys testKeys(const std::string& id = "test", char fill = 'k')
{
    MasterKeys keys;
    keys.keys[id] = std::string(MasterKeys::kKeyBytes, fill);
    keys.activeId = id;
    return keys;
}

inline sdk::CarrierAccount sampleAccount(const std::string& sid = "AC00000000000000000000000000000001")
{
    sdk::CarrierAccount account;
    account.sid = sid;
    account.parentSid = "AC00000000000000000000000000000000";
    account.authToken = kAuthToken;
    account.secondaryToken = kSecondaryToken;
    return account;
}

inline sdk::Tenant sampleTenant(const std::string& id = "acme", sdk::TenantStatus status = sdk::TenantStatus::Active)
{
    sdk::Tenant tenant;
    tenant.id = id;
    tenant.name = "Acme " + id;
    tenant.status = status;
    tenant.agent.providerId = "elevenlabs";
    tenant.agent.agentId = "agent_" + id;
    tenant.agent.firstMessage = "Hello from " + id;
    tenant.agent.prompt = "You are a helpful receptionist.";
    tenant.agent.language = "en";
    tenant.agent.dynamicVariables = {{"zeta", "last"}, {"alpha", "first \"quoted\""}, {"unicode", "caf\xC3\xA9"}};
    tenant.agent.apiKey = kApiKey;
    tenant.agent.baseUrl = "https://api.eu.example";
    tenant.limits.maxConcurrentCalls = 5;
    tenant.limits.callsPerMinute = 30;
    tenant.limits.maxCallSeconds = 600;
    tenant.limits.monthlyMinutes = 4294967295u;
    tenant.fallback.message = "Sorry, please call later.";
    tenant.fallback.dialNumber = "+15550199";
    return tenant;
}

inline sdk::NumberRoute sampleRoute(const std::string& number, const std::string& tenantId,
                                    const std::string& accountSid = "AC00000000000000000000000000000001")
{
    sdk::NumberRoute route;
    route.number = number;
    route.tenantId = tenantId;
    route.accountSid = accountSid;
    return route;
}

/// One account, tenants "acme" (active) and "dormant" (suspended), +15550100 → acme, +15550101 → dormant.
inline Seed sampleSeed()
{
    Seed seed;
    seed.accounts.push_back(sampleAccount());
    seed.tenants.push_back(sampleTenant("acme"));
    seed.tenants.push_back(sampleTenant("dormant", sdk::TenantStatus::Suspended));
    seed.numbers.push_back(sampleRoute("+15550100", "acme"));
    seed.numbers.push_back(sampleRoute("+15550101", "dormant"));
    return seed;
}

inline sdk::CallRecord sampleCall(const std::string& callSid, const std::string& tenantId, std::int64_t receivedAtMs)
{
    sdk::CallRecord record;
    record.call.callSid = callSid;
    record.call.tenantId = tenantId;
    record.call.accountSid = "AC00000000000000000000000000000001";
    record.call.from = "+15557654321";
    record.call.to = "+15550100";
    record.call.direction = sdk::CallDirection::Inbound;
    record.call.inboundProvider = "twilio";
    record.status = "received";
    record.receivedAtMs = receivedAtMs;
    return record;
}

} // namespace patchbay::tenantsqlite::test

#endif
