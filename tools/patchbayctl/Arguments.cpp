// Arguments.cpp: parsing, lookup and help text of a subcommand's arguments.
#include "Arguments.h"

#include "CtlError.h"

#include <charconv>
#include <sstream>

namespace patchbay {
namespace ctl {

Arguments::Arguments(std::string command, std::string synopsis, std::string summary):
    _command(std::move(command)),
    _synopsis(std::move(synopsis)),
    _summary(std::move(summary))
{
    add({"url", Kind::Single, "URL", "admin API base URL (env PATCHBAY_ADMIN_URL)", false, true});
    add({"token", Kind::Single, "TOKEN", "bearer token, '-' reads it from stdin (env PATCHBAY_ADMIN_TOKEN)", false, true});
    add({"json", Kind::Flag, "", "print the API's JSON instead of tables", false, true});
    add({"help", Kind::Flag, "", "print this help and exit", false, true});
}

void Arguments::add(Spec spec)
{
    _specs.push_back(std::move(spec));
}

void Arguments::positional(const std::string& name, const std::string& help)
{
    _positionalSpecs.emplace_back(name, help);
}

void Arguments::option(const std::string& name, const std::string& valueName, const std::string& help, bool required)
{
    add({name, Kind::Single, valueName, help, required, false});
}

void Arguments::repeated(const std::string& name, const std::string& valueName, const std::string& help)
{
    add({name, Kind::Repeated, valueName, help, false, false});
}

void Arguments::flag(const std::string& name, const std::string& help)
{
    add({name, Kind::Flag, "", help, false, false});
}

void Arguments::note(const std::string& text)
{
    _notes.push_back(text);
}

const Arguments::Spec* Arguments::find(const std::string& name) const
{
    for (const auto& spec : _specs)
        if (spec.name == name)
            return &spec;
    return nullptr;
}

bool Arguments::parse(const std::vector<std::string>& args)
{
    bool optionsEnded = false;
    for (std::size_t i = 0; i < args.size(); ++i)
    {
        const std::string& arg = args[i];
        if (optionsEnded || arg.size() < 2 || arg[0] != '-' || (arg[1] != '-' && arg != "-h"))
        {
            _positionals.push_back(arg);
            continue;
        }
        if (arg == "--")
        {
            optionsEnded = true;
            continue;
        }
        std::string name = arg == "-h" ? "help" : arg.substr(2);
        std::string value;
        bool inlineValue = false;
        const auto eq = name.find('=');
        if (eq != std::string::npos)
        {
            value = name.substr(eq + 1);
            name.resize(eq);
            inlineValue = true;
        }
        const Spec* spec = find(name);
        if (!spec)
            fail("unknown option --" + name);
        if (spec->kind == Kind::Flag)
        {
            if (inlineValue)
                fail("--" + name + " takes no value");
        }
        else if (!inlineValue)
        {
            if (i + 1 >= args.size())
                fail("--" + name + " needs a value (" + spec->valueName + ")");
            value = args[++i];
        }
        if (spec->kind == Kind::Single)
            for (const auto& given : _given)
                if (given.first == name)
                    fail("--" + name + " given twice");
        _given.emplace_back(name, value);
    }
    if (has("help"))
        return false;
    if (_positionals.size() < _positionalSpecs.size())
        fail("missing " + _positionalSpecs[_positionals.size()].first);
    if (_positionals.size() > _positionalSpecs.size())
        fail("unexpected argument '" + _positionals[_positionalSpecs.size()] + "'");
    for (const auto& spec : _specs)
        if (spec.required && !has(spec.name))
            fail("missing --" + spec.name);
    return true;
}

bool Arguments::has(const std::string& name) const
{
    for (const auto& given : _given)
        if (given.first == name)
            return true;
    return false;
}

std::string Arguments::value(const std::string& name, const std::string& fallback) const
{
    for (const auto& given : _given)
        if (given.first == name)
            return given.second;
    return fallback;
}

std::vector<std::string> Arguments::values(const std::string& name) const
{
    std::vector<std::string> result;
    for (const auto& given : _given)
        if (given.first == name)
            result.push_back(given.second);
    return result;
}

std::string Arguments::positionalValue(std::size_t index) const
{
    return index < _positionals.size() ? _positionals[index] : std::string();
}

std::optional<std::uint64_t> Arguments::count(const std::string& name, std::uint64_t max) const
{
    if (!has(name))
        return std::nullopt;
    const std::string text = value(name);
    std::uint64_t number = 0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), number);
    if (text.empty() || result.ec != std::errc() || result.ptr != text.data() + text.size())
        fail("--" + name + " expects a non-negative integer, got '" + text + "'");
    if (number > max)
        fail("--" + name + " must be at most " + std::to_string(max));
    return number;
}

std::string Arguments::help() const
{
    std::ostringstream out;
    out << "usage: patchbayctl " << _command;
    for (const auto& spec : _positionalSpecs)
        out << " " << spec.first;
    out << (_synopsis.empty() ? "" : " ") << _synopsis << "\n" << _summary << "\n";
    const auto column = [&out](std::string left, const std::string& help) {
        if (left.size() < 32)
            left.resize(32, ' ');
        else
            left += "\n" + std::string(32, ' ');
        out << left << help << "\n";
    };
    if (!_positionalSpecs.empty())
    {
        out << "\narguments:\n";
        for (const auto& spec : _positionalSpecs)
            column("  " + spec.first, spec.second);
    }
    for (const bool global : {false, true})
    {
        bool header = false;
        for (const auto& spec : _specs)
        {
            if (spec.global != global)
                continue;
            if (!header)
                out << (global ? "\nglobal options:\n" : "\noptions:\n");
            header = true;
            std::string left = std::string(spec.name == "help" ? "  -h, --" : "  --") + spec.name +
                               (spec.valueName.empty() ? "" : " " + spec.valueName);
            std::string text = spec.help;
            if (spec.required)
                text += " (required)";
            if (spec.kind == Kind::Repeated)
                text += " (repeatable)";
            column(left, text);
        }
    }
    for (const auto& note : _notes)
        out << "\n" << note << "\n";
    out << "\n" << _exitCodes << "\n";
    return out.str();
}

void Arguments::fail(const std::string& message) const
{
    throw CtlError::usage(_command + ": " + message, "see 'patchbayctl " + _command + " --help'");
}

} // namespace ctl
} // namespace patchbay
