// MockAgentFixture.cpp: child-process control and the blocking WebSocket client of the mock-agent tests.
#include "MockAgentFixture.h"

#include <patchbay/audio/G711.h>
#include <patchbay/sdk/support/Base64.h>

#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include <signal.h>

namespace patchbay {
namespace mockagenttest {

MockAgentProcess::MockAgentProcess(const std::vector<std::string>& extraArgs)
{
    std::vector<std::string> args{"--listen", "127.0.0.1:0", "--stats-file", _dir.path() + "/stats.json"};
    args.insert(args.end(), extraArgs.begin(), extraArgs.end());
    _process = std::make_unique<integration::ChildProcess>("mock-agent", PATCHBAY_MOCK_AGENT_EXE, args,
        _dir.path() + "/mock-agent");
    const auto line = _process->waitForLine("mock-agent listening on ", std::chrono::seconds(10));
    CPPUNIT_ASSERT_MESSAGE("mock agent did not start: " + _process->errTail(), line.has_value());
    _port = static_cast<std::uint16_t>(std::stoi(line->substr(line->rfind(':') + 1)));
}

MockAgentProcess::~MockAgentProcess() = default;

Poco::JSON::Object::Ptr MockAgentProcess::stop()
{
    _process->signal(SIGTERM);
    const auto code = _process->waitExit(std::chrono::seconds(20));
    CPPUNIT_ASSERT_MESSAGE("mock agent did not exit: " + _process->errTail(), code.has_value());
    CPPUNIT_ASSERT_EQUAL_MESSAGE(_process->errTail(), 0, *code);
    std::ifstream in(_dir.path() + "/stats.json");
    std::stringstream text;
    text << in.rdbuf();
    return Poco::JSON::Parser().parse(text.str()).extract<Poco::JSON::Object::Ptr>();
}

std::string Received::type() const
{
    return json ? json->optValue<std::string>("type", "") : std::string();
}

AgentClient::AgentClient(std::uint16_t port, std::chrono::milliseconds timeout): _session("127.0.0.1", port)
{
    _session.setTimeout(Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(timeout).count()));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/v1/convai/conversation?agent_id=agent_test",
        Poco::Net::HTTPMessage::HTTP_1_1);
    Poco::Net::HTTPResponse response;
    _socket = std::make_unique<Poco::Net::WebSocket>(_session, request, response);
}

void AgentClient::sendText(const std::string& text)
{
    _socket->sendFrame(text.data(), static_cast<int>(text.size()), Poco::Net::WebSocket::FRAME_TEXT);
}

void AgentClient::sendInit(const std::vector<std::pair<std::string, std::string>>& dynamicVariables)
{
    Poco::JSON::Object vars;
    for (const auto& [name, value] : dynamicVariables)
        vars.set(name, value);
    Poco::JSON::Object init;
    init.set("type", "conversation_initiation_client_data");
    init.set("dynamic_variables", vars);
    std::ostringstream out;
    init.stringify(out);
    sendText(out.str());
}

void AgentClient::sendAudio(const std::string& raw)
{
    sendText("{\"user_audio_chunk\":\"" + sdk::support::Base64::encode(raw) + "\"}");
}

Received AgentClient::receive(std::chrono::milliseconds timeout)
{
    Received r;
    _socket->setReceiveTimeout(Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(timeout).count()));
    Poco::Buffer<char> buffer(0);
    int flags = 0;
    try
    {
        const int n = _socket->receiveFrame(buffer, flags);
        const int opcode = flags & Poco::Net::WebSocket::FRAME_OP_BITMASK;
        if (n == 0 && flags == 0)
        {
            r.kind = Received::Kind::Eof;
            return r;
        }
        if (opcode == Poco::Net::WebSocket::FRAME_OP_CLOSE)
        {
            r.kind = Received::Kind::Close;
            if (buffer.size() >= 2)
                r.closeCode = (static_cast<unsigned char>(buffer[0]) << 8) | static_cast<unsigned char>(buffer[1]);
            return r;
        }
        r.kind = Received::Kind::Text;
        r.text.assign(buffer.begin(), buffer.size());
        r.json = Poco::JSON::Parser().parse(r.text).extract<Poco::JSON::Object::Ptr>();
    }
    catch (const Poco::TimeoutException&)
    {
        r.kind = Received::Kind::Timeout;
    }
    catch (const Poco::Net::NetException&)
    {
        r.kind = Received::Kind::Eof; // reset / ended mid-frame: still "no close frame"
    }
    catch (const Poco::IOException&)
    {
        r.kind = Received::Kind::Eof;
    }
    return r;
}

Received AgentClient::waitFor(const std::string& type, std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;)
    {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return Received{};
        Received r = receive(left);
        if (r.kind != Received::Kind::Text || r.type() == type)
            return r;
        _skipped.push_back(std::move(r));
    }
}

void AgentClient::close()
{
    try
    {
        _socket->shutdown(1000);
        // Read until the agent's close reply so it sees a complete handshake.
        for (int i = 0; i < 100; ++i)
        {
            const Received r = receive(std::chrono::milliseconds(2000));
            if (r.kind != Received::Kind::Text)
                break;
        }
        _socket->close();
    }
    catch (const Poco::Exception&)
    {
    }
}

std::string tone(double hz, std::uint32_t rate, bool mulaw, std::uint32_t ms, std::uint32_t startSample)
{
    const std::size_t samples = static_cast<std::size_t>(rate) * ms / 1000;
    std::string out;
    for (std::size_t i = 0; i < samples; ++i)
    {
        const double phase = 2.0 * M_PI * hz * static_cast<double>(i + startSample) / rate;
        const auto s = static_cast<std::int16_t>(std::lround(0.3 * 32767.0 * std::sin(phase)));
        if (mulaw)
            out += static_cast<char>(audio::G711::encode(s));
        else
        {
            out += static_cast<char>(static_cast<std::uint16_t>(s) & 0xFF);
            out += static_cast<char>(static_cast<std::uint16_t>(s) >> 8);
        }
    }
    return out;
}

} // namespace mockagenttest
} // namespace patchbay
