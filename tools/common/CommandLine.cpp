// CommandLine.cpp: parsing and usage text of the tools' command lines.
#include "CommandLine.h"

#include <charconv>
#include <iostream>
#include <sstream>

namespace patchbay {
namespace tools {

CommandLine::CommandLine(std::string program, std::string summary):
    _program(std::move(program)),
    _summary(std::move(summary))
{
    flag("help", "print this help and exit");
}

void CommandLine::option(const std::string& name, const std::string& valueName, const std::string& help,
    const std::string& defaultText)
{
    _specs.push_back({name, Spec{valueName.empty() ? "VALUE" : valueName, help, defaultText}});
}

void CommandLine::flag(const std::string& name, const std::string& help)
{
    _specs.push_back({name, Spec{std::string(), help, std::string()}});
}

bool CommandLine::parse(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i)
    {
        std::string arg = argv[i];
        if (arg.rfind("--", 0) != 0)
            throw UsageError("unexpected argument '" + arg + "' (options start with --)");
        std::string name = arg.substr(2);
        std::string value;
        bool inlineValue = false;
        const auto eq = name.find('=');
        if (eq != std::string::npos)
        {
            value = name.substr(eq + 1);
            name.resize(eq);
            inlineValue = true;
        }
        const Spec* spec = nullptr;
        for (const auto& entry : _specs)
            if (entry.first == name)
                spec = &entry.second;
        if (!spec)
            throw UsageError("unknown option --" + name + " (see --help)");
        if (spec->valueName.empty())
        {
            if (inlineValue)
                throw UsageError("--" + name + " takes no value");
        }
        else if (!inlineValue)
        {
            if (i + 1 >= argc)
                throw UsageError("--" + name + " needs a value (" + spec->valueName + ")");
            value = argv[++i];
        }
        _values[name] = value;
    }
    if (has("help"))
    {
        std::cout << usage();
        return false;
    }
    return true;
}

bool CommandLine::has(const std::string& name) const
{
    return _values.count(name) != 0;
}

std::string CommandLine::text(const std::string& name, const std::string& fallback) const
{
    const auto it = _values.find(name);
    return it == _values.end() ? fallback : it->second;
}

std::int64_t CommandLine::integer(const std::string& name, std::int64_t fallback, std::int64_t min, std::int64_t max) const
{
    const auto it = _values.find(name);
    if (it == _values.end())
        return fallback;
    std::int64_t value = 0;
    const std::string& s = it->second;
    const auto result = std::from_chars(s.data(), s.data() + s.size(), value);
    if (result.ec != std::errc() || result.ptr != s.data() + s.size())
        throw UsageError("--" + name + " expects an integer, got '" + s + "'");
    if (value < min || value > max)
        throw UsageError("--" + name + " must be between " + std::to_string(min) + " and " + std::to_string(max));
    return value;
}

std::string CommandLine::usage() const
{
    std::ostringstream out;
    out << "usage: " << _program << " [options]\n" << _summary << "\n\noptions:\n";
    for (const auto& [name, spec] : _specs)
    {
        std::string left = "  --" + name + (spec.valueName.empty() ? "" : " " + spec.valueName);
        if (left.size() < 30)
            left.resize(30, ' ');
        else
            left += "\n" + std::string(30, ' ');
        out << left << spec.help;
        if (!spec.defaultText.empty())
            out << " (default " << spec.defaultText << ")";
        out << "\n";
    }
    return out.str();
}

std::pair<std::string, std::uint16_t> CommandLine::hostPort(const std::string& option, const std::string& value)
{
    std::string host;
    std::string port;
    if (!value.empty() && value[0] == '[')
    {
        const auto close = value.find("]:");
        if (close == std::string::npos)
            throw UsageError("--" + option + " expects HOST:PORT, got '" + value + "'");
        host = value.substr(1, close - 1);
        port = value.substr(close + 2);
    }
    else
    {
        const auto colon = value.rfind(':');
        if (colon == std::string::npos)
            throw UsageError("--" + option + " expects HOST:PORT, got '" + value + "'");
        host = value.substr(0, colon);
        port = value.substr(colon + 1);
    }
    unsigned number = 0;
    const auto result = std::from_chars(port.data(), port.data() + port.size(), number);
    if (host.empty() || port.empty() || result.ec != std::errc() || result.ptr != port.data() + port.size() || number > 65535)
        throw UsageError("--" + option + " expects HOST:PORT (port 0..65535), got '" + value + "'");
    return {host, static_cast<std::uint16_t>(number)};
}

} // namespace tools
} // namespace patchbay
