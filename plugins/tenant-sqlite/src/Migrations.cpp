// Migrations.cpp: the tenant store's schema history (v1 onwards) and the user_version-driven runner.
#include "patchbay/tenantsqlite/Migrations.h"

#include <Poco/Data/SQLite/SQLiteException.h>

#include <stdexcept>
#include <string>

#include "patchbay/tenantsqlite/StoreError.h"
#include "patchbay/tenantsqlite/Transaction.h"

namespace patchbay::tenantsqlite {

namespace {

// Unix milliseconds at insert time, computed by SQLite so seeds and admin writes agree.
#define PATCHBAY_NOW_MS "(CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))"

// v1, the walking skeleton. Conventions every later step keeps:
//  - text columns are NOT NULL DEFAULT '' (empty = "not set", as in the SDK structs), so readers
//    never meet NULL; optional references are the exception (NULL, because a foreign key on '' fails);
//  - times are INTEGER Unix milliseconds;
//  - calls carry no foreign keys: a rejected call for an unknown number has no tenant, and call
//    records must outlive the tenants and numbers they mention.
MigrationStep schemaV1()
{
    MigrationStep step;
    step.version = 1;
    step.summary = "accounts, tenants, phone_numbers, calls";
    step.statements = {
        "CREATE TABLE accounts ("
        " sid TEXT PRIMARY KEY NOT NULL CHECK (sid <> ''),"
        " parent_sid TEXT NOT NULL DEFAULT '',"
        " auth_token TEXT NOT NULL,"
        " secondary_token TEXT NOT NULL DEFAULT '',"
        " created_at INTEGER NOT NULL DEFAULT " PATCHBAY_NOW_MS ")",

        "CREATE TABLE tenants ("
        " id TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),"
        " name TEXT NOT NULL DEFAULT '',"
        " status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),"
        " agent_provider TEXT NOT NULL DEFAULT '',"
        " agent_id TEXT NOT NULL DEFAULT '',"
        " first_message TEXT NOT NULL DEFAULT '',"
        " prompt TEXT NOT NULL DEFAULT '',"
        " language TEXT NOT NULL DEFAULT '',"
        " dynamic_variables TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(dynamic_variables)),"
        " agent_api_key TEXT NOT NULL DEFAULT '',"
        " agent_base_url TEXT NOT NULL DEFAULT '',"
        " max_concurrent_calls INTEGER NOT NULL DEFAULT 0 CHECK (max_concurrent_calls >= 0),"
        " calls_per_minute INTEGER NOT NULL DEFAULT 0 CHECK (calls_per_minute >= 0),"
        " max_call_seconds INTEGER NOT NULL DEFAULT 0 CHECK (max_call_seconds >= 0),"
        " monthly_minutes INTEGER NOT NULL DEFAULT 0 CHECK (monthly_minutes >= 0),"
        " fallback_message TEXT NOT NULL DEFAULT '',"
        " fallback_number TEXT NOT NULL DEFAULT '',"
        " created_at INTEGER NOT NULL DEFAULT " PATCHBAY_NOW_MS ")",

        "CREATE TABLE phone_numbers ("
        " number TEXT PRIMARY KEY NOT NULL CHECK (number GLOB '+[1-9]*' AND length(number) BETWEEN 3 AND 16),"
        " tenant_id TEXT NOT NULL REFERENCES tenants(id),"
        " account_sid TEXT REFERENCES accounts(sid),"
        " created_at INTEGER NOT NULL DEFAULT " PATCHBAY_NOW_MS ")",
        // Foreign-key children are indexed so deleting a tenant or account does not scan the table.
        "CREATE INDEX phone_numbers_by_tenant ON phone_numbers(tenant_id)",
        "CREATE INDEX phone_numbers_by_account ON phone_numbers(account_sid)",

        "CREATE TABLE calls ("
        " call_sid TEXT PRIMARY KEY NOT NULL CHECK (call_sid <> ''),"
        " tenant_id TEXT NOT NULL DEFAULT '',"
        " account_sid TEXT NOT NULL DEFAULT '',"
        " direction TEXT NOT NULL DEFAULT 'inbound' CHECK (direction IN ('inbound', 'outbound')),"
        " from_number TEXT NOT NULL DEFAULT '',"
        " to_number TEXT NOT NULL DEFAULT '',"
        " inbound_provider TEXT NOT NULL DEFAULT '',"
        " status TEXT NOT NULL DEFAULT '',"
        " received_at_ms INTEGER NOT NULL DEFAULT 0,"
        " stream_started_at_ms INTEGER NOT NULL DEFAULT 0,"
        " ended_at_ms INTEGER NOT NULL DEFAULT 0,"
        " duration_ms INTEGER NOT NULL DEFAULT 0,"
        " end_reason TEXT NOT NULL DEFAULT '',"
        " end_detail TEXT NOT NULL DEFAULT '',"
        " agent_conversation_id TEXT NOT NULL DEFAULT '',"
        " frames_from_caller INTEGER NOT NULL DEFAULT 0,"
        " frames_to_caller INTEGER NOT NULL DEFAULT 0)",
        // listCalls: newest first, per tenant or across all, with call_sid as the tie-breaker.
        "CREATE INDEX calls_by_tenant_time ON calls(tenant_id, received_at_ms DESC, call_sid DESC)",
        "CREATE INDEX calls_by_time ON calls(received_at_ms DESC, call_sid DESC)",
    };
    return step;
}


// v2, the management model (ABI 1.1): A/B variants, cost rates, account extras, call history,
// transcripts, monthly usage and tenant API tokens. Secrets written by v1 were plaintext; they are
// tagged 'plain:' here so the store can tell a legacy value from a protected one and re-protect it
// at the next open with a key (SecretCipher), instead of guessing from the text.
MigrationStep schemaV2()
{
    MigrationStep step;
    step.version = 2;
    step.summary = "variants, rates, account extras, call history, transcripts, usage, tenant tokens";
    step.statements = {
        "ALTER TABLE accounts ADD COLUMN friendly_name TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE accounts ADD COLUMN api_key_sid TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE accounts ADD COLUMN api_key_secret TEXT NOT NULL DEFAULT ''",
        "UPDATE accounts SET auth_token = 'plain:' || auth_token WHERE auth_token <> ''",
        "UPDATE accounts SET secondary_token = 'plain:' || secondary_token WHERE secondary_token <> ''",
        "UPDATE tenants SET agent_api_key = 'plain:' || agent_api_key WHERE agent_api_key <> ''",

        "ALTER TABLE tenants ADD COLUMN rate_per_minute_micros INTEGER NOT NULL DEFAULT 0"
        " CHECK (rate_per_minute_micros >= 0)",
        "ALTER TABLE tenants ADD COLUMN rate_currency TEXT NOT NULL DEFAULT 'USD'",

        // position keeps the operator's order; deleting a tenant takes its variants with it.
        "CREATE TABLE tenant_variants ("
        " tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,"
        " name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 32),"
        " position INTEGER NOT NULL DEFAULT 0,"
        " weight INTEGER NOT NULL DEFAULT 1 CHECK (weight >= 0),"
        " agent_provider TEXT NOT NULL DEFAULT '',"
        " agent_id TEXT NOT NULL DEFAULT '',"
        " first_message TEXT NOT NULL DEFAULT '',"
        " prompt TEXT NOT NULL DEFAULT '',"
        " language TEXT NOT NULL DEFAULT '',"
        " dynamic_variables TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(dynamic_variables)),"
        " agent_api_key TEXT NOT NULL DEFAULT '',"
        " agent_base_url TEXT NOT NULL DEFAULT '',"
        " PRIMARY KEY (tenant_id, name))",

        "ALTER TABLE phone_numbers ADD COLUMN phone_number_sid TEXT NOT NULL DEFAULT ''",

        "ALTER TABLE calls ADD COLUMN variant TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE calls ADD COLUMN answered_at_ms INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE calls ADD COLUMN cost_micros INTEGER NOT NULL DEFAULT 0",
        // Set by finishCall in the transaction that adds the call to monthly_usage: never counted twice.
        "ALTER TABLE calls ADD COLUMN usage_counted INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX calls_by_status_time ON calls(status, received_at_ms DESC, call_sid DESC)",

        // No foreign key to calls: carrier callbacks can arrive before the call record is written.
        "CREATE TABLE call_status_events ("
        " id INTEGER PRIMARY KEY,"
        " call_sid TEXT NOT NULL CHECK (call_sid <> ''),"
        " status TEXT NOT NULL CHECK (status <> ''),"
        " sequence_number INTEGER NOT NULL DEFAULT -1,"
        " at_ms INTEGER NOT NULL DEFAULT 0)",
        "CREATE INDEX call_status_events_by_call ON call_status_events(call_sid, sequence_number, at_ms, id)",

        "CREATE TABLE transcripts ("
        " id INTEGER PRIMARY KEY,"
        " call_sid TEXT NOT NULL CHECK (call_sid <> ''),"
        " role TEXT NOT NULL CHECK (role IN ('agent', 'user')),"
        " text TEXT NOT NULL DEFAULT '',"
        " at_ms INTEGER NOT NULL DEFAULT 0)",
        "CREATE INDEX transcripts_by_call ON transcripts(call_sid, at_ms, id)",

        // Billing history outlives the tenant, like call records: no foreign key.
        "CREATE TABLE monthly_usage ("
        " tenant_id TEXT NOT NULL CHECK (tenant_id <> ''),"
        " month TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),"
        " variant TEXT NOT NULL DEFAULT '',"
        " calls INTEGER NOT NULL DEFAULT 0,"
        " seconds INTEGER NOT NULL DEFAULT 0,"
        " cost_micros INTEGER NOT NULL DEFAULT 0,"
        " PRIMARY KEY (tenant_id, month, variant))",

        "CREATE TABLE tenant_tokens ("
        " id TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),"
        " tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,"
        " sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),"
        " label TEXT NOT NULL DEFAULT '',"
        " created_at_ms INTEGER NOT NULL DEFAULT 0,"
        " revoked_at_ms INTEGER NOT NULL DEFAULT 0)",
        "CREATE INDEX tenant_tokens_by_tenant ON tenant_tokens(tenant_id, created_at_ms, id)",
    };
    return step;
}

// v3, agent reports (ABI 1.3): the agent platform's post-call account of a call, in columns of its
// own that only saveAgentReport writes (CallTable::upsert never names them), so the core's record
// writes and the post-call webhook cannot overwrite each other. -1 = unknown, as in the SDK.
MigrationStep schemaV3()
{
    MigrationStep step;
    step.version = 3;
    step.summary = "agent reports on calls";
    step.statements = {
        "ALTER TABLE calls ADD COLUMN agent_report_conversation_id TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE calls ADD COLUMN agent_report_status TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE calls ADD COLUMN agent_report_termination_reason TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE calls ADD COLUMN agent_report_duration_seconds INTEGER NOT NULL DEFAULT -1",
        "ALTER TABLE calls ADD COLUMN agent_report_cost INTEGER NOT NULL DEFAULT -1",
        "ALTER TABLE calls ADD COLUMN agent_report_call_successful TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE calls ADD COLUMN agent_report_summary TEXT NOT NULL DEFAULT ''",
        // '' (no analysis) or a JSON object, so readers can embed it as it is. CASE, not OR: json_type()
        // raises an error on malformed text instead of answering false.
        "ALTER TABLE calls ADD COLUMN agent_report_analysis TEXT NOT NULL DEFAULT ''"
        " CHECK (CASE WHEN agent_report_analysis = '' THEN 1"
        " WHEN json_valid(agent_report_analysis) THEN json_type(agent_report_analysis) = 'object' ELSE 0 END)",
        "ALTER TABLE calls ADD COLUMN agent_report_received_at_ms INTEGER NOT NULL DEFAULT 0",
    };
    return step;
}

#undef PATCHBAY_NOW_MS

} // namespace

Migrations::Migrations(std::vector<MigrationStep> steps) : _steps(std::move(steps))
{
    for (std::size_t i = 0; i < _steps.size(); ++i)
    {
        if (_steps[i].version != static_cast<int>(i) + 1)
            throw std::invalid_argument("migration steps must be numbered 1, 2, ... without gaps");
    }
}

const Migrations& Migrations::standard()
{
    // Append new versions here; a shipped step is never edited, because files in the field have run it.
    static const Migrations migrations({schemaV1(), schemaV2(), schemaV3()});
    return migrations;
}

int Migrations::latestVersion() const noexcept
{
    return _steps.empty() ? 0 : _steps.back().version;
}

int Migrations::currentVersion(Poco::Data::Session& session)
{
    using namespace Poco::Data::Keywords;
    int version = 0;
    session << "PRAGMA user_version", into(version), now;
    return version;
}

sdk::Result<int> Migrations::apply(Poco::Data::Session& session, const std::string& label) const noexcept
{
    using namespace Poco::Data::Keywords;
    int applying = 0;
    try
    {
        const int latest = latestVersion();
        auto tooNew = [&](int version) {
            return sdk::Status::internal("tenant store " + label + " has schema v" + std::to_string(version) +
                                         ", newer than this build knows (v" + std::to_string(latest) +
                                         "); run a newer patchbay or point 'path' at another file");
        };

        int version = currentVersion(session);
        if (version > latest)
            return tooNew(version);
        for (const MigrationStep& step : _steps)
        {
            if (step.version <= version)
                continue;
            applying = step.version;
            Transaction transaction(session);
            // Another process may have migrated between our first read and taking the write lock.
            version = currentVersion(session);
            if (version > latest)
                return tooNew(version);
            if (version >= step.version)
                continue;
            for (const std::string& statement : step.statements)
                session << statement, now;
            // PRAGMA takes no bound parameters; the value is our own integer.
            session << "PRAGMA user_version = " + std::to_string(step.version), now;
            transaction.commit();
            version = step.version;
        }
        return version;
    }
    catch (...)
    {
        return StoreError::fromCurrentException(applying ? "migrating tenant store " + label + " to schema v" +
                                                               std::to_string(applying)
                                                         : "reading the schema version of " + label);
    }
}

} // namespace patchbay::tenantsqlite
