// CommandGroup.cpp: subcommand lookup and the group-level help text.
#include "CommandGroup.h"

#include "CtlContext.h"
#include "CtlError.h"

#include <algorithm>
#include <sstream>

namespace patchbay {
namespace ctl {

CommandGroup::CommandGroup(std::string name, std::string summary):
    _name(std::move(name)),
    _summary(std::move(summary))
{
}

void CommandGroup::add(const std::string& command, const std::string& summary, Handler handler)
{
    _commands.push_back({command, summary, std::move(handler)});
}

std::string CommandGroup::help() const
{
    std::ostringstream out;
    out << "usage: patchbayctl " << _name << " COMMAND [ARGS] [OPTIONS]\n" << _summary << "\n\ncommands:\n";
    for (const auto& command : _commands)
    {
        std::string left = "  " + command.name;
        left.resize(std::max<std::size_t>(left.size() + 2, 20), ' ');
        out << left << command.summary << "\n";
    }
    out << "\n'patchbayctl " << _name << " COMMAND --help' (or -h) describes a command's arguments and options.\n";
    out << "exit codes: 0 ok, 1 API error, 2 usage error, 3 cannot connect, 4 authentication failure\n";
    return out.str();
}

int CommandGroup::run(CtlContext& context, const std::vector<std::string>& args) const
{
    if (_commands.size() == 1 && _commands.front().name.empty())
    {
        // `usage help` reads like `tenants help`; a lone "help" is never an argument of these commands.
        if (args.size() == 1 && args.front() == "help")
            return _commands.front().handler(context, {"--help"});
        return _commands.front().handler(context, args);
    }
    if (args.empty())
        throw CtlError::usage(_name + ": missing command", "see 'patchbayctl " + _name + " --help'");
    const std::string& wanted = args.front();
    if (wanted == "--help" || wanted == "-h" || wanted == "help")
    {
        context.out() << help();
        return 0;
    }
    for (const auto& command : _commands)
        if (command.name == wanted)
            return command.handler(context, std::vector<std::string>(args.begin() + 1, args.end()));
    throw CtlError::usage(_name + ": unknown command '" + wanted + "'", "see 'patchbayctl " + _name + " --help'");
}

} // namespace ctl
} // namespace patchbay
