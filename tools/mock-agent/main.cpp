// main.cpp: entry point of patchbay-mock-agent (see tools/README.md).
#include "CommandLine.h"
#include "MockAgentApp.h"

#include <Poco/Exception.h>

#include <csignal>
#include <iostream>

int main(int argc, char** argv)
{
    // Blocked before any thread exists so every thread inherits the mask and sigwait() gets them.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    patchbay::mockagent::MockAgentOptions options;
    try
    {
        if (!patchbay::mockagent::MockAgentOptions::parse(argc, argv, options))
            return 0;
    }
    catch (const patchbay::tools::UsageError& e)
    {
        std::cerr << "patchbay-mock-agent: " << e.what() << "\n";
        return 2;
    }
    try
    {
        return patchbay::mockagent::MockAgentApp(options).run();
    }
    catch (const Poco::Exception& e)
    {
        std::cerr << "patchbay-mock-agent: " << e.displayText() << "\n";
    }
    catch (const std::exception& e)
    {
        std::cerr << "patchbay-mock-agent: " << e.what() << "\n";
    }
    return 1;
}
