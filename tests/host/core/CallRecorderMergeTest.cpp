// CallRecorderMergeTest.cpp: the core's record writes and the carrier's status updates never erase each other, whatever their order.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include <patchbay/sdk/testing/FakeTenantStore.h>
#include <patchbay/sdk/testing/RecordingLogger.h>

#include "core/CallRecordMerge.h"
#include "core/CallRecorder.h"

using namespace patchbay;

class CallRecorderMergeTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(CallRecorderMergeTest);
    CPPUNIT_TEST(carrierAnswerTimeSurvivesTheCoresLaterWrite);
    CPPUNIT_TEST(lateCarrierStatusNeverDowngradesTheCoresEnd);
    CPPUNIT_TEST(carrierEndOfAnUnstreamedCallIsRecorded);
    CPPUNIT_TEST(coreEndAfterCarrierEndKeepsTheCoresFigures);
    CPPUNIT_TEST(unknownCallIsIgnored);
    CPPUNIT_TEST(rejectedIsFinal);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _recorder.setStore(&_store);
        _recorder.start();
    }

    void tearDown() override { _recorder.stop(); }

    void carrierAnswerTimeSurvivesTheCoresLaterWrite()
    {
        _recorder.save(coreRecord("CA1", "received"));
        _recorder.applyCarrier(carrier("CA1", "answered", 1111));
        _recorder.save(coreRecord("CA1", "streaming")); // the core's in-memory record knows no answer time
        _recorder.flush();
        const sdk::CallRecord r = _store.findCall("CA1").value();
        CPPUNIT_ASSERT_EQUAL(std::string("streaming"), r.status);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1111), r.answeredAtMs);
    }

    void lateCarrierStatusNeverDowngradesTheCoresEnd()
    {
        sdk::CallRecord ended = coreRecord("CA2", "ended");
        ended.durationMs = 4200;
        ended.endedAtMs = 9000;
        _recorder.save(ended);
        _recorder.applyCarrier(carrier("CA2", "answered", 1000));
        _recorder.flush();
        const sdk::CallRecord r = _store.findCall("CA2").value();
        CPPUNIT_ASSERT_EQUAL(std::string("ended"), r.status);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(4200), r.durationMs);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(9000), r.endedAtMs);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1000), r.answeredAtMs); // news the core did not have
    }

    void carrierEndOfAnUnstreamedCallIsRecorded()
    {
        _recorder.save(coreRecord("CA3", "received"));
        sdk::CarrierCallUpdate update = carrier("CA3", "ended", 0);
        update.endedAtMs = 5000;
        _recorder.applyCarrier(update);
        _recorder.flush();
        const sdk::CallRecord r = _store.findCall("CA3").value();
        CPPUNIT_ASSERT_EQUAL(std::string("ended"), r.status);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(5000), r.endedAtMs);
    }

    void coreEndAfterCarrierEndKeepsTheCoresFigures()
    {
        _recorder.save(coreRecord("CA4", "streaming"));
        sdk::CarrierCallUpdate update = carrier("CA4", "ended", 0);
        update.endedAtMs = 7000;
        _recorder.applyCarrier(update);
        sdk::CallRecord ended = coreRecord("CA4", "ended");
        ended.durationMs = 3000;
        ended.endedAtMs = 6900;
        _recorder.save(ended);
        _recorder.flush();
        const sdk::CallRecord r = _store.findCall("CA4").value();
        CPPUNIT_ASSERT_EQUAL(std::string("ended"), r.status);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(3000), r.durationMs);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(6900), r.endedAtMs); // the core's own time wins
    }

    void unknownCallIsIgnored()
    {
        _recorder.applyCarrier(carrier("CA404", "ended", 0));
        _recorder.flush();
        CPPUNIT_ASSERT(!_store.findCall("CA404").isOk());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), _recorder.failed());
    }

    void rejectedIsFinal()
    {
        sdk::CallRecord rejected = coreRecord("CA5", "rejected");
        rejected.endReason = "max_concurrent";
        _recorder.save(rejected);
        _recorder.applyCarrier(carrier("CA5", "answered", 100));
        _recorder.flush();
        CPPUNIT_ASSERT_EQUAL(std::string("rejected"), _store.findCall("CA5").value().status);
        sdk::CallRecord r = rejected;
        CPPUNIT_ASSERT(!host::CallRecordMerge::applyCarrier(carrier("CA5", "streaming", 0), r));
    }

private:
    static sdk::CallRecord coreRecord(const std::string& sid, const std::string& status)
    {
        sdk::CallRecord r;
        r.call.callSid = sid;
        r.call.tenantId = "acme";
        r.status = status;
        r.receivedAtMs = 500;
        return r;
    }

    static sdk::CarrierCallUpdate carrier(const std::string& sid, const std::string& status, std::int64_t answeredAtMs)
    {
        sdk::CarrierCallUpdate u;
        u.callSid = sid;
        u.status = status;
        u.answeredAtMs = answeredAtMs;
        return u;
    }

    sdk::testing::RecordingLogger _logger;
    sdk::testing::FakeTenantStore _store;
    host::CallRecorder _recorder{_logger};
};

CPPUNIT_TEST_SUITE_REGISTRATION(CallRecorderMergeTest);
