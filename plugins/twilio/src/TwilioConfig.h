// TwilioConfig.h: the twilio plugin's settings, parsed and checked from its config object.
#ifndef PATCHBAY_TWILIO_TWILIO_CONFIG_H
#define PATCHBAY_TWILIO_TWILIO_CONFIG_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <patchbay/sdk/Status.h>

#include "TrustedProxies.h"

namespace patchbay::twilio {

/// The Twilio REST API as this plugin uses it (numbers, call control, outbound calls).
struct TwilioRestConfig
{
    std::string baseUrl = "https://api.twilio.com"; ///< no trailing '/'; a Prism mock or a regional edge in tests
    std::uint32_t timeoutMs = 10000;                ///< per attempt
    std::uint32_t maxRetries = 3;                   ///< extra attempts on 429 and 5xx, with exponential backoff
    std::uint32_t retryBaseMs = 250;                ///< first backoff; doubles per retry, honours Retry-After
    /// Assigning a number through the admin API also sets its VoiceUrl, VoiceMethod=POST and
    /// StatusCallback at Twilio. Off by default: numbers may be shared with other systems.
    bool configureNumbers = false;
};

struct TwilioConfig
{
    /// Public base URL Twilio is configured with, e.g. "https://gw.example.com" (no trailing '/').
    /// Signatures are checked against it, never against what the socket sees behind a proxy.
    std::string publicUrl;
    /// Other public base URLs that reach this gateway (another host name, a second listener
    /// behind another proxy); a signature made for any of them is accepted.
    std::vector<std::string> alternatePublicUrls;
    std::string voicePath = "/twilio/voice";
    std::string mediaPath = "/twilio/media";
    std::string statusCallbackPath = "/twilio/status";        ///< call status callbacks
    std::string streamStatusPath = "/twilio/stream-status";   ///< <Stream statusCallback>
    std::string connectActionPath = "/twilio/connect-action"; ///< <Connect action>: runs when the stream ends
    std::string streamTokenSecret; ///< SECRET: HMAC key of stream tokens; shared by every node
    std::uint32_t streamTokenTtlSeconds = 120;
    std::uint32_t startTimeoutMs = 5000;
    /// Addresses (IPv4/IPv6, optionally CIDR) of reverse proxies whose X-Forwarded-Proto/Host are
    /// believed: a request whose peer is one of them is also validated against the URL those
    /// headers describe (one more candidate next to publicUrl / alternatePublicUrls). From any
    /// other peer the headers are ignored. Empty = never believed.
    std::vector<std::string> trustedProxies;
    TrustedProxies trustedProxyRanges; ///< trustedProxies, parsed by parse()
    /// Skips signature validation, with a warning on every request. Never for production.
    bool developmentMode = false;
    std::string fallbackMessage = "We are unable to take your call right now. Please try again later. Goodbye.";
    TwilioRestConfig rest;

    /// The wss:// (or ws://) base derived from publicUrl.
    std::string streamBaseUrl() const;

    /// publicUrl followed by alternatePublicUrls: the bases a webhook signature may be made for.
    std::vector<std::string> publicBaseUrls() const;

    /// Parses the plugin's JSON config. @return InvalidArgument naming the key on any problem.
    static sdk::Status parse(std::string_view json, TwilioConfig& out);
};

} // namespace patchbay::twilio

#endif
