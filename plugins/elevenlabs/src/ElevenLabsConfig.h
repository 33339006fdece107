// ElevenLabsConfig.h: the elevenlabs plugin's config object — keys, defaults and validation.
#ifndef PATCHBAY_ELEVENLABS_CONFIG_H
#define PATCHBAY_ELEVENLABS_CONFIG_H

#include <cstddef>
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
///   silenceTimeoutMs  end the leg (AgentFailed) when the open agent socket delivers no message at all
///                     for this long, 0..600000, 0 = never; a hung agent must not hold the caller.
///   stallTimeoutMs    end the leg (AgentFailed) when the socket's write queue stays full (the agent
///                     is not reading) for this long, 100..600000.
///   signedUrlBase     REST base for get-signed-url, http:// or https://.
///   requireUlaw       opt-in (default false): end the session when the agent's formats are not
///                     ulaw_8000 both ways, for deployments that want no transcoding in the core.
///   webhookSecret     SECRET HMAC key of the post-call webhooks (ElevenLabs-Signature, §8.3), at least
///                     16 characters; absent = the post-call route is not registered.
///   postCallPath      path of the post-call webhook, default "/elevenlabs/post-call".
///   postCallMaxBodyBytes  larger post-call bodies are refused with 413 (default 1 MiB); the host's
///                     server.maxBodyBytes applies first.
///   initiationSecret  SECRET bearer token ElevenLabs must send (Authorization: Bearer …) with the
///                     conversation-initiation webhook, at least 16 characters; absent = the
///                     initiation route is not registered (it discloses tenant data, and ElevenLabs
///                     signs nothing for it, §8.1).
///   initiationPath    path of the conversation-initiation webhook, default "/elevenlabs/initiation".
/// Value type; THREAD: Any.
struct ElevenLabsConfig
{
    std::string baseUrl = "wss://api.elevenlabs.io";
    std::string apiKey;
    std::uint32_t connectTimeoutMs = 5000;
    std::uint32_t silenceTimeoutMs = 30000;
    std::uint32_t stallTimeoutMs = 5000;
    std::string signedUrlBase = "https://api.elevenlabs.io";
    bool requireUlaw = false;
    std::string webhookSecret;
    std::string postCallPath = "/elevenlabs/post-call";
    std::size_t postCallMaxBodyBytes = 1024 * 1024;
    std::string initiationSecret;
    std::string initiationPath = "/elevenlabs/initiation";

    /// Shortest secret accepted (the ElevenLabs on-prem docs' minimum for webhook secrets).
    static constexpr std::size_t kMinSecretLength = 16;

    /// Parses the plugin's config JSON (empty text or null = all defaults). Unknown keys and wrong
    /// types are InvalidArgument naming the key. Never throws.
    static sdk::Status parse(std::string_view json, ElevenLabsConfig& out) noexcept;
};

} // namespace patchbay::elevenlabs

#endif
