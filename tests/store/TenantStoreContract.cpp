// TenantStoreContract.cpp: the contract test methods — CRUD, conflicts, call listing, usage arithmetic, history, tokens.
#include "TenantStoreContract.h"

#include <algorithm>

namespace patchbay::tenantsqlite::test {

namespace {

sdk::Tenant variantTenant(const std::string& id)
{
    sdk::Tenant tenant = sampleTenant(id);
    sdk::AgentVariant a;
    a.name = "control";
    a.weight = 3;
    a.agent = tenant.agent;
    sdk::AgentVariant b;
    b.name = "new-prompt_2";
    b.weight = 0;
    b.agent.agentId = "agent_b";
    b.agent.prompt = "Be brief.";
    b.agent.dynamicVariables = {{"k", "v"}};
    b.agent.apiKey = "sk-variant-secret-42";
    tenant.variants = {b, a}; // not alphabetical: the saved order must survive
    tenant.rates.perMinuteMicros = 12345;
    tenant.rates.currency = "EUR";
    return tenant;
}

void assertSameAgent(const sdk::AgentSettings& expected, const sdk::AgentSettings& actual)
{
    CPPUNIT_ASSERT_EQUAL(expected.providerId, actual.providerId);
    CPPUNIT_ASSERT_EQUAL(expected.agentId, actual.agentId);
    CPPUNIT_ASSERT_EQUAL(expected.firstMessage, actual.firstMessage);
    CPPUNIT_ASSERT_EQUAL(expected.prompt, actual.prompt);
    CPPUNIT_ASSERT_EQUAL(expected.language, actual.language);
    CPPUNIT_ASSERT(expected.dynamicVariables == actual.dynamicVariables);
    CPPUNIT_ASSERT_EQUAL(expected.apiKey, actual.apiKey);
    CPPUNIT_ASSERT_EQUAL(expected.baseUrl, actual.baseUrl);
}

void assertSameTenant(const sdk::Tenant& expected, const sdk::Tenant& actual)
{
    CPPUNIT_ASSERT_EQUAL(expected.id, actual.id);
    CPPUNIT_ASSERT_EQUAL(expected.name, actual.name);
    CPPUNIT_ASSERT(expected.status == actual.status);
    assertSameAgent(expected.agent, actual.agent);
    CPPUNIT_ASSERT_EQUAL(expected.variants.size(), actual.variants.size());
    for (std::size_t i = 0; i < expected.variants.size(); ++i)
    {
        CPPUNIT_ASSERT_EQUAL(expected.variants[i].name, actual.variants[i].name);
        CPPUNIT_ASSERT_EQUAL(expected.variants[i].weight, actual.variants[i].weight);
        assertSameAgent(expected.variants[i].agent, actual.variants[i].agent);
    }
    CPPUNIT_ASSERT_EQUAL(expected.limits.maxConcurrentCalls, actual.limits.maxConcurrentCalls);
    CPPUNIT_ASSERT_EQUAL(expected.limits.callsPerMinute, actual.limits.callsPerMinute);
    CPPUNIT_ASSERT_EQUAL(expected.limits.maxCallSeconds, actual.limits.maxCallSeconds);
    CPPUNIT_ASSERT_EQUAL(expected.limits.monthlyMinutes, actual.limits.monthlyMinutes);
    CPPUNIT_ASSERT_EQUAL(expected.fallback.message, actual.fallback.message);
    CPPUNIT_ASSERT_EQUAL(expected.fallback.dialNumber, actual.fallback.dialNumber);
    CPPUNIT_ASSERT_EQUAL(expected.rates.perMinuteMicros, actual.rates.perMinuteMicros);
    CPPUNIT_ASSERT_EQUAL(expected.rates.currency, actual.rates.currency);
}

sdk::TenantToken token(const std::string& id, const std::string& tenantId, char hashDigit, std::int64_t createdAtMs)
{
    sdk::TenantToken t;
    t.id = id;
    t.tenantId = tenantId;
    t.sha256Hex = std::string(64, hashDigit);
    t.label = "label " + id;
    t.createdAtMs = createdAtMs;
    return t;
}

} // namespace

void TenantStoreContract::seedBasics()
{
    ASSERT_OK(store().saveAccount(sampleAccount()));
    sdk::Tenant acme = sampleTenant("acme");
    acme.rates.perMinuteMicros = 60000; // 1000 micros per second
    ASSERT_OK(store().saveTenant(acme));
    ASSERT_OK(store().saveTenant(sampleTenant("beta")));
}

sdk::CallRecord TenantStoreContract::endedCall(const std::string& callSid, const std::string& tenantId,
                                               std::int64_t receivedAtMs, std::int64_t durationMs)
{
    sdk::CallRecord record = sampleCall(callSid, tenantId, receivedAtMs);
    record.status = "ended";
    record.answeredAtMs = receivedAtMs + 100;
    record.endedAtMs = receivedAtMs + 100 + durationMs;
    record.durationMs = durationMs;
    record.endReason = "caller-hung-up";
    return record;
}

std::vector<std::string> TenantStoreContract::sidsOf(const sdk::CallQuery& query)
{
    sdk::Result<std::vector<sdk::CallRecord>> calls = store().listCalls(query);
    CPPUNIT_ASSERT_MESSAGE(calls.status().toString(), calls.isOk());
    std::vector<std::string> sids;
    for (const auto& record : calls.value())
        sids.push_back(record.call.callSid);
    return sids;
}

void TenantStoreContract::testTenantRoundTrip()
{
    const sdk::Tenant tenant = variantTenant("acme");
    ASSERT_OK(store().saveTenant(tenant));
    sdk::Result<sdk::Tenant> found = store().findTenant("acme");
    CPPUNIT_ASSERT_MESSAGE(found.status().toString(), found.isOk());
    assertSameTenant(tenant, found.value());

    ASSERT_OK(store().assignNumber(sampleRoute("+15550100", "acme", "")));
    sdk::Result<sdk::Tenant> byNumber = store().findTenantByNumber("+15550100");
    CPPUNIT_ASSERT(byNumber.isOk());
    assertSameTenant(tenant, byNumber.value());
    ASSERT_CODE(NotFound, store().findTenant("nobody").status());
}

void TenantStoreContract::testTenantReplaceAndList()
{
    ASSERT_OK(store().saveTenant(variantTenant("zeta")));
    ASSERT_OK(store().saveTenant(sampleTenant("alpha")));
    sdk::Tenant replaced = sampleTenant("zeta", sdk::TenantStatus::Suspended);
    replaced.name = "Zeta renamed";
    replaced.agent.dynamicVariables.clear();
    ASSERT_OK(store().saveTenant(replaced)); // every field replaced, variants dropped
    assertSameTenant(replaced, store().findTenant("zeta").value());

    sdk::Result<std::vector<sdk::Tenant>> all = store().listTenants();
    CPPUNIT_ASSERT(all.isOk());
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), all->size());
    CPPUNIT_ASSERT_EQUAL(std::string("alpha"), all.value()[0].id);
    assertSameTenant(replaced, all.value()[1]);
}

