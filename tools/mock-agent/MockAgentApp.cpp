// MockAgentApp.cpp: wiring of the mock agent (event loops, HTTP server) and its orderly stop.
#include "MockAgentApp.h"

#include "AgentRequestHandler.h"
#include "MockAgentStats.h"
#include "Mulaw.h"

#include <patchbay/media/EventLoopGroup.h>
#include <patchbay/sdk/support/Base64.h>

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>

#include <csignal>
#include <fstream>
#include <iostream>

namespace patchbay {
namespace mockagent {

namespace {

std::vector<std::string> greetingChunks(std::uint32_t greetingMs)
{
    // 100 ms chunks of a 440 Hz tone: never 160 bytes, so callers can tell greeting from echoed frames.
    std::vector<std::string> chunks;
    const std::string chunk = tools::Mulaw::tone(440.0, 0.3, 800);
    for (std::uint32_t ms = 0; ms < greetingMs; ms += 100)
    {
        const std::size_t bytes = std::min<std::size_t>(800, (greetingMs - ms) * 8);
        chunks.push_back(sdk::support::Base64::encode(std::string_view(chunk).substr(0, bytes)));
    }
    return chunks;
}

int waitForSignal()
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    int sig = 0;
    sigwait(&set, &sig);
    return sig;
}

} // namespace

int MockAgentApp::run()
{
    MockAgentStats stats;
    ConversationContext conversations{_options, stats, greetingChunks(_options.greetingMs)};
    media::EventLoopGroup loops(_options.loops, "agent");
    loops.start();
    SignatureBook signatures;

    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(_options.listenHost, _options.listenPort), 1024);
    const std::uint16_t port = socket.address().port();
    const std::string authority = (_options.listenHost.find(':') != std::string::npos ? "[" + _options.listenHost + "]"
                                                                                       : _options.listenHost) +
        ":" + std::to_string(port);
    ServerContext context{conversations, loops, signatures, media::WebSocketOptions(), authority};
    context.socketOptions.closeTimeout = std::chrono::milliseconds(1000);

    Poco::ThreadPool pool(2, _options.httpThreads);
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(_options.httpThreads);
    params->setMaxQueued(4096);
    Poco::Net::HTTPServer server(new AgentRequestHandler::Factory(context), pool, socket, params);
    server.start();
    std::cout << "mock-agent listening on " << authority << std::endl;

    const int sig = waitForSignal();
    server.stop();
    int exitCode = 0;
    if (!_options.statsFile.empty())
    {
        std::ofstream out(_options.statsFile, std::ios::trunc);
        out << stats.toJson();
        out.close();
        if (!out)
        {
            std::cerr << "mock-agent: cannot write " << _options.statsFile << "\n";
            exitCode = 1;
        }
    }
    std::cerr << "mock-agent: " << (sig == SIGTERM ? "SIGTERM" : "SIGINT") << ", " << stats.connections.load()
              << " conversations served\n";
    loops.stop();
    server.stopAll(true);
    pool.joinAll();
    return exitCode;
}

} // namespace mockagent
} // namespace patchbay
