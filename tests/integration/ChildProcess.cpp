// ChildProcess.cpp: launching through Poco::Process with pipes, and reaping with waitpid.
#include "ChildProcess.h"

#include <Poco/PipeStream.h>

#include <fstream>

#include <signal.h>
#include <sys/wait.h>

namespace patchbay {
namespace integration {

ChildProcess::ChildProcess(const std::string& name, const std::string& executable, const std::vector<std::string>& args,
    const std::string& logPrefix):
    _name(name)
{
    Poco::Process::Args pargs(args.begin(), args.end());
    Poco::ProcessHandle handle = Poco::Process::launch(executable, pargs, nullptr, &_outPipe, &_errPipe);
    _pid = handle.id();
    _outReader = std::thread([this, logPrefix] { drain(_outPipe, _out, logPrefix + ".out"); });
    _errReader = std::thread([this, logPrefix] { drain(_errPipe, _err, logPrefix + ".err"); });
}

ChildProcess::~ChildProcess()
{
    kill();
    if (_outReader.joinable())
        _outReader.join();
    if (_errReader.joinable())
        _errReader.join();
}

void ChildProcess::drain(Poco::Pipe& pipe, std::string& into, const std::string& file)
{
    std::ofstream log(file, std::ios::trunc);
    char buffer[4096];
    for (;;)
    {
        const int n = pipe.readBytes(buffer, sizeof buffer);
        if (n <= 0)
            break;
        log.write(buffer, n);
        log.flush();
        std::lock_guard<std::mutex> lock(_mutex);
        into.append(buffer, static_cast<std::size_t>(n));
        _cv.notify_all();
    }
    std::lock_guard<std::mutex> lock(_mutex);
    if (&into == &_out)
        _outClosed = true;
    _cv.notify_all();
}

std::optional<std::string> ChildProcess::waitForLine(const std::string& prefix, std::chrono::milliseconds timeout)
{
    std::unique_lock<std::mutex> lock(_mutex);
    std::optional<std::string> found;
    _cv.wait_for(lock, timeout, [&] {
        std::size_t start = 0;
        for (std::size_t nl; (nl = _out.find('\n', start)) != std::string::npos; start = nl + 1)
        {
            if (_out.compare(start, prefix.size(), prefix) == 0)
            {
                found = _out.substr(start, nl - start);
                return true;
            }
        }
        return _outClosed;
    });
    return found;
}

bool ChildProcess::waitForOutputEnd(std::chrono::milliseconds timeout)
{
    std::unique_lock<std::mutex> lock(_mutex);
    return _cv.wait_for(lock, timeout, [this] { return _outClosed; });
}

void ChildProcess::signal(int sig)
{
    if (running())
        ::kill(_pid, sig);
}

bool ChildProcess::reap(bool block)
{
    if (_exitCode)
        return true;
    if (_pid <= 0)
        return true;
    int status = 0;
    const pid_t r = ::waitpid(_pid, &status, block ? 0 : WNOHANG);
    if (r == _pid)
    {
        _exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return true;
    }
    return r < 0; // not our child any more: nothing to wait for
}

bool ChildProcess::running()
{
    return !reap(false);
}

std::optional<int> ChildProcess::waitExit(std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!reap(false))
    {
        if (std::chrono::steady_clock::now() >= deadline)
            return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return _exitCode;
}

void ChildProcess::kill()
{
    if (!reap(false))
    {
        ::kill(_pid, SIGKILL);
        reap(true);
    }
}

std::string ChildProcess::out() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _out;
}

std::string ChildProcess::err() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _err;
}

std::string ChildProcess::errTail(std::size_t lines) const
{
    std::lock_guard<std::mutex> lock(_mutex);
    std::size_t pos = _err.size();
    for (std::size_t i = 0; i <= lines && pos > 0; ++i)
    {
        const auto nl = _err.rfind('\n', pos - 1);
        if (nl == std::string::npos)
        {
            pos = 0;
            break;
        }
        pos = nl;
    }
    return _err.substr(pos);
}

} // namespace integration
} // namespace patchbay
