// main.cpp: the patchbay executable — command-line options, signal set-up, then PatchbayApp.
#include <csignal>
#include <cstring>
#include <iostream>
#include <string>

#include <patchbay/sdk/Abi.h>

#include "app/PatchbayApp.h"

namespace {

void usage(std::ostream& out)
{
    out << "usage: patchbay --config FILE [--check-config]\n"
           "       patchbay --version | --help\n"
           "\n"
           "  -c, --config FILE   JSON configuration (see config/README.md); ${ENV} references are expanded\n"
           "      --check-config  validate the configuration, every enabled plugin file and each plugin's config, then exit\n"
           "  -v, --version       print the version, the plugin ABI and the build signature\n"
           "  -h, --help          this text\n"
           "\n"
           "exit codes: 0 stopped cleanly, 1 runtime failure, 2 configuration error or a required plugin failed\n";
}

} // namespace

int main(int argc, char** argv)
{
    patchbay::host::AppOptions options;
    for (int i = 1; i < argc; ++i)
    {
        const std::string arg = argv[i];
        if ((arg == "--config" || arg == "-c") && i + 1 < argc)
            options.configPath = argv[++i];
        else if (arg.rfind("--config=", 0) == 0)
            options.configPath = arg.substr(9);
        else if (arg == "--check-config")
            options.checkOnly = true;
        else if (arg == "--version" || arg == "-v")
        {
            std::cout << "patchbay " << PATCHBAY_VERSION << " (plugin ABI " << PATCHBAY_ABI_MAJOR << "." << PATCHBAY_ABI_MINOR
                      << ", build signature " << PATCHBAY_BUILD_SIGNATURE << ")\n";
            return 0;
        }
        else if (arg == "--help" || arg == "-h")
        {
            usage(std::cout);
            return 0;
        }
        else
        {
            std::cerr << "patchbay: unknown or incomplete option '" << arg << "'\n";
            usage(std::cerr);
            return 2;
        }
    }
    if (options.configPath.empty())
    {
        std::cerr << "patchbay: --config FILE is required\n";
        usage(std::cerr);
        return 2;
    }

    // Block the termination signals in every thread (threads inherit the mask) so that only the main
    // thread receives them, through sigwait; a peer closing a socket must never kill the process.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    return patchbay::host::PatchbayApp(options).run();
}
