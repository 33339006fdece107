// WebSocketBridge.h: joins one media-engine WebSocket to the sdk::WebSocketHandler a plugin supplied, in both directions.
#ifndef PATCHBAY_HOST_ENGINE_WEBSOCKET_BRIDGE_H
#define PATCHBAY_HOST_ENGINE_WEBSOCKET_BRIDGE_H

#include <memory>
#include <string>

#include <patchbay/media/WebSocketConnection.h>
#include <patchbay/media/WebSocketListener.h>
#include <patchbay/sdk/Logger.h>
#include <patchbay/sdk/WebSocket.h>

#include "engine/SdkEventLoop.h"

namespace patchbay::host {

/// Listens on a media::WebSocketConnection and forwards to the plugin's handler; is also the
/// sdk::WebSocketConnection the handler sends through. The handler is released after its last
/// callback (onClose / onConnectFailed), so a plugin object never outlives its connection's events.
class WebSocketBridge final : public media::WebSocketListener, public sdk::WebSocketConnection
{
public:
    WebSocketBridge(std::shared_ptr<sdk::WebSocketHandler> handler, SdkEventLoop& loop, sdk::Logger& logger,
                    std::string label);

    // media::WebSocketListener (loop thread)
    void onOpen(media::WebSocketConnection& connection) override;
    void onText(media::WebSocketConnection& connection, std::string_view text) override;
    void onBinary(media::WebSocketConnection& connection, std::string_view data) override;
    void onClose(media::WebSocketConnection& connection, std::uint16_t code, std::string_view reason) override;
    void onConnectFailed(std::string_view why) override;
    void onWritable(media::WebSocketConnection& connection) override;

    // sdk::WebSocketConnection (loop thread)
    bool sendText(std::string_view message) noexcept override;
    bool sendBinary(std::string_view message) noexcept override;
    void close(std::uint16_t code, std::string_view reason) noexcept override;
    bool isOpen() const noexcept override;
    std::size_t queuedBytes() const noexcept override;
    sdk::EventLoop& loop() noexcept override { return _loop; }
    std::string remoteAddress() const override;
    std::uint64_t id() const noexcept override;

private:
    template <typename Fn>
    void deliver(const char* what, Fn&& fn);

    std::shared_ptr<sdk::WebSocketHandler> _handler;
    SdkEventLoop& _loop;
    sdk::Logger& _logger;
    std::string _label;
    media::WebSocketConnection* _connection = nullptr; // valid between onOpen and onClose
};

} // namespace patchbay::host

#endif
