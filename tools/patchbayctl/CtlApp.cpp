// CtlApp.cpp: top-level parsing of patchbayctl and the mapping of every failure to one stderr line and an exit code.
#include "CtlApp.h"

#include "CommandGroup.h"
#include "CtlContext.h"
#include "CtlError.h"

#include <Poco/Exception.h>

#include <iostream>
#include <sstream>

namespace patchbay {
namespace ctl {

namespace {

std::vector<CommandGroup> groups()
{
    std::vector<CommandGroup> all;
    all.push_back(tenantCommands());
    all.push_back(variantCommands());
    all.push_back(numberCommands());
    all.push_back(accountCommands());
    all.push_back(callCommands());
    all.push_back(usageCommands());
    all.push_back(tokenCommands());
    all.push_back(keyCommands());
    all.push_back(healthCommands());
    all.push_back(doctorCommands());
    return all;
}

} // namespace

CtlApp::CtlApp(std::ostream& out, std::ostream& err, std::istream& in):
    _out(out),
    _err(err),
    _in(in)
{
}

std::string CtlApp::help()
{
    std::ostringstream out;
    out << "usage: patchbayctl [--url URL] [--token TOKEN] [--json] GROUP COMMAND [ARGS] [OPTIONS]\n"
           "Operator CLI of the Patchbay admin API.\n\n"
           "groups:\n";
    for (const auto& group : groups())
    {
        std::string left = "  " + group.name();
        left.resize(14, ' ');
        out << left << group.summary() << "\n";
    }
    out << "\nglobal options (also accepted after the command):\n"
           "  --url URL       admin API base URL (env PATCHBAY_ADMIN_URL, default http://127.0.0.1:8081)\n"
           "  --token TOKEN   bearer token (env PATCHBAY_ADMIN_TOKEN); '-' reads it from stdin, which keeps\n"
           "                  it out of the shell history and of ps\n"
           "  --json          print the API's JSON (pretty-printed) instead of tables, for scripts\n"
           "  -h, --help      this help; 'patchbayctl GROUP --help' and 'patchbayctl GROUP COMMAND --help' too\n"
           "\nexit codes:\n"
           "  0  ok\n"
           "  1  API error: the API refused the request (validation, not found, conflict, ...);\n"
           "     its problem title, detail and field are printed on stderr as one line\n"
           "  2  usage error: bad command line, nothing was sent\n"
           "  3  connection failure: the admin API could not be reached\n"
           "  4  authentication failure: 401 (no or wrong token) or 403 (token not allowed)\n"
           "  5  doctor: at least one check failed (each failure is printed with its fix)\n"
           "\nSee docs/patchbayctl.md for every command with examples.\n";
    return out.str();
}

int CtlApp::run(const std::vector<std::string>& args)
{
    try
    {
        CtlContext context(_out, _err, _in);
        std::size_t i = 0;
        for (; i < args.size(); ++i)
        {
            const std::string& arg = args[i];
            if (arg == "--help" || arg == "-h" || arg == "help")
            {
                _out << help();
                return 0;
            }
            if (arg.rfind("--", 0) != 0)
                break;
            std::string name = arg.substr(2);
            std::string value;
            const auto eq = name.find('=');
            const bool inlineValue = eq != std::string::npos;
            if (inlineValue)
            {
                value = name.substr(eq + 1);
                name.resize(eq);
            }
            if (name == "json" && !inlineValue)
                context.setGlobal(name, "");
            else if (name == "url" || name == "token")
            {
                if (!inlineValue)
                {
                    if (i + 1 >= args.size())
                        throw CtlError::usage("--" + name + " needs a value", "see 'patchbayctl --help'");
                    value = args[++i];
                }
                context.setGlobal(name, value);
            }
            else
                throw CtlError::usage("unknown global option --" + name + " (command options go after the command)",
                                      "see 'patchbayctl --help'");
        }
        if (i == args.size())
            throw CtlError::usage("missing command group", "see 'patchbayctl --help'");
        for (const auto& group : groups())
            if (group.name() == args[i])
            {
                const int code = group.run(context, std::vector<std::string>(args.begin() + static_cast<long>(i) + 1, args.end()));
                _out.flush();
                return code;
            }
        throw CtlError::usage("unknown command group '" + args[i] + "'", "see 'patchbayctl --help'");
    }
    catch (const CtlError& e)
    {
        _out.flush();
        _err << "patchbayctl: " << e.what() << "\n";
        if (!e.hint().empty())
            _err << "hint: " << e.hint() << "\n";
        return static_cast<int>(e.code());
    }
    catch (const Poco::Exception& e)
    {
        _err << "patchbayctl: " << e.displayText() << "\n";
    }
    catch (const std::exception& e)
    {
        _err << "patchbayctl: " << e.what() << "\n";
    }
    return static_cast<int>(ExitCode::ApiError);
}

} // namespace ctl
} // namespace patchbay
