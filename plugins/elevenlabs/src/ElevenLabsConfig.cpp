// ElevenLabsConfig.cpp: strict parsing of the plugin config (a typo must fail startup, not silently use a default).
#include "ElevenLabsConfig.h"

#include "patchbay/sdk/support/JsonDocument.h"
#include "protocol/ConversationEndpoint.h"

namespace patchbay::elevenlabs {

namespace {

bool isBlank(std::string_view text) noexcept
{
    for (char c : text)
    {
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            return false;
    }
    return true;
}

sdk::Status badKey(std::string_view key, const char* expected)
{
    return sdk::Status::invalidArgument("config key '" + std::string(key) + "' must be " + expected);
}

/// Secrets are checked for shape only; the value never appears in a message.
bool validSecret(const sdk::support::JsonValue& member) noexcept
{
    return member.isString() && member.asString().size() >= ElevenLabsConfig::kMinSecretLength;
}

/// A route path: absolute, no query or fragment, no whitespace (the host matches it exactly).
bool validPath(const sdk::support::JsonValue& member) noexcept
{
    if (!member.isString())
        return false;
    const std::string_view path = member.asString();
    if (path.size() < 2 || path.front() != '/' || path.size() > 256)
        return false;
    for (char c : path)
    {
        if (c <= ' ' || c == '?' || c == '#' || c == 0x7f)
            return false;
    }
    return true;
}

} // namespace

sdk::Status ElevenLabsConfig::parse(std::string_view json, ElevenLabsConfig& out) noexcept
{
    return sdk::guarded([&]() -> sdk::Status {
        ElevenLabsConfig config;
        if (isBlank(json))
        {
            out = config;
            return sdk::Status::ok();
        }
        sdk::support::JsonDocument document;
        std::string error;
        if (!document.parse(json, &error))
            return sdk::Status::invalidArgument("config is not valid JSON: " + error);
        const auto& root = document.root();
        if (root.isNull())
        {
            out = config;
            return sdk::Status::ok();
        }
        if (!root.isObject())
            return sdk::Status::invalidArgument("config must be a JSON object");

        for (const auto& member : root)
        {
            const std::string_view key = member.key();
            if (key == "baseUrl")
            {
                if (!member.isString() || !ConversationEndpoint::isWebSocketUrl(member.asString()))
                    return badKey(key, "a ws:// or wss:// URL");
                config.baseUrl = std::string(ConversationEndpoint::trimSlash(member.asString()));
            }
            else if (key == "apiKey")
            {
                // The value itself never appears in a message: it is a secret.
                if (!member.isString())
                    return badKey(key, "a string");
                config.apiKey = std::string(member.asString());
            }
            else if (key == "connectTimeoutMs")
            {
                if (!member.isInteger() || member.asInt64() < 1 || member.asInt64() > 600000)
                    return badKey(key, "an integer between 1 and 600000");
                config.connectTimeoutMs = static_cast<std::uint32_t>(member.asInt64());
            }
            else if (key == "silenceTimeoutMs")
            {
                if (!member.isInteger() || member.asInt64() < 0 || member.asInt64() > 600000)
                    return badKey(key, "an integer between 0 (off) and 600000");
                config.silenceTimeoutMs = static_cast<std::uint32_t>(member.asInt64());
            }
            else if (key == "stallTimeoutMs")
            {
                // No "off": a socket nobody reads would otherwise drop every message until the call ends.
                if (!member.isInteger() || member.asInt64() < 100 || member.asInt64() > 600000)
                    return badKey(key, "an integer between 100 and 600000");
                config.stallTimeoutMs = static_cast<std::uint32_t>(member.asInt64());
            }
            else if (key == "signedUrlBase")
            {
                if (!member.isString() || !ConversationEndpoint::isHttpUrl(member.asString()))
                    return badKey(key, "an http:// or https:// URL");
                config.signedUrlBase = std::string(ConversationEndpoint::trimSlash(member.asString()));
            }
            else if (key == "requireUlaw")
            {
                if (!member.isBool())
                    return badKey(key, "true or false");
                config.requireUlaw = member.asBool();
            }
            else if (key == "webhookSecret" || key == "initiationSecret")
            {
                if (!validSecret(member))
                    return badKey(key, "a string of at least 16 characters");
                (key == "webhookSecret" ? config.webhookSecret : config.initiationSecret) = std::string(member.asString());
            }
            else if (key == "postCallPath" || key == "initiationPath")
            {
                if (!validPath(member))
                    return badKey(key, "an absolute path such as \"/elevenlabs/post-call\"");
                (key == "postCallPath" ? config.postCallPath : config.initiationPath) = std::string(member.asString());
            }
            else if (key == "postCallMaxBodyBytes")
            {
                if (!member.isInteger() || member.asInt64() < 1024 || member.asInt64() > (std::int64_t(1) << 30))
                    return badKey(key, "an integer between 1024 and 1073741824");
                config.postCallMaxBodyBytes = static_cast<std::size_t>(member.asInt64());
            }
            else
            {
                return sdk::Status::invalidArgument("unknown config key '" + std::string(key)
                                                    + "' (known: baseUrl, apiKey, connectTimeoutMs, silenceTimeoutMs, "
                                                      "stallTimeoutMs, signedUrlBase, requireUlaw, webhookSecret, postCallPath, "
                                                      "postCallMaxBodyBytes, initiationSecret, initiationPath)");
            }
        }
        if (!config.webhookSecret.empty() && !config.initiationSecret.empty() && config.postCallPath == config.initiationPath)
            return sdk::Status::invalidArgument("config keys 'postCallPath' and 'initiationPath' must differ");
        out = std::move(config);
        return sdk::Status::ok();
    });
}

} // namespace patchbay::elevenlabs
