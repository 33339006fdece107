// PendingOutbound.cpp: the bounded pre-start queue, dropping oldest first.
#include "protocol/PendingOutbound.h"

namespace patchbay::twilio {

std::size_t PendingOutbound::pushMedia(std::string_view base64Payload, std::uint64_t audioBytes)
{
    return push(Kind::Media, base64Payload, audioBytes);
}

std::size_t PendingOutbound::pushMark(std::string_view name)
{
    return push(Kind::Mark, name, 0);
}

std::size_t PendingOutbound::push(Kind kind, std::string_view data, std::uint64_t audioBytes)
{
    if (data.size() > _maxBytes || _maxItems == 0)
    {
        ++_dropped;
        return 1;
    }
    std::size_t dropped = 0;
    if (!_items) _items.emplace();
    while (!_items->empty() && (_items->size() >= _maxItems || _bytes + data.size() > _maxBytes))
    {
        _bytes -= _items->front().data.size();
        _items->pop_front();
        ++dropped;
    }
    _items->push_back(Item{kind, std::string(data), audioBytes});
    _bytes += data.size();
    _dropped += dropped;
    return dropped;
}

std::size_t PendingOutbound::discardMedia()
{
    std::size_t discarded = 0;
    if (!_items) return 0;
    for (auto it = _items->begin(); it != _items->end();)
    {
        if (it->kind == Kind::Media)
        {
            _bytes -= it->data.size();
            it = _items->erase(it);
            ++discarded;
        }
        else
        {
            ++it;
        }
    }
    return discarded;
}

} // namespace patchbay::twilio