void TenantStoreContract::testTenantValidation()
{
    sdk::Tenant noId = sampleTenant("x");
    noId.id.clear();
    ASSERT_CODE(InvalidArgument, store().saveTenant(noId));

    for (const char* name : {"", "Upper", "has space", "x123456789012345678901234567890123"})
    {
        sdk::Tenant tenant = variantTenant("x");
        tenant.variants[0].name = name;
        ASSERT_CODE(InvalidArgument, store().saveTenant(tenant));
    }
    sdk::Tenant repeated = variantTenant("x");
    repeated.variants[1].name = repeated.variants[0].name;
    ASSERT_CODE(InvalidArgument, store().saveTenant(repeated));

    sdk::Tenant negative = sampleTenant("x");
    negative.rates.perMinuteMicros = -1;
    ASSERT_CODE(InvalidArgument, store().saveTenant(negative));
    sdk::Tenant currency = sampleTenant("x");
    currency.rates.currency = "usd";
    ASSERT_CODE(InvalidArgument, store().saveTenant(currency));
    sdk::Tenant fallback = sampleTenant("x");
    fallback.fallback.dialNumber = "555-0100";
    ASSERT_CODE(InvalidArgument, store().saveTenant(fallback));

    ASSERT_CODE(NotFound, store().findTenant("x").status()); // nothing half-saved
    CPPUNIT_ASSERT(store().listTenants()->empty());
}

