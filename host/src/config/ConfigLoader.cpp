// ConfigLoader.cpp: parsing, ${ENV} expansion and strict validation of the host config file.
#include "config/ConfigLoader.h"

#include "config/ConfigReader.h"

#include "patchbay/sdk/support/JsonDocument.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

namespace patchbay::host {

namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

const std::vector<std::string>& thresholdNames()
{
    static const std::vector<std::string> names{"trace", "debug", "info", "warn", "error", "critical", "off"};
    return names;
}

bool isValidPluginId(const std::string& id)
{
    if (id.empty() || id.size() > 32) return false;
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    return true;
}

bool isValidLoggerName(const std::string& name)
{
    if (name.empty() || name.size() > 64) return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.'))
            return false;
    return true;
}

bool fitsPocoInteger(std::string_view text)
{
    std::int64_t i = 0;
    std::uint64_t u = 0;
    const char* end = text.data() + text.size();
    auto r = std::from_chars(text.data(), end, i);
    if (r.ec == std::errc() && r.ptr == end) return true;
    auto ru = std::from_chars(text.data(), end, u);
    return ru.ec == std::errc() && ru.ptr == end;
}

/// Checks Poco's parser would hide or mishandle: it keeps only the last of duplicate member names
/// (a second "server" block would silently replace the first) and rejects integers beyond 64 bits
/// without saying where. The SDK's parser keeps both, so we can name the key path.
void prescan(const patchbay::sdk::support::JsonValue& value, const std::string& path, std::vector<ConfigIssue>& issues)
{
    using Type = patchbay::sdk::support::JsonValue::Type;
    if (value.type() == Type::Object)
    {
        std::set<std::string_view> seen;
        for (const auto& member : value)
        {
            std::string childPath = ConfigReader::childPath(path, std::string(member.key()));
            if (!seen.insert(member.key()).second)
                issues.push_back({childPath, "duplicate key (each key may appear once per object)"});
            prescan(member, childPath, issues);
        }
    }
    else if (value.type() == Type::Array)
    {
        std::size_t i = 0;
        for (const auto& item : value)
            prescan(item, ConfigReader::indexPath(path, i++), issues);
    }
    else if (value.type() == Type::Number)
    {
        std::string_view text = value.numberText();
        bool integral = text.find_first_of(".eE") == std::string_view::npos;
        if (integral && !fitsPocoInteger(text))
            issues.push_back({path, "integer " + std::string(text) + " is out of range (64 bits at most)"});
    }
}

/// "host:port" with an optional [IPv6] host; port 0 lets the OS choose.
bool parseListen(const std::string& listen, std::string& host, std::uint16_t& port)
{
    std::size_t colon = listen.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) return false;
    std::string h = listen.substr(0, colon);
    std::string p = listen.substr(colon + 1);
    if (h.front() == '[')
    {
        if (h.size() < 3 || h.back() != ']') return false;
        h = h.substr(1, h.size() - 2);
    }
    else if (h.find(':') != std::string::npos)
    {
        return false; // an IPv6 literal must be bracketed
    }
    if (p.size() > 5) return false;
    unsigned long n = 0;
    for (char c : p)
    {
        if (c < '0' || c > '9') return false;
        n = n * 10 + static_cast<unsigned long>(c - '0');
    }
    if (n > 65535) return false;
    host = h;
    port = static_cast<std::uint16_t>(n);
    return true;
}

} // namespace

std::pair<std::size_t, std::size_t> ConfigLoader::lineColumn(const std::string& text, std::size_t offset)
{
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i)
    {
        if (text[i] == '\n')
        {
            ++line;
            column = 1;
        }
        else
        {
            ++column;
        }
    }
    return {line, column};
}

HostConfig ConfigLoader::loadFile(const std::string& path) const
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw ConfigError(path, {{"", std::string("cannot open the config file: ") + std::strerror(errno)}});
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) throw ConfigError(path, {{"", "cannot read the config file"}});
    return loadString(buffer.str(), path);
}

