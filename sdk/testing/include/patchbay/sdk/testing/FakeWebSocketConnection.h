// FakeWebSocketConnection.h: an sdk::WebSocketConnection that records what a plugin sends and how it closes.
#ifndef PATCHBAY_SDK_TESTING_FAKE_WEB_SOCKET_CONNECTION_H
#define PATCHBAY_SDK_TESTING_FAKE_WEB_SOCKET_CONNECTION_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "patchbay/sdk/WebSocket.h"
#include "patchbay/sdk/testing/FakeEventLoop.h"

namespace patchbay::sdk::testing {

/// Sent messages are copied into sentTexts()/sentBinaries(). close() only records the code and
/// reason and marks the connection closing; the test decides when onClose() follows (see
/// FakeHostServices::closeOutbound/closeInbound). setQueueFull(true) makes sends fail as the
/// host's bounded write queue would (the message is dropped and counted).
class FakeWebSocketConnection : public sdk::WebSocketConnection
{
public:
    explicit FakeWebSocketConnection(FakeEventLoop& loop, std::uint64_t id = 1,
                                     std::string remoteAddress = "127.0.0.1:40000")
        : _loop(loop), _id(id), _remoteAddress(std::move(remoteAddress))
    {
    }
    FakeWebSocketConnection(const FakeWebSocketConnection&) = delete;
    FakeWebSocketConnection& operator=(const FakeWebSocketConnection&) = delete;
    virtual ~FakeWebSocketConnection() = default;

    bool sendText(std::string_view message) noexcept override { return record(_sentTexts, message); }
    bool sendBinary(std::string_view message) noexcept override { return record(_sentBinaries, message); }

    void close(std::uint16_t code, std::string_view reason) noexcept override
    {
        if (_closeRequested) return;
        _closeRequested = true;
        _open = false;
        _closeCode = code;
        try
        {
            _closeReason.assign(reason.data(), reason.size());
        }
        catch (...)
        {
        }
    }

    bool isOpen() const noexcept override { return _open; }
    std::size_t queuedBytes() const noexcept override { return _queuedBytes; }
    sdk::EventLoop& loop() noexcept override { return _loop; }
    std::string remoteAddress() const override { return _remoteAddress; }
    std::uint64_t id() const noexcept override { return _id; }

    // ---- test side ----

    const std::vector<std::string>& sentTexts() const noexcept { return _sentTexts; }
    const std::vector<std::string>& sentBinaries() const noexcept { return _sentBinaries; }
    /// Forgets what was sent so far (e.g. after the handshake messages were checked).
    void clearSent() noexcept
    {
        _sentTexts.clear();
        _sentBinaries.clear();
    }

    /// True once the plugin called close().
    bool closeRequested() const noexcept { return _closeRequested; }
    std::uint16_t closeCode() const noexcept { return _closeCode; }
    const std::string& closeReason() const noexcept { return _closeReason; }

    /// While full, sends return false and are counted in droppedMessages() instead of recorded.
    void setQueueFull(bool full) noexcept { _queueFull = full; }
    std::size_t droppedMessages() const noexcept { return _dropped; }
    /// What queuedBytes() reports, for back-pressure tests.
    void setQueuedBytes(std::size_t bytes) noexcept { _queuedBytes = bytes; }
    /// Marks the connection open or gone (the peer vanished) without a close from the plugin.
    void setOpen(bool open) noexcept { _open = open; }
    /// Messages sent after close() or after the connection went away (a plugin bug worth asserting on).
    std::size_t sendsWhileClosed() const noexcept { return _sendsWhileClosed; }

    FakeEventLoop& fakeLoop() noexcept { return _loop; }

private:
    bool record(std::vector<std::string>& into, std::string_view message) noexcept
    {
        if (!_open)
        {
            ++_sendsWhileClosed;
            return false;
        }
        if (_queueFull)
        {
            ++_dropped;
            return false;
        }
        try
        {
            into.emplace_back(message);
            return true;
        }
        catch (...)
        {
            ++_dropped;
            return false;
        }
    }

    FakeEventLoop& _loop;
    std::uint64_t _id;
    std::string _remoteAddress;
    std::vector<std::string> _sentTexts;
    std::vector<std::string> _sentBinaries;
    std::uint16_t _closeCode = 0;
    std::string _closeReason;
    std::size_t _queuedBytes = 0;
    std::size_t _dropped = 0;
    std::size_t _sendsWhileClosed = 0;
    bool _open = true;
    bool _closeRequested = false;
    bool _queueFull = false;
};

} // namespace patchbay::sdk::testing

#endif
