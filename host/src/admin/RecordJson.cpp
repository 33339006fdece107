// RecordJson.cpp: serialisation of store records (calls with their agent report), and exact decimal formatting of money and minutes.
#include "admin/RecordJson.h"

#include <cinttypes>
#include <cstdio>

#include "patchbay/sdk/support/JsonDocument.h"

namespace patchbay::host {

namespace {

/// The call's "agentReport" object (see docs/admin-api.md).
void writeAgentReport(sdk::support::JsonWriter& w, const sdk::AgentCallReport& r)
{
    // -1 means "the platform did not say"; null keeps that apart from a real 0.
    const auto known = [&](const char* name, std::int64_t value) {
        w.key(name);
        if (value < 0)
            w.null();
        else
            w.value(value);
    };
    w.beginObject();
    w.key("conversationId").value(r.conversationId).key("status").value(r.status);
    w.key("terminationReason").value(r.terminationReason);
    known("durationSeconds", r.durationSeconds);
    known("cost", r.cost);
    w.key("callSuccessful").value(r.callSuccessful).key("summary").value(r.summary);
    // Embedded as JSON, not as a string of JSON. The store's text is checked first: it is written
    // by a plugin, and one bad value must not make the whole answer unparseable.
    if (!r.analysisJson.empty())
    {
        sdk::support::JsonDocument document;
        if (document.parse(r.analysisJson) && document.root().isObject())
            w.key("analysis").raw(r.analysisJson);
    }
    w.key("receivedAtMs").value(r.receivedAtMs);
    w.endObject();
}

} // namespace

std::string RecordJson::formatMicros(std::int64_t micros)
{
    // Integer arithmetic only: a double would print 0.1 + 0.2 style drift on large sums.
    const bool negative = micros < 0;
    const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(micros) : static_cast<std::uint64_t>(micros);
    char fraction[8];
    std::snprintf(fraction, sizeof fraction, "%06" PRIu64, magnitude % 1000000);
    std::string frac(fraction);
    while (frac.size() > 2 && frac.back() == '0') frac.pop_back();
    return (negative ? "-" : "") + std::to_string(magnitude / 1000000) + "." + frac;
}

std::string RecordJson::formatMinutes(std::int64_t seconds)
{
    if (seconds < 0) seconds = 0;
    // Round half up to hundredths of a minute: seconds * 100 / 60.
    const std::int64_t hundredths = (seconds * 100 + 30) / 60;
    char out[32];
    std::snprintf(out, sizeof out, "%" PRId64 ".%02" PRId64, hundredths / 100, hundredths % 100);
    return out;
}

void RecordJson::writeNumber(sdk::support::JsonWriter& w, const sdk::NumberRoute& r)
{
    w.beginObject();
    writeNumberMembers(w, r);
    w.endObject();
}

void RecordJson::writeNumberMembers(sdk::support::JsonWriter& w, const sdk::NumberRoute& r)
{
    w.key("number").value(r.number).key("tenantId").value(r.tenantId).key("accountSid").value(r.accountSid);
    w.key("phoneNumberSid").value(r.phoneNumberSid);
}

void RecordJson::writeCall(sdk::support::JsonWriter& w, const sdk::CallRecord& c)
{
    w.beginObject();
    writeCallMembers(w, c);
    w.endObject();
}

void RecordJson::writeCallMembers(sdk::support::JsonWriter& w, const sdk::CallRecord& c)
{
    w.key("callSid").value(c.call.callSid).key("tenantId").value(c.call.tenantId).key("accountSid").value(c.call.accountSid);
    w.key("from").value(c.call.from).key("to").value(c.call.to);
    w.key("direction").value(c.call.direction == sdk::CallDirection::Outbound ? "outbound" : "inbound");
    w.key("inboundProvider").value(c.call.inboundProvider);
    w.key("status").value(c.status).key("variant").value(c.variant);
    w.key("receivedAtMs").value(c.receivedAtMs).key("answeredAtMs").value(c.answeredAtMs);
    w.key("streamStartedAtMs").value(c.streamStartedAtMs).key("endedAtMs").value(c.endedAtMs);
    w.key("durationMs").value(c.durationMs);
    w.key("endReason").value(c.endReason).key("endDetail").value(c.endDetail);
    w.key("agentConversationId").value(c.agentConversationId);
    w.key("costMicros").value(c.costMicros).key("cost").value(formatMicros(c.costMicros));
    w.key("framesFromCaller").value(c.framesFromCaller).key("framesToCaller").value(c.framesToCaller);
    // Omitted, not null, when the agent platform sent no report: most calls of a deployment without
    // post-call webhooks never get one, and clients test for the member.
    if (!c.agentReport.empty())
    {
        w.key("agentReport");
        writeAgentReport(w, c.agentReport);
    }
}

void RecordJson::writeStatusEvent(sdk::support::JsonWriter& w, const sdk::CallStatusEvent& e)
{
    w.beginObject().key("status").value(e.status).key("sequenceNumber").value(e.sequenceNumber).key("atMs").value(e.atMs).endObject();
}

void RecordJson::writeTranscriptEntry(sdk::support::JsonWriter& w, const sdk::TranscriptEntry& e)
{
    w.beginObject().key("role").value(e.role).key("text").value(e.text).key("atMs").value(e.atMs).endObject();
}

void RecordJson::writeUsage(sdk::support::JsonWriter& w, const sdk::MonthlyUsage& u, const std::string& currency)
{
    w.beginObject();
    w.key("tenantId").value(u.tenantId).key("month").value(u.month).key("variant").value(u.variant);
    w.key("calls").value(u.calls).key("minutes").raw(formatMinutes(u.seconds)).key("seconds").value(u.seconds);
    w.key("costMicros").value(u.costMicros).key("cost").value(formatMicros(u.costMicros));
    if (!currency.empty()) w.key("currency").value(currency);
    w.endObject();
}

void RecordJson::writeToken(sdk::support::JsonWriter& w, const sdk::TenantToken& t)
{
    w.beginObject().key("id").value(t.id).key("tenantId").value(t.tenantId).key("label").value(t.label);
    w.key("createdAtMs").value(t.createdAtMs).key("revokedAtMs").value(t.revokedAtMs).key("revoked").value(t.revokedAtMs != 0);
    w.endObject();
}

} // namespace patchbay::host
