// RecordingInboundLeg.h: a fake carrier leg — records what the core sends towards the caller and hangups.
#ifndef PATCHBAY_SDK_TESTING_RECORDING_INBOUND_LEG_H
#define PATCHBAY_SDK_TESTING_RECORDING_INBOUND_LEG_H

#include <cstddef>
#include <string>
#include <string_view>

#include "patchbay/sdk/Call.h"
#include "patchbay/sdk/testing/MediaRecorder.h"

namespace patchbay::sdk::testing {

/// Pass to CallRouter::attachInbound() when testing a router, or use as the caller's side in an
/// agent test. Records media (MediaRecorder) and every hangup() with its reason and detail.
class RecordingInboundLeg : public MediaRecorder<sdk::InboundLeg>
{
public:
    void hangup(sdk::EndReason reason, std::string_view detail) noexcept override
    {
        ++_hangups;
        _hangupReason = reason;
        try
        {
            _hangupDetail.assign(detail.data(), detail.size());
            addEvent(std::string("hangup:") + sdk::endReasonName(reason));
        }
        catch (...)
        {
        }
    }

    // ---- test side ----

    bool isHungUp() const noexcept { return _hangups > 0; }
    std::size_t hangups() const noexcept { return _hangups; }
    sdk::EndReason hangupReason() const noexcept { return _hangupReason; }
    const std::string& hangupDetail() const noexcept { return _hangupDetail; }

private:
    std::size_t _hangups = 0;
    sdk::EndReason _hangupReason = sdk::EndReason::Completed;
    std::string _hangupDetail;
};

} // namespace patchbay::sdk::testing

#endif
