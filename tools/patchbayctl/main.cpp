// main.cpp: entry point of patchbayctl, the operator CLI of the Patchbay admin API (see docs/patchbayctl.md).
#include "CtlApp.h"

#include <csignal>
#include <iostream>

int main(int argc, char** argv)
{
    // A closed stdout (`| head -1`) must end the run quietly, not kill it with a signal mid-request.
    std::signal(SIGPIPE, SIG_IGN);
    std::vector<std::string> args(argv + 1, argv + argc);
    return patchbay::ctl::CtlApp(std::cout, std::cerr, std::cin).run(args);
}
