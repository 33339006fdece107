// PrismMock.h: Stoplight Prism mocking Twilio's 2010-04-01 REST API from tests/interop/prism, as a child process on loopback.
#pragma once

// Needs tests/integration on the include path (ChildProcess) and PATCHBAY_SOURCE_DIR defined.
#include "ChildProcess.h"

#include <Poco/File.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace patchbay::testsupport {

/// Prism refuses requests that break the spec (path patterns, Basic auth, form fields) with 422.
/// With `errors` it also answers 500 where the spec's own examples break its response schema;
/// without, it answers valid requests with the spec's static examples.
class PrismMock
{
public:
    /// @param workDir where the converted spec and Prism's logs go (created).
    PrismMock(const std::string& workDir, bool errors)
    {
        using namespace std::chrono_literals;
        const std::string interop = std::string(PATCHBAY_SOURCE_DIR) + "/tests/interop/prism";
        const std::string prism = interop + "/node_modules/.bin/prism";
        if (!Poco::File(prism).exists())
            throw std::runtime_error("Prism is not installed (tests/interop/prism/node_modules is missing): run "
                                     "scripts/bootstrap, or `npm ci --prefix tests/interop/prism` from the repository root");
        Poco::File(workDir).createDirectories();
        // StatusCallbackEvent is sent as repeated form keys; the spec must spell that encoding out for
        // Prism (stoplightio/prism#2473), so a converted copy is served.
        const std::string spec = workDir + "/twilio_api_v2010.explicit-encodings.json";
        {
            integration::ChildProcess convert("explicit-form-encodings", "node",
                                              {interop + "/explicit-form-encodings.js", interop + "/twilio_api_v2010.json", spec},
                                              workDir + "/explicit-form-encodings");
            const auto rc = convert.waitExit(60s);
            if (!rc || *rc != 0)
                throw std::runtime_error("explicit-form-encodings.js failed (is Node.js on PATH?): " + convert.errTail());
        }
        _port = freePort();
        std::vector<std::string> args{"mock"};
        if (errors) args.push_back("--errors");
        for (const std::string& a : {std::string("-p"), std::to_string(_port), std::string("-h"), std::string("127.0.0.1"), spec})
            args.push_back(a);
        _process = std::make_unique<integration::ChildProcess>("prism", prism, args, workDir + "/prism");
        // Loading 1.8 MB of OpenAPI takes long on a busy 2-core machine: wait for the port rather
        // than parse Prism's coloured log.
        const auto deadline = std::chrono::steady_clock::now() + 120s;
        while (!accepting())
        {
            if (!_process->running())
                throw std::runtime_error("Prism exited before listening:\n" + _process->errTail() + "\n" + _process->out());
            if (std::chrono::steady_clock::now() > deadline)
                throw std::runtime_error("Prism did not listen on 127.0.0.1:" + std::to_string(_port) + " within 120 s:\n" +
                                         _process->errTail());
            std::this_thread::sleep_for(200ms);
        }
    }

    std::string url() const { return "http://127.0.0.1:" + std::to_string(_port); }
    std::uint16_t port() const { return _port; }
    /// Prism's stdout and stderr so far (its per-request validation lines).
    std::string log() const { return _process->out() + _process->err(); }

private:
    static std::uint16_t freePort()
    {
        Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
        const std::uint16_t port = probe.address().port();
        probe.close();
        return port;
    }

    bool accepting() const
    {
        try
        {
            Poco::Net::StreamSocket socket;
            socket.connect(Poco::Net::SocketAddress("127.0.0.1", _port), Poco::Timespan(1, 0));
            return true;
        }
        catch (const Poco::Exception&)
        {
            return false;
        }
    }

    std::uint16_t _port = 0;
    std::unique_ptr<integration::ChildProcess> _process;
};

} // namespace patchbay::testsupport
