// MockAgentFixture.h: the real patchbay-mock-agent as a child process, and a blocking agent-protocol client for it.
#pragma once

#include "ChildProcess.h"
#include "TempDir.h"

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/WebSocket.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace patchbay {
namespace mockagenttest {

/// Starts the binary on 127.0.0.1:0 with a stats file; stop() sends SIGTERM and parses the stats.
class MockAgentProcess
{
public:
    explicit MockAgentProcess(const std::vector<std::string>& extraArgs);
    ~MockAgentProcess();

    std::uint16_t port() const { return _port; }

    /// SIGTERM, wait for the exit, parse the stats file (asserts on failure).
    Poco::JSON::Object::Ptr stop();

    std::string errTail() const { return _process->errTail(); }

private:
    testing::TempDir _dir{"mock-agent-test"};
    std::unique_ptr<integration::ChildProcess> _process;
    std::uint16_t _port = 0;
};

/// One agent-protocol message as the client saw it.
struct Received
{
    enum class Kind
    {
        Text,
        Close,   ///< a close frame; code holds its status
        Eof,     ///< TCP ended without a close frame
        Timeout
    };
    Kind kind = Kind::Timeout;
    std::string text;
    Poco::JSON::Object::Ptr json; ///< parsed text (null for other kinds)
    int closeCode = 0;

    std::string type() const;
};

/// Poco's blocking WebSocket is enough for a test peer: the tests read the agent's messages in order.
class AgentClient
{
public:
    /// Connects to /v1/convai/conversation?agent_id=agent_test; throws on failure.
    explicit AgentClient(std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(5));

    void sendText(const std::string& text);
    /// {"type":"conversation_initiation_client_data","dynamic_variables":{…}} from key/value pairs.
    void sendInit(const std::vector<std::pair<std::string, std::string>>& dynamicVariables = {});
    void sendAudio(const std::string& raw);

    /// The next message, or Timeout after `timeout`.
    Received receive(std::chrono::milliseconds timeout);
    /// Messages until one of `type` arrives (returned) or the socket ends / times out (returned as such);
    /// everything skipped is kept in skipped().
    Received waitFor(const std::string& type, std::chrono::milliseconds timeout);

    const std::vector<Received>& skipped() const { return _skipped; }
    void close();

private:
    Poco::Net::HTTPClientSession _session;
    std::unique_ptr<Poco::Net::WebSocket> _socket;
    std::vector<Received> _skipped;
};

/// μ-law or little-endian PCM16 of a sine (amplitude 0.3), `ms` long.
std::string tone(double hz, std::uint32_t rate, bool mulaw, std::uint32_t ms, std::uint32_t startSample = 0);

} // namespace mockagenttest
} // namespace patchbay
