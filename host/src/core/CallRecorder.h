// CallRecorder.h: writes call records and transcripts to the tenant store in order, off the media loops, and flushes them before shutdown.
#ifndef PATCHBAY_HOST_CORE_CALL_RECORDER_H
#define PATCHBAY_HOST_CORE_CALL_RECORDER_H

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include <patchbay/sdk/CallRouter.h>
#include <patchbay/sdk/Logger.h>
#include <patchbay/sdk/TenantStore.h>

namespace patchbay::host {

/// One writer thread, so the records of one call land in the order they were produced (a "streaming"
/// update can never overwrite the final "ended" record). Writes that fail with Unavailable are retried
/// a few times before they are logged as lost. The carrier's status updates go through the same
/// thread and both kinds of write merge with the stored record (CallRecordMerge), so neither the
/// core nor the carrier ever erases what the other wrote. Transcript lines share the thread too, so a
/// call's lines are stored in the order the agent reported them.
class CallRecorder
{
public:
    CallRecorder(sdk::Logger& logger);
    ~CallRecorder();

    CallRecorder(const CallRecorder&) = delete;
    CallRecorder& operator=(const CallRecorder&) = delete;

    /// THREAD: Control, before start().
    void setStore(sdk::TenantStore* store) { _store = store; }
    void start();
    /// Writes everything queued, then stops the thread. THREAD: Control.
    void stop();

    /// Queues a record. THREAD: Any; never blocks on the store.
    void save(sdk::CallRecord record);
    /// Queues a carrier status update of a record. THREAD: Any; never blocks on the store.
    void applyCarrier(sdk::CarrierCallUpdate update);
    /// Queues one transcript line of a call. A store that refuses it is logged, never fatal.
    /// THREAD: Any; never blocks on the store.
    void addTranscript(std::string callSid, sdk::TranscriptEntry entry);
    /// Writes synchronously on the calling thread (I/O), after everything queued before it.
    sdk::Status saveNow(const sdk::CallRecord& record);

    /// Returns once everything queued before the call is written. THREAD: Any but the writer.
    void flush();

    std::uint64_t written() const;
    std::uint64_t failed() const;
    /// Transcript lines stored / lost (kept apart from the record counts the shutdown line reports).
    std::uint64_t transcriptsWritten() const;
    std::uint64_t transcriptsFailed() const;

private:
    /// A queued write: a record from the core, a carrier update, or a transcript line.
    struct Job
    {
        enum class Kind { Record, Carrier, Transcript };
        Kind kind = Kind::Record;
        sdk::CallRecord record;
        sdk::CarrierCallUpdate carrier;
        std::string callSid; // Transcript
        sdk::TranscriptEntry entry;
    };

    void run();
    sdk::Status write(sdk::CallRecord record);
    void writeCarrier(const sdk::CarrierCallUpdate& update);
    void writeTranscript(const std::string& callSid, const sdk::TranscriptEntry& entry);
    void push(Job job);

    sdk::Logger& _logger;
    sdk::TenantStore* _store = nullptr;
    mutable std::mutex _mutex;
    std::condition_variable _wake;
    std::condition_variable _idle;
    std::deque<Job> _queue;
    bool _busy = false;
    bool _stopping = false;
    std::thread _thread;
    std::uint64_t _written = 0;
    std::uint64_t _failed = 0;
    std::uint64_t _transcriptsWritten = 0;
    std::uint64_t _transcriptsFailed = 0;
};

} // namespace patchbay::host

#endif
