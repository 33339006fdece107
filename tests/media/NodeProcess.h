// NodeProcess.h: runs a node script from tests/interop/ws via Poco::Process and collects its stdout lines for assertions.
#pragma once

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace patchbay {
namespace media {
namespace test {

class NodeProcess
{
public:
    static std::string interopDir() { return std::string(PATCHBAY_SOURCE_DIR) + "/tests/interop/ws"; }

    /// Empty if the npm dependencies are installed, else the message telling how to install them.
    static std::string missingDependencies()
    {
        if (Poco::File(interopDir() + "/node_modules/ws/package.json").exists())
            return std::string();
        return "tests/interop/ws/node_modules is missing: run `npm ci --prefix tests/interop/ws` "
               "(from the repository root) to install the `ws` package used by the interop tests";
    }

    NodeProcess(const std::string& script, const std::vector<std::string>& args)
    {
        std::vector<std::string> argv{interopDir() + "/" + script};
        argv.insert(argv.end(), args.begin(), args.end());
        try
        {
            _handle = std::make_unique<Poco::ProcessHandle>(
                Poco::Process::launch("node", argv, interopDir(), &_in, &_out, &_err));
        }
        catch (const Poco::Exception& e)
        {
            throw std::runtime_error("cannot start node (is Node.js installed and on PATH?): " + e.displayText());
        }
        _outReader = std::thread([this] { readLines(_out, _lines); });
        _errReader = std::thread([this] { readLines(_err, _errLines); });
    }

    ~NodeProcess()
    {
        _in.close(Poco::Pipe::CLOSE_WRITE); // the scripts exit when stdin closes
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
        while (Poco::Process::isRunning(*_handle) && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (Poco::Process::isRunning(*_handle))
            Poco::Process::kill(*_handle);
        try
        {
            _handle->wait();
        }
        catch (...)
        {
        }
        _outReader.join();
        _errReader.join();
    }

    /// Waits for a stdout line starting with prefix; returns it, or "" on timeout.
    std::string waitForLine(const std::string& prefix, std::chrono::milliseconds limit = std::chrono::milliseconds(10000))
    {
        std::unique_lock<std::mutex> lock(_mutex);
        std::string found;
        _cv.wait_for(lock, limit, [&] {
            for (const auto& line : _lines)
                if (line.compare(0, prefix.size(), prefix) == 0)
                {
                    found = line;
                    return true;
                }
            return false;
        });
        return found;
    }

    /// Waits for the process to exit; returns its exit code or -1000 on timeout.
    int waitExit(std::chrono::milliseconds limit)
    {
        auto deadline = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < deadline)
        {
            int rc = Poco::Process::tryWait(*_handle);
            if (rc != -1)
                return rc;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return -1000;
    }

    /// All output so far, for failure messages.
    std::string transcript()
    {
        std::lock_guard<std::mutex> lock(_mutex);
        std::string out = "--- node stdout ---\n";
        for (const auto& l : _lines)
            out += l + "\n";
        out += "--- node stderr ---\n";
        for (const auto& l : _errLines)
            out += l + "\n";
        return out;
    }

private:
    void readLines(Poco::Pipe& pipe, std::vector<std::string>& into)
    {
        Poco::PipeInputStream in(pipe);
        std::string line;
        while (std::getline(in, line))
        {
            {
                std::lock_guard<std::mutex> lock(_mutex);
                into.push_back(line);
            }
            _cv.notify_all();
        }
    }

    Poco::Pipe _in;
    Poco::Pipe _out;
    Poco::Pipe _err;
    std::unique_ptr<Poco::ProcessHandle> _handle;
    std::thread _outReader;
    std::thread _errReader;
    std::mutex _mutex;
    std::condition_variable _cv;
    std::vector<std::string> _lines;
    std::vector<std::string> _errLines;
};

} // namespace test
} // namespace media
} // namespace patchbay
