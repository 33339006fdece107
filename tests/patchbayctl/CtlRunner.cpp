// CtlRunner.cpp: Poco::Process with three pipes; stdout and stderr drained concurrently so neither can block the child.
#include "CtlRunner.h"

#include <Poco/Exception.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <thread>

namespace patchbay::tests {

std::string CtlResult::describe() const
{
    return "exit " + std::to_string(code) + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
}

CtlResult runCtl(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                 const std::string& stdinText)
{
    Poco::Pipe in;
    Poco::Pipe out;
    Poco::Pipe err;
    Poco::Process::Env childEnv(env.begin(), env.end());
    Poco::ProcessHandle handle =
        Poco::Process::launch(PATCHBAYCTL_EXE, Poco::Process::Args(args.begin(), args.end()), std::string(), &in, &out, &err, childEnv);
    CtlResult result;
    std::thread errReader([&] {
        Poco::PipeInputStream stream(err);
        Poco::StreamCopier::copyToString(stream, result.err);
    });
    std::thread outReader([&] {
        Poco::PipeInputStream stream(out);
        Poco::StreamCopier::copyToString(stream, result.out);
    });
    try
    {
        Poco::PipeOutputStream stream(in);
        stream << stdinText;
        stream.flush();
    }
    catch (const Poco::Exception&)
    {
        // The child may exit without reading stdin (a usage error); that is its business.
    }
    in.close(Poco::Pipe::CLOSE_WRITE);
    outReader.join();
    errReader.join();
    result.code = handle.wait();
    return result;
}

} // namespace patchbay::tests
