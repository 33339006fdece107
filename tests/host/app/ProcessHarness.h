// ProcessHarness.h: test support for driving the real patchbay executable — child process with drained pipes, temp dirs, ports, HTTP.
#ifndef PATCHBAY_TESTS_HOST_APP_PROCESS_HARNESS_H
#define PATCHBAY_TESTS_HOST_APP_PROCESS_HARNESS_H

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Pipe.h>
#include <Poco/Process.h>

namespace patchbay::tests {

/// How a child ended: exited with a code, or was killed by a signal (a crash, or our SIGKILL).
struct ExitStatus
{
    bool exited = false;
    int code = -1;   ///< exit code when exited
    int signal = 0;  ///< terminating signal otherwise

    bool isExit(int expected) const { return exited && code == expected; }
    std::string describe() const;
};

/// One run of an executable. stdout and stderr are drained by background threads from the moment it
/// starts, so a chatty child can never block on a full pipe while a test waits for it; the child is
/// killed (SIGKILL) and reaped in the destructor whatever the test did.
class ChildProcess
{
public:
    using Env = std::map<std::string, std::string>;

    ChildProcess(const std::string& executable, const std::vector<std::string>& args, const Env& env = {});
    ~ChildProcess();

    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    int pid() const { return _pid; }

    /// True until the child has been reaped.
    bool running();

    /// Waits up to `timeout` for the child to end; nullopt when it is still running.
    std::optional<ExitStatus> waitFor(std::chrono::milliseconds timeout);

    /// Sends a signal (SIGTERM, SIGINT, ...) if the child has not been reaped yet.
    void signal(int sig);

    /// SIGKILL and reap; idempotent.
    void kill();

    /// Waits for the child to end and for both pipes to reach end-of-file, so the captured output is
    /// complete; nullopt when the child did not end in time.
    std::optional<ExitStatus> finish(std::chrono::milliseconds timeout);

    std::string out() const;
    std::string err() const;
    std::vector<std::string> errLines() const;

    /// Waits until stderr contains `needle` (or the child ends, or the deadline passes).
    bool waitForErr(const std::string& needle, std::chrono::milliseconds timeout);

private:
    struct Stream
    {
        Poco::Pipe pipe;
        std::string text;
        bool eof = false;
        std::thread reader;
    };

    void drain(Stream& stream);
    bool reap(int options);
    bool waitForEof(std::chrono::milliseconds timeout);

    int _pid = -1;
    std::optional<ExitStatus> _status;
    mutable std::mutex _mutex;
    std::condition_variable _changed;
    Stream _out;
    Stream _err;
};

/// A fresh directory under the system temp dir, removed with everything in it.
class TempDir
{
public:
    TempDir();
    ~TempDir();

    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::string& path() const { return _path; }
    std::string file(const std::string& name) const { return _path + "/" + name; }

    /// Writes `text` to `name` in the directory and returns the full path.
    std::string write(const std::string& name, const std::string& text) const;

private:
    std::string _path;
};

/// A loopback port nobody listens on right now: bind port 0, read it back, close. Another process
/// could take it before the child binds it; on a test machine that is rare enough to accept.
std::uint16_t freePort();

/// `text` as a JSON string literal (quoted and escaped), for building configs by hand.
std::string jsonQuote(const std::string& text);

/// Splits on '\n', dropping a trailing empty piece.
std::vector<std::string> splitLines(const std::string& text);

struct HttpReply
{
    int status = 0;
    std::string contentType;
    std::string body;
};

/// One request over a fresh connection to 127.0.0.1:port; throws on connection errors.
HttpReply httpRequest(std::uint16_t port, const std::string& method, const std::string& path,
                      std::chrono::milliseconds timeout = std::chrono::seconds(5));

/// Polls /healthz until it answers 200; false when `child` ends first or the deadline passes.
bool waitUntilServing(ChildProcess& child, std::uint16_t port, std::chrono::milliseconds timeout);

/// Sends raw bytes on a fresh connection, then reads whatever comes back until the peer closes or
/// `timeout` passes. Connection errors (a reset after the server gave up) end the read quietly.
std::string rawExchange(std::uint16_t port, const std::string& bytes, std::chrono::milliseconds timeout,
                        bool shutdownSend = false);

/// Status code of the first HTTP status line in `response`, 0 when there is none.
int statusOf(const std::string& response);

} // namespace patchbay::tests

#endif
