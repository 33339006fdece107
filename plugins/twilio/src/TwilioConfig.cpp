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

std::vector<std::string> TwilioConfig::publicBaseUrls() const
{
    std::vector<std::string> bases{publicUrl};
    for (const std::string& alternate : alternatePublicUrls)
        if (alternate != publicUrl) bases.push_back(alternate);
    return bases;
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

    auto wantBool = [](const sdk::support::JsonValue& v, std::string key, bool& into) -> sdk::Status {
        if (!v.isBool()) return sdk::Status::invalidArgument("config." + key + " must be true or false");
        into = v.asBool();
        return sdk::Status::ok();
    };
    auto wantStrings = [](const sdk::support::JsonValue& v, std::string key, std::vector<std::string>& into) -> sdk::Status {
        if (!v.isArray()) return sdk::Status::invalidArgument("config." + key + " must be an array of strings");
        into.clear();
        for (const auto& item : v)
        {
            if (!item.isString() || item.asString().empty())
                return sdk::Status::invalidArgument("config." + key + "[" + std::to_string(into.size()) +
                                                    "] must be a non-empty string");
            into.emplace_back(item.asString());
        }
        return sdk::Status::ok();
    };

    for (const auto& member : root)
    {
        const std::string key(member.key());
        sdk::Status st;
        if (key == "publicUrl") st = wantString(member, key, out.publicUrl);
        else if (key == "alternatePublicUrls") st = wantStrings(member, key, out.alternatePublicUrls);
        else if (key == "voicePath") st = wantString(member, key, out.voicePath);
        else if (key == "mediaPath") st = wantString(member, key, out.mediaPath);
        else if (key == "statusCallbackPath") st = wantString(member, key, out.statusCallbackPath);
        else if (key == "streamStatusPath") st = wantString(member, key, out.streamStatusPath);
        else if (key == "connectActionPath") st = wantString(member, key, out.connectActionPath);
        else if (key == "streamTokenSecret") st = wantString(member, key, out.streamTokenSecret);
        else if (key == "fallbackMessage") st = wantString(member, key, out.fallbackMessage);
        else if (key == "streamTokenTtlSeconds") st = wantUint(member, key, 10, 3600, out.streamTokenTtlSeconds);
        else if (key == "startTimeoutMs") st = wantUint(member, key, 100, 60000, out.startTimeoutMs);
        else if (key == "trustedProxies") st = wantStrings(member, key, out.trustedProxies);
        else if (key == "developmentMode") st = wantBool(member, key, out.developmentMode);
        else if (key == "rest")
        {
            if (!member.isObject()) st = sdk::Status::invalidArgument("config.rest must be an object");
            for (const auto& r : member)
            {
                if (!st.isOk()) break;
                const std::string rkey = "rest." + std::string(r.key());
                if (r.key() == "baseUrl") st = wantString(r, rkey, out.rest.baseUrl);
                else if (r.key() == "timeoutMs") st = wantUint(r, rkey, 100, 120000, out.rest.timeoutMs);
                else if (r.key() == "maxRetries") st = wantUint(r, rkey, 0, 10, out.rest.maxRetries);
                else if (r.key() == "retryBaseMs") st = wantUint(r, rkey, 1, 60000, out.rest.retryBaseMs);
                else if (r.key() == "configureNumbers") st = wantBool(r, rkey, out.rest.configureNumbers);
                else
                    st = sdk::Status::invalidArgument("config." + rkey +
                                                      " is not a twilio REST setting (known: baseUrl, timeoutMs, "
                                                      "maxRetries, retryBaseMs, configureNumbers)");
            }
        }
        else
        {
            st = sdk::Status::invalidArgument("config." + key +
                                              " is not a twilio setting (known: publicUrl, alternatePublicUrls, voicePath, "
                                              "mediaPath, statusCallbackPath, streamStatusPath, connectActionPath, "
                                              "streamTokenSecret, streamTokenTtlSeconds, startTimeoutMs, trustedProxies, "
                                              "developmentMode, fallbackMessage, rest)");
        }
        if (!st.isOk()) return st;
    }

    auto baseUrl = [](std::string& url, const std::string& key) -> sdk::Status {
        while (!url.empty() && url.back() == '/') url.pop_back();
        if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0)
            return sdk::Status::invalidArgument("config." + key +
                                                " must be an https:// base URL (e.g. https://gw.example.com)");
        if (url.find_first_of("?# ") != std::string::npos)
            return sdk::Status::invalidArgument("config." + key + " must be a base URL without query, fragment or spaces");
        return sdk::Status::ok();
    };
    if (out.publicUrl.empty())
        return sdk::Status::invalidArgument(
            "config.publicUrl is required: the https:// base URL Twilio calls (e.g. https://gw.example.com)");
    sdk::Status st = baseUrl(out.publicUrl, "publicUrl");
    for (std::size_t i = 0; st.isOk() && i < out.alternatePublicUrls.size(); ++i)
        st = baseUrl(out.alternatePublicUrls[i], "alternatePublicUrls[" + std::to_string(i) + "]");
    if (st.isOk()) st = baseUrl(out.rest.baseUrl, "rest.baseUrl");
    if (!st.isOk()) return st;
    const std::pair<const char*, const std::string*> paths[] = {
        {"voicePath", &out.voicePath},           {"mediaPath", &out.mediaPath},
        {"statusCallbackPath", &out.statusCallbackPath}, {"streamStatusPath", &out.streamStatusPath},
        {"connectActionPath", &out.connectActionPath}};
    for (const auto& [name, path] : paths)
        if (!validPath(*path))
            return sdk::Status::invalidArgument(std::string("config.") + name + " must start with '/' and not end with '/'");
    for (const auto& [name, path] : paths)
        for (const auto& [other, otherPath] : paths)
            if (name != other && *path == *otherPath)
                return sdk::Status::invalidArgument(std::string("config.") + name + " and config." + other +
                                                    " must differ (both are " + *path + ")");
    st = TrustedProxies::parse(out.trustedProxies, "trustedProxies", out.trustedProxyRanges);
    if (!st.isOk()) return st;
    if (out.streamTokenSecret.size() < 32)
        return sdk::Status::invalidArgument(
            "config.streamTokenSecret must be at least 32 characters (set it from an environment variable)");
    return sdk::Status::ok();
}

} // namespace patchbay::twilio
