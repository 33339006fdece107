// main.cpp: entry point of patchbay-callsim (see tools/README.md).
#include "CallSimApp.h"
#include "CallSimOptions.h"
#include "CommandLine.h"

#include <Poco/Exception.h>

#include <csignal>
#include <iostream>

int main(int argc, char** argv)
{
    std::signal(SIGPIPE, SIG_IGN);
    patchbay::callsim::CallSimOptions options;
    try
    {
        if (!patchbay::callsim::CallSimOptions::parse(argc, argv, options))
            return 0;
    }
    catch (const patchbay::tools::UsageError& e)
    {
        std::cerr << "patchbay-callsim: " << e.what() << "\n";
        return 2;
    }
    try
    {
        return patchbay::callsim::CallSimApp(options).run();
    }
    catch (const Poco::Exception& e)
    {
        std::cerr << "patchbay-callsim: " << e.displayText() << "\n";
    }
    catch (const std::exception& e)
    {
        std::cerr << "patchbay-callsim: " << e.what() << "\n";
    }
    return 3;
}
