// WebSocketBridge.cpp: forwarding between the media engine's WebSocket and a plugin's handler.
#include "engine/WebSocketBridge.h"

namespace patchbay::host {

WebSocketBridge::WebSocketBridge(std::shared_ptr<sdk::WebSocketHandler> handler, SdkEventLoop& loop, sdk::Logger& logger,
                                 std::string label)
    : _handler(std::move(handler)), _loop(loop), _logger(logger), _label(std::move(label))
{
}

template <typename Fn>
void WebSocketBridge::deliver(const char* what, Fn&& fn)
{
    if (!_handler) return;
    try
    {
        fn(*_handler);
    }
    catch (const std::exception& e)
    {
        // The SDK forbids this; a plugin that throws anyway loses its connection, not the process.
        _logger.error(_label + ": handler threw from " + what + ": " + e.what());
        if (_connection) _connection->close(sdk::CloseCode::InternalError, "internal error");
    }
    catch (...)
    {
        _logger.error(_label + ": handler threw from " + what);
        if (_connection) _connection->close(sdk::CloseCode::InternalError, "internal error");
    }
}

void WebSocketBridge::onOpen(media::WebSocketConnection& connection)
{
    _connection = &connection;
    deliver("onOpen", [this](sdk::WebSocketHandler& h) { h.onOpen(*this); });
}

void WebSocketBridge::onText(media::WebSocketConnection& connection, std::string_view text)
{
    _connection = &connection;
    deliver("onText", [this, text](sdk::WebSocketHandler& h) { h.onText(*this, text); });
}

void WebSocketBridge::onBinary(media::WebSocketConnection& connection, std::string_view data)
{
    _connection = &connection;
    deliver("onBinary", [this, data](sdk::WebSocketHandler& h) { h.onBinary(*this, data); });
}

void WebSocketBridge::onWritable(media::WebSocketConnection& connection)
{
    _connection = &connection;
    deliver("onWritable", [this](sdk::WebSocketHandler& h) { h.onWritable(*this); });
}

void WebSocketBridge::onClose(media::WebSocketConnection& connection, std::uint16_t code, std::string_view reason)
{
    _connection = &connection;
    deliver("onClose", [this, code, reason](sdk::WebSocketHandler& h) { h.onClose(*this, code, reason); });
    _connection = nullptr;
    _handler.reset();
}

void WebSocketBridge::onConnectFailed(std::string_view why)
{
    deliver("onConnectFailed", [why](sdk::WebSocketHandler& h) { h.onConnectFailed(why); });
    _handler.reset();
}

bool WebSocketBridge::sendText(std::string_view message) noexcept
{
    try
    {
        return _connection && _connection->sendText(message);
    }
    catch (...)
    {
        return false;
    }
}

bool WebSocketBridge::sendBinary(std::string_view message) noexcept
{
    try
    {
        return _connection && _connection->sendBinary(message);
    }
    catch (...)
    {
        return false;
    }
}

void WebSocketBridge::close(std::uint16_t code, std::string_view reason) noexcept
{
    try
    {
        if (_connection) _connection->close(code, reason);
    }
    catch (...)
    {
    }
}

bool WebSocketBridge::isOpen() const noexcept
{
    return _connection && _connection->isOpen();
}

std::size_t WebSocketBridge::queuedBytes() const noexcept
{
    return _connection ? _connection->queuedBytes() : 0;
}

std::string WebSocketBridge::remoteAddress() const
{
    return _connection ? _connection->remoteAddress() : std::string();
}

std::uint64_t WebSocketBridge::id() const noexcept
{
    return _connection ? _connection->id() : 0;
}

} // namespace patchbay::host
