// MockAgentStats.cpp: bookkeeping and JSON rendering of the mock agent's statistics.
#include "MockAgentStats.h"

#include <patchbay/sdk/support/Json.h>

namespace patchbay {
namespace mockagent {

void MockAgentStats::noteOpen()
{
    connections.fetch_add(1, std::memory_order_relaxed);
    const std::uint64_t now = active.fetch_add(1, std::memory_order_relaxed) + 1;
    std::uint64_t peak = peakActive.load(std::memory_order_relaxed);
    while (now > peak && !peakActive.compare_exchange_weak(peak, now, std::memory_order_relaxed))
    {
    }
}

void MockAgentStats::noteClose(std::uint16_t code)
{
    active.fetch_sub(1, std::memory_order_relaxed);
    std::lock_guard<std::mutex> lock(_mutex);
    ++_closes[code];
}

void MockAgentStats::recordInit(std::string_view text)
{
    initReceived.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard<std::mutex> lock(_mutex);
    _lastInit.assign(text.data(), text.size());
}

std::string MockAgentStats::toJson() const
{
    using sdk::support::JsonDocument;
    using sdk::support::JsonWriter;
    std::string out;
    JsonWriter w(out);
    auto field = [&w](const char* name, const Counter& c) { w.key(name).value(c.load(std::memory_order_relaxed)); };
    w.beginObject();
    field("connections", connections);
    field("active", active);
    field("peakActive", peakActive);
    field("upgradesRefused", upgradesRefused);
    field("signedUrlsIssued", signedUrlsIssued);
    field("signedUrlsRefused", signedUrlsRefused);
    field("initReceived", initReceived);
    field("initFirst", initFirst);
    field("firstNotInit", firstNotInit);
    field("metadataSent", metadataSent);
    field("chunksIn", chunksIn);
    field("audioOut", audioOut);
    field("echoesSent", echoesSent);
    field("greetingChunksSent", greetingChunksSent);
    field("interruptionsSent", interruptionsSent);
    field("staleAudioSent", staleAudioSent);
    field("pingsSent", pingsSent);
    field("pongsReceived", pongsReceived);
    field("pongsMatched", pongsMatched);
    field("contextualUpdates", contextualUpdates);
    field("otherMessages", otherMessages);
    field("protocolErrors", protocolErrors);
    field("sendsRefused", sendsRefused);
    field("closesByUs", closesByUs);
    std::lock_guard<std::mutex> lock(_mutex);
    w.key("closesByCode").beginObject();
    for (const auto& [code, count] : _closes)
        w.key(std::to_string(code)).value(count);
    w.endObject();
    // Embedded as parsed JSON when it is JSON (it should be), so readers need no second decode.
    w.key("lastInit");
    JsonDocument probe;
    if (!_lastInit.empty() && probe.parse(_lastInit))
        w.raw(_lastInit);
    else if (_lastInit.empty())
        w.null();
    else
        w.value(_lastInit);
    w.endObject();
    out += '\n';
    return out;
}

} // namespace mockagent
} // namespace patchbay
