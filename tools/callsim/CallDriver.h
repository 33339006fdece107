// CallDriver.h: one per event loop — the single pacing timer for all calls on that loop, plus shared buffers.
#pragma once

#include "SampleSet.h"

#include <patchbay/media/EventLoop.h>
#include <patchbay/sdk/support/JsonDocument.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace patchbay {
namespace callsim {

class SimCall;

/// Everything here is touched only on the loop thread (until the loop has stopped).
class CallDriver
{
public:
    CallDriver(media::EventLoop& loop, std::uint32_t frameMs);

    media::EventLoop& loop() { return _loop; }
    /// Starts the pacing timer. Loop thread.
    void start();
    /// A call began streaming and wants ticks. Loop thread.
    void add(std::shared_ptr<SimCall> call);
    /// Microseconds on the driver's clock (for RTT).
    std::int64_t micros(std::chrono::steady_clock::time_point t) const;

    tools::SampleSet& rtt() { return _rtt; }
    sdk::support::JsonDocument& parser() { return _parser; }
    /// Reusable output / decode buffers, cleared by the caller.
    std::string& out() { return _out; }
    std::string& decoded() { return _decoded; }

private:
    void tick();

    media::EventLoop& _loop;
    std::uint32_t _frameMs;
    std::chrono::steady_clock::time_point _epoch;
    std::vector<std::shared_ptr<SimCall>> _active;
    std::vector<std::shared_ptr<SimCall>> _joining;
    tools::SampleSet _rtt;
    sdk::support::JsonDocument _parser;
    std::string _out;
    std::string _decoded;
};

} // namespace callsim
} // namespace patchbay
