// CommandLine.h: a small declarative `--name value` / `--flag` parser shared by the Patchbay test tools.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace patchbay {
namespace tools {

/// Thrown for unknown options, missing values and values out of range; the message is meant for the user.
class UsageError: public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

/// Options are declared first (so --help can list them), then parsed. Both `--name value` and
/// `--name=value` are accepted; a repeated option keeps its last value.
class CommandLine
{
public:
    explicit CommandLine(std::string program, std::string summary);

    /// An option taking a value; defaultText is only shown in the usage text.
    void option(const std::string& name, const std::string& valueName, const std::string& help,
        const std::string& defaultText = std::string());
    /// An option without value.
    void flag(const std::string& name, const std::string& help);

    /// Throws UsageError. Returns false if --help was given (usage already printed to stdout).
    bool parse(int argc, char** argv);

    bool has(const std::string& name) const;
    std::string text(const std::string& name, const std::string& fallback = std::string()) const;
    std::int64_t integer(const std::string& name, std::int64_t fallback, std::int64_t min, std::int64_t max) const;
    std::string usage() const;

    /// Splits "host:port" (IPv6 as "[::1]:port"); throws UsageError naming the option.
    static std::pair<std::string, std::uint16_t> hostPort(const std::string& option, const std::string& value);

private:
    struct Spec
    {
        std::string valueName; // empty for flags
        std::string help;
        std::string defaultText;
    };

    std::string _program;
    std::string _summary;
    std::vector<std::pair<std::string, Spec>> _specs;
    std::map<std::string, std::string> _values;
};

} // namespace tools
} // namespace patchbay
