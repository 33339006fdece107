// ElevenLabsConfig.h: the elevenlabs plugin's config object — keys, defaults and validation.
#ifndef PATCHBAY_ELEVENLABS_CONFIG_H
#define PATCHBAY_ELEVENLABS_CONFIG_H

#include <cstdint>
#include <string>
#include <string_view>

#include "patchbay/sdk/Status.h"

namespace patchbay::elevenlabs {

/// Keys (all optional):
///   baseUrl           WebSocket base, ws:// or wss:// (ws:// is for tests and the mock agent).
///   apiKey            SECRET workspace API key; when set (or a tenant has its own) every call
///                     fetches a signed URL first. Never logged, never echoed in a Status.
///   connectTimeoutMs  WebSocket connect and signed-URL request budget, 1..600000.
///   signedUrlBase     REST base for get-signed-url, http:// or https://.
///   requireUlaw       end the session when the agent's formats are not ulaw_8000 (no transcoding yet).
/// Value type; THREAD: Any.
struct ElevenLabsConfig
{
    std::string baseUrl = "wss://api.elevenlabs.io";
    std::string apiKey;
    std::uint32_t connectTimeoutMs = 5000;
    std::string signedUrlBase = "https://api.elevenlabs.io";
    bool requireUlaw = true;

    /// Parses the plugin's config JSON (empty text or null = all defaults). Unknown keys and wrong
    /// types are InvalidArgument naming the key. Never throws.
    static sdk::Status parse(std::string_view json, ElevenLabsConfig& out) noexcept;
};

} // namespace patchbay::elevenlabs

#endif
