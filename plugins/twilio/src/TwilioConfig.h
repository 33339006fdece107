// TwilioConfig.h: the twilio plugin's settings, parsed and checked from its config object.
#ifndef PATCHBAY_TWILIO_TWILIO_CONFIG_H
#define PATCHBAY_TWILIO_TWILIO_CONFIG_H

#include <cstdint>
#include <string>
#include <string_view>

#include <patchbay/sdk/Status.h>

namespace patchbay::twilio {

struct TwilioConfig
{
    /// Public base URL Twilio is configured with, e.g. "https://gw.example.com" (no trailing '/').
    /// Signatures are checked against it, never against what the socket sees behind a proxy.
    std::string publicUrl;
    std::string voicePath = "/twilio/voice";
    std::string mediaPath = "/twilio/media";
    std::string streamTokenSecret; ///< SECRET: HMAC key of stream tokens; shared by every node
    std::uint32_t streamTokenTtlSeconds = 120;
    std::uint32_t startTimeoutMs = 5000;
    /// Skips signature validation, with a warning on every request. Never for production.
    bool developmentMode = false;
    std::string fallbackMessage = "We are unable to take your call right now. Please try again later. Goodbye.";

    /// The wss:// (or ws://) base derived from publicUrl.
    std::string streamBaseUrl() const;

    /// Parses the plugin's JSON config. @return InvalidArgument naming the key on any problem.
    static sdk::Status parse(std::string_view json, TwilioConfig& out);
};

} // namespace patchbay::twilio

#endif
