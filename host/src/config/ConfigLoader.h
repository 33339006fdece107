// ConfigLoader.h: reads the host's JSON config file, expands ${ENV} references and validates it strictly into a HostConfig.
#ifndef PATCHBAY_HOST_CONFIG_CONFIG_LOADER_H
#define PATCHBAY_HOST_CONFIG_CONFIG_LOADER_H

#include "config/ConfigError.h"
#include "config/ConfigReader.h"
#include "config/EnvInterpolator.h"
#include "config/HostConfig.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace patchbay::host {

/// Steps: read -> parse (syntax errors carry line:column) -> expand ${ENV} in every string value ->
/// validate (unknown keys, types, ranges, ids, cross references) -> HostConfig.
/// Every problem found is collected; load*() throws one ConfigError listing them all.
/// THREAD: Control (startup); instances hold no mutable state.
class ConfigLoader
{
public:
    /// Bounds of admin.operatorToken: long enough not to be guessed, short enough to fit a header.
    static constexpr std::size_t kMinOperatorTokenLength = 24;
    static constexpr std::size_t kMaxOperatorTokenLength = 1024;

    /// Expands references from the process environment.
    ConfigLoader() = default;
    explicit ConfigLoader(EnvInterpolator::Lookup envLookup) : _interpolator(std::move(envLookup)) {}

    /// @throws ConfigError (file unreadable, syntax, unset variables, validation).
    HostConfig loadFile(const std::string& path) const;
    /// `sourceName` only labels messages.
    HostConfig loadString(const std::string& json, const std::string& sourceName = "<config>") const;

    /// 1-based line and column of a byte offset in text (columns count bytes).
    static std::pair<std::size_t, std::size_t> lineColumn(const std::string& text, std::size_t offset);

private:
    Poco::Dynamic::Var parse(const std::string& json, std::vector<ConfigIssue>& issues) const;
    void interpolate(Poco::Dynamic::Var& value, const std::string& path, std::vector<ConfigIssue>& issues) const;
    void interpolateObject(Poco::JSON::Object::Ptr obj, const std::string& path,
                           std::vector<ConfigIssue>& issues) const;
    HostConfig build(const Poco::JSON::Object::Ptr& root, std::vector<ConfigIssue>& issues) const;
    void buildAdmin(const Poco::JSON::Object::Ptr& admin, ConfigReader& reader, AdminConfig& target) const;

    EnvInterpolator _interpolator;
};

} // namespace patchbay::host

#endif
