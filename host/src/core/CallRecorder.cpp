// CallRecorder.cpp: ordered, retrying writer of call records.
#include "core/CallRecorder.h"

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

void CallRecorder::save(sdk::CallRecord record)
{
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _queue.push_back(std::move(record));
    }
    _wake.notify_one();
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
        sdk::CallRecord record = std::move(_queue.front());
        _queue.pop_front();
        _busy = true;
        lock.unlock();
        write(record);
        lock.lock();
        _busy = false;
        if (_queue.empty()) _idle.notify_all();
    }
    _idle.notify_all();
}

sdk::Status CallRecorder::write(const sdk::CallRecord& record)
{
    if (!_store) return sdk::Status::unavailable("no tenant store configured");
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

} // namespace patchbay::host