void TenantStoreContract::testDeleteTenant()
{
    seedBasics();
    ASSERT_CODE(NotFound, store().deleteTenant("nobody"));
    ASSERT_OK(store().assignNumber(sampleRoute("+15550100", "acme")));
    ASSERT_CODE(InvalidArgument, store().deleteTenant("acme")); // release its numbers first
    CPPUNIT_ASSERT(store().findTenant("acme").isOk());

    ASSERT_OK(store().releaseNumber("+15550100"));
    ASSERT_OK(store().deleteTenant("acme"));
    ASSERT_CODE(NotFound, store().findTenant("acme").status());
    ASSERT_CODE(NotFound, store().deleteTenant("acme"));
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), store().listTenants()->size());
}

void TenantStoreContract::testAccountRoundTripAndList()
{
    sdk::CarrierAccount main = sampleAccount("AC2");
    main.parentSid.clear();
    main.friendlyName = "Main account";
    main.apiKeySid = "SK0123";
    main.apiKeySecret = "api-secret-0123";
    ASSERT_OK(store().saveAccount(main));
    ASSERT_OK(store().saveAccount(sampleAccount("AC1")));

    sdk::Result<sdk::CarrierAccount> found = store().findAccount("AC2");
    CPPUNIT_ASSERT(found.isOk());
    CPPUNIT_ASSERT_EQUAL(std::string(""), found->parentSid);
    CPPUNIT_ASSERT_EQUAL(std::string(kAuthToken), found->authToken);
    CPPUNIT_ASSERT_EQUAL(std::string(kSecondaryToken), found->secondaryToken);
    CPPUNIT_ASSERT_EQUAL(std::string("Main account"), found->friendlyName);
    CPPUNIT_ASSERT_EQUAL(std::string("SK0123"), found->apiKeySid);
    CPPUNIT_ASSERT_EQUAL(std::string("api-secret-0123"), found->apiKeySecret);

    main.secondaryToken.clear(); // rotation finished
    ASSERT_OK(store().saveAccount(main));
    CPPUNIT_ASSERT(store().findAccount("AC2")->secondaryToken.empty());

    sdk::Result<std::vector<sdk::CarrierAccount>> all = store().listAccounts();
    CPPUNIT_ASSERT(all.isOk());
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), all->size());
    CPPUNIT_ASSERT_EQUAL(std::string("AC1"), all.value()[0].sid);
    CPPUNIT_ASSERT_EQUAL(std::string("AC2"), all.value()[1].sid);
    CPPUNIT_ASSERT_EQUAL(std::string("SK0123"), all.value()[1].apiKeySid);
}

void TenantStoreContract::testAccountValidation()
{
    sdk::CarrierAccount noSid = sampleAccount("");
    ASSERT_CODE(InvalidArgument, store().saveAccount(noSid));
    sdk::CarrierAccount noToken = sampleAccount("AC1");
    noToken.authToken.clear();
    ASSERT_CODE(InvalidArgument, store().saveAccount(noToken));
    CPPUNIT_ASSERT(store().listAccounts()->empty());
    ASSERT_CODE(NotFound, store().findAccount("AC1").status());
}

void TenantStoreContract::testDeleteAccount()
{
    seedBasics();
    ASSERT_CODE(NotFound, store().deleteAccount("AC-missing"));
    ASSERT_OK(store().assignNumber(sampleRoute("+15550100", "acme", kAccount)));
    ASSERT_CODE(InvalidArgument, store().deleteAccount(kAccount));
    CPPUNIT_ASSERT(store().findAccount(kAccount).isOk());
    ASSERT_OK(store().releaseNumber("+15550100"));
    ASSERT_OK(store().deleteAccount(kAccount));
    ASSERT_CODE(NotFound, store().findAccount(kAccount).status());
}

