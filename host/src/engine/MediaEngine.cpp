// MediaEngine.cpp: loops, upgrades and outbound connects.
#include "engine/MediaEngine.h"

#include <patchbay/media/WebSocketUpgrade.h>

#include "engine/WebSocketBridge.h"

namespace patchbay::host {

MediaEngine::MediaEngine(const MediaEngineOptions& options, sdk::Logger& logger, Poco::Net::Context::Ptr clientTls)
    : _options(options), _logger(logger), _clientTls(std::move(clientTls)), _group(options.loops, "media")
{
    for (std::size_t i = 0; i < _group.size(); ++i)
    {
        _group.at(i).setWarn([this](std::string_view w) { _logger.warn(std::string(w)); });
        _adapters.push_back(std::make_unique<SdkEventLoop>(_group.at(i)));
    }
    _connector = std::make_unique<media::WebSocketConnector>(options.connectorThreads ? options.connectorThreads : 2);
}

MediaEngine::~MediaEngine()
{
    stop();
}

void MediaEngine::start()
{
    _group.start();
}

void MediaEngine::stop()
{
    _group.stop();
}

SdkEventLoop& MediaEngine::loopForKey(std::string_view key)
{
    media::EventLoop& l = _group.forKey(key);
    for (auto& a : _adapters)
        if (&a->mediaLoop() == &l) return *a;
    return *_adapters.front();
}

SdkEventLoop& MediaEngine::nextLoop()
{
    media::EventLoop& l = _group.next();
    for (auto& a : _adapters)
        if (&a->mediaLoop() == &l) return *a;
    return *_adapters.front();
}

SdkEventLoop* MediaEngine::adapterFor(sdk::EventLoop& loop)
{
    for (auto& a : _adapters)
        if (a.get() == &loop) return a.get();
    return nullptr;
}

media::WebSocketOptions MediaEngine::socketOptions(std::size_t maxMessageBytes) const
{
    media::WebSocketOptions o;
    o.maxMessageSize = maxMessageBytes ? maxMessageBytes : _options.maxMessageBytes;
    o.writeQueueLimit = _options.writeQueueBytes;
    o.connectTimeout = std::chrono::milliseconds(_options.connectTimeoutMs);
    o.warn = [this](std::string_view w) { _logger.warn(std::string(w)); };
    return o;
}

bool MediaEngine::acceptUpgrade(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                                SdkEventLoop& loop, std::shared_ptr<sdk::WebSocketHandler> handler, const std::string& label)
{
    auto bridge = std::make_shared<WebSocketBridge>(std::move(handler), loop, _logger, label);
    return media::WebSocketUpgrade::accept(request, response, loop.mediaLoop(), bridge, socketOptions(0)) != nullptr;
}

sdk::Status MediaEngine::connect(const sdk::WebSocketConnectOptions& options, sdk::EventLoop& loop,
                                 std::shared_ptr<sdk::WebSocketHandler> handler, const std::string& label)
{
    SdkEventLoop* own = adapterFor(loop);
    if (!own) return sdk::Status::invalidArgument("connectWebSocket: the loop is not one of the host's media loops");
    if (options.url.rfind("ws://", 0) != 0 && options.url.rfind("wss://", 0) != 0)
        return sdk::Status::invalidArgument("connectWebSocket: URL must start with ws:// or wss://");
    if (!handler) return sdk::Status::invalidArgument("connectWebSocket: handler is null");
    auto bridge = std::make_shared<WebSocketBridge>(std::move(handler), *own, _logger, label);
    media::WebSocketOptions o = socketOptions(options.maxMessageBytes);
    o.connectTimeout = std::chrono::milliseconds(options.connectTimeoutMs ? options.connectTimeoutMs : _options.connectTimeoutMs);
    try
    {
        media::WebSocketClient::connect(options.url, options.headers, own->mediaLoop(), bridge, o, _clientTls, *_connector);
    }
    catch (const std::exception& e)
    {
        return sdk::Status::invalidArgument(std::string("connectWebSocket: ") + e.what());
    }
    return sdk::Status::ok();
}

} // namespace patchbay::host
