// TwilioMediaIntegrationTest.cpp: the real gateway's Media Streams endpoint over loopback sockets, with this test playing Twilio.
//
// patchbay-callsim exercises whole calls; this suite needs to send what callsim never does (a replayed
// or expired token, a wrong handshake signature, garbage, DTMF) and to look at every message the
// gateway sends back, so it speaks the Media Streams protocol itself over a blocking Poco WebSocket.
#include "GatewayHarness.h"

#include <cppunit/extensions/HelperMacros.h>

#include <Poco/Base64Encoder.h>
#include <Poco/Buffer.h>
#include <Poco/HMACEngine.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/WebSocket.h>
#include <Poco/SHA1Engine.h>
#include <Poco/SHA2Engine.h>

#include <chrono>
#include <ctime>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using patchbay::integration::GatewayHarness;
using patchbay::integration::HttpReply;

namespace {

// Must equal twilio.streamTokenSecret in GatewayHarness::startGateway(); a test that depends on it
// also checks the gateway's log for the reason, so a changed secret fails loudly instead of passing.
const std::string kStreamTokenSecret = "integration-stream-token-secret-0123456789ab";
const std::string kTenant = "demo";

std::string base64(const std::string& bytes, int options)
{
    std::ostringstream out;
    Poco::Base64Encoder encoder(out, options);
    encoder.rdbuf()->setLineLength(0);
    encoder << bytes;
    encoder.close();
    return out.str();
}

/// Twilio's signature of a WebSocket handshake: HMAC-SHA1 over the wss:// URL alone (twilio.md §4).
std::string twilioSignature(const std::string& url)
{
    Poco::HMACEngine<Poco::SHA1Engine> hmac(GatewayHarness::kAuthToken);
    hmac.update(url);
    const Poco::DigestEngine::Digest& d = hmac.digest();
    return base64(std::string(d.begin(), d.end()), 0);
}

/// HMAC-SHA256 (RFC 2104) on Poco's SHA2Engine, which HMACEngine cannot wrap.
std::string hmacSha256(const std::string& key, const std::string& message)
{
    std::string k = key.size() > 64 ? std::string() : key;
    k.resize(64, '\0');
    std::string inner(64, '\0'), outer(64, '\0');
    for (std::size_t i = 0; i < 64; ++i)
    {
        inner[i] = static_cast<char>(k[i] ^ 0x36);
        outer[i] = static_cast<char>(k[i] ^ 0x5c);
    }
    Poco::SHA2Engine h1;
    h1.update(inner + message);
    const Poco::DigestEngine::Digest& d1 = h1.digest();
    Poco::SHA2Engine h2;
    h2.update(outer + std::string(d1.begin(), d1.end()));
    const Poco::DigestEngine::Digest& d2 = h2.digest();
    return std::string(d2.begin(), d2.end());
}

/// A stream token made the way StreamToken documents it, independently of the plugin's code.
std::string makeStreamToken(const std::string& tenant, const std::string& callSid, std::int64_t expiresAtUnixSec,
                            const std::string& secret)
{
    std::string payload;
    payload += '\x01';
    payload += static_cast<char>(tenant.size());
    payload += tenant;
    payload += static_cast<char>(callSid.size());
    payload += callSid;
    for (int shift = 56; shift >= 0; shift -= 8)
        payload += static_cast<char>((static_cast<std::uint64_t>(expiresAtUnixSec) >> shift) & 0xFF);
    const std::string label("patchbay.twilio.stream-token\0", 29);
    const int url = Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING;
    return base64(payload, url) + "." + base64(hmacSha256(secret, label + payload), url);
}

std::string between(const std::string& s, const std::string& a, const std::string& b)
{
    auto i = s.find(a);
    if (i == std::string::npos) return {};
    i += a.size();
    const auto j = s.find(b, i);
    return j == std::string::npos ? std::string() : s.substr(i, j - i);
}

struct Frame
{
    enum class Kind { Text, Close, Timeout, Error } kind = Kind::Timeout;
    std::string text;
    std::uint16_t closeCode = 0;
    std::string event; ///< "event" of a text frame
    std::string markName;
};

/// Twilio's side of one Media Stream, blocking.
class TwilioSocket
{
public:
    /// @return the HTTP status of the upgrade (101 when open).
    int connect(std::uint16_t port, const std::string& path, const std::string& signature)
    {
        _session = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", port);
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
        if (!signature.empty()) request.set("X-Twilio-Signature", signature);
        Poco::Net::HTTPResponse response;
        try
        {
            _ws = std::make_unique<Poco::Net::WebSocket>(*_session, request, response);
            _ws->setReceiveTimeout(Poco::Timespan(0, 200 * 1000));
            return 101;
        }
        catch (const Poco::Net::WebSocketException&)
        {
            return static_cast<int>(response.getStatus());
        }
    }

