// TwilioConfig.cpp: strict parsing of the twilio plugin's config (unknown keys are errors).
#include "TwilioConfig.h"

#include <patchbay/sdk/support/Json.h>

namespace patchbay::twilio {
namespace {

bool validPath(const std::string& p)
{
    return !p.empty() && p[0] == '/' && p.back() != '/' && p.find_first_of(" ?#") == std::string::npos;
}

} // namespace

std::string TwilioConfig::streamBaseUrl() const
{
    if (publicUrl.rfind("https://", 0) == 0) return "wss://" + publicUrl.substr(8);
    if (publicUrl.rfind("http://", 0) == 0) return "ws://" + publicUrl.substr(7);
    return publicUrl;
}

sdk::Status TwilioConfig::parse(std::string_view json, TwilioConfig& out)
{
    sdk::support::JsonDocument doc;
    std::string error;
    if (!doc.parse(json, &error)) return sdk::Status::invalidArgument("config is not valid JSON: " + error);
    const auto& root = doc.root();
    if (!root.isObject()) return sdk::Status::invalidArgument("config must be an object");

    auto wantString = [](const sdk::support::JsonValue& v, std::string key, std::string& into) -> sdk::Status {
        if (!v.isString()) return sdk::Status::invalidArgument("config." + key + " must be a string");
        into = std::string(v.asString());
        return sdk::Status::ok();
    };
    auto wantUint = [](const sdk::support::JsonValue& v, std::string key, std::uint32_t lo, std::uint32_t hi,
                       std::uint32_t& into) -> sdk::Status {
        if (!v.isInteger() || v.asInt64() < lo || v.asInt64() > hi)
            return sdk::Status::invalidArgument("config." + key + " must be an integer from " + std::to_string(lo) + " to " +
                                                std::to_string(hi));
        into = static_cast<std::uint32_t>(v.asInt64());
        return sdk::Status::ok();
    };

    for (const auto& member : root)
    {
        const std::string key(member.key());
        sdk::Status st;
        if (key == "publicUrl") st = wantString(member, key, out.publicUrl);
        else if (key == "voicePath") st = wantString(member, key, out.voicePath);
        else if (key == "mediaPath") st = wantString(member, key, out.mediaPath);
        else if (key == "streamTokenSecret") st = wantString(member, key, out.streamTokenSecret);
        else if (key == "fallbackMessage") st = wantString(member, key, out.fallbackMessage);
        else if (key == "streamTokenTtlSeconds") st = wantUint(member, key, 10, 3600, out.streamTokenTtlSeconds);
        else if (key == "startTimeoutMs") st = wantUint(member, key, 100, 60000, out.startTimeoutMs);
        else if (key == "developmentMode")
        {
            if (!member.isBool()) st = sdk::Status::invalidArgument("config.developmentMode must be true or false");
            else out.developmentMode = member.asBool();
        }
        else
        {
            st = sdk::Status::invalidArgument("config." + key +
                                              " is not a twilio setting (known: publicUrl, voicePath, mediaPath, "
                                              "streamTokenSecret, streamTokenTtlSeconds, startTimeoutMs, developmentMode, "
                                              "fallbackMessage)");
        }
        if (!st.isOk()) return st;
    }

    while (!out.publicUrl.empty() && out.publicUrl.back() == '/') out.publicUrl.pop_back();
    if (out.publicUrl.rfind("https://", 0) != 0 && out.publicUrl.rfind("http://", 0) != 0)
        return sdk::Status::invalidArgument(
            "config.publicUrl is required: the https:// base URL Twilio calls (e.g. https://gw.example.com)");
    if (out.publicUrl.find_first_of("?# ") != std::string::npos)
        return sdk::Status::invalidArgument("config.publicUrl must be a base URL without query, fragment or spaces");
    if (!validPath(out.voicePath)) return sdk::Status::invalidArgument("config.voicePath must start with '/' and not end with '/'");
    if (!validPath(out.mediaPath)) return sdk::Status::invalidArgument("config.mediaPath must start with '/' and not end with '/'");
    if (out.streamTokenSecret.size() < 32)
        return sdk::Status::invalidArgument(
            "config.streamTokenSecret must be at least 32 characters (set it from an environment variable)");
    return sdk::Status::ok();
}

} // namespace patchbay::twilio
