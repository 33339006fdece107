// TestMain.cpp: shared CppUnit runner; `suite_exe [SuiteName]` runs one registered suite or all of them.
#include <cppunit/CompilerOutputter.h>
#include <cppunit/extensions/TestFactoryRegistry.h>
#include <cppunit/ui/text/TestRunner.h>

#include <csignal>
#include <iostream>
#include <stdexcept>

int main(int argc, char** argv)
{
    // Tests write to sockets whose peers may already be gone; a SIGPIPE must fail a test, not kill the run.
    std::signal(SIGPIPE, SIG_IGN);
    CppUnit::TextUi::TestRunner runner;
    runner.addTest(CppUnit::TestFactoryRegistry::getRegistry().makeTest());
    runner.setOutputter(new CppUnit::CompilerOutputter(&runner.result(), std::cerr));
    bool ok = false;
    try
    {
        ok = runner.run(argc > 1 ? argv[1] : "", false, true, false);
    }
    catch (const std::invalid_argument& e)
    {
        std::cerr << "unknown test suite: " << e.what() << "\n";
    }
    return ok ? 0 : 1;
}
