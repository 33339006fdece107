// PendingOutbound.h: agent audio and marks held back until Twilio's `start` names the stream they must be sent on.
#ifndef PATCHBAY_TWILIO_PROTOCOL_PENDING_OUTBOUND_H
#define PATCHBAY_TWILIO_PROTOCOL_PENDING_OUTBOUND_H

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

namespace patchbay::twilio {

/// Every outbound message needs the streamSid, which only `start` carries, so whatever the core
/// sends towards the caller before that waits here and is sent in order once it is known.
///
/// Bounded by bytes and by items. On overflow the oldest items are dropped (the newest audio is
/// the most relevant when the call finally starts) and counted; the caller warns once. Never
/// blocks. One per stream, on its loop (not thread-safe).
class PendingOutbound
{
public:
    static constexpr std::size_t kDefaultMaxBytes = 160 * 1024; // ~15 s of base64 μ-law 8 kHz
    static constexpr std::size_t kDefaultMaxItems = 2048;

    enum class Kind
    {
        Media, ///< `data` is base64 μ-law; `audioBytes` its decoded size
        Mark   ///< `data` is the core's mark name
    };

    struct Item
    {
        Kind kind = Kind::Media;
        std::string data;
        std::uint64_t audioBytes = 0;
    };

    explicit PendingOutbound(std::size_t maxBytes = kDefaultMaxBytes, std::size_t maxItems = kDefaultMaxItems)
        : _maxBytes(maxBytes), _maxItems(maxItems)
    {
    }

    /// @return how many items were dropped to make room (the new one included if it alone is too big).
    std::size_t pushMedia(std::string_view base64Payload, std::uint64_t audioBytes);
    std::size_t pushMark(std::string_view name);

    /// A clear before start: the queued audio is discarded, as Twilio would discard it. Marks stay
    /// queued, so each is still answered once (Twilio echoes them at once, nothing being ahead).
    /// @return how many media items were discarded.
    std::size_t discardMedia();

    /// Hands every item to `fn` in arrival order and empties the queue.
    template <typename Fn>
    void drain(Fn&& fn)
    {
        while (_items && !_items->empty())
        {
            Item item = std::move(_items->front());
            _items->pop_front();
            _bytes -= item.data.size();
            fn(item);
        }
        _items.reset(); // a stream drains once, at start: give the deque's block back for the call's life
    }

    bool empty() const noexcept
    {
        return !_items || _items->empty();
    }
    std::size_t size() const noexcept
    {
        return _items ? _items->size() : 0;
    }
    std::size_t bytes() const noexcept
    {
        return _bytes;
    }
    std::uint64_t dropped() const noexcept
    {
        return _dropped;
    }

private:
    std::size_t push(Kind kind, std::string_view data, std::uint64_t audioBytes);

    const std::size_t _maxBytes;
    const std::size_t _maxItems;
    /// Made on the first push: a libstdc++ deque allocates a block as soon as it exists, and most
    /// streams never queue anything (the core sends only after start).
    std::optional<std::deque<Item>> _items;
    std::size_t _bytes = 0;
    std::uint64_t _dropped = 0;
};

} // namespace patchbay::twilio

#endif // PATCHBAY_TWILIO_PROTOCOL_PENDING_OUTBOUND_H
