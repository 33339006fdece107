// ChildProcess.h: a tool or the gateway run as a real child process, its output captured, always reaped.
#pragma once

#include <Poco/Pipe.h>
#include <Poco/Process.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace patchbay {
namespace integration {

/// Threads drain stdout and stderr continuously (a full pipe would stall the child); both are kept
/// in memory and copied to `<logPrefix>.out` / `.err` for post-mortems. The destructor kills
/// (SIGKILL) and reaps a child that is still running.
class ChildProcess
{
public:
    ChildProcess(const std::string& name, const std::string& executable, const std::vector<std::string>& args,
        const std::string& logPrefix);
    ~ChildProcess();

    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    const std::string& name() const { return _name; }
    int pid() const { return _pid; }

    /// Waits for a stdout line starting with prefix; returns the line, or nullopt on timeout/exit.
    std::optional<std::string> waitForLine(const std::string& prefix, std::chrono::milliseconds timeout);

    /// Waits until the child's stdout is closed (all output read). False on timeout.
    bool waitForOutputEnd(std::chrono::milliseconds timeout);

    void signal(int sig);
    /// The exit code (128 + signal when killed by one) once the child ends within timeout.
    std::optional<int> waitExit(std::chrono::milliseconds timeout);
    bool running();
    void kill();

    std::string out() const;
    std::string err() const;
    /// The last `lines` lines of stderr (for assertion messages).
    std::string errTail(std::size_t lines = 30) const;

private:
    void drain(Poco::Pipe& pipe, std::string& into, const std::string& file);
    bool reap(bool block);

    std::string _name;
    int _pid = -1;
    Poco::Pipe _outPipe;
    Poco::Pipe _errPipe;
    std::thread _outReader;
    std::thread _errReader;
    mutable std::mutex _mutex;
    std::condition_variable _cv;
    std::string _out;
    std::string _err;
    bool _outClosed = false;
    std::optional<int> _exitCode;
};

} // namespace integration
} // namespace patchbay
