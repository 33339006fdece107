// WebhookReply.h: the answers the elevenlabs webhooks share — problem+json errors, JSON bodies, printable log text, counters.
#ifndef PATCHBAY_ELEVENLABS_WEBHOOK_REPLY_H
#define PATCHBAY_ELEVENLABS_WEBHOOK_REPLY_H

#include <string>
#include <string_view>

#include "patchbay/sdk/Http.h"
#include "patchbay/sdk/Metrics.h"
#include "patchbay/sdk/support/JsonWriter.h"

namespace patchbay::elevenlabs::webhook {

/// RFC 9457 application/problem+json; `detail` must be secret-free (it goes back to the sender).
inline void problem(sdk::HttpResponse& response, int status, std::string_view title, std::string_view detail)
{
    response.status = status;
    response.contentType = "application/problem+json";
    response.body.clear();
    sdk::support::JsonWriter(response.body)
        .beginObject()
        .key("type").value("about:blank")
        .key("title").value(title)
        .key("status").value(static_cast<std::int64_t>(status))
        .key("detail").value(detail)
        .endObject();
}

inline void json(sdk::HttpResponse& response, int status, std::string body)
{
    response.status = status;
    response.contentType = "application/json";
    response.body = std::move(body);
}

/// Untrusted text made safe for one log line: printable ASCII only, at most `limit` bytes.
inline std::string printable(std::string_view text, std::size_t limit = 120)
{
    std::string out;
    for (char c : text.substr(0, limit))
        out += (c >= 0x20 && c < 0x7f) ? c : '?';
    if (text.size() > limit)
        out += "...";
    return out;
}

/// patchbay_elevenlabs_webhooks_total{webhook, result}; labels are fixed strings, never wire data.
/// Looked up per request: webhooks arrive a few times per call, far from the media hot path.
inline void count(sdk::Metrics& metrics, const char* webhook, const char* result)
{
    metrics.counter("elevenlabs_webhooks_total", "Webhooks from ElevenLabs, by webhook and outcome",
                    {{"webhook", webhook}, {"result", result}})
        .inc();
}

} // namespace patchbay::elevenlabs::webhook

#endif