void TenantStoreContract::testAssignNumber()
{
    seedBasics();
    ASSERT_OK(store().assignNumber(sampleRoute("+15550100", "acme", "")));
    sdk::Result<sdk::NumberRoute> route = store().findNumber("+15550100");
    CPPUNIT_ASSERT(route.isOk());
    CPPUNIT_ASSERT_EQUAL(std::string("acme"), route->tenantId);
    CPPUNIT_ASSERT_EQUAL(std::string(""), route->accountSid);

    // The same tenant may update the account and the carrier's id of its number.
    sdk::NumberRoute updated = sampleRoute("+15550100", "acme", kAccount);
    updated.phoneNumberSid = "PN0123";
    ASSERT_OK(store().assignNumber(updated));
    route = store().findNumber("+15550100");
    CPPUNIT_ASSERT_EQUAL(kAccount, route->accountSid);
    CPPUNIT_ASSERT_EQUAL(std::string("PN0123"), route->phoneNumberSid);
    CPPUNIT_ASSERT_EQUAL(std::string("acme"), store().findTenantByNumber("+15550100")->id);
}

void TenantStoreContract::testAssignNumberRefusals()
{
    seedBasics();
    ASSERT_OK(store().assignNumber(sampleRoute("+15550100", "acme")));
    ASSERT_CODE(AlreadyExists, store().assignNumber(sampleRoute("+15550100", "beta")));
    CPPUNIT_ASSERT_EQUAL(std::string("acme"), store().findNumber("+15550100")->tenantId);
    ASSERT_CODE(NotFound, store().assignNumber(sampleRoute("+15550101", "ghost")));
    ASSERT_CODE(NotFound, store().assignNumber(sampleRoute("+15550101", "acme", "AC-missing")));
    for (const char* bad : {"15550101", "+1 5550101", "+0555", "", "+1"})
        ASSERT_CODE(InvalidArgument, store().assignNumber(sampleRoute(bad, "acme")));
    ASSERT_CODE(NotFound, store().findNumber("+15550101").status());
}

void TenantStoreContract::testReleaseNumber()
{
    seedBasics();
    ASSERT_CODE(NotFound, store().releaseNumber("+15550100"));
    ASSERT_OK(store().assignNumber(sampleRoute("+15550100", "acme")));
    ASSERT_OK(store().releaseNumber("+15550100"));
    ASSERT_CODE(NotFound, store().findNumber("+15550100").status());
    ASSERT_CODE(NotFound, store().findTenantByNumber("+15550100").status());
    // Released, it may go to another tenant.
    ASSERT_OK(store().assignNumber(sampleRoute("+15550100", "beta")));
    CPPUNIT_ASSERT_EQUAL(std::string("beta"), store().findTenantByNumber("+15550100")->id);
}

void TenantStoreContract::testListNumbersPerTenant()
{
    seedBasics();
    ASSERT_OK(store().assignNumber(sampleRoute("+15550102", "acme")));
    ASSERT_OK(store().assignNumber(sampleRoute("+15550100", "acme")));
    ASSERT_OK(store().assignNumber(sampleRoute("+15550101", "beta")));
    std::vector<sdk::NumberRoute> acme = store().listNumbers("acme").value();
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), acme.size());
    CPPUNIT_ASSERT_EQUAL(std::string("+15550100"), acme[0].number);
    CPPUNIT_ASSERT_EQUAL(std::string("+15550102"), acme[1].number);
    CPPUNIT_ASSERT_EQUAL(std::size_t(3), store().listNumbers("").value().size());
    CPPUNIT_ASSERT(store().listNumbers("nobody").value().empty());
}