HostConfig ConfigLoader::loadString(const std::string& json, const std::string& sourceName) const
{
    std::vector<ConfigIssue> issues;
    Var root = parse(json, issues);
    if (!issues.empty()) throw ConfigError(sourceName, std::move(issues));
    if (!ConfigReader::isObject(root))
        throw ConfigError(sourceName, {{"", "expected a JSON object at the top level, got " + ConfigReader::describe(root)}});

    interpolate(root, "", issues);
    HostConfig config = build(root.extract<Object::Ptr>(), issues);
    if (!issues.empty()) throw ConfigError(sourceName, std::move(issues));
    config.sourceName = sourceName;
    return config;
}

Var ConfigLoader::parse(const std::string& json, std::vector<ConfigIssue>& issues) const
{
    // The SDK's strict parser goes first: it knows where an error is (Poco's messages carry no
    // position) and it sees duplicate keys.
    patchbay::sdk::support::JsonDocument doc;
    if (!doc.parse(json))
    {
        auto [line, column] = lineColumn(json, doc.errorOffset());
        issues.push_back({"", "syntax error at line " + std::to_string(line) + ", column " + std::to_string(column) +
                                  ": " + (doc.errorMessage() ? doc.errorMessage() : "invalid JSON")});
        return {};
    }
    prescan(doc.root(), "", issues);
    if (!issues.empty()) return {};
    try
    {
        Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
        return parser.parse(json);
    }
    catch (const Poco::Exception& e)
    {
        issues.push_back({"", "syntax error: " + e.message()});
    }
    return {};
}

void ConfigLoader::interpolate(Var& value, const std::string& path, std::vector<ConfigIssue>& issues) const
{
    if (ConfigReader::isObject(value))
    {
        interpolateObject(value.extract<Object::Ptr>(), path, issues);
    }
    else if (ConfigReader::isArray(value))
    {
        Array::Ptr arr = value.extract<Array::Ptr>();
        for (std::size_t i = 0; i < arr->size(); ++i)
        {
            Var item = arr->get(static_cast<unsigned>(i));
            bool isString = item.isString();
            interpolate(item, ConfigReader::indexPath(path, i), issues);
            if (isString) arr->set(static_cast<unsigned>(i), item);
        }
    }
    else if (value.isString())
    {
        std::string in = value.convert<std::string>();
        if (!EnvInterpolator::hasReferences(in)) return;
        std::string out, error;
        if (_interpolator.expand(in, out, error))
            value = out;
        else
            issues.push_back({path, error});
    }
}

void ConfigLoader::interpolateObject(Object::Ptr obj, const std::string& path,
                                     std::vector<ConfigIssue>& issues) const
{
    for (const auto& name : obj->getNames())
    {
        Var item = obj->get(name);
        bool isString = item.isString();
        interpolate(item, ConfigReader::childPath(path, name), issues);
        if (isString) obj->set(name, item);
    }
}