    void send(const std::string& text) { _ws->sendFrame(text.data(), static_cast<int>(text.size())); }

    void start(const std::string& callSid, const std::string& token, const std::string& streamSid)
    {
        _streamSid = streamSid;
        send(R"({"event":"connected","protocol":"Call","version":"1.0.0"})");
        send(R"({"event":"start","sequenceNumber":"1","streamSid":")" + streamSid + R"(","start":{"streamSid":")" + streamSid +
             R"(","accountSid":")" + GatewayHarness::kAccountSid + R"(","callSid":")" + callSid +
             R"(","tracks":["inbound"],"customParameters":{"tenant":")" + kTenant + R"(","callToken":")" + token +
             R"("},"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}}})");
    }

    void media(const std::string& payload)
    {
        const int seq = ++_seq;
        send(R"({"event":"media","sequenceNumber":")" + std::to_string(seq) + R"(","streamSid":")" + _streamSid +
             R"(","media":{"track":"inbound","chunk":")" + std::to_string(seq) + R"(","timestamp":")" + std::to_string(seq * 20) +
             R"(","payload":")" + payload + R"("}})");
    }

    void mark(const std::string& name)
    {
        send(R"({"event":"mark","sequenceNumber":")" + std::to_string(++_seq) + R"(","streamSid":")" + _streamSid +
             R"(","mark":{"name":")" + name + R"("}})");
    }

    void dtmf(const std::string& digit)
    {
        send(R"({"event":"dtmf","sequenceNumber":")" + std::to_string(++_seq) + R"(","streamSid":")" + _streamSid +
             R"(","dtmf":{"track":"inbound_track","digit":")" + digit + R"("}})");
    }

    /// The next text or close frame within `timeoutMs` (pings answered on the way).
    Frame receive(int timeoutMs)
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        Frame f;
        while (std::chrono::steady_clock::now() < deadline)
        {
            int flags = 0;
            Poco::Buffer<char> buffer(0);
            try
            {
                _ws->receiveFrame(buffer, flags);
            }
            catch (const Poco::TimeoutException&)
            {
                continue;
            }
            catch (const Poco::Exception& e)
            {
                f.kind = Frame::Kind::Error;
                f.text = e.displayText();
                return f;
            }
            const int op = flags & Poco::Net::WebSocket::FRAME_OP_BITMASK;
            const std::string data(buffer.begin(), buffer.size());
            if (op == Poco::Net::WebSocket::FRAME_OP_PING)
            {
                _ws->sendFrame(data.data(), static_cast<int>(data.size()),
                               Poco::Net::WebSocket::FRAME_FLAG_FIN | Poco::Net::WebSocket::FRAME_OP_PONG);
                continue;
            }
            if (op == Poco::Net::WebSocket::FRAME_OP_CLOSE)
            {
                f.kind = Frame::Kind::Close;
                if (data.size() >= 2)
                    f.closeCode = static_cast<std::uint16_t>((static_cast<unsigned char>(data[0]) << 8) | static_cast<unsigned char>(data[1]));
                f.text = data.size() > 2 ? data.substr(2) : std::string();
                return f;
            }
            if (op != Poco::Net::WebSocket::FRAME_OP_TEXT) continue;
            f.kind = Frame::Kind::Text;
            f.text = data;
            Poco::JSON::Parser parser;
            Poco::JSON::Object::Ptr root = parser.parse(data).extract<Poco::JSON::Object::Ptr>();
            f.event = root->optValue<std::string>("event", "");
            if (f.event == "mark") f.markName = root->getObject("mark")->optValue<std::string>("name", "");
            return f;
        }
        return f;
    }

    /// Frames until `quietMs` pass without one (or `limitMs` in all).
    std::vector<Frame> drain(int quietMs, int limitMs = 5000)
    {
        std::vector<Frame> frames;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(limitMs);
        while (std::chrono::steady_clock::now() < deadline)
        {
            Frame f = receive(quietMs);
            if (f.kind == Frame::Kind::Timeout) break;
            frames.push_back(f);
            if (f.kind != Frame::Kind::Text) break;
        }
        return frames;
    }

    void close()
    {
        try
        {
            _ws->shutdown();
        }
        catch (const Poco::Exception&)
        {
        }
    }

