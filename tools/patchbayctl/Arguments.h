// Arguments.h: declarative parser for one patchbayctl subcommand — options (single, repeated, flags) and positionals.
#ifndef PATCHBAY_TOOLS_PATCHBAYCTL_ARGUMENTS_H
#define PATCHBAY_TOOLS_PATCHBAYCTL_ARGUMENTS_H

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace patchbay {
namespace ctl {

/// Declared first so --help can describe the command, then parsed. Unlike tools/common's CommandLine
/// it takes positionals and repeatable options (--var, --variant), and it knows the global options
/// (--url, --token, --json) so they may also follow the subcommand. Errors throw CtlError(Usage)
/// with a hint naming the command's --help.
class Arguments
{
public:
    /// `command` is e.g. "tenants add"; `synopsis` the argument part of the usage line.
    Arguments(std::string command, std::string synopsis, std::string summary);

    void positional(const std::string& name, const std::string& help);
    void option(const std::string& name, const std::string& valueName, const std::string& help, bool required = false);
    void repeated(const std::string& name, const std::string& valueName, const std::string& help);
    void flag(const std::string& name, const std::string& help);
    /// Free text appended to --help (examples, notes).
    void note(const std::string& text);
    /// Replaces the "exit codes: ..." line of --help (a command with an exit code of its own).
    void exitCodes(const std::string& line) { _exitCodes = line; }

    /// Returns false when --help was given (the help text is then in help()).
    bool parse(const std::vector<std::string>& args);

    bool has(const std::string& name) const;
    std::string value(const std::string& name, const std::string& fallback = std::string()) const;
    std::vector<std::string> values(const std::string& name) const;
    std::string positionalValue(std::size_t index) const;
    /// Non-negative integer option, range-checked; nullopt when absent.
    std::optional<std::uint64_t> count(const std::string& name, std::uint64_t max = 0xFFFFFFFFu) const;
    /// Options in command-line order, so secrets read from stdin are taken in the order the user wrote them.
    const std::vector<std::pair<std::string, std::string>>& ordered() const { return _given; }

    std::string help() const;
    const std::string& command() const { return _command; }

    /// A usage error for this command, with the --help hint.
    [[noreturn]] void fail(const std::string& message) const;

private:
    enum class Kind { Flag, Single, Repeated };
    struct Spec
    {
        std::string name;
        Kind kind;
        std::string valueName;
        std::string help;
        bool required;
        bool global;
    };

    const Spec* find(const std::string& name) const;
    void add(Spec spec);

    std::string _command;
    std::string _synopsis;
    std::string _summary;
    std::vector<std::string> _notes;
    std::string _exitCodes = "exit codes: 0 ok, 1 API error, 2 usage error, 3 cannot connect, 4 authentication failure";
    std::vector<Spec> _specs;
    std::vector<std::pair<std::string, std::string>> _positionalSpecs;
    std::vector<std::pair<std::string, std::string>> _given;
    std::vector<std::string> _positionals;
};

} // namespace ctl
} // namespace patchbay

#endif