HostConfig ConfigLoader::build(const Object::Ptr& root, std::vector<ConfigIssue>& issues) const
{
    ConfigReader r(issues);
    HostConfig c;
    r.allowOnly(root, "", {"$schema", "server", "media", "logging", "pluginDir", "plugins", "routing", "tls", "admin"});
    std::string ignored;
    r.string(root, "$schema", "$schema", ignored);

    if (Object::Ptr s = r.object(root, "server", "server"))
    {
        r.allowOnly(s, "server", {"listen", "threads", "maxQueued", "backlog", "tls", "maxBodyBytes"});
        std::string listen;
        if (r.string(s, "listen", "server.listen", listen))
        {
            std::string host;
            std::uint16_t port = 0;
            if (parseListen(listen, host, port))
            {
                c.server.listen = listen;
                c.server.listenHost = host;
                c.server.listenPort = port;
            }
            else
            {
                r.error("server.listen", "expected \"host:port\" (IPv6 as \"[::1]:8080\", port 0..65535), got " +
                                             ConfigReader::describe(Var(listen)));
            }
        }
        r.integerInto(s, "threads", "server.threads", 1, 1024, c.server.threads);
        r.integerInto(s, "maxQueued", "server.maxQueued", 1, 1000000, c.server.maxQueued);
        r.integerInto(s, "backlog", "server.backlog", 1, 65535, c.server.backlog);
        r.integerInto(s, "maxBodyBytes", "server.maxBodyBytes", 1, std::int64_t(1) << 30, c.server.maxBodyBytes);
        if (Object::Ptr t = r.object(s, "tls", "server.tls"))
        {
            r.allowOnly(t, "server.tls", {"certificate", "privateKey"});
            ServerTlsConfig tls;
            bool okCert = r.string(t, "certificate", "server.tls.certificate", tls.certificate, false);
            bool okKey = r.string(t, "privateKey", "server.tls.privateKey", tls.privateKey, false);
            if (!t->has("certificate")) r.error("server.tls.certificate", "required when server.tls is present");
            if (!t->has("privateKey")) r.error("server.tls.privateKey", "required when server.tls is present");
            if (okCert && okKey) c.server.tls = tls;
        }
    }

    if (Object::Ptr m = r.object(root, "media", "media"))
    {
        r.allowOnly(m, "media", {"loops", "maxMessageBytes", "writeQueueBytes", "connectTimeoutMs", "connectorThreads"});
        r.integerInto(m, "loops", "media.loops", 0, 256, c.media.loops);
        r.integerInto(m, "maxMessageBytes", "media.maxMessageBytes", 1024, std::int64_t(256) << 20, c.media.maxMessageBytes);
        r.integerInto(m, "writeQueueBytes", "media.writeQueueBytes", 1024, std::int64_t(1) << 30, c.media.writeQueueBytes);
        r.integerInto(m, "connectTimeoutMs", "media.connectTimeoutMs", 1, 600000, c.media.connectTimeoutMs);
        r.integerInto(m, "connectorThreads", "media.connectorThreads", 1, 64, c.media.connectorThreads);
    }

    if (Object::Ptr l = r.object(root, "logging", "logging"))
    {
        r.allowOnly(l, "logging", {"format", "level", "levels", "file"});
        std::size_t idx = 0;
        if (r.choice(l, "format", "logging.format", {"text", "json"}, idx))
            c.logging.format = idx == 0 ? LogFormat::Text : LogFormat::Json;
        if (r.choice(l, "level", "logging.level", thresholdNames(), idx))
            c.logging.level = static_cast<LogThreshold>(idx);
        if (Object::Ptr lv = r.object(l, "levels", "logging.levels"))
        {
            for (const auto& name : lv->getNames())
            {
                std::string path = ConfigReader::childPath("logging.levels", name);
                if (!isValidLoggerName(name))
                {
                    r.error(path, "invalid logger name (expected [A-Za-z0-9._-]{1,64}, e.g. \"plugin.twilio\")");
                    continue;
                }
                if (r.choiceValue(lv->get(name), path, thresholdNames(), idx))
                    c.logging.levels[name] = static_cast<LogThreshold>(idx);
            }
        }
        r.string(l, "file", "logging.file", c.logging.file);
    }

    r.string(root, "pluginDir", "pluginDir", c.pluginDir);

    if (Array::Ptr plugins = r.array(root, "plugins", "plugins"))
    {
        std::set<std::string> ids;
        for (std::size_t i = 0; i < plugins->size(); ++i)
        {
            std::string path = ConfigReader::indexPath("plugins", i);
            Var item = plugins->get(static_cast<unsigned>(i));
            if (!ConfigReader::isObject(item))
            {
                r.error(path, "expected an object with at least an \"id\", got " + ConfigReader::describe(item));
                continue;
            }
            Object::Ptr p = item.extract<Object::Ptr>();
            r.allowOnly(p, path, {"id", "path", "enabled", "required", "config"});
            PluginConfig pc;
            std::string idPath = path + ".id";
            if (!p->has("id"))
            {
                r.error(idPath, "required (a plugin id like \"twilio\")");
            }
            else if (r.string(p, "id", idPath, pc.id))
            {
                if (!isValidPluginId(pc.id))
                    r.error(idPath, "invalid plugin id " + ConfigReader::describe(Var(pc.id)) +
                                        " (expected 1 to 32 characters of a-z, 0-9 and '-')");
                else if (!ids.insert(pc.id).second)
                    r.error(idPath, "duplicate plugin id \"" + pc.id + "\" (ids must be unique)");
            }
            r.string(p, "path", path + ".path", pc.path);
            r.boolean(p, "enabled", path + ".enabled", pc.enabled);
            r.boolean(p, "required", path + ".required", pc.required);
            if (Object::Ptr cfg = r.object(p, "config", path + ".config"))
            {
                std::ostringstream out;
                Poco::JSON::Stringifier::stringify(cfg, out, 0, -1);
                pc.configJson = out.str();
            }
            c.plugins.push_back(std::move(pc));
        }
    }

    if (Object::Ptr rt = r.object(root, "routing", "routing"))
    {
        r.allowOnly(rt, "routing", {"tenantStore", "defaultAgent", "inboundProvider", "streamStartTimeoutMs", "drainTimeoutMs",
                                         "prewarmAgent"});
        auto pluginRef = [&](const char* key, std::string& target) {
            std::string path = std::string("routing.") + key;
            if (!r.string(rt, key, path, target) || target.empty()) return;
            if (!c.findPlugin(target))
                r.error(path, "names plugin \"" + target + "\", which is not in plugins[] (configured: " +
                                  [&] {
                                      std::string ids;
                                      std::set<std::string> listed;
                                      for (const auto& p : c.plugins)
                                          if (!p.id.empty() && listed.insert(p.id).second)
                                              ids += (ids.empty() ? "" : ", ") + p.id;
                                      return ids.empty() ? std::string("none") : ids;
                                  }() + ")");
        };
        pluginRef("tenantStore", c.routing.tenantStore);
        pluginRef("defaultAgent", c.routing.defaultAgent);
        pluginRef("inboundProvider", c.routing.inboundProvider);
        r.integerInto(rt, "streamStartTimeoutMs", "routing.streamStartTimeoutMs", 1, 600000,
                      c.routing.streamStartTimeoutMs);
        r.integerInto(rt, "drainTimeoutMs", "routing.drainTimeoutMs", 0, 3600000, c.routing.drainTimeoutMs);
        r.boolean(rt, "prewarmAgent", "routing.prewarmAgent", c.routing.prewarmAgent);
    }

    if (Object::Ptr t = r.object(root, "tls", "tls"))
    {
        r.allowOnly(t, "tls", {"caFile", "verifyPeer"});
        r.string(t, "caFile", "tls.caFile", c.tls.caFile);
        r.boolean(t, "verifyPeer", "tls.verifyPeer", c.tls.verifyPeer);
    }

    if (Object::Ptr a = r.object(root, "admin", "admin")) buildAdmin(a, r, c.admin);
    return c;
}

