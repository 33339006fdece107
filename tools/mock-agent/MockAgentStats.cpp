// MockAgentStats.cpp: bookkeeping and JSON rendering of the mock agent's statistics.
#include "MockAgentStats.h"

#include <patchbay/sdk/Media.h>
#include <patchbay/sdk/support/Json.h>

#include <cmath>

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

void MockAgentStats::recordPong(const PongRecord& pong)
{
    std::lock_guard<std::mutex> lock(_mutex);
    if (_pongs.size() < kMaxDetails)
        _pongs.push_back(pong);
}

void MockAgentStats::recordToolResult(ToolResultRecord record)
{
    toolResults.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard<std::mutex> lock(_mutex);
    if (_toolResults.size() < kMaxDetails)
        _toolResults.push_back(std::move(record));
}

void MockAgentStats::recordWebhook(WebhookRecord record)
{
    const bool ok = record.status >= 200 && record.status < 300;
    (ok ? webhooksSent : webhooksFailed).fetch_add(1, std::memory_order_relaxed);
    std::lock_guard<std::mutex> lock(_mutex);
    if (_webhooks.size() < kMaxDetails)
        _webhooks.push_back(std::move(record));
}

void MockAgentStats::recordContextualUpdate(std::string_view text)
{
    contextualUpdates.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard<std::mutex> lock(_mutex);
    if (_contextualUpdateTexts.size() < kMaxDetails)
        _contextualUpdateTexts.emplace_back(text);
}

void MockAgentStats::addAudioIn(const AudioProbe& probe)
{
    std::lock_guard<std::mutex> lock(_mutex);
    _audioIn.merge(probe);
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
    field("silenced", silenced);
    field("sendsSuppressed", sendsSuppressed);
    field("abruptCloses", abruptCloses);
    field("pongsEarly", pongsEarly);
    field("toolCallsSent", toolCallsSent);
    field("toolResults", toolResults);
    field("userTranscriptsSent", userTranscriptsSent);
    field("agentResponsesSent", agentResponsesSent);
    field("correctionsSent", correctionsSent);
    field("vadScoresSent", vadScoresSent);
    field("internalEventsSent", internalEventsSent);
    field("errorsSent", errorsSent);
    field("webhooksSent", webhooksSent);
    field("webhooksFailed", webhooksFailed);
    w.key("outputFormat").value(outputFormat);
    w.key("inputFormat").value(inputFormat);
    std::lock_guard<std::mutex> lock(_mutex);
    w.key("pongs").beginArray();
    for (const PongRecord& p : _pongs)
    {
        w.beginObject().key("event_id").value(p.eventId).key("delayMs").value(p.delayMs).key("pingMs");
        if (p.pingMs < 0)
            w.null();
        else
            w.value(static_cast<std::int64_t>(p.pingMs));
        w.endObject();
    }
    w.endArray();
    w.key("toolResultDetails").beginArray();
    for (const ToolResultRecord& t : _toolResults)
        w.beginObject()
            .key("conversation_id")
            .value(t.conversationId)
            .key("tool_call_id")
            .value(t.toolCallId)
            .key("tool_name")
            .value(t.toolName)
            .key("result")
            .value(t.result)
            .key("is_error")
            .value(t.isError)
            .endObject();
    w.endArray();
    w.key("webhooks").beginArray();
    for (const WebhookRecord& h : _webhooks)
        w.beginObject()
            .key("conversation_id")
            .value(h.conversationId)
            .key("status")
            .value(static_cast<std::int64_t>(h.status))
            .key("error")
            .value(h.error)
            .endObject();
    w.endArray();
    w.key("contextualUpdateTexts").beginArray();
    for (const std::string& text : _contextualUpdateTexts)
        w.value(text);
    w.endArray();
    // Caller audio as decoded with the announced input format (AudioProbe explains why); counted when a
    // conversation ends. toneHz is the zero-crossing pitch estimate, rmsDbfs the level.
    sdk::MediaFormat input;
    sdk::parseMediaFormat(inputFormat, input);
    const AudioProbe& a = _audioIn;
    const double seconds = static_cast<double>(a.samples) / input.sampleRate;
    w.key("audioIn")
        .beginObject()
        .key("format")
        .value(inputFormat)
        .key("chunks")
        .value(a.chunks)
        .key("bytes")
        .value(a.bytes)
        .key("samples")
        .value(a.samples)
        .key("ms")
        .value(static_cast<std::uint64_t>(seconds * 1000.0 + 0.5))
        .key("oddChunks")
        .value(a.oddChunks)
        .key("toneHz");
    if (a.samples > 0)
        w.value(static_cast<double>(a.zeroCrossings) / 2.0 / seconds);
    else
        w.null();
    w.key("rmsDbfs");
    if (a.samples > 0 && a.sumSquares > 0)
        w.value(10.0 * std::log10(a.sumSquares / static_cast<double>(a.samples)));
    else
        w.null();
    w.endObject();
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