void TenantStoreContract::testTokenLifecycle()
{
    seedBasics();
    ASSERT_OK(store().saveTenantToken(token("tok2", "acme", 'b', 2000)));
    ASSERT_OK(store().saveTenantToken(token("tok1", "acme", 'a', 1000)));
    ASSERT_OK(store().saveTenantToken(token("tok3", "beta", 'c', 3000)));

    sdk::Result<sdk::TenantToken> found = store().findTenantTokenByHash(std::string(64, 'a'));
    CPPUNIT_ASSERT(found.isOk());
    CPPUNIT_ASSERT_EQUAL(std::string("tok1"), found->id);
    CPPUNIT_ASSERT_EQUAL(std::string("acme"), found->tenantId);
    CPPUNIT_ASSERT_EQUAL(std::string("label tok1"), found->label);
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1000), found->createdAtMs);
    CPPUNIT_ASSERT_EQUAL(std::int64_t(0), found->revokedAtMs);
    ASSERT_CODE(NotFound, store().findTenantTokenByHash(std::string(64, 'f')).status());

    std::vector<sdk::TenantToken> acme = store().listTenantTokens("acme").value();
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), acme.size());
    CPPUNIT_ASSERT_EQUAL(std::string("tok1"), acme[0].id); // oldest first
    CPPUNIT_ASSERT_EQUAL(std::size_t(3), store().listTenantTokens("").value().size());

    // Revoked tokens are still found (the caller checks revokedAtMs); the first revocation sticks.
    ASSERT_OK(store().revokeTenantToken("tok1", 5000));
    ASSERT_OK(store().revokeTenantToken("tok1", 9000));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(5000), store().findTenantTokenByHash(std::string(64, 'a'))->revokedAtMs);
    CPPUNIT_ASSERT_EQUAL(std::int64_t(0), store().findTenantTokenByHash(std::string(64, 'b'))->revokedAtMs);
    ASSERT_CODE(NotFound, store().revokeTenantToken("tok-missing", 5000));
    ASSERT_CODE(InvalidArgument, store().revokeTenantToken("tok2", 0));
}

void TenantStoreContract::testTokenConflicts()
{
    seedBasics();
    ASSERT_OK(store().saveTenantToken(token("tok1", "acme", 'a', 1000)));
    ASSERT_CODE(AlreadyExists, store().saveTenantToken(token("tok1", "acme", 'b', 1000)));  // same id
    ASSERT_CODE(AlreadyExists, store().saveTenantToken(token("tok2", "beta", 'a', 1000)));  // same hash
    ASSERT_CODE(NotFound, store().saveTenantToken(token("tok3", "ghost", 'c', 1000)));
    ASSERT_CODE(InvalidArgument, store().saveTenantToken(token("tok4", "acme", 'A', 1000))); // upper case
    sdk::TenantToken shortHash = token("tok5", "acme", 'd', 1000);
    shortHash.sha256Hex.pop_back();
    ASSERT_CODE(InvalidArgument, store().saveTenantToken(shortHash));
    ASSERT_CODE(InvalidArgument, store().saveTenantToken(token("", "acme", 'e', 1000)));
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), store().listTenantTokens("").value().size());
}

void TenantStoreContract::testTokensGoWithTheirTenant()
{
    seedBasics();
    ASSERT_OK(store().saveTenantToken(token("tok1", "beta", 'a', 1000)));
    ASSERT_OK(store().deleteTenant("beta"));
    CPPUNIT_ASSERT(store().listTenantTokens("").value().empty());
    ASSERT_CODE(NotFound, store().findTenantTokenByHash(std::string(64, 'a')).status());
}

void TenantStoreContract::testRotateSecrets()
{
    seedBasics();
    sdk::Result<std::uint64_t> first = store().rotateSecrets();
    CPPUNIT_ASSERT_MESSAGE(first.status().toString(), first.isOk());
    // Nothing is left for a second rotation under the same key.
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), store().rotateSecrets().value());
    CPPUNIT_ASSERT_EQUAL(std::string(kAuthToken), store().findAccount(kAccount)->authToken);
}

} // namespace patchbay::tenantsqlite::test