void ConfigLoader::buildAdmin(const Object::Ptr& a, ConfigReader& r, AdminConfig& admin) const
{
    r.allowOnly(a, "admin", {"listen", "operatorToken", "threads"});
    admin.enabled = true;
    std::string listen;
    if (r.string(a, "listen", "admin.listen", listen))
    {
        std::string host;
        std::uint16_t port = 0;
        if (listen.empty())
        {
            admin.enabled = false;
            admin.listen.clear();
        }
        else if (parseListen(listen, host, port))
        {
            admin.listen = listen;
            admin.listenHost = host;
            admin.listenPort = port;
        }
        else
        {
            r.error("admin.listen", "expected \"host:port\" (IPv6 as \"[::1]:8081\", port 0..65535) or \"\" to disable, got " +
                                        ConfigReader::describe(Var(listen)));
        }
    }
    r.integerInto(a, "threads", "admin.threads", 1, 256, admin.threads);
    // The token is a secret: messages describe it, never quote it.
    std::string token;
    const bool present = a->has("operatorToken");
    if (present && a->get("operatorToken").isString())
    {
        token = a->getValue<std::string>("operatorToken");
        const bool printable = std::all_of(token.begin(), token.end(), [](char ch) { return ch > 0x20 && ch < 0x7f; });
        if (token.size() < kMinOperatorTokenLength || token.size() > kMaxOperatorTokenLength)
            r.error("admin.operatorToken", "must be " + std::to_string(kMinOperatorTokenLength) + " to " +
                                               std::to_string(kMaxOperatorTokenLength) + " characters long (it has " +
                                               std::to_string(token.size()) + ")");
        else if (!printable)
            r.error("admin.operatorToken", "must be printable ASCII without spaces");
        else
            admin.operatorToken = token;
    }
    else if (present)
    {
        r.error("admin.operatorToken", "expected a string, got " + ConfigReader::describe(a->get("operatorToken")));
    }
    else if (admin.enabled)
    {
        r.error("admin.operatorToken", "required when admin.listen is set (e.g. \"${PATCHBAY_ADMIN_TOKEN}\")");
    }
}

} // namespace patchbay::host
