// ConfigError.h: the exception ConfigLoader throws, carrying every problem found as {key path, message}.
#ifndef PATCHBAY_HOST_CONFIG_CONFIG_ERROR_H
#define PATCHBAY_HOST_CONFIG_CONFIG_ERROR_H

#include <stdexcept>
#include <string>
#include <vector>

namespace patchbay::host {

/// One problem in a config file. `path` is like "plugins[1].config.path" ("" for the whole file).
struct ConfigIssue
{
    std::string path;
    std::string message;

    /// "path: message", or just the message when the path is empty; one line for the operator.
    std::string toString() const { return path.empty() ? message : path + ": " + message; }
};

/// Thrown with all issues collected, so an operator fixes a file in one round trip.
class ConfigError : public std::runtime_error
{
public:
    ConfigError(std::string source, std::vector<ConfigIssue> issues);

    const std::string& source() const noexcept { return _source; }
    const std::vector<ConfigIssue>& issues() const noexcept { return _issues; }

    /// One line per issue, each prefixed with the source file.
    std::vector<std::string> lines() const;

private:
    static std::string summary(const std::string& source, const std::vector<ConfigIssue>& issues);

    std::string _source;
    std::vector<ConfigIssue> _issues;
};

} // namespace patchbay::host

#endif
