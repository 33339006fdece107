// FakeCallRouter.h: an sdk::CallRouter with scripted admissions that hands each attached leg a RecordingCallChannel.
#ifndef PATCHBAY_SDK_TESTING_FAKE_CALL_ROUTER_H
#define PATCHBAY_SDK_TESTING_FAKE_CALL_ROUTER_H

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "patchbay/sdk/CallRouter.h"
#include "patchbay/sdk/testing/RecordingCallChannel.h"

namespace patchbay::sdk::testing {

/// admit() answers the admission scripted for the CallSid, else the default (Accepted, tenant
/// "tenant-1"), and records the call. attachInbound() follows the real contract: NotFound unless the
/// call was Accepted, AlreadyExists the second time; otherwise it records the attachment and returns
/// a RecordingCallChannel the test reads through channel(callSid).
class FakeCallRouter : public sdk::CallRouter
{
public:
    /// One attachInbound() call as made by the plugin.
    struct Attachment
    {
        std::string callSid;
        sdk::InboundLeg* leg = nullptr;
        sdk::LegInfo info;
        sdk::EventLoop* loop = nullptr;
    };

    FakeCallRouter()
    {
        _defaultAdmission.outcome = sdk::AdmissionOutcome::Accepted;
        _defaultAdmission.tenantId = "tenant-1";
    }
    FakeCallRouter(const FakeCallRouter&) = delete;
    FakeCallRouter& operator=(const FakeCallRouter&) = delete;
    virtual ~FakeCallRouter() = default;

    sdk::Admission admit(const sdk::CallInfo& call) noexcept override
    {
        try
        {
            std::lock_guard<std::mutex> lock(_mutex);
            _admitted.push_back(call);
            auto it = _admissions.find(call.callSid);
            const sdk::Admission& admission = it != _admissions.end() ? it->second : _defaultAdmission;
            _decided[call.callSid] = admission.outcome;
            return admission;
        }
        catch (...)
        {
            sdk::Admission failed;
            failed.outcome = sdk::AdmissionOutcome::StoreUnavailable;
            return failed;
        }
    }

    sdk::Result<sdk::CallChannel*> attachInbound(std::string_view callSid, sdk::InboundLeg& leg, const sdk::LegInfo& info,
                                                 sdk::EventLoop& loop) noexcept override
    {
        try
        {
            std::lock_guard<std::mutex> lock(_mutex);
            const std::string sid(callSid);
            auto decided = _decided.find(sid);
            if (decided == _decided.end() || decided->second != sdk::AdmissionOutcome::Accepted)
                return sdk::Status::notFound("call " + sid + " was not admitted");
            if (_channels.count(sid)) return sdk::Status::alreadyExists("call " + sid + " is already attached");
            _attachments.push_back(Attachment{sid, &leg, info, &loop});
            auto& channel = _channels[sid];
            channel = std::make_unique<RecordingCallChannel>();
            return static_cast<sdk::CallChannel*>(channel.get());
        }
        catch (const std::exception& e)
        {
            return sdk::Status::internal(e.what());
        }
    }

    // ---- test side ----

    /// The answer admit() gives for this CallSid.
    void setAdmission(const std::string& callSid, sdk::Admission admission)
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _admissions[callSid] = std::move(admission);
    }

    /// The answer for every CallSid without its own.
    void setDefaultAdmission(sdk::Admission admission)
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _defaultAdmission = std::move(admission);
    }

    /// Shorthand: setDefaultAdmission with just an outcome.
    void setDefaultOutcome(sdk::AdmissionOutcome outcome)
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _defaultAdmission.outcome = outcome;
    }

    void updateFromCarrier(const sdk::CarrierCallUpdate& update) noexcept override
    {
        try
        {
            std::lock_guard<std::mutex> lock(_mutex);
            _carrierUpdates.push_back(update);
        }
        catch (...)
        {
        }
    }

    /// Every updateFromCarrier() received, in order.
    std::vector<sdk::CarrierCallUpdate> carrierUpdates() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _carrierUpdates;
    }

    std::vector<sdk::CallInfo> admittedCalls() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _admitted;
    }

    std::vector<Attachment> attachments() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _attachments;
    }

    /// The channel handed out for callSid, or nullptr when it was never attached.
    RecordingCallChannel* channel(const std::string& callSid) const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        auto it = _channels.find(callSid);
        return it == _channels.end() ? nullptr : it->second.get();
    }

private:
    mutable std::mutex _mutex;
    sdk::Admission _defaultAdmission;
    std::map<std::string, sdk::Admission> _admissions;
    std::map<std::string, sdk::AdmissionOutcome> _decided;
    std::vector<sdk::CallInfo> _admitted;
    std::vector<sdk::CarrierCallUpdate> _carrierUpdates;
    std::vector<Attachment> _attachments;
    std::map<std::string, std::unique_ptr<RecordingCallChannel>> _channels;
};

} // namespace patchbay::sdk::testing

#endif
