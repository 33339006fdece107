// TwilioStatusCallbackTest.cpp: call/stream status callbacks into the call record (in SequenceNumber order) and the Connect action's answer.
#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <thread>

#include "WebhookTestHost.h"

using namespace patchbay;
using namespace patchbay::twilio::test;

namespace {

const std::string kEmpty = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";
const std::string kHangup = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Hangup/></Response>";
// 2024-01-01 10:00:00 / 10:00:05 / 10:01:05 UTC
constexpr std::int64_t kT0 = 1704103200000, kT1 = 1704103205000, kT2 = 1704103265000;
const char* const kStamp0 = "Mon, 01 Jan 2024 10:00:00 +0000";
const char* const kStamp1 = "Mon, 01 Jan 2024 11:00:05 +0100"; // same instant as kT1, another zone
const char* const kStamp2 = "Mon, 01 Jan 2024 10:01:05 +0000";

} // namespace

class TwilioStatusCallbackTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TwilioStatusCallbackTest);
    CPPUNIT_TEST(callStatusesInOrderUpdateTheRecord);
    CPPUNIT_TEST(outOfOrderStatusesNeverGoBackwards);
    CPPUNIT_TEST(repeatedCallbackIsStoredOnce);
    CPPUNIT_TEST(unknownCallSidIs200AndLogged);
    CPPUNIT_TEST(callbacksAreSignedAndBoundToTheAccount);
    CPPUNIT_TEST(coreStatesAreNotDowngraded);
    CPPUNIT_TEST(streamStatusCallbacks);
    CPPUNIT_TEST(admittedCallThroughToCompleted);
    CPPUNIT_TEST(connectActionHangsUpNormally);
    CPPUNIT_TEST(connectActionPlaysFallbackWhenTheAgentFailed);
    CPPUNIT_TEST(connectActionWaitsForTheFinalRecord);
    CPPUNIT_TEST(connectActionUnknownAndForeignCalls);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _host = std::make_unique<WebhookTestHost>();
        sdk::Status st = _host->start();
        CPPUNIT_ASSERT_MESSAGE(st.toString(), st.isOk());
    }
    void tearDown() override { _host.reset(); }

    /// A record as the core would have left it, written straight into the store.
    void seed(const std::string& sid, const std::string& status, const std::string& tenant = "acme",
              const std::string& endReason = "")
    {
        sdk::CallRecord r;
        r.call.callSid = sid;
        r.call.accountSid = kAccount;
        r.call.tenantId = tenant;
        r.call.to = kNumber;
        r.status = status;
        r.receivedAtMs = kT0 - 1000;
        r.endReason = endReason;
        if (status == "ended" || status == "rejected") r.endedAtMs = kT2 + 500;
        CPPUNIT_ASSERT(_host->store().saveCall(r).isOk());
    }

    HttpResult status(const std::string& sid, const std::string& callStatus, const std::string& seq, const std::string& stamp,
                      const std::string& account = kAccount, const std::string& token = kToken)
    {
        Params p = {{"AccountSid", account}, {"CallSid", sid}, {"CallStatus", callStatus}, {"CallbackSource", "call-progress-events"},
                    {"SequenceNumber", seq}, {"Timestamp", stamp}, {"To", kNumber}};
        return _host->postSigned("/twilio/status", p, token);
    }

    HttpResult stream(const std::string& sid, const std::string& event, const std::string& stamp, const std::string& error = "")
    {
        Params p = {{"AccountSid", kAccount}, {"CallSid", sid}, {"StreamSid", "MZ00000000000000000000000000000001"},
                    {"StreamName", "patchbay"}, {"StreamEvent", event}, {"Timestamp", stamp}};
        if (!error.empty()) p.emplace_back("StreamError", error);
        return _host->postSigned("/twilio/stream-status", p);
    }

    HttpResult connectAction(const std::string& sid, const std::string& account = kAccount, const std::string& token = kToken)
    {
        return _host->postSigned("/twilio/connect-action",
                                 {{"AccountSid", account}, {"CallSid", sid}, {"CallStatus", "in-progress"}}, token);
    }

    sdk::CallRecord record(const std::string& sid)
    {
        _host->flushRecords();
        return _host->store().findCall(sid).value();
    }

    std::vector<sdk::CallStatusEvent> history(const std::string& sid) { return _host->store().callStatusHistory(sid).value(); }

    void assertOk(const HttpResult& r)
    {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        CPPUNIT_ASSERT_EQUAL(kEmpty, r.body);
        CPPUNIT_ASSERT(r.contentType.find("xml") != std::string::npos);
    }

    void callStatusesInOrderUpdateTheRecord()
    {
        const std::string sid = "CA00000000000000000000000000003001";
        seed(sid, "received");
        assertOk(status(sid, "ringing", "0", kStamp0));
        CPPUNIT_ASSERT_EQUAL(std::string("received"), record(sid).status);
        assertOk(status(sid, "in-progress", "1", kStamp1));
        CPPUNIT_ASSERT_EQUAL(std::string("answered"), record(sid).status);
        CPPUNIT_ASSERT_EQUAL(kT1, record(sid).answeredAtMs);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(0), record(sid).endedAtMs);
        assertOk(status(sid, "completed", "2", kStamp2));
        const sdk::CallRecord r = record(sid);
        CPPUNIT_ASSERT_EQUAL(std::string("ended"), r.status);
        CPPUNIT_ASSERT_EQUAL(kT1, r.answeredAtMs);
        CPPUNIT_ASSERT_EQUAL(kT2, r.endedAtMs);
        CPPUNIT_ASSERT_EQUAL(kT0 - 1000, r.receivedAtMs); // untouched
        const auto h = history(sid);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), h.size());
        CPPUNIT_ASSERT_EQUAL(std::string("ringing"), h[0].status);
        CPPUNIT_ASSERT_EQUAL(kT0, h[0].atMs);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(2), h[2].sequenceNumber);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _host->store().finishCount()); // usage is the core's business
    }

    void outOfOrderStatusesNeverGoBackwards()
    {
        const std::string sid = "CA00000000000000000000000000003101";
        seed(sid, "received");
        assertOk(status(sid, "completed", "2", kStamp2));
        CPPUNIT_ASSERT_EQUAL(std::string("ended"), record(sid).status);
        CPPUNIT_ASSERT_EQUAL(kT2, record(sid).endedAtMs);
        assertOk(status(sid, "in-progress", "1", kStamp1)); // late: history, and the answer time it brings
        CPPUNIT_ASSERT_EQUAL(std::string("ended"), record(sid).status);
        CPPUNIT_ASSERT_EQUAL(kT1, record(sid).answeredAtMs);
        assertOk(status(sid, "ringing", "0", kStamp0));
        CPPUNIT_ASSERT_EQUAL(std::string("ended"), record(sid).status);
        CPPUNIT_ASSERT(_host->pluginLog().contains("late event (SequenceNumber 0 after 2)"));
        const auto h = history(sid);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), h.size());
        for (std::size_t i = 0; i < h.size(); ++i) CPPUNIT_ASSERT_EQUAL(std::int64_t(i), h[i].sequenceNumber);

        // Interleaved: answered arrives after completed of the same call, then completed is retried.
        const std::string sid2 = "CA00000000000000000000000000003102";
        seed(sid2, "received");
        assertOk(status(sid2, "in-progress", "1", kStamp1));
        assertOk(status(sid2, "ringing", "0", kStamp0));
        CPPUNIT_ASSERT_EQUAL(std::string("answered"), record(sid2).status);
        assertOk(status(sid2, "completed", "2", kStamp2));
        assertOk(status(sid2, "completed", "2", kStamp2));
        CPPUNIT_ASSERT_EQUAL(std::string("ended"), record(sid2).status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), history(sid2).size());
    }

    void repeatedCallbackIsStoredOnce()
    {
        const std::string sid = "CA00000000000000000000000000003201";
        seed(sid, "received");
        assertOk(status(sid, "in-progress", "1", kStamp1));
        const std::size_t saves = _host->store().saveCount();
        assertOk(status(sid, "in-progress", "1", kStamp1));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), history(sid).size());
        CPPUNIT_ASSERT_EQUAL(saves, _host->store().saveCount()); // nothing new, nothing written
        CPPUNIT_ASSERT_EQUAL(1.0, _host->metric("patchbay_twilio_webhooks_total{endpoint=\"status\",result=\"repeated\"}"));
        CPPUNIT_ASSERT_EQUAL(1.0, _host->metric("patchbay_twilio_webhooks_total{endpoint=\"status\",result=\"recorded\"}"));
    }

    void unknownCallSidIs200AndLogged()
    {
        const std::string sid = "CA00000000000000000000000000003301";
        assertOk(status(sid, "completed", "3", kStamp2));
        assertOk(stream(sid, "stream-stopped", "2024-01-01T10:01:05Z"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _host->pluginLog().count("for an unknown CallSid"));
        CPPUNIT_ASSERT(history(sid).empty());
        CPPUNIT_ASSERT(_host->store().savedCalls().empty());
        // An unknown status value is acknowledged and ignored, not refused.
        seed(sid, "received");
        assertOk(status(sid, "brand-new-status", "4", kStamp2));
        CPPUNIT_ASSERT(history(sid).empty());
    }

    void callbacksAreSignedAndBoundToTheAccount()
    {
        const std::string sid = "CA00000000000000000000000000003401";
        seed(sid, "received");
        // Unsigned, forged, or signed by another (valid) account for this account's call: 403, nothing stored.
        CPPUNIT_ASSERT_EQUAL(403, status(sid, "completed", "2", kStamp2, kAccount, "").status);
        CPPUNIT_ASSERT_EQUAL(403, status(sid, "completed", "2", kStamp2, kAccount, kSubToken).status);
        HttpResult foreign = status(sid, "completed", "2", kStamp2, kSubaccount, kSubToken);
        CPPUNIT_ASSERT_EQUAL(403, foreign.status);
        CPPUNIT_ASSERT(_host->pluginLog().contains("signed it, but the call belongs to account " + std::string(kAccount)));
        CPPUNIT_ASSERT(history(sid).empty());
        CPPUNIT_ASSERT_EQUAL(std::string("received"), record(sid).status);
        // Missing status: 400 after the gate.
        CPPUNIT_ASSERT_EQUAL(400, _host->postSigned("/twilio/status", {{"AccountSid", kAccount}, {"CallSid", sid}}).status);
    }

    void coreStatesAreNotDowngraded()
    {
        const std::string streaming = "CA00000000000000000000000000003501";
        seed(streaming, "streaming");
        assertOk(status(streaming, "in-progress", "1", kStamp1));
        CPPUNIT_ASSERT_EQUAL(std::string("streaming"), record(streaming).status);
        const std::string ended = "CA00000000000000000000000000003502";
        seed(ended, "ended", "acme", "agent-ended");
        assertOk(status(ended, "completed", "2", kStamp2));
        CPPUNIT_ASSERT_EQUAL(kT2 + 500, record(ended).endedAtMs); // the core's time wins
        CPPUNIT_ASSERT_EQUAL(std::string("agent-ended"), record(ended).endReason);
        const std::string rejected = "CA00000000000000000000000000003503";
        seed(rejected, "rejected", "acme", "over-limit");
        assertOk(status(rejected, "busy", "1", kStamp1));
        CPPUNIT_ASSERT_EQUAL(std::string("rejected"), record(rejected).status);
        CPPUNIT_ASSERT_EQUAL(std::string("over-limit"), record(rejected).endReason);
    }

    void streamStatusCallbacks()
    {
        const std::string sid = "CA00000000000000000000000000003601";
        seed(sid, "answered");
        assertOk(stream(sid, "stream-started", "2024-01-01T10:00:05.250Z"));
        CPPUNIT_ASSERT_EQUAL(std::string("streaming"), record(sid).status);
        CPPUNIT_ASSERT_EQUAL(kT1 + 250, record(sid).streamStartedAtMs);
        assertOk(stream(sid, "stream-started", "2024-01-01T10:00:05.250Z")); // a retry
        assertOk(stream(sid, "stream-error", "2024-01-01T11:01:00+01:00", "Connection <refused>\nretrying"));
        assertOk(stream(sid, "stream-stopped", "2024-01-01T10:01:05Z"));
        const auto h = history(sid);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), h.size());
        CPPUNIT_ASSERT_EQUAL(kT2 - 5000, h[1].atMs); // ISO 8601 with an offset
        CPPUNIT_ASSERT_EQUAL(std::int64_t(-1), h[0].sequenceNumber);
        CPPUNIT_ASSERT(_host->pluginLog().contains(sdk::LogLevel::Warn, "media stream error reported by Twilio: Connection <refused>?retrying"));
        CPPUNIT_ASSERT_EQUAL(std::string("streaming"), record(sid).status); // the core ends calls, not stream events
        // A bad StreamEvent is a 400 only when absent; unknown ones are acknowledged.
        CPPUNIT_ASSERT_EQUAL(400, _host->postSigned("/twilio/stream-status", {{"AccountSid", kAccount}, {"CallSid", sid}}).status);
    }

    void admittedCallThroughToCompleted()
    {
        const std::string sid = "CA00000000000000000000000000003701";
        CPPUNIT_ASSERT_EQUAL(200, _host->postSigned("/twilio/voice", WebhookTestHost::voiceParams(sid)).status);
        const sdk::CallRecord admitted = record(sid);
        CPPUNIT_ASSERT_EQUAL(std::string("answered"), admitted.status); // written by the core at admission
        assertOk(status(sid, "in-progress", "1", kStamp1));
        CPPUNIT_ASSERT_EQUAL(admitted.answeredAtMs, record(sid).answeredAtMs); // the core's time is kept
        assertOk(status(sid, "completed", "2", kStamp2));
        CPPUNIT_ASSERT_EQUAL(std::string("ended"), record(sid).status);
        CPPUNIT_ASSERT_EQUAL(kT2, record(sid).endedAtMs);
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), record(sid).call.tenantId);
    }

    void connectActionHangsUpNormally()
    {
        const std::string sid = "CA00000000000000000000000000003801";
        seed(sid, "ended", "closed", "completed"); // even a tenant with a fallback: the call went fine
        HttpResult r = connectAction(sid);
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT_EQUAL(kHangup, r.body);
        seed("CA00000000000000000000000000003802", "ended", "closed", "agent-ended");
        CPPUNIT_ASSERT_EQUAL(kHangup, connectAction("CA00000000000000000000000000003802").body);
    }

    void connectActionPlaysFallbackWhenTheAgentFailed()
    {
        const std::string sid = "CA00000000000000000000000000003901";
        seed(sid, "ended", "closed", "agent-failed");
        HttpResult r = connectAction(sid);
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT_MESSAGE(r.body, r.body.find("<Say language=\"en-US\">Closed &lt;today&gt; &amp; &quot;tomorrow&quot;") !=
                                           std::string::npos);
        CPPUNIT_ASSERT(r.body.find("<Dial>+15550001111</Dial><Hangup/></Response>") != std::string::npos);
        // A tenant without a fallback: just hang up.
        seed("CA00000000000000000000000000003902", "ended", "acme", "agent-failed");
        CPPUNIT_ASSERT_EQUAL(kHangup, connectAction("CA00000000000000000000000000003902").body);
        CPPUNIT_ASSERT_EQUAL(1.0, _host->metric("patchbay_twilio_webhooks_total{endpoint=\"connect-action\",result=\"fallback\"}"));
    }

    void connectActionWaitsForTheFinalRecord()
    {
        const std::string sid = "CA00000000000000000000000000004001";
        seed(sid, "streaming", "noagent");
        // The core's final record lands a little after Twilio asked (as when the agent just broke).
        std::thread core([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            seed(sid, "ended", "noagent", "agent-failed");
        });
        const auto started = std::chrono::steady_clock::now();
        HttpResult r = connectAction(sid);
        const auto waited = std::chrono::steady_clock::now() - started;
        core.join();
        CPPUNIT_ASSERT_MESSAGE(r.body, r.body.find("<Say language=\"en-US\">Our assistant is away.</Say><Hangup/>") != std::string::npos);
        CPPUNIT_ASSERT(waited >= std::chrono::milliseconds(250));
        CPPUNIT_ASSERT(waited < std::chrono::milliseconds(1900));
        // A record that never becomes final: hang up after the bounded wait.
        seed("CA00000000000000000000000000004002", "streaming");
        CPPUNIT_ASSERT_EQUAL(kHangup, connectAction("CA00000000000000000000000000004002").body);
        CPPUNIT_ASSERT(_host->pluginLog().contains("still 'streaming'"));
    }

    void connectActionUnknownAndForeignCalls()
    {
        HttpResult unknown = connectAction("CA00000000000000000000000000004101");
        CPPUNIT_ASSERT_EQUAL(200, unknown.status);
        CPPUNIT_ASSERT_EQUAL(kEmpty, unknown.body);
        CPPUNIT_ASSERT(_host->pluginLog().contains("connect action for an unknown CallSid"));
        const std::string sid = "CA00000000000000000000000000004102";
        seed(sid, "ended", "closed", "agent-failed");
        CPPUNIT_ASSERT_EQUAL(403, connectAction(sid, kSubaccount, kSubToken).status);
        CPPUNIT_ASSERT_EQUAL(403, connectAction(sid, kAccount, "").status);
    }

private:
    std::unique_ptr<WebhookTestHost> _host;
};

CPPUNIT_TEST_SUITE_REGISTRATION(TwilioStatusCallbackTest);
