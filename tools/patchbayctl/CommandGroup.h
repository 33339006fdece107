// CommandGroup.h: one command group of patchbayctl (tenants, numbers, ...) — its subcommands, their dispatch and group help.
#ifndef PATCHBAY_TOOLS_PATCHBAYCTL_COMMAND_GROUP_H
#define PATCHBAY_TOOLS_PATCHBAYCTL_COMMAND_GROUP_H

#include <functional>
#include <string>
#include <vector>

namespace patchbay {
namespace ctl {

class CtlContext;

/// A group with a single command (`usage`) has one subcommand named "" that receives all arguments.
class CommandGroup
{
public:
    using Handler = std::function<int(CtlContext&, const std::vector<std::string>&)>;

    CommandGroup(std::string name, std::string summary);

    void add(const std::string& command, const std::string& summary, Handler handler);

    const std::string& name() const { return _name; }
    const std::string& summary() const { return _summary; }
    std::string help() const;

    /// `args` are what follows the group name. Returns the exit code; throws CtlError.
    int run(CtlContext& context, const std::vector<std::string>& args) const;

private:
    struct Command
    {
        std::string name;
        std::string summary;
        Handler handler;
    };

    std::string _name;
    std::string _summary;
    std::vector<Command> _commands;
};

/// The groups, in the order `patchbayctl --help` lists them (each defined in its *Commands.cpp).
CommandGroup tenantCommands();
CommandGroup variantCommands();
CommandGroup numberCommands();
CommandGroup accountCommands();
CommandGroup callCommands();
CommandGroup usageCommands();
CommandGroup tokenCommands();
CommandGroup keyCommands();
CommandGroup healthCommands();
CommandGroup doctorCommands();

} // namespace ctl
} // namespace patchbay

#endif
