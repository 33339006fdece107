// RecordingCallChannel.h: the core's side of a leg, faked — records media, readiness and the leg's end.
#ifndef PATCHBAY_SDK_TESTING_RECORDING_CALL_CHANNEL_H
#define PATCHBAY_SDK_TESTING_RECORDING_CALL_CHANNEL_H

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "patchbay/sdk/Call.h"
#include "patchbay/sdk/testing/MediaRecorder.h"

namespace patchbay::sdk::testing {

/// Give one to AgentProvider::openSession() (or get one from FakeCallRouter::attachInbound()).
/// Besides the media (MediaRecorder) it keeps the LegInfo of onLegReady(), the reason and detail of
/// onLegEnded(), and counts contract breaches: calls made after the leg ended, a second end.
class RecordingCallChannel : public MediaRecorder<sdk::CallChannel>
{
public:
    void onLegReady(const sdk::LegInfo& info) noexcept override
    {
        beforeMediaCall();
        try
        {
            _ready = info;
        }
        catch (...)
        {
        }
        ++_readyCount;
        addEvent("ready");
    }

    void onLegEnded(sdk::EndReason reason, std::string_view detail) noexcept override
    {
        ++_endedCount;
        if (_endedCount > 1) ++_callsAfterEnd;
        _endReason = reason;
        try
        {
            _endDetail.assign(detail.data(), detail.size());
            addEvent(std::string("ended:") + sdk::endReasonName(reason));
        }
        catch (...)
        {
        }
    }

    void onTranscript(const sdk::TranscriptEntry& entry) noexcept override
    {
        beforeMediaCall();
        try
        {
            _transcript.push_back(entry);
            addEvent("transcript:" + entry.role);
        }
        catch (...)
        {
        }
    }

    void requestHangupAfterPlayout(std::string_view reason) noexcept override
    {
        beforeMediaCall();
        try
        {
            _hangupRequests.emplace_back(reason);
            addEvent("hangup-after-playout");
        }
        catch (...)
        {
        }
    }

    void requestTransfer(std::string_view toNumber, std::uint64_t requestId) noexcept override
    {
        beforeMediaCall();
        try
        {
            _transferRequests.emplace_back(std::string(toNumber), requestId);
            addEvent("transfer:" + std::string(toNumber));
        }
        catch (...)
        {
        }
    }

    // ---- test side ----

    const std::vector<sdk::TranscriptEntry>& transcript() const noexcept { return _transcript; }
    /// Reasons of requestHangupAfterPlayout(), in order.
    const std::vector<std::string>& hangupRequests() const noexcept { return _hangupRequests; }
    /// (number, requestId) of requestTransfer(), in order.
    const std::vector<std::pair<std::string, std::uint64_t>>& transferRequests() const noexcept { return _transferRequests; }

    bool isReady() const noexcept { return _ready.has_value(); }
    /// PRECONDITION: isReady().
    const sdk::LegInfo& legInfo() const noexcept { return *_ready; }
    std::size_t readyCount() const noexcept { return _readyCount; }

    bool hasEnded() const noexcept { return _endedCount > 0; }
    std::size_t endedCount() const noexcept { return _endedCount; }
    sdk::EndReason endReason() const noexcept { return _endReason; }
    const std::string& endDetail() const noexcept { return _endDetail; }

    /// Calls into the channel after onLegEnded() (must stay 0 for a well-behaved leg).
    std::size_t callsAfterEnd() const noexcept { return _callsAfterEnd; }

protected:
    void beforeMediaCall() noexcept override
    {
        if (_endedCount > 0) ++_callsAfterEnd;
    }

private:
    std::optional<sdk::LegInfo> _ready;
    std::size_t _readyCount = 0;
    std::size_t _endedCount = 0;
    std::size_t _callsAfterEnd = 0;
    sdk::EndReason _endReason = sdk::EndReason::Completed;
    std::string _endDetail;
    std::vector<sdk::TranscriptEntry> _transcript;
    std::vector<std::string> _hangupRequests;
    std::vector<std::pair<std::string, std::uint64_t>> _transferRequests;
};

} // namespace patchbay::sdk::testing

#endif
