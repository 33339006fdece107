// MockAgentApp.cpp: wiring of the mock agent (event loops, HTTP server) and its orderly stop.
#include "MockAgentApp.h"

#include "AgentRequestHandler.h"
#include "MockAgentStats.h"
#include "Mulaw.h"
#include "WebhookSender.h"

#include <patchbay/audio/AudioConverter.h>

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

std::vector<std::string> greetingChunks(std::uint32_t greetingMs, const sdk::MediaFormat& output)
{
    // 100 ms chunks of a 440 Hz tone: never 160 bytes, so callers can tell greeting from echoed frames.
    // Generated as μ-law and converted once here when the agent announces another output format.
    std::vector<std::string> chunks;
    const std::string chunk = tools::Mulaw::tone(440.0, 0.3, 800);
    std::unique_ptr<audio::AudioConverter> converter;
    if (output != sdk::MediaFormat::ulaw8000())
        converter = std::make_unique<audio::AudioConverter>(sdk::MediaFormat::ulaw8000(), output);
    for (std::uint32_t ms = 0; ms < greetingMs; ms += 100)
    {
        const std::size_t bytes = std::min<std::size_t>(800, (greetingMs - ms) * 8);
        const std::string_view piece = std::string_view(chunk).substr(0, bytes);
        if (!converter)
        {
            chunks.push_back(sdk::support::Base64::encode(piece));
            continue;
        }
        std::string converted;
        converter->convert(piece, converted);
        if (!converted.empty())
            chunks.push_back(sdk::support::Base64::encode(converted));
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
    stats.outputFormat = _options.outputFormat;
    stats.inputFormat = _options.inputFormat;
    sdk::MediaFormat input;
    sdk::MediaFormat output;
    sdk::parseMediaFormat(_options.inputFormat, input); // validated by MockAgentOptions
    sdk::parseMediaFormat(_options.outputFormat, output);
    if (input != output)
    {
        audio::AudioConverter warmUp(input, output); // builds the shared filter bank off the loop threads
    }
    WebhookSender webhooks(_options.postCallUrl, _options.webhookSecret, stats);
    ConversationContext conversations{
        _options, stats, greetingChunks(_options.greetingMs, output), webhooks, input, output};
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
    // Webhooks of the conversations that ended are delivered before the stats are written, so the file
    // accounts for each of them. (Conversations still open at the signal send none.)
    webhooks.stop();
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
