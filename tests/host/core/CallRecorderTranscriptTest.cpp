// CallRecorderTranscriptTest.cpp: transcript lines go through the recorder's ordered writer; a failing store is logged, never fatal.
#include <cppunit/extensions/HelperMacros.h>

#include <thread>

#include <patchbay/sdk/testing/FakeTenantStore.h>
#include <patchbay/sdk/testing/RecordingLogger.h>

#include "core/CallRecorder.h"

using namespace patchbay;
using namespace patchbay::sdk::testing;

namespace {

sdk::TranscriptEntry line(const std::string& role, const std::string& text, std::int64_t atMs = 0)
{
    sdk::TranscriptEntry e;
    e.role = role;
    e.text = text;
    e.atMs = atMs;
    return e;
}

/// Records the thread each transcript line was written on.
class ThreadNotingStore final : public FakeTenantStore
{
public:
    sdk::Status addTranscript(std::string_view callSid, const sdk::TranscriptEntry& entry) noexcept override
    {
        writer = std::this_thread::get_id();
        return FakeTenantStore::addTranscript(callSid, entry);
    }
    std::thread::id writer;
};

} // namespace

class CallRecorderTranscriptTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(CallRecorderTranscriptTest);
    CPPUNIT_TEST(linesAreWrittenInOrderOnTheWriterThread);
    CPPUNIT_TEST(linesKeepTheirPlaceAmongRecords);
    CPPUNIT_TEST(failingStoreIsLoggedAndTheWriterGoesOn);
    CPPUNIT_TEST(refusedLineIsNotRetried);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _recorder = std::make_unique<host::CallRecorder>(_log);
        _recorder->setStore(&_store);
        _recorder->start();
    }

    void tearDown() override { _recorder->stop(); }

    void linesAreWrittenInOrderOnTheWriterThread()
    {
        for (int i = 0; i < 50; ++i) _recorder->addTranscript("CA1", line(i % 2 ? "user" : "agent", std::to_string(i), 7));
        _recorder->flush();
        auto stored = _store.transcript("CA1");
        CPPUNIT_ASSERT(stored.isOk());
        CPPUNIT_ASSERT_EQUAL(std::size_t(50), stored.value().size());
        for (int i = 0; i < 50; ++i) CPPUNIT_ASSERT_EQUAL(std::to_string(i), stored.value()[i].text);
        CPPUNIT_ASSERT(_store.writer != std::this_thread::get_id());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(50), _recorder->transcriptsWritten());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), _recorder->written()); // records are counted apart
    }

    void linesKeepTheirPlaceAmongRecords()
    {
        sdk::CallRecord r;
        r.call.callSid = "CA2";
        r.call.tenantId = "t1";
        r.status = "streaming";
        _recorder->save(r);
        _recorder->addTranscript("CA2", line("agent", "hi"));
        r.status = "ended";
        _recorder->save(r);
        _recorder->flush();
        CPPUNIT_ASSERT_EQUAL(std::string("ended"), _store.savedCalls()["CA2"].status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _store.transcript("CA2").value().size());
    }

    void failingStoreIsLoggedAndTheWriterGoesOn()
    {
        _store.setUnavailable(true);
        _recorder->addTranscript("CA3", line("user", "my card number is 4111"));
        _recorder->flush();
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), _recorder->transcriptsFailed());
        CPPUNIT_ASSERT(_log.contains("transcript line (user) not saved"));
        CPPUNIT_ASSERT(!_log.contains("4111")); // the caller's words stay out of the log
        _store.setUnavailable(false);
        _recorder->addTranscript("CA3", line("agent", "thanks"));
        _recorder->flush();
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), _recorder->transcriptsWritten());
    }

    void refusedLineIsNotRetried()
    {
        _recorder->addTranscript("CA4", line("narrator", "not a role the store takes"));
        _recorder->flush();
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), _recorder->transcriptsFailed());
        CPPUNIT_ASSERT(_log.contains("invalid"));
    }

private:
    RecordingLogger _log;
    ThreadNotingStore _store;
    std::unique_ptr<host::CallRecorder> _recorder;
};

CPPUNIT_TEST_SUITE_REGISTRATION(CallRecorderTranscriptTest);
