// MockAgentApp.h: runs patchbay-mock-agent — server start, the listening line, signal wait, stats file.
#pragma once

#include "MockAgentOptions.h"

namespace patchbay {
namespace mockagent {

class MockAgentApp
{
public:
    explicit MockAgentApp(MockAgentOptions options): _options(std::move(options)) {}

    /// Blocks until SIGTERM/SIGINT. SIGINT and SIGTERM must already be blocked in every thread.
    /// Returns the process exit code.
    int run();

private:
    MockAgentOptions _options;
};

} // namespace mockagent
} // namespace patchbay
