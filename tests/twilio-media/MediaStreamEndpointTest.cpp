// MediaStreamEndpointTest.cpp: upgrade and start checks — single use, expiry, tenant binding, the handshake signature.
#include "MediaStreamFixture.h"

using namespace mediatest;

class MediaStreamEndpointTest : public MediaStreamFixture
{
    CPPUNIT_TEST_SUITE(MediaStreamEndpointTest);
    CPPUNIT_TEST(replayedTokenIsRefused);
    CPPUNIT_TEST(racingConnectionsGetOneStart);
    CPPUNIT_TEST(tokenExpiringBeforeStartIsRefused);
    CPPUNIT_TEST(tenantParameterMustMatchToken);
    CPPUNIT_TEST(handshakeSignatureValidVariants);
    CPPUNIT_TEST(handshakeSignatureInvalidIs403WithOneLine);
    CPPUNIT_TEST(handshakeSignatureAbsentIsAllowedAndCounted);
    CPPUNIT_TEST(handshakeSignatureFindsAccountThroughTenantNumbers);
    CPPUNIT_TEST(handshakeSignatureUncheckableWhenStoreDown);
    CPPUNIT_TEST_SUITE_END();

public:
    // ---- single use and expiry ----

    void replayedTokenIsRefused()
    {
        const std::string sid = "CA00000000000000000000000000000001";
        const std::string token = admit(sid);
        const std::size_t first = connect(token);
        _host->deliverInboundText(first, startMessage(sid, token, "MZ1"));
        CPPUNIT_ASSERT(_host->fakeRouter().channel(sid));
        // The same token again, while the first stream runs and after it ended: refused at the upgrade.
        const std::size_t replay = connect(token);
        CPPUNIT_ASSERT(!_host->inbound(replay).handler);
        CPPUNIT_ASSERT_EQUAL(403, _host->inbound(replay).refuseStatus);
        _host->closeInbound(first, 1000, "");
        CPPUNIT_ASSERT_EQUAL(403, _host->inbound(connect(token)).refuseStatus);
        CPPUNIT_ASSERT(_host->recordingLogger().contains("already used"));
        CPPUNIT_ASSERT_EQUAL(2.0, metric("patchbay_twilio_stream_tokens_replayed_total"));
        // Another call's token is not affected.
        const std::string other = "CA00000000000000000000000000000002";
        const std::string otherToken = admit(other);
        CPPUNIT_ASSERT(_host->inbound(connect(otherToken)).handler);
    }

