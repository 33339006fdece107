// MasterKeyLoader.cpp: strict parsing of config.keys and loading of each key from its file or variable.
#include "patchbay/tenantsqlite/MasterKeyLoader.h"

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "patchbay/sdk/support/Base64.h"
#include "patchbay/sdk/support/Hex.h"

namespace patchbay::tenantsqlite {

using sdk::Status;
using sdk::support::JsonValue;

namespace {

std::string_view trim(std::string_view text)
{
    const char* space = " \t\r\n";
    const std::size_t first = text.find_first_not_of(space);
    if (first == std::string_view::npos)
        return {};
    return text.substr(first, text.find_last_not_of(space) - first + 1);
}

Status badKey(const std::string& id, const std::string& source)
{
    return Status::invalidArgument("tenant-sqlite: master key '" + id + "' (" + source +
                                   ") must be 32 random bytes written as base64 or hex "
                                   "(e.g. `head -c32 /dev/urandom | base64`)");
}

/// Reads the id -> source map of "files" or "env" into keys, through `load`.
template <typename Load>
Status readSources(const JsonValue& sources, const std::string& path, MasterKeys& keys, Load load)
{
    if (!sources.exists() || sources.isNull())
        return Status::ok();
    if (!sources.isObject())
        return Status::invalidArgument(path + " must be an object of key id -> " +
                                       (path.back() == 's' ? "file path" : "variable name"));
    for (const JsonValue& member : sources)
    {
        const std::string id(member.key());
        if (!MasterKeyLoader::isKeyId(id))
            return Status::invalidArgument(path + ": key id '" + id.substr(0, 40) +
                                           "' must be 1 to 32 of A-Z, a-z, 0-9, '_' and '-'");
        if (!member.isString() || member.asString().empty())
            return Status::invalidArgument(path + "." + id + " must be a non-empty string");
        if (keys.keys.count(id))
            return Status::invalidArgument(path + "." + id + ": key id '" + id + "' is configured twice");
        std::string key;
        Status loaded = load(id, std::string(member.asString()), key);
        if (!loaded)
            return loaded;
        keys.keys[id] = std::move(key);
    }
    return Status::ok();
}

} // namespace

bool MasterKeyLoader::isKeyId(std::string_view id) noexcept
{
    if (id.empty() || id.size() > 32)
        return false;
    for (char c : id)
    {
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    }
    return true;
}

bool MasterKeyLoader::decodeKey(std::string_view text, std::string& key)
{
    text = trim(text);
    std::string bytes;
    if (text.size() == 2 * MasterKeys::kKeyBytes)
    {
        for (std::size_t i = 0; i < text.size(); i += 2)
        {
            const int high = sdk::support::Hex::digitValue(text[i]);
            const int low = sdk::support::Hex::digitValue(text[i + 1]);
            if (high < 0 || low < 0)
                return false;
            bytes.push_back(static_cast<char>(high * 16 + low));
        }
    }
    else if (!sdk::support::Base64::decode(text, bytes))
        return false;
    if (bytes.size() != MasterKeys::kKeyBytes)
        return false;
    key = std::move(bytes);
    return true;
}

sdk::Result<MasterKeys> MasterKeyLoader::fromJson(const JsonValue& value, std::string_view where) noexcept
{
    try
    {
        const std::string path(where);
        if (!value.isObject())
            return Status::invalidArgument(path + " must be an object");
        for (const JsonValue& member : value)
        {
            const std::string_view key = member.key();
            if (key != "active" && key != "files" && key != "env" && key != "insecureDevelopmentKey")
                return Status::invalidArgument("unknown key '" + std::string(key) + "' in " + path +
                                               " (known: active, files, env, insecureDevelopmentKey)");
        }

        MasterKeys keys;
        Status s = readSources(value["files"], path + ".files", keys,
                               [](const std::string& id, const std::string& file, std::string& key) {
                                   std::ifstream in(file, std::ios::binary);
                                   if (!in)
                                       return Status::invalidArgument("tenant-sqlite: master key '" + id +
                                                                      "': cannot read key file " + file +
                                                                      " (check the path in keys.files and that the gateway's user may read it)");
                                   const std::string text((std::istreambuf_iterator<char>(in)),
                                                          std::istreambuf_iterator<char>());
                                   return decodeKey(text, key) ? Status::ok() : badKey(id, "file " + file);
                               });
        if (s)
            s = readSources(value["env"], path + ".env", keys,
                            [](const std::string& id, const std::string& variable, std::string& key) {
                                const char* text = std::getenv(variable.c_str());
                                if (!text || !*text)
                                    return Status::invalidArgument("tenant-sqlite: master key '" + id +
                                                                   "': environment variable " + variable +
                                                                   " is not set");
                                return decodeKey(text, key) ? Status::ok()
                                                            : badKey(id, "environment variable " + variable);
                            });
        if (!s)
            return s;

        const JsonValue& development = value["insecureDevelopmentKey"];
        if (development.exists() && !development.isBool())
            return Status::invalidArgument(path + ".insecureDevelopmentKey must be true or false");
        if (development.asBool(false))
        {
            if (keys.keys.count(MasterKeys::kInsecureDevelopmentKeyId))
                return Status::invalidArgument(path + ": key id '" + MasterKeys::kInsecureDevelopmentKeyId +
                                               "' is reserved for insecureDevelopmentKey");
            keys.addInsecureDevelopmentKey();
            keys.activeId.clear(); // chosen below, like any other key
        }

        const JsonValue& active = value["active"];
        if (active.exists())
        {
            if (!active.isString())
                return Status::invalidArgument(path + ".active must be a key id string");
            keys.activeId = std::string(active.asString());
            if (!keys.keys.count(keys.activeId))
                return Status::invalidArgument(path + ".active names key '" + keys.activeId.substr(0, 40) +
                                               "', which is not configured in " + path + ".files or .env");
        }
        else if (keys.keys.size() == 1)
            keys.activeId = keys.keys.begin()->first;
        else if (keys.keys.empty())
            return Status::invalidArgument(path + " configures no key (add files, env or insecureDevelopmentKey)");
        else
            return Status::invalidArgument(path + ".active is required when several keys are configured");
        return keys;
    }
    catch (const std::exception& e)
    {
        return Status::internal(std::string("reading tenant-sqlite config.keys: ") + e.what());
    }
}

} // namespace patchbay::tenantsqlite
