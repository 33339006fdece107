// ProcessHarness.cpp: child process supervision, temp dirs, free ports and small HTTP helpers for the process tests.
#include "ProcessHarness.h"

#include <cctype>
#include <csignal>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

namespace patchbay::tests {

std::string ExitStatus::describe() const
{
    if (exited) return "exit code " + std::to_string(code);
    if (signal) return "killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
    return "still running";
}

ChildProcess::ChildProcess(const std::string& executable, const std::vector<std::string>& args, const Env& env)
{
    // stdin is a pipe whose write end we close at once: the child sees EOF instead of sharing the
    // test runner's terminal.
    Poco::Pipe in;
    Poco::ProcessHandle handle =
        Poco::Process::launch(executable, args, std::filesystem::current_path().string(), &in, &_out.pipe, &_err.pipe, env);
    _pid = static_cast<int>(handle.id());
    in.close();
    _out.reader = std::thread([this] { drain(_out); });
    _err.reader = std::thread([this] { drain(_err); });
}

ChildProcess::~ChildProcess()
{
    kill();
    // The readers end at EOF, which the kernel delivers once the (dead) child's pipe ends are gone.
    if (_out.reader.joinable()) _out.reader.join();
    if (_err.reader.joinable()) _err.reader.join();
}

void ChildProcess::drain(Stream& stream)
{
    char buf[4096];
    for (;;)
    {
        int n = 0;
        try
        {
            n = stream.pipe.readBytes(buf, sizeof buf);
        }
        catch (...)
        {
            n = 0;
        }
        std::lock_guard<std::mutex> lock(_mutex);
        if (n <= 0)
        {
            stream.eof = true;
            _changed.notify_all();
            return;
        }
        stream.text.append(buf, static_cast<std::size_t>(n));
        _changed.notify_all();
    }
}

bool ChildProcess::reap(int options)
{
    if (_status) return true;
    int status = 0;
    pid_t rc = 0;
    do
        rc = ::waitpid(_pid, &status, options);
    while (rc < 0 && errno == EINTR);
    if (rc == 0) return false;
    ExitStatus s;
    if (rc < 0)
    {
        s.exited = true; // nothing left to wait for; should not happen for our own child
        s.code = -1;
    }
    else if (WIFEXITED(status))
    {
        s.exited = true;
        s.code = WEXITSTATUS(status);
    }
    else if (WIFSIGNALED(status))
    {
        s.signal = WTERMSIG(status);
    }
    _status = s;
    return true;
}

bool ChildProcess::running()
{
    return !reap(WNOHANG);
}

std::optional<ExitStatus> ChildProcess::waitFor(std::chrono::milliseconds timeout)
{
    // Polling keeps this free of SIGCHLD handling, which would interfere with Poco and the runner.
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!reap(WNOHANG))
    {
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return _status;
}

void ChildProcess::signal(int sig)
{
    if (!reap(WNOHANG)) ::kill(_pid, sig);
}

void ChildProcess::kill()
{
    if (_pid <= 0 || reap(WNOHANG)) return;
    ::kill(_pid, SIGKILL);
    reap(0);
}

bool ChildProcess::waitForEof(std::chrono::milliseconds timeout)
{
    std::unique_lock<std::mutex> lock(_mutex);
    return _changed.wait_for(lock, timeout, [this] { return _out.eof && _err.eof; });
}

std::optional<ExitStatus> ChildProcess::finish(std::chrono::milliseconds timeout)
{
    const auto started = std::chrono::steady_clock::now();
    auto status = waitFor(timeout);
    if (!status) return std::nullopt;
    const auto left = timeout - std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    waitForEof(std::max(left, std::chrono::milliseconds(1000)));
    return status;
}

std::string ChildProcess::out() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _out.text;
}

std::string ChildProcess::err() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _err.text;
}

std::vector<std::string> ChildProcess::errLines() const
{
    return splitLines(err());
}

