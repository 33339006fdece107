// WebSocketOptions.h: per-connection limits, timeouts and the warning hook for WebSocket connections.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string_view>

namespace patchbay {
namespace media {

struct WebSocketOptions
{
    /// Largest accepted message (after reassembly); larger closes with 1009. Clamped to 16 MiB.
    std::size_t maxMessageSize = 1 << 20;
    /// Bytes allowed in the write queue; a send that would exceed it is dropped (returns false).
    std::size_t writeQueueLimit = 4 << 20;
    /// onWritable() fires once the queue drops below this after having exceeded writeHighWater.
    /// 0 = writeQueueLimit / 4.
    std::size_t writeLowWater = 0;
    /// 0 = writeQueueLimit / 2.
    std::size_t writeHighWater = 0;
    /// How long to wait for the peer's close reply (and for our queue to drain) before closing TCP.
    std::chrono::milliseconds closeTimeout{2000};
    /// Send a ping this often (0 = never).
    std::chrono::milliseconds pingInterval{0};
    /// Close with 1001 "idle timeout" when nothing was received for this long (0 = never).
    std::chrono::milliseconds idleTimeout{0};
    /// Client only: TCP connect + TLS + HTTP upgrade must finish within this.
    std::chrono::milliseconds connectTimeout{5000};
    /// Receives one line per noteworthy problem (protocol errors, I/O errors). Called on the
    /// connection's loop thread (or a connector thread for connect failures); must not block.
    std::function<void(std::string_view)> warn;
};

} // namespace media
} // namespace patchbay