private:
    std::unique_ptr<Poco::Net::HTTPClientSession> _session;
    std::unique_ptr<Poco::Net::WebSocket> _ws;
    std::string _streamSid;
    int _seq = 1;
};

/// One 20 ms frame of μ-law, base64.
const std::string kFrame = base64(std::string(160, '\x55'), 0);

} // namespace

class TwilioMediaIntegrationTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TwilioMediaIntegrationTest);
    CPPUNIT_TEST(streamTokenIsSingleUseAndExpires);
    CPPUNIT_TEST(handshakeSignatureIsCheckedWhenPresent);
    CPPUNIT_TEST(marksFollowEach200msAndClearFlushesThem);
    CPPUNIT_TEST(badInputOnOneCallLeavesAnotherCallAlone);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { _harness = std::make_unique<GatewayHarness>(); }
    void tearDown() override { _harness.reset(); }

    void start(const std::vector<std::string>& mockArgs = {})
    {
        _harness->startMockAgent(mockArgs);
        _harness->startGateway();
    }

    /// Admits a call through the signed voice webhook. @return its stream token.
    std::string admit(const std::string& callSid)
    {
        const HttpReply reply = _harness->postVoiceWebhook(GatewayHarness::kNumber, callSid);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(reply.body, 200, reply.status);
        const std::string token = between(reply.body, "<Parameter name=\"callToken\" value=\"", "\"");
        CPPUNIT_ASSERT_MESSAGE(reply.body, !token.empty());
        return token;
    }

    static std::string streamUrl(const std::string& token)
    {
        return "wss://gw.example.test/twilio/media/" + token;
    }

    int open(TwilioSocket& socket, const std::string& token, const std::string& signature)
    {
        return socket.connect(_harness->gatewayPort(), "/twilio/media/" + token, signature);
    }

    /// Admit, open signed, start, and wait for the agent's greeting (the sign that the call is bridged).
    /// @return the greeting's mark names.
    std::vector<std::string> bridged(TwilioSocket& socket, const std::string& callSid, const std::string& streamSid)
    {
        const std::string token = admit(callSid);
        CPPUNIT_ASSERT_EQUAL(101, open(socket, token, twilioSignature(streamUrl(token))));
        socket.start(callSid, token, streamSid);
        std::vector<std::string> marks;
        bool greeted = false;
        for (const Frame& f : socket.drain(400))
        {
            CPPUNIT_ASSERT_MESSAGE(f.text + "\n" + _harness->gatewayLog(), f.kind == Frame::Kind::Text);
            greeted = greeted || f.event == "media";
            if (f.event == "mark") marks.push_back(f.markName);
        }
        // Media, not marks: a greeting under 200 ms of audio gets no mark of the gateway's own.
        CPPUNIT_ASSERT_MESSAGE("no greeting\n" + _harness->gatewayLog(), greeted);
        return marks;
    }

    /// The gateway writes its log asynchronously: wait a little for a line to show up.
    bool logged(const std::string& text)
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
        while (std::chrono::steady_clock::now() < deadline)
        {
            if (_harness->gateway().err().find(text) != std::string::npos) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    }

    double metric(const std::string& series)
    {
        const std::string text = _harness->httpGetBody("/metrics");
        const auto at = text.find("\n" + series + " ");
        if (at == std::string::npos) return 0.0;
        return std::stod(text.substr(at + series.size() + 2));
    }

    void streamTokenIsSingleUseAndExpires()
    {
        start({"--greeting-ms", "100"});
        const std::string sid = "CAit00000000000000000000000000001";
        const std::string token = admit(sid);
        TwilioSocket first;
        CPPUNIT_ASSERT_EQUAL(101, open(first, token, twilioSignature(streamUrl(token))));
        first.start(sid, token, "MZit1");
        CPPUNIT_ASSERT(first.receive(3000).event == "media"); // bridged: the greeting arrives

        // The same token again (Twilio never reconnects a stream): refused before the 101.
        TwilioSocket replay;
        CPPUNIT_ASSERT_EQUAL(403, open(replay, token, twilioSignature(streamUrl(token))));
        CPPUNIT_ASSERT_MESSAGE(_harness->gatewayLog(), logged("stream token already used"));

        // An authentic token for a call that is admitted, but expired.
        const std::string sid2 = "CAit00000000000000000000000000002";
        admit(sid2);
        const std::int64_t past = static_cast<std::int64_t>(std::time(nullptr)) - 5;
        const std::string expired = makeStreamToken(kTenant, sid2, past, kStreamTokenSecret);
        TwilioSocket late;
        CPPUNIT_ASSERT_EQUAL(403, open(late, expired, twilioSignature(streamUrl(expired))));
        CPPUNIT_ASSERT_MESSAGE(_harness->gatewayLog(), logged("stream token expired"));
        // The same shape with another secret is a forgery, not an expiry.
        const std::string forged = makeStreamToken(kTenant, sid2, past + 3600, "another-secret-000000000000000000000000");
        CPPUNIT_ASSERT_EQUAL(403, open(late, forged, ""));
        CPPUNIT_ASSERT_MESSAGE(_harness->gatewayLog(), logged("stream token bad signature"));

        // The first stream is untouched by all of this.
        first.media(kFrame);
        bool echoed = false;
        for (const Frame& f : first.drain(500))
            echoed = echoed || (f.event == "media" && f.text.find(kFrame) != std::string::npos);
        CPPUNIT_ASSERT(echoed);
        first.close();
    }

    void handshakeSignatureIsCheckedWhenPresent()
    {
        start();
        // Valid, as Twilio may sign it: with the default port, or with a trailing '/'.
        const std::string t1 = admit("CAit00000000000000000000000000011");
        TwilioSocket s1;
        CPPUNIT_ASSERT_EQUAL(101, open(s1, t1, twilioSignature("wss://gw.example.test:443/twilio/media/" + t1)));
        const std::string t2 = admit("CAit00000000000000000000000000012");
        TwilioSocket s2;
        CPPUNIT_ASSERT_EQUAL(101, open(s2, t2, twilioSignature(streamUrl(t2) + "/")));
        // Present and wrong: 403 before the 101, one log line naming the account and the URL.
        const std::string t3 = admit("CAit00000000000000000000000000013");
        TwilioSocket s3;
        CPPUNIT_ASSERT_EQUAL(403, open(s3, t3, twilioSignature("wss://gw.example.test/twilio/other/" + t3)));
        CPPUNIT_ASSERT_MESSAGE(_harness->gatewayLog(),
                               logged("X-Twilio-Signature invalid for account(s) " + std::string(GatewayHarness::kAccountSid)));
        CPPUNIT_ASSERT(_harness->gateway().err().find(GatewayHarness::kAuthToken) == std::string::npos);
        // Absent: allowed (the token authenticates the socket) and counted.
        TwilioSocket s4;
        CPPUNIT_ASSERT_EQUAL(101, open(s4, t3, ""));
        CPPUNIT_ASSERT_EQUAL(2.0, metric("patchbay_twilio_stream_handshake_signatures_total{result=\"valid\"}"));
        CPPUNIT_ASSERT_EQUAL(1.0, metric("patchbay_twilio_stream_handshake_signatures_total{result=\"invalid\"}"));
        CPPUNIT_ASSERT_EQUAL(1.0, metric("patchbay_twilio_stream_handshake_signatures_total{result=\"absent\"}"));
    }

    void marksFollowEach200msAndClearFlushesThem()
    {
        // The greeting (2 chunks of 100 ms) proves the call is bridged; the 12th echoed frame triggers a barge-in.
        start({"--greeting-ms", "200", "--interrupt-after", "12"});
        TwilioSocket s;
        const std::vector<std::string> greeting = bridged(s, "CAit00000000000000000000000000021", "MZit21");
        // The gateway marks every 200 ms of audio, not every chunk: one mark, behind the greeting's 2nd chunk.
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), greeting.size());
        for (const std::string& name : greeting) s.mark(name); // played out

        for (int i = 0; i < 12; ++i) s.media(kFrame);
        std::vector<std::string> events, marks;
        for (const Frame& f : s.drain(500))
        {
            events.push_back(f.event);
            if (f.event == "mark") marks.push_back(f.markName);
        }
        // 20 ms echoes: a mark behind the 10th; the last 2 have none when the clear comes.
        std::vector<std::string> expected(10, "media");
        expected.insert(expected.end(), {"mark", "media", "media", "clear"});
        CPPUNIT_ASSERT_MESSAGE(_harness->gatewayLog(), expected == events);
        // Twilio answers the mark pending at the clear at once: the gateway counts it flushed (the
        // 2 unmarked chunks it counted flushed at the clear already).
        for (const std::string& name : marks) s.mark(name);
        s.dtmf("7");
        for (int i = 0; i < 10; ++i) s.media(kFrame); // the agent's next turn plays normally
        const std::vector<Frame> after = s.drain(500);
        CPPUNIT_ASSERT_EQUAL(std::size_t(11), after.size());
        CPPUNIT_ASSERT_EQUAL(std::string("mark"), after[10].event); // the clear restarted the interval
        s.mark(after[10].markName);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));

        CPPUNIT_ASSERT_EQUAL(2.0, metric("patchbay_twilio_stream_marks_total{result=\"played\"}"));
        CPPUNIT_ASSERT_EQUAL(1.0, metric("patchbay_twilio_stream_marks_total{result=\"flushed\"}"));
        CPPUNIT_ASSERT_EQUAL(400.0, metric("patchbay_twilio_stream_played_ms_total"));
        CPPUNIT_ASSERT_EQUAL(240.0, metric("patchbay_twilio_stream_flushed_ms_total"));
        CPPUNIT_ASSERT_EQUAL(0.0, metric("patchbay_twilio_stream_marks_total{result=\"unknown\"}"));
        s.close();
        const auto stats = _harness->stopMockAgent();
        CPPUNIT_ASSERT_EQUAL(1, stats->getValue<int>("contextualUpdates")); // the DTMF digit reached the agent
    }

    void badInputOnOneCallLeavesAnotherCallAlone()
    {
        start({"--greeting-ms", "100"});
        TwilioSocket a, b;
        bridged(a, "CAit00000000000000000000000000031", "MZit31");
        bridged(b, "CAit00000000000000000000000000032", "MZit32");

        auto echoes = [](TwilioSocket& s) {
            int media = 0;
            for (const Frame& f : s.drain(400))
                if (f.event == "media") ++media;
            return media;
        };
        b.media(kFrame);
        CPPUNIT_ASSERT_EQUAL(1, echoes(b));

        // Garbage, an unknown event and a bad digit on A: ignored, A's call goes on.
        a.send("{this is not json");
        a.send(R"({"event":"transcription","streamSid":"MZit31","text":"hi"})");
        a.dtmf("Z");
        a.media(kFrame);
        CPPUNIT_ASSERT_EQUAL(1, echoes(a));
        b.media(kFrame);
        CPPUNIT_ASSERT_EQUAL(1, echoes(b));

        // An oversized message (under the host's frame limit, over the protocol's): A is closed with 1009.
        a.media(std::string(300 * 1024, 'A'));
        Frame closed;
        for (const Frame& f : a.drain(1000))
            if (f.kind == Frame::Kind::Close) closed = f;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(_harness->gatewayLog(), std::uint16_t(1009), closed.closeCode);

        // B never noticed.
        for (int i = 0; i < 3; ++i) b.media(kFrame);
        CPPUNIT_ASSERT_EQUAL(3, echoes(b));
        CPPUNIT_ASSERT_EQUAL(1.0, metric("patchbay_twilio_stream_malformed_total"));
        CPPUNIT_ASSERT_EQUAL(1.0, metric("patchbay_twilio_stream_messages_ignored_total{reason=\"unknown_event\"}"));
        CPPUNIT_ASSERT_EQUAL(1.0, metric("patchbay_twilio_stream_messages_ignored_total{reason=\"oversized\"}"));
        b.close();
    }

private:
    std::unique_ptr<GatewayHarness> _harness;
};

CPPUNIT_TEST_SUITE_REGISTRATION(TwilioMediaIntegrationTest);
