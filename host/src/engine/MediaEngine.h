// MediaEngine.h: the host's event loops and WebSocket plumbing — accepts media upgrades onto loops and opens outbound sockets.
#ifndef PATCHBAY_HOST_ENGINE_MEDIA_ENGINE_H
#define PATCHBAY_HOST_ENGINE_MEDIA_ENGINE_H

#include <memory>
#include <string>
#include <vector>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <patchbay/media/EventLoopGroup.h>
#include <patchbay/media/WebSocketClient.h>
#include <patchbay/media/WebSocketOptions.h>
#include <patchbay/sdk/Logger.h>
#include <patchbay/sdk/Status.h>
#include <patchbay/sdk/WebSocket.h>

#include "engine/SdkEventLoop.h"

namespace patchbay::host {

struct MediaEngineOptions
{
    std::size_t loops = 0; ///< 0 = one per core
    std::size_t maxMessageBytes = 1u << 20;
    std::size_t writeQueueBytes = 4u << 20;
    std::uint32_t connectTimeoutMs = 5000;
    std::size_t connectorThreads = 2;
};

class MediaEngine
{
public:
    MediaEngine(const MediaEngineOptions& options, sdk::Logger& logger, Poco::Net::Context::Ptr clientTls);
    ~MediaEngine();

    void start();
    /// Stops every loop; open connections get onClose (1001). THREAD: Control.
    void stop();

    /// THREAD: Any.
    SdkEventLoop& loopForKey(std::string_view key);
    SdkEventLoop& nextLoop();
    std::size_t loopCount() const { return _adapters.size(); }
    SdkEventLoop& loopAt(std::size_t i) { return *_adapters[i]; }

    /// Completes a WebSocket upgrade on an HTTP worker and moves the socket to `loop`; the worker
    /// returns at once. Answers 400 itself for a malformed upgrade. THREAD: I/O.
    /// @return false when the upgrade was malformed (already answered).
    bool acceptUpgrade(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, SdkEventLoop& loop,
                       std::shared_ptr<sdk::WebSocketHandler> handler, const std::string& label);

    /// Opens an outbound connection whose socket will live on `loop` (must be one of ours).
    /// THREAD: Any; never blocks.
    sdk::Status connect(const sdk::WebSocketConnectOptions& options, sdk::EventLoop& loop,
                        std::shared_ptr<sdk::WebSocketHandler> handler, const std::string& label);

private:
    SdkEventLoop* adapterFor(sdk::EventLoop& loop);
    media::WebSocketOptions socketOptions(std::size_t maxMessageBytes) const;

    MediaEngineOptions _options;
    sdk::Logger& _logger;
    Poco::Net::Context::Ptr _clientTls;
    media::EventLoopGroup _group;
    std::vector<std::unique_ptr<SdkEventLoop>> _adapters;
    std::unique_ptr<media::WebSocketConnector> _connector;
};

} // namespace patchbay::host

#endif
