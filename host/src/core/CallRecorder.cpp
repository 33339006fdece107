// CallRecorder.cpp: ordered, retrying writer of call records and transcript lines.
#include "core/CallRecorder.h"

#include "core/CallRecordMerge.h"

#include <chrono>

namespace patchbay::host {

CallRecorder::CallRecorder(sdk::Logger& logger) : _logger(logger) {}

CallRecorder::~CallRecorder()
{
    stop();
}

void CallRecorder::start()
{
    std::lock_guard<std::mutex> lock(_mutex);
    if (_thread.joinable()) return;
    _stopping = false;
    _thread = std::thread([this] { run(); });
}

void CallRecorder::stop()
{
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (!_thread.joinable()) return;
        _stopping = true;
    }
    _wake.notify_all();
    _thread.join();
}

void CallRecorder::push(Job job)
{
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _queue.push_back(std::move(job));
    }
    _wake.notify_one();
}

void CallRecorder::save(sdk::CallRecord record)
{
    Job job;
    job.record = std::move(record);
    push(std::move(job));
}

void CallRecorder::applyCarrier(sdk::CarrierCallUpdate update)
{
    Job job;
    job.kind = Job::Kind::Carrier;
    job.carrier = std::move(update);
    push(std::move(job));
}

void CallRecorder::addTranscript(std::string callSid, sdk::TranscriptEntry entry)
{
    Job job;
    job.kind = Job::Kind::Transcript;
    job.callSid = std::move(callSid);
    job.entry = std::move(entry);
    push(std::move(job));
}

sdk::Status CallRecorder::saveNow(const sdk::CallRecord& record)
{
    std::unique_lock<std::mutex> lock(_mutex);
    // Wait until earlier queued records are written so this one is not overtaken by an older state.
    _idle.wait(lock, [this] { return (_queue.empty() && !_busy) || !_thread.joinable(); });
    _busy = true;
    lock.unlock();
    sdk::Status st = write(record);
    lock.lock();
    _busy = false;
    lock.unlock();
    _wake.notify_all();
    _idle.notify_all();
    return st;
}

void CallRecorder::flush()
{
    std::unique_lock<std::mutex> lock(_mutex);
    _idle.wait(lock, [this] { return (_queue.empty() && !_busy) || !_thread.joinable(); });
}

std::uint64_t CallRecorder::written() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _written;
}

std::uint64_t CallRecorder::failed() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _failed;
}

std::uint64_t CallRecorder::transcriptsWritten() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _transcriptsWritten;
}

std::uint64_t CallRecorder::transcriptsFailed() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _transcriptsFailed;
}

void CallRecorder::run()
{
    std::unique_lock<std::mutex> lock(_mutex);
    for (;;)
    {
        _wake.wait(lock, [this] { return (!_queue.empty() && !_busy) || _stopping; });
        if (_queue.empty())
        {
            if (_stopping) break;
            continue;
        }
        if (_busy) continue;
        Job job = std::move(_queue.front());
        _queue.pop_front();
        _busy = true;
        lock.unlock();
        switch (job.kind)
        {
        case Job::Kind::Record: write(std::move(job.record)); break;
        case Job::Kind::Carrier: writeCarrier(job.carrier); break;
        case Job::Kind::Transcript: writeTranscript(job.callSid, job.entry); break;
        }
        lock.lock();
        _busy = false;
        if (_queue.empty()) _idle.notify_all();
    }
    _idle.notify_all();
}

sdk::Status CallRecorder::write(sdk::CallRecord record)
{
    if (!_store) return sdk::Status::unavailable("no tenant store configured");
    try
    {
        // What the carrier's callbacks already wrote (e.g. the answered time) survives this write.
        sdk::Result<sdk::CallRecord> stored = _store->findCall(record.call.callSid);
        if (stored.isOk()) CallRecordMerge::keepCarrierFields(stored.value(), record);
    }
    catch (...)
    {
        // The write below reports a broken store.
    }
    sdk::Status st;
    for (int attempt = 0; attempt < 5; ++attempt)
    {
        try
        {
            // The final record also adds the call to its tenant's usage, once, in the same transaction.
            st = record.status == "ended" ? _store->finishCall(record) : _store->saveCall(record);
        }
        catch (...)
        {
            st = sdk::Status::internal("tenant store threw from saveCall");
        }
        if (st.isOk() || st.code() != sdk::StatusCode::Unavailable) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50 << attempt));
    }
    std::lock_guard<std::mutex> lock(_mutex);
    if (st.isOk())
    {
        ++_written;
    }
    else
    {
        ++_failed;
        _logger.error("call record not saved: " + st.toString(), record.call.callSid);
    }
    return st;
}

void CallRecorder::writeCarrier(const sdk::CarrierCallUpdate& update)
{
    if (!_store) return;
    sdk::Status st;
    try
    {
        sdk::Result<sdk::CallRecord> stored = _store->findCall(update.callSid);
        if (!stored.isOk())
        {
            // No record: a call the core never admitted (or already forgot) has nothing to update.
            if (stored.status().code() != sdk::StatusCode::NotFound)
                _logger.warn("carrier status not applied: " + stored.status().toString(), update.callSid);
            return;
        }
        sdk::CallRecord record = std::move(stored.value());
        if (!CallRecordMerge::applyCarrier(update, record)) return;
        st = _store->saveCall(record);
    }
    catch (...)
    {
        st = sdk::Status::internal("tenant store threw while applying a carrier status");
    }
    std::lock_guard<std::mutex> lock(_mutex);
    if (st.isOk())
    {
        ++_written;
    }
    else
    {
        ++_failed;
        _logger.error("carrier status not saved: " + st.toString(), update.callSid);
    }
}

void CallRecorder::writeTranscript(const std::string& callSid, const sdk::TranscriptEntry& entry)
{
    sdk::Status st = sdk::Status::unavailable("no tenant store configured");
    // Fewer retries than a record: a line is worth less than holding up the calls queued behind it.
    for (int attempt = 0; _store && attempt < 3; ++attempt)
    {
        try
        {
            st = _store->addTranscript(callSid, entry);
        }
        catch (...)
        {
            st = sdk::Status::internal("tenant store threw from addTranscript");
        }
        if (st.isOk() || st.code() != sdk::StatusCode::Unavailable) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50 << attempt));
    }
    std::lock_guard<std::mutex> lock(_mutex);
    if (st.isOk())
    {
        ++_transcriptsWritten;
    }
    else
    {
        ++_transcriptsFailed;
        // The text stays out of the log (it is the caller's speech); the role says which side was lost.
        _logger.error("transcript line (" + entry.role + ") not saved: " + st.toString(), callSid);
    }
}

} // namespace patchbay::host
