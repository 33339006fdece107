// ConfigError.cpp: message formatting for ConfigError.
#include "config/ConfigError.h"

namespace patchbay::host {

ConfigError::ConfigError(std::string source, std::vector<ConfigIssue> issues)
    : std::runtime_error(summary(source, issues)), _source(std::move(source)), _issues(std::move(issues))
{
}

std::vector<std::string> ConfigError::lines() const
{
    std::vector<std::string> out;
    out.reserve(_issues.size());
    for (const auto& issue : _issues)
        out.push_back(_source.empty() ? issue.toString() : _source + ": " + issue.toString());
    return out;
}

std::string ConfigError::summary(const std::string& source, const std::vector<ConfigIssue>& issues)
{
    std::string s = source.empty() ? std::string("config") : source;
    s += ": ";
    if (issues.empty()) return s + "invalid configuration";
    s += issues.front().toString();
    if (issues.size() > 1) s += " (and " + std::to_string(issues.size() - 1) + " more)";
    return s;
}

} // namespace patchbay::host
