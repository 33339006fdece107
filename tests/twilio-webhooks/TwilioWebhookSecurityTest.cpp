// TwilioWebhookSecurityTest.cpp: X-Twilio-Signature on every webhook over real loopback HTTP — tokens, URLs, proxies, refusals and their log lines.
#include <cppunit/extensions/HelperMacros.h>

#include <patchbay/sdk/support/Hex.h>

#include <openssl/evp.h>

#include "WebhookTestHost.h"

using namespace patchbay;
using namespace patchbay::twilio::test;

namespace {

const std::vector<std::string> kWebhookPaths = {"/twilio/voice", "/twilio/status", "/twilio/stream-status",
                                                "/twilio/connect-action"};

/// Parameters each webhook needs to get past its own checks once the signature holds.
Params paramsFor(const std::string& path, const std::string& callSid, const std::string& account = kAccount)
{
    if (path == "/twilio/voice") return WebhookTestHost::voiceParams(callSid, kNumber, account);
    if (path == "/twilio/status")
        return {{"AccountSid", account}, {"CallSid", callSid}, {"CallStatus", "completed"}, {"SequenceNumber", "0"}};
    if (path == "/twilio/stream-status")
        return {{"AccountSid", account}, {"CallSid", callSid}, {"StreamEvent", "stream-started"}, {"StreamSid", "MZ1"}};
    return {{"AccountSid", account}, {"CallSid", callSid}};
}

std::string sha256Hex(const std::string& data)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
    return sdk::support::Hex::encode(std::string_view(reinterpret_cast<const char*>(digest), len));
}

} // namespace

class TwilioWebhookSecurityTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TwilioWebhookSecurityTest);
    CPPUNIT_TEST(everyWebhookRequiresAValidSignature);
    CPPUNIT_TEST(forgedReplayedAndTamperedAreRefused);
    CPPUNIT_TEST(subaccountSignsWithItsOwnTokenAndCrossTenantIsRefused);
    CPPUNIT_TEST(secondaryTokenIsAcceptedDuringRotation);
    CPPUNIT_TEST(unknownAccountIs403LoggedAsSuch);
    CPPUNIT_TEST(missingHeaderNamesTheCause);
    CPPUNIT_TEST(defaultPortAndAlternatePublicUrls);
    CPPUNIT_TEST(getVariantSignsTheQuery);
    CPPUNIT_TEST(jsonBodySha256Variant);
    CPPUNIT_TEST(trustedProxyHeadersAddACandidate);
    CPPUNIT_TEST(untrustedProxyHeadersAreIgnoredAndDiagnosed);
    CPPUNIT_TEST(hostHeaderMismatchSaysSetPublicUrl);
    CPPUNIT_TEST(wrongTokenDiagnosisAndNoSecretsLogged);
    CPPUNIT_TEST(malformedAndOversizedBodies);
    CPPUNIT_TEST(developmentModeWarnsOnEveryRequest);
    CPPUNIT_TEST(trustedProxiesConfigErrors);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { _host = std::make_unique<WebhookTestHost>(); }
    void tearDown() override { _host.reset(); }

    void start(const std::string& extra = "")
    {
        sdk::Status st = _host->start(extra);
        CPPUNIT_ASSERT_MESSAGE(st.toString(), st.isOk());
    }

    void everyWebhookRequiresAValidSignature()
    {
        start();
        int n = 0;
        for (const std::string& path : kWebhookPaths)
        {
            const std::string sid = "CA0000000000000000000000000000010" + std::to_string(n++);
            const Params p = paramsFor(path, sid);
            HttpResult ok = _host->postSigned(path, p);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path + ": " + ok.body, 200, ok.status);
            CPPUNIT_ASSERT_MESSAGE(path, ok.contentType.find("xml") != std::string::npos);
            HttpResult unsigned_ = _host->postSigned(path, p, "");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, 403, unsigned_.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, std::string("forbidden\n"), unsigned_.body); // no detail
            HttpResult forged = _host->postSigned(path, p, "not-the-token-of-this-account-000");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, 403, forged.status);
            CPPUNIT_ASSERT_EQUAL(std::string("forbidden\n"), forged.body);
        }
        CPPUNIT_ASSERT_EQUAL(2.0, _host->metric("patchbay_twilio_webhooks_total{endpoint=\"connect-action\",result=\"forbidden\"}"));
    }

    void forgedReplayedAndTamperedAreRefused()
    {
        start();
        Params p = WebhookTestHost::voiceParams("CA00000000000000000000000000000201");
        const std::string good = twilioSignature(std::string(kPublicUrl) + "/twilio/voice", p, kToken);
        // Replayed: a genuine signature for another of our webhooks, and for another gateway.
        for (const std::string& url : {std::string(kPublicUrl) + "/twilio/status", std::string("https://other.example/twilio/voice"),
                                       std::string(kPublicUrl) + "/twilio/voice?x=1", std::string(kPublicUrl) + "/twilio/voice/"})
        {
            HttpResult r = _host->post("/twilio/voice", formEncode(p), "application/x-www-form-urlencoded",
                                       {{"X-Twilio-Signature", twilioSignature(url, p, kToken)}});
            CPPUNIT_ASSERT_EQUAL_MESSAGE(url, 403, r.status);
        }
        // Tampered value, extra parameter, dropped parameter.
        Params tampered = p;
        tampered[9].second = "+19999999999"; // To
        Params extra = p;
        extra.emplace_back("Injected", "1");
        Params dropped(p.begin(), p.end() - 1);
        for (const Params* q : {&tampered, &extra, &dropped})
            CPPUNIT_ASSERT_EQUAL(403, _host->post("/twilio/voice", formEncode(*q), "application/x-www-form-urlencoded",
                                                  {{"X-Twilio-Signature", good}})
                                          .status);
        // The genuine one still passes, and nothing refused reached the core.
        CPPUNIT_ASSERT_EQUAL(200, _host->post("/twilio/voice", formEncode(p), "application/x-www-form-urlencoded",
                                              {{"X-Twilio-Signature", good}})
                                      .status);
        CPPUNIT_ASSERT_EQUAL(1.0, _host->metric("patchbay_admissions_total{outcome=\"accepted\"}"));
        CPPUNIT_ASSERT_EQUAL(1.0, _host->metric("patchbay_twilio_webhooks_total{endpoint=\"voice\",result=\"accepted\"}"));
        CPPUNIT_ASSERT_EQUAL(7.0, _host->metric("patchbay_twilio_webhooks_total{endpoint=\"voice\",result=\"forbidden\"}"));
    }

    void subaccountSignsWithItsOwnTokenAndCrossTenantIsRefused()
    {
        start();
        const Params sub = WebhookTestHost::voiceParams("CA00000000000000000000000000000301", kSubNumber, kSubaccount);
        HttpResult r = _host->postSigned("/twilio/voice", sub, kSubToken);
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT(r.body.find("<Parameter name=\"tenant\" value=\"sub\"/>") != std::string::npos);
        // The parent's token does not sign for the subaccount (Twilio signs with the subaccount's).
        CPPUNIT_ASSERT_EQUAL(403, _host->postSigned("/twilio/voice", sub, kToken).status);
        // Account A's token on a request naming account B: validated with B's token, so refused,
        // on every webhook.
        int n = 0;
        for (const std::string& path : kWebhookPaths)
        {
            const Params cross = paramsFor(path, "CA0000000000000000000000000000031" + std::to_string(n++), kSubaccount);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, 403, _host->postSigned(path, cross, kToken).status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, 403, _host->postSigned(path, cross, kRotatingPrimary).status);
        }
        CPPUNIT_ASSERT(_host->pluginLog().contains(std::string("account ") + kSubaccount));
    }

    void secondaryTokenIsAcceptedDuringRotation()
    {
        start();
        const Params p = WebhookTestHost::voiceParams("CA00000000000000000000000000000401", kRotNumber, kRotating);
        CPPUNIT_ASSERT_EQUAL(200, _host->postSigned("/twilio/voice", p, kRotatingPrimary).status);
        const Params q = WebhookTestHost::voiceParams("CA00000000000000000000000000000402", kRotNumber, kRotating);
        CPPUNIT_ASSERT_EQUAL(200, _host->postSigned("/twilio/voice", q, kRotatingSecondary).status);
        const Params s = paramsFor("/twilio/status", "CA00000000000000000000000000000402", kRotating);
        CPPUNIT_ASSERT_EQUAL(200, _host->postSigned("/twilio/status", s, kRotatingSecondary).status);
        CPPUNIT_ASSERT(_host->pluginLog().contains("secondary auth token"));
        // Neither token of another account works.
        CPPUNIT_ASSERT_EQUAL(403, _host->postSigned("/twilio/voice", q, kSubToken).status);
        CPPUNIT_ASSERT(_host->pluginLog().contains("primary and secondary tokens tried"));
    }

    void unknownAccountIs403LoggedAsSuch()
    {
        start();
        const std::string stranger = "AC99999999999999999999999999999999";
        for (const std::string& path : kWebhookPaths)
        {
            const Params p = paramsFor(path, "CA00000000000000000000000000000501", stranger);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, 403, _host->postSigned(path, p, kToken).status);
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), _host->pluginLog().count("unknown AccountSid " + stranger));
        CPPUNIT_ASSERT_EQUAL(0.0, _host->metric("patchbay_admissions_total{outcome=\"accepted\"}"));
    }

    void missingHeaderNamesTheCause()
    {
        start();
        _host->pluginLog().clear();
        CPPUNIT_ASSERT_EQUAL(403, _host->postSigned("/twilio/status", paramsFor("/twilio/status", "CA1"), "").status);
        const auto lines = _host->pluginLog().lines();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), lines.size()); // exactly one line per refusal
        const std::string& line = lines[0].message;
        CPPUNIT_ASSERT(line.find("no X-Twilio-Signature header") != std::string::npos);
        CPPUNIT_ASSERT(line.find(kAccount) != std::string::npos);
        CPPUNIT_ASSERT(line.find("https://gw.example.test/twilio/status") != std::string::npos);
        CPPUNIT_ASSERT(line.find("https://gw.example.test:443/twilio/status") != std::string::npos);
    }

    void defaultPortAndAlternatePublicUrls()
    {
        start(R"(,"alternatePublicUrls":["https://gw2.example.test","http://lb.example.test:8080/prefix"])");
        const std::string path = "/twilio/voice";
        int n = 0;
        auto postSignedFor = [&](const std::string& url, const std::string& token = kToken) {
            const Params p = WebhookTestHost::voiceParams("CA0000000000000000000000000000060" + std::to_string(n++));
            return _host->post(path, formEncode(p), "application/x-www-form-urlencoded",
                               {{"X-Twilio-Signature", twilioSignature(url, p, token)}})
                .status;
        };
        CPPUNIT_ASSERT_EQUAL(200, postSignedFor("https://gw.example.test/twilio/voice"));
        CPPUNIT_ASSERT_EQUAL(200, postSignedFor("https://gw.example.test:443/twilio/voice"));
        CPPUNIT_ASSERT_EQUAL(200, postSignedFor("https://gw2.example.test/twilio/voice"));
        CPPUNIT_ASSERT_EQUAL(200, postSignedFor("https://gw2.example.test:443/twilio/voice"));
        CPPUNIT_ASSERT_EQUAL(200, postSignedFor("http://lb.example.test:8080/prefix/twilio/voice"));
        CPPUNIT_ASSERT_EQUAL(200, postSignedFor("http://lb.example.test/prefix/twilio/voice")); // SDKs drop any port
        CPPUNIT_ASSERT_EQUAL(403, postSignedFor("https://gw3.example.test/twilio/voice"));
        CPPUNIT_ASSERT_EQUAL(403, postSignedFor("http://gw.example.test/twilio/voice")); // scheme is signed
    }

    void getVariantSignsTheQuery()
    {
        start();
        const Params p = WebhookTestHost::voiceParams("CA00000000000000000000000000000701");
        const std::string query = formEncode(p);
        const std::string url = std::string(kPublicUrl) + "/twilio/voice?" + query;
        HttpResult r = _host->get("/twilio/voice?" + query, {{"X-Twilio-Signature", twilioSignature(url, {}, kToken)}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        CPPUNIT_ASSERT(r.body.find("<Connect") != std::string::npos);
        // Query parameters are in the signed URL, not signed a second time as parameters.
        CPPUNIT_ASSERT_EQUAL(403, _host->get("/twilio/voice?" + query, {{"X-Twilio-Signature", twilioSignature(url, p, kToken)}}).status);
        // A changed query breaks it.
        CPPUNIT_ASSERT_EQUAL(403, _host->get("/twilio/voice?" + query + "&x=1", {{"X-Twilio-Signature", twilioSignature(url, {}, kToken)}}).status);
        // GET status callbacks too.
        const Params s = paramsFor("/twilio/status", "CA00000000000000000000000000000701");
        const std::string sq = formEncode(s);
        CPPUNIT_ASSERT_EQUAL(200, _host->get("/twilio/status?" + sq,
                                             {{"X-Twilio-Signature",
                                               twilioSignature(std::string(kPublicUrl) + "/twilio/status?" + sq, {}, kToken)}})
                                      .status);
    }

    void jsonBodySha256Variant()
    {
        start();
        const std::string body = std::string(R"({"AccountSid":")") + kAccount +
                                 R"(","CallSid":"CA00000000000000000000000000000801","StreamEvent":"stream-started","n":1})";
        const std::string query = "bodySHA256=" + sha256Hex(body);
        const std::string url = std::string(kPublicUrl) + "/twilio/stream-status?" + query;
        const std::string signature = twilioSignature(url, {}, kToken);
        HttpResult r = _host->post("/twilio/stream-status?" + query, body, "application/json", {{"X-Twilio-Signature", signature}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        CPPUNIT_ASSERT(_host->pluginLog().contains("unknown CallSid")); // parsed from the JSON body
        // Altered body: the URL signature holds, the hash does not.
        std::string altered = body;
        altered.replace(altered.find("stream-started"), 14, "stream-stopped");
        _host->pluginLog().clear();
        CPPUNIT_ASSERT_EQUAL(403, _host->post("/twilio/stream-status?" + query, altered, "application/json",
                                              {{"X-Twilio-Signature", signature}})
                                      .status);
        CPPUNIT_ASSERT(_host->pluginLog().contains("does not match its bodySHA256"));
        // JSON without bodySHA256 is not a Twilio request.
        CPPUNIT_ASSERT_EQUAL(400, _host->post("/twilio/stream-status", body, "application/json",
                                              {{"X-Twilio-Signature", twilioSignature(std::string(kPublicUrl) + "/twilio/stream-status", {}, kToken)}})
                                      .status);
        // JSON members are never signed as parameters.
        const Params members = {{"AccountSid", kAccount}, {"CallSid", "CA00000000000000000000000000000801"}};
        CPPUNIT_ASSERT_EQUAL(403, _host->post("/twilio/stream-status?" + query, body, "application/json",
                                              {{"X-Twilio-Signature", twilioSignature(url, members, kToken)}})
                                      .status);
    }

    void trustedProxyHeadersAddACandidate()
    {
        // The loopback client is 127.0.0.1, inside 127.0.0.0/8.
        start(R"(,"trustedProxies":["10.0.0.0/8","127.0.0.0/8","::1"])");
        const Params p = WebhookTestHost::voiceParams("CA00000000000000000000000000000901");
        const std::string signature = twilioSignature("https://edge.example.test/twilio/voice", p, kToken);
        HttpResult r = _host->post("/twilio/voice", formEncode(p), "application/x-www-form-urlencoded",
                                   {{"X-Twilio-Signature", signature},
                                    {"X-Forwarded-Proto", "https, http"},
                                    {"X-Forwarded-Host", "edge.example.test, inner.local"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        // The forwarded URL is one more candidate: publicUrl still works through the same proxy.
        const Params q = WebhookTestHost::voiceParams("CA00000000000000000000000000000902");
        CPPUNIT_ASSERT_EQUAL(200, _host->postSigned("/twilio/voice", q, kToken,
                                                    {{"X-Forwarded-Proto", "https"}, {"X-Forwarded-Host", "edge.example.test"}})
                                      .status);
        // Only X-Forwarded-Proto: the host comes from the Host header.
        const Params s = WebhookTestHost::voiceParams("CA00000000000000000000000000000903");
        CPPUNIT_ASSERT_EQUAL(200, _host->post("/twilio/voice", formEncode(s), "application/x-www-form-urlencoded",
                                              {{"X-Twilio-Signature", twilioSignature("https://front.example.test/twilio/voice", s, kToken)},
                                               {"X-Forwarded-Proto", "https"},
                                               {"Host", "front.example.test"}})
                                      .status);
        // Garbage in a trusted header builds no URL.
        const Params g = WebhookTestHost::voiceParams("CA00000000000000000000000000000904");
        CPPUNIT_ASSERT_EQUAL(403, _host->post("/twilio/voice", formEncode(g), "application/x-www-form-urlencoded",
                                              {{"X-Twilio-Signature", twilioSignature("https://evil/x@edge/twilio/voice", g, kToken)},
                                               {"X-Forwarded-Host", "evil/x@edge"}})
                                      .status);
    }

    void untrustedProxyHeadersAreIgnoredAndDiagnosed()
    {
        start(R"(,"trustedProxies":["10.0.0.0/8","192.168.1.7"])");
        const Params p = WebhookTestHost::voiceParams("CA00000000000000000000000000001001");
        _host->pluginLog().clear();
        HttpResult r = _host->post("/twilio/voice", formEncode(p), "application/x-www-form-urlencoded",
                                   {{"X-Twilio-Signature", twilioSignature("https://edge.example.test/twilio/voice", p, kToken)},
                                    {"X-Forwarded-Proto", "https"},
                                    {"X-Forwarded-Host", "edge.example.test"}});
        CPPUNIT_ASSERT_EQUAL(403, r.status);
        CPPUNIT_ASSERT_EQUAL(0.0, _host->metric("patchbay_admissions_total{outcome=\"accepted\"}"));
        const std::string dump = _host->pluginLog().dump();
        CPPUNIT_ASSERT_MESSAGE(dump, _host->pluginLog().contains("URL mismatch"));
        CPPUNIT_ASSERT_MESSAGE(dump, _host->pluginLog().contains("set publicUrl to https://edge.example.test"));
        CPPUNIT_ASSERT_MESSAGE(dump, _host->pluginLog().contains("add the proxy 127.0.0.1 to trustedProxies"));
        // The refused line names what was validated: publicUrl variants, not the forwarded URL.
        CPPUNIT_ASSERT_MESSAGE(dump, _host->pluginLog().contains("validated URL(s): https://gw.example.test/twilio/voice, "
                                                                 "https://gw.example.test:443/twilio/voice;"));
        // No trustedProxies at all: the same.
        WebhookTestHost plain;
        CPPUNIT_ASSERT(plain.start().isOk());
        CPPUNIT_ASSERT_EQUAL(403, plain.post("/twilio/voice", formEncode(p), "application/x-www-form-urlencoded",
                                             {{"X-Twilio-Signature", twilioSignature("https://edge.example.test/twilio/voice", p, kToken)},
                                              {"X-Forwarded-Proto", "https"},
                                              {"X-Forwarded-Host", "edge.example.test"}})
                                      .status);
    }

    void hostHeaderMismatchSaysSetPublicUrl()
    {
        start();
        const Params p = WebhookTestHost::voiceParams("CA00000000000000000000000000001101");
        _host->pluginLog().clear();
        HttpResult r = _host->post("/twilio/voice", formEncode(p), "application/x-www-form-urlencoded",
                                   {{"X-Twilio-Signature", twilioSignature("https://calls.acme.test/twilio/voice", p, kToken)},
                                    {"Host", "calls.acme.test"}});
        CPPUNIT_ASSERT_EQUAL(403, r.status);
        const auto lines = _host->pluginLog().lines();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(_host->pluginLog().dump(), std::size_t(1), lines.size());
        CPPUNIT_ASSERT(lines[0].message.find("URL mismatch") != std::string::npos);
        CPPUNIT_ASSERT(lines[0].message.find("set publicUrl to https://calls.acme.test") != std::string::npos);
        CPPUNIT_ASSERT(lines[0].message.find("trustedProxies") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("CA00000000000000000000000000001101"), lines[0].callSid);
    }

    void wrongTokenDiagnosisAndNoSecretsLogged()
    {
        start();
        const Params p = WebhookTestHost::voiceParams("CA00000000000000000000000000001201");
        _host->pluginLog().clear();
        CPPUNIT_ASSERT_EQUAL(403, _host->postSigned("/twilio/voice", p, "stale-token-from-before-rotation0").status);
        const auto lines = _host->pluginLog().lines();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), lines.size());
        CPPUNIT_ASSERT(lines[0].message.find("wrong auth token for the account (primary token tried)") != std::string::npos);
        CPPUNIT_ASSERT(lines[0].message.find(kAccount) != std::string::npos);
        // Secrets never appear, whatever happened.
        const Params r = WebhookTestHost::voiceParams("CA00000000000000000000000000001202", kRotNumber, kRotating);
        _host->postSigned("/twilio/voice", r, "x");
        _host->postSigned("/twilio/voice", r, kRotatingSecondary);
        const std::string all = _host->pluginLog().dump() + _host->coreLog().dump();
        for (const char* secret : {kToken, kSubToken, kRotatingPrimary, kRotatingSecondary})
            CPPUNIT_ASSERT_MESSAGE(secret, all.find(secret) == std::string::npos);
        CPPUNIT_ASSERT(all.find(std::string(40, 's')) == std::string::npos); // streamTokenSecret
        // Basic-auth credentials in a configured base URL: Twilio signs without them, logs never show them.
        WebhookTestHost withCredentials;
        CPPUNIT_ASSERT(withCredentials.start(R"(,"alternatePublicUrls":["https://twilio:hunter2@gw2.example.test"])").isOk());
        const Params c = WebhookTestHost::voiceParams("CA00000000000000000000000000001203");
        CPPUNIT_ASSERT_EQUAL(200, withCredentials.post("/twilio/voice", formEncode(c), "application/x-www-form-urlencoded",
                                                       {{"X-Twilio-Signature", twilioSignature("https://gw2.example.test/twilio/voice", c, kToken)}})
                                      .status);
        CPPUNIT_ASSERT_EQUAL(403, withCredentials.postSigned("/twilio/voice", c, "wrong-token-wrong-token-wrong-tok").status);
        CPPUNIT_ASSERT(withCredentials.pluginLog().contains("https://gw2.example.test:443/twilio/voice"));
        CPPUNIT_ASSERT(withCredentials.pluginLog().dump().find("hunter2") == std::string::npos);
    }

    void malformedAndOversizedBodies()
    {
        start();
        const std::string path = "/twilio/voice";
        const std::string sig = twilioSignature(std::string(kPublicUrl) + path, WebhookTestHost::voiceParams("CA1"), kToken);
        const std::vector<std::pair<std::string, std::string>> h = {{"X-Twilio-Signature", sig}};
        const std::string form = "application/x-www-form-urlencoded";
        CPPUNIT_ASSERT_EQUAL(400, _host->post(path, "CallSid=%ZZ&To=%", form, h).status);            // bad escapes
        CPPUNIT_ASSERT_EQUAL(400, _host->post(path, std::string("To=\xff\xfe", 5), form, h).status);  // not UTF-8
        CPPUNIT_ASSERT_EQUAL(400, _host->post(path, "CallSid=CA1&To=%2B1", form, h).status);         // no AccountSid
        CPPUNIT_ASSERT_EQUAL(400, _host->post(path, "AccountSid=AC%0Aforged+line", form, h).status); // not a SID
        CPPUNIT_ASSERT_EQUAL(400, _host->post(path, formEncode(WebhookTestHost::voiceParams("CA1")), "text/plain", h).status);
        for (const auto& line : _host->pluginLog().lines()) // nothing untrusted breaks a log line
            CPPUNIT_ASSERT_MESSAGE(line.message, line.message.find('\n') == std::string::npos);
        // Larger than any Twilio webhook: refused before parsing or any store lookup.
        Params big = WebhookTestHost::voiceParams("CA00000000000000000000000000001301");
        big.emplace_back("Padding", std::string(70 * 1024, 'x'));
        _host->pluginLog().clear();
        HttpResult r = _host->postSigned(path, big);
        CPPUNIT_ASSERT_EQUAL(413, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("too large\n"), r.body);
        CPPUNIT_ASSERT(_host->pluginLog().contains("exceeds 65536"));
        CPPUNIT_ASSERT_EQUAL(1.0, _host->metric("patchbay_twilio_webhooks_total{endpoint=\"voice\",result=\"too-large\"}"));
        // The signed-but-incomplete voice webhook (no To) is a 400 after the gate.
        Params noTo = {{"AccountSid", kAccount}, {"CallSid", "CA00000000000000000000000000001302"}};
        CPPUNIT_ASSERT_EQUAL(400, _host->postSigned(path, noTo).status);
        CPPUNIT_ASSERT_EQUAL(0.0, _host->metric("patchbay_admissions_total{outcome=\"accepted\"}"));
    }

    void developmentModeWarnsOnEveryRequest()
    {
        start(R"(,"developmentMode":true)");
        _host->pluginLog().clear();
        int n = 0;
        for (const std::string& path : kWebhookPaths)
        {
            const Params p = paramsFor(path, "CA0000000000000000000000000000140" + std::to_string(n++));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, 200, _host->postSigned(path, p, "").status);
        }
        CPPUNIT_ASSERT_EQUAL(200, _host->postSigned("/twilio/voice", WebhookTestHost::voiceParams("CA1499"), "garbage").status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), _host->pluginLog().count("X-Twilio-Signature NOT validated"));
        for (const auto& line : _host->pluginLog().lines())
            if (line.message.find("NOT validated") != std::string::npos) CPPUNIT_ASSERT(line.level == sdk::LogLevel::Warn);
        // Malformed input is still refused.
        CPPUNIT_ASSERT_EQUAL(400, _host->post("/twilio/voice", "To=%", "application/x-www-form-urlencoded", {}).status);
    }

    void trustedProxiesConfigErrors()
    {
        for (const char* bad : {R"(["10.0.0.0/33"])", R"(["not-an-ip"])", R"(["10.0.0.1","fd00::/129"])", R"(["10.0.0.0/"])",
                                R"(["10.0.0.0/8x"])", R"([""])", R"("10.0.0.1")", R"(["1.2.3.4:80"])"})
        {
            WebhookTestHost host;
            sdk::Status st = host.start(std::string(R"(,"trustedProxies":)") + bad);
            CPPUNIT_ASSERT_MESSAGE(bad, st.code() == sdk::StatusCode::InvalidArgument);
            CPPUNIT_ASSERT_MESSAGE(st.message(), st.message().find("config.trustedProxies") != std::string::npos);
        }
        WebhookTestHost host;
        sdk::Status st = host.start(R"(,"trustedProxies":["192.168.1.0/24"," 10.0.0.1"])");
        CPPUNIT_ASSERT(st.message().find("config.trustedProxies[1] ' 10.0.0.1' is not an IPv4 or IPv6 address") !=
                       std::string::npos);
        WebhookTestHost good;
        CPPUNIT_ASSERT(good.start(R"(,"trustedProxies":["192.168.1.0/24","fd00::/8","::ffff:10.0.0.0/104","2001:db8::7"])").isOk());
    }

private:
    std::unique_ptr<WebhookTestHost> _host;
};

CPPUNIT_TEST_SUITE_REGISTRATION(TwilioWebhookSecurityTest);