    void racingConnectionsGetOneStart()
    {
        const std::string sid = "CA00000000000000000000000000000003";
        const std::string token = admit(sid);
        const std::size_t a = connect(token), b = connect(token); // both upgraded before either started
        _host->deliverInboundText(a, startMessage(sid, token, "MZa"));
        _host->deliverInboundText(b, startMessage(sid, token, "MZb"));
        CPPUNIT_ASSERT(!_host->inbound(a).connection->closeRequested());
        CPPUNIT_ASSERT(_host->inbound(b).connection->closeRequested());
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(1008), _host->inbound(b).connection->closeCode());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _host->fakeRouter().attachments().size());
        CPPUNIT_ASSERT(_host->recordingLogger().contains("already used"));
    }

    void tokenExpiringBeforeStartIsRefused()
    {
        _config.startTimeoutMs = 60000;
        makeEndpoint();
        const std::string sid = "CA00000000000000000000000000000004";
        const std::string token = admit(sid); // valid for 120 s
        _host->setNowUnixMs(kStartMs + 119'000);
        const std::size_t i = connect(token);
        CPPUNIT_ASSERT(_host->inbound(i).handler);
        _host->advanceTime(2000);
        _host->deliverInboundText(i, startMessage(sid, token, "MZ1"));
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(1008), _host->inbound(i).connection->closeCode());
        CPPUNIT_ASSERT(_host->recordingLogger().contains("stream token expired"));
        CPPUNIT_ASSERT(_host->fakeRouter().attachments().empty());
        // And at the upgrade.
        CPPUNIT_ASSERT_EQUAL(403, _host->inbound(connect(token)).refuseStatus);
    }

    void tenantParameterMustMatchToken()
    {
        const std::string sid = "CA00000000000000000000000000000005";
        const std::string token = admit(sid);
        const std::size_t i = connect(token);
        _host->deliverInboundText(i, startMessage(sid, token, "MZ1", "someone-else"));
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(1008), _host->inbound(i).connection->closeCode());
        CPPUNIT_ASSERT(_host->fakeRouter().attachments().empty());
    }

    // ---- handshake signature ----

    void handshakeSignatureValidVariants()
    {
        sdk::CarrierAccount rotating;
        rotating.sid = kAccount;
        rotating.authToken = "new-primary-token-000000000000000";
        rotating.secondaryToken = kAuthToken;
        const std::string base = "wss://gw.example.test/twilio/media/";
        for (int variant = 0; variant < 4; ++variant)
        {
            const std::string sid = "CA0000000000000000000000000000001" + std::to_string(variant);
            const std::string token = admit(sid);
            std::string url = base + token;
            if (variant == 1) url = "wss://gw.example.test:443/twilio/media/" + token; // default port
            if (variant == 2) url += "/";                                             // trailing slash
            if (variant == 3) _host->fakeTenantStore().addAccount(rotating);           // secondary token
            const std::size_t i = connect(token, sign(url, kAuthToken));
            CPPUNIT_ASSERT_MESSAGE("variant " + std::to_string(variant), _host->inbound(i).handler != nullptr);
        }
        // A second public name of the gateway.
        _config.alternatePublicUrls = {"https://voice.example.test"};
        makeEndpoint();
        const std::string sid = "CA00000000000000000000000000000020";
        const std::string token = admit(sid);
        CPPUNIT_ASSERT(_host->inbound(connect(token, sign("wss://voice.example.test/twilio/media/" + token, kAuthToken))).handler);
        CPPUNIT_ASSERT_EQUAL(5.0, metric("patchbay_twilio_stream_handshake_signatures_total", {{"result", "valid"}}));
    }

    void handshakeSignatureInvalidIs403WithOneLine()
    {
        const std::string sid = "CA00000000000000000000000000000021";
        const std::string token = admit(sid);
        const std::size_t before = _host->recordingLogger().lines().size();
        // Signed with another token; then signed for another URL (the http form, a query).
        const std::size_t i = connect(token, sign("wss://gw.example.test/twilio/media/" + token, "wrong-token-000000000000000000"));
        CPPUNIT_ASSERT(!_host->inbound(i).handler);
        CPPUNIT_ASSERT_EQUAL(403, _host->inbound(i).refuseStatus);
        const auto lines = _host->recordingLogger().lines();
        CPPUNIT_ASSERT_EQUAL(before + 1, lines.size());
        const std::string& line = lines.back().message;
        CPPUNIT_ASSERT(line.find("403") != std::string::npos && line.find("X-Twilio-Signature invalid") != std::string::npos);
        CPPUNIT_ASSERT(line.find(kAccount) != std::string::npos);
        CPPUNIT_ASSERT(line.find("wss://gw.example.test/twilio/media/") != std::string::npos);
        CPPUNIT_ASSERT(line.find(kAuthToken) == std::string::npos && line.find(kSecret) == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(sid, lines.back().callSid);
        CPPUNIT_ASSERT_EQUAL(403, _host->inbound(connect(token, sign("https://gw.example.test/twilio/media/" + token, kAuthToken))).refuseStatus);
        CPPUNIT_ASSERT_EQUAL(403, _host->inbound(connect(token, "garbage")).refuseStatus);
        CPPUNIT_ASSERT_EQUAL(3.0, metric("patchbay_twilio_stream_handshake_signatures_total", {{"result", "invalid"}}));
        // Refusal at the upgrade consumes nothing: Twilio's real connection still gets in.
        CPPUNIT_ASSERT(_host->inbound(connect(token, sign("wss://gw.example.test/twilio/media/" + token, kAuthToken))).handler);
    }

    void handshakeSignatureAbsentIsAllowedAndCounted()
    {
        const std::size_t i = started("CA00000000000000000000000000000022", "MZ1");
        CPPUNIT_ASSERT(_host->inbound(i).handler);
        started("CA00000000000000000000000000000023", "MZ2");
        CPPUNIT_ASSERT_EQUAL(2.0, metric("patchbay_twilio_stream_handshake_signatures_total", {{"result", "absent"}}));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _host->recordingLogger().count("without X-Twilio-Signature")); // noted once
    }

    void handshakeSignatureFindsAccountThroughTenantNumbers()
    {
        // No call record (another node admitted it, or the record is late): the tenant's numbers name the account.
        sdk::CarrierAccount sub;
        sub.sid = "AC00000000000000000000000000000002";
        sub.authToken = "subaccount-token-0000000000000000";
        _host->fakeTenantStore().addAccount(sub);
        _host->fakeTenantStore().addNumber("+15005550006", kTenant, kAccount);
        _host->fakeTenantStore().addNumber("+15005550007", kTenant, sub.sid);
        _host->fakeTenantStore().addNumber("+15005550008", "other-tenant", "AC00000000000000000000000000000009");
        const std::string sid = "CA00000000000000000000000000000024";
        const std::string token = admit(sid, false);
        const std::string url = "wss://gw.example.test/twilio/media/" + token;
        CPPUNIT_ASSERT(_host->inbound(connect(token, sign(url, sub.authToken))).handler);
        CPPUNIT_ASSERT(_host->inbound(connect(token, sign(url, kAuthToken))).handler);
        CPPUNIT_ASSERT_EQUAL(403, _host->inbound(connect(token, sign(url, "not-a-token-of-this-tenant-00000"))).refuseStatus);
    }

    void handshakeSignatureUncheckableWhenStoreDown()
    {
        const std::string sid = "CA00000000000000000000000000000025";
        const std::string token = admit(sid);
        _host->fakeTenantStore().setUnavailable(true);
        const std::size_t i = connect(token, sign("wss://gw.example.test/twilio/media/" + token, "whatever-0000000000000000000000"));
        CPPUNIT_ASSERT(_host->inbound(i).handler); // the token authenticated it; a store hiccup must not drop the call
        CPPUNIT_ASSERT_EQUAL(1.0, metric("patchbay_twilio_stream_handshake_signatures_total", {{"result", "unchecked"}}));
        CPPUNIT_ASSERT(_host->recordingLogger().contains(sdk::LogLevel::Warn, "signature unchecked"));
    }

};

CPPUNIT_TEST_SUITE_REGISTRATION(MediaStreamEndpointTest);
