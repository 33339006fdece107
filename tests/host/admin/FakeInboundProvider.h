// FakeInboundProvider.h: an sdk::InboundProvider for admin API tests — scripted answers, and a record of every carrier call the API made.
#ifndef PATCHBAY_TESTS_HOST_ADMIN_FAKE_INBOUND_PROVIDER_H
#define PATCHBAY_TESTS_HOST_ADMIN_FAKE_INBOUND_PROVIDER_H

#include <mutex>
#include <string>
#include <vector>

#include <patchbay/sdk/InboundProvider.h>

namespace patchbay::testing {

/// Defaults: configureNumber declines unless requested, then fills phoneNumberSid; checkNumber finds
/// every number fine; placeCall answers kPlacedSid. Each `next*` field overrides the answer.
/// THREAD: Any (the admin API calls it from its workers).
class FakeInboundProvider final : public sdk::InboundProvider
{
public:
    static constexpr const char* kPlacedSid = "CA0123456789abcdef0123456789abcdef";
    static constexpr const char* kNumberSid = "PN0123456789abcdef0123456789abcdef";

    struct Made
    {
        std::string what;       ///< hangup, transfer, fallback, configure, check, endpoints, place
        std::string callSid;    ///< call control
        std::string number;     ///< configure/check: the number; transfer: the target; place: to
        std::string from;       ///< place
        std::string tenantId;
        std::string accountSid; ///< the account handed to the provider (or of the call)
        std::string authToken;  ///< of the account handed over, to check the API passes the real one
        bool requested = false; ///< configure
    };

    std::size_t activeLegs() const override { return 0; }

    sdk::Status hangupCall(const sdk::CallInfo& call) override
    {
        record({"hangup", call.callSid, {}, {}, call.tenantId, call.accountSid, {}, false});
        return next(nextHangup);
    }

    sdk::Status transferCall(const sdk::CallInfo& call, const std::string& toNumber) override
    {
        record({"transfer", call.callSid, toNumber, {}, call.tenantId, call.accountSid, {}, false});
        return next(nextTransfer);
    }

    sdk::Status configureNumber(sdk::NumberRoute& route, const sdk::CarrierAccount& account, bool requested) override
    {
        record({"configure", {}, route.number, {}, route.tenantId, account.sid, account.authToken, requested});
        std::lock_guard<std::mutex> lock(_mutex);
        if (!nextConfigure.isOk()) return nextConfigure;
        if (!requested && !configureEveryAssignment) return sdk::Status::declined("numbers are configured by hand");
        route.phoneNumberSid = kNumberSid;
        return sdk::Status::ok();
    }

    sdk::Result<sdk::SetupCheck> checkNumber(const sdk::NumberRoute& route, const sdk::CarrierAccount& account) override
    {
        record({"check", {}, route.number, {}, route.tenantId, account.sid, account.authToken, false});
        std::lock_guard<std::mutex> lock(_mutex);
        for (const auto& bad : numberProblems)
            if (bad.subject == route.number) return bad;
        if (route.number == unreachableNumber) return sdk::Status::unavailable("Twilio GET IncomingPhoneNumbers.json: 503");
        sdk::SetupCheck ok;
        ok.subject = route.number;
        ok.ok = true;
        return ok;
    }

    std::vector<sdk::SetupCheck> checkPublicEndpoints(const sdk::CarrierAccount& account) override
    {
        record({"endpoints", {}, {}, {}, {}, account.sid, account.authToken, false});
        std::lock_guard<std::mutex> lock(_mutex);
        return endpointChecks;
    }

    sdk::Result<std::string> placeCall(const sdk::OutboundCallRequest& request, const sdk::CarrierAccount& account) override
    {
        record({"place", {}, request.to, request.from, request.tenantId, account.sid, account.authToken, false});
        std::lock_guard<std::mutex> lock(_mutex);
        if (request.accountSid != account.sid) return sdk::Status::internal("request and account disagree");
        if (!nextPlace.isOk()) return nextPlace;
        return std::string(kPlacedSid);
    }

    std::vector<Made> made() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _made;
    }

    /// Only the calls of kind `what`.
    std::vector<Made> made(const std::string& what) const
    {
        std::vector<Made> out;
        for (const auto& m : made())
            if (m.what == what) out.push_back(m);
        return out;
    }

    void clear()
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _made.clear();
    }

    // Scripted answers (set before the request; read under the mutex).
    sdk::Status nextHangup;
    sdk::Status nextTransfer;
    sdk::Status nextConfigure;
    sdk::Status nextPlace;
    bool configureEveryAssignment = false; ///< like twilio's rest.configureNumbers
    std::vector<sdk::SetupCheck> numberProblems;
    std::string unreachableNumber;
    std::vector<sdk::SetupCheck> endpointChecks{{"voice webhook", true, {}, {}}, {"media stream", true, {}, {}}};

private:
    void record(Made m)
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _made.push_back(std::move(m));
    }

    sdk::Status next(const sdk::Status& scripted)
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return scripted;
    }

    mutable std::mutex _mutex;
    std::vector<Made> _made;
};

} // namespace patchbay::testing

#endif
