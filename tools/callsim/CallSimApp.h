// CallSimApp.h: runs one callsim session — schedules the calls, waits for them, reports.
#pragma once

#include "CallSimOptions.h"

namespace patchbay {
namespace callsim {

class CallSimApp
{
public:
    explicit CallSimApp(const CallSimOptions& options): _options(options) {}

    /// Returns the exit code: 0 = done (and --expect met), 1 = --expect not met.
    int run();

private:
    const CallSimOptions& _options;
};

} // namespace callsim
} // namespace patchbay