bool ChildProcess::waitForErr(const std::string& needle, std::chrono::milliseconds timeout)
{
    std::unique_lock<std::mutex> lock(_mutex);
    return _changed.wait_for(lock, timeout,
                             [&] { return _err.text.find(needle) != std::string::npos || _err.eof; }) &&
           _err.text.find(needle) != std::string::npos;
}

TempDir::TempDir()
{
    std::string pattern = (std::filesystem::temp_directory_path() / "patchbay-process-XXXXXX").string();
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (!::mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
    _path = buf.data();
}

TempDir::~TempDir()
{
    std::error_code ec;
    std::filesystem::remove_all(_path, ec);
}

std::string TempDir::write(const std::string& name, const std::string& text) const
{
    const std::string full = file(name);
    std::ofstream out(full, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + full);
    return full;
}

std::uint16_t freePort()
{
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress("127.0.0.1", 0), false, false);
    socket.listen(1);
    const std::uint16_t port = socket.address().port();
    socket.close();
    return port;
}

std::string jsonQuote(const std::string& text)
{
    std::string out = "\"";
    for (unsigned char c : text)
    {
        if (c == '"' || c == '\\')
        {
            out += '\\';
            out += static_cast<char>(c);
        }
        else if (c < 0x20)
        {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        }
        else
        {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

std::vector<std::string> splitLines(const std::string& text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
    return lines;
}

HttpReply httpRequest(std::uint16_t port, const std::string& method, const std::string& path, std::chrono::milliseconds timeout)
{
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(static_cast<long>(timeout.count() / 1000), static_cast<long>(timeout.count() % 1000) * 1000));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    HttpReply reply;
    reply.status = static_cast<int>(response.getStatus());
    reply.contentType = response.getContentType();
    Poco::StreamCopier::copyToString(in, reply.body);
    return reply;
}

bool waitUntilServing(ChildProcess& child, std::uint16_t port, std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline)
    {
        if (!child.running()) return false;
        try
        {
            if (httpRequest(port, "GET", "/healthz", std::chrono::seconds(2)).status == 200) return true;
        }
        catch (const Poco::Exception&)
        {
            // not listening yet
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

namespace {

/// True once `data` holds a whole response: headers and, when announced, Content-Length bytes of
/// body. The server keeps connections alive, so waiting for it to close would only burn the timeout.
bool responseComplete(const std::string& data)
{
    const auto end = data.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    std::string head = data.substr(0, end);
    for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto field = head.find("\r\ncontent-length:");
    if (field == std::string::npos) return true;
    const std::size_t length = std::strtoul(head.c_str() + field + 17, nullptr, 10);
    return data.size() >= end + 4 + length;
}

} // namespace

std::string rawExchange(std::uint16_t port, const std::string& bytes, std::chrono::milliseconds timeout, bool shutdownSend)
{
    std::string received;
    try
    {
        Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
        socket.setReceiveTimeout(Poco::Timespan(static_cast<long>(timeout.count() / 1000), static_cast<long>(timeout.count() % 1000) * 1000));
        std::size_t sent = 0;
        while (sent < bytes.size())
        {
            const int n = socket.sendBytes(bytes.data() + sent, static_cast<int>(std::min<std::size_t>(bytes.size() - sent, 65536)));
            if (n <= 0) break;
            sent += static_cast<std::size_t>(n);
        }
        if (shutdownSend) socket.shutdownSend();
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        char buf[4096];
        while (std::chrono::steady_clock::now() < deadline)
        {
            const int n = socket.receiveBytes(buf, sizeof buf);
            if (n <= 0) break;
            received.append(buf, static_cast<std::size_t>(n));
            if (responseComplete(received)) break;
        }
    }
    catch (const Poco::Exception&)
    {
        // A reset or a timeout: the server gave up on us, which is an acceptable answer to abuse.
    }
    return received;
}

int statusOf(const std::string& response)
{
    // "HTTP/1.1 404 Not Found"
    if (response.rfind("HTTP/", 0) != 0) return 0;
    const auto space = response.find(' ');
    if (space == std::string::npos || space + 4 > response.size()) return 0;
    return std::atoi(response.substr(space + 1, 3).c_str());
}

} // namespace patchbay::tests
