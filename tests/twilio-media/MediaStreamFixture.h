// MediaStreamFixture.h: the twilio media endpoint on the SDK fake host, with helpers that play Twilio and the core.
#ifndef PATCHBAY_TESTS_TWILIO_MEDIA_FIXTURE_H
#define PATCHBAY_TESTS_TWILIO_MEDIA_FIXTURE_H

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <patchbay/sdk/support/Base64.h>
#include <patchbay/sdk/testing/FakeHostServices.h>

#include <protocol/StreamToken.h>

#include "MediaStreamEndpoint.h"
#include "MediaStreamSession.h"

namespace mediatest {

using namespace patchbay;
using patchbay::sdk::testing::FakeHostServices;
using patchbay::twilio::MediaStreamEndpoint;
using patchbay::twilio::MediaStreamSession;

constexpr const char* kAccount = "AC00000000000000000000000000000001";
constexpr const char* kAuthToken = "0123456789abcdef0123456789abcdef";
constexpr const char* kTenant = "tenant-1";
inline const std::string kSecret(40, 's');
constexpr std::int64_t kStartMs = 1'700'000'000'000;

/// Twilio's handshake signature: HMAC-SHA1 over the URL alone, base64 (twilio.md §3, §4).
inline std::string sign(const std::string& url, const std::string& token)
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha1(), token.data(), static_cast<int>(token.size()), reinterpret_cast<const unsigned char*>(url.data()),
         url.size(), mac, &len);
    return sdk::support::Base64::encode(std::string_view(reinterpret_cast<const char*>(mac), len));
}

inline std::string mediaIn(const std::string& streamSid, int seq, const std::string& payload = "//7+/n5+")
{
    return R"({"event":"media","sequenceNumber":")" + std::to_string(seq) + R"(","streamSid":")" + streamSid +
           R"(","media":{"track":"inbound","chunk":"1","timestamp":"20","payload":")" + payload + R"("}})";
}

inline std::string markIn(const std::string& streamSid, const std::string& name)
{
    return R"({"event":"mark","sequenceNumber":"9","streamSid":")" + streamSid + R"(","mark":{"name":")" + name + R"("}})";
}

inline std::string mediaOut(const std::string& streamSid, const std::string& payload)
{
    return R"({"event":"media","streamSid":")" + streamSid + R"(","media":{"payload":")" + payload + R"("}})";
}

inline std::string markOut(const std::string& streamSid, const std::string& name)
{
    return R"({"event":"mark","streamSid":")" + streamSid + R"(","mark":{"name":")" + name + R"("}})";
}

/// Base of the suites here: a fresh fake host, one account, the endpoint registered at /twilio/media/.
class MediaStreamFixture : public CppUnit::TestFixture
{
public:
    void setUp() override
    {
        _host = std::make_unique<FakeHostServices>("twilio");
        _host->setTenantStore(&_host->fakeTenantStore());
        _host->setNowUnixMs(kStartMs);
        sdk::CarrierAccount account;
        account.sid = kAccount;
        account.authToken = kAuthToken;
        _host->fakeTenantStore().addAccount(account);
        _config.publicUrl = "https://gw.example.test";
        _config.streamTokenSecret = kSecret;
        _config.startTimeoutMs = 5000;
        makeEndpoint();
    }

    void tearDown() override
    {
        _host.reset();
        _endpoint.reset();
    }

    void makeEndpoint()
    {
        if (_endpoint) _host->removeWebSocketEndpoint("/twilio/media/");
        _endpoint = std::make_shared<MediaStreamEndpoint>(_config, *_host, _activeLegs);
        CPPUNIT_ASSERT(_host->addWebSocketEndpoint("/twilio/media/", _endpoint).isOk());
    }

    /// What the voice webhook does for an admitted call: admission by the core, record with the
    /// account, a token. @return the token.
    std::string admit(const std::string& callSid, bool saveRecord = true)
    {
        sdk::CallInfo call;
        call.callSid = callSid;
        call.accountSid = kAccount;
        call.to = "+15005550006";
        _host->fakeRouter().admit(call);
        if (saveRecord)
        {
            sdk::CallRecord record;
            record.call = call;
            record.call.tenantId = kTenant;
            record.status = "answered";
            _host->fakeTenantStore().saveCall(record);
        }
        return twilio::StreamToken::issue(kTenant, callSid, _host->nowUnixMs() / 1000 + 120, kSecret);
    }

    std::size_t connect(const std::string& token, const std::string& signature = "")
    {
        sdk::HttpHeaders headers;
        if (!signature.empty()) headers.emplace_back("x-twilio-signature", signature);
        return _host->acceptInbound("/twilio/media/" + token, headers);
    }

    std::string startMessage(const std::string& callSid, const std::string& token, const std::string& streamSid,
                             const std::string& tenant = kTenant)
    {
        return R"({"event":"start","sequenceNumber":"1","streamSid":")" + streamSid + R"(","start":{"streamSid":")" + streamSid +
               R"(","accountSid":")" + kAccount + R"(","callSid":")" + callSid +
               R"(","tracks":["inbound"],"customParameters":{"tenant":")" + tenant + R"(","callToken":")" + token +
               R"("},"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}}})";
    }

    /// Admit, upgrade, connected + start. @return the socket index.
    std::size_t started(const std::string& callSid, const std::string& streamSid)
    {
        const std::string token = admit(callSid);
        const std::size_t i = connect(token);
        CPPUNIT_ASSERT_MESSAGE("upgrade refused", _host->inbound(i).handler != nullptr);
        _host->deliverInboundText(i, R"({"event":"connected","protocol":"Call","version":"1.0.0"})");
        _host->deliverInboundText(i, startMessage(callSid, token, streamSid));
        CPPUNIT_ASSERT_MESSAGE("start refused", !_host->inbound(i).connection->closeRequested());
        return i;
    }

    sdk::InboundLeg* leg(const std::string& callSid)
    {
        for (const auto& a : _host->fakeRouter().attachments())
            if (a.callSid == callSid) return a.leg;
        CPPUNIT_FAIL("not attached: " + callSid);
        return nullptr;
    }

    std::shared_ptr<MediaStreamSession> session(std::size_t i)
    {
        return std::dynamic_pointer_cast<MediaStreamSession>(_host->inbound(i).handler);
    }

    double metric(const std::string& name, const sdk::MetricLabels& labels = {})
    {
        return _host->fakeMetrics().counterValue(name, labels);
    }

    static sdk::AudioFrame frame(std::string_view base64)
    {
        sdk::AudioFrame f;
        f.payload = base64;
        return f;
    }

    const std::vector<std::string>& sent(std::size_t i) { return _host->inbound(i).connection->sentTexts(); }

protected:
    std::unique_ptr<FakeHostServices> _host;
    twilio::TwilioConfig _config;
    std::atomic<std::size_t> _activeLegs{0};
    std::shared_ptr<MediaStreamEndpoint> _endpoint;
};

} // namespace mediatest

#endif
