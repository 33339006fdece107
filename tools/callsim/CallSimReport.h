// CallSimReport.h: totals over all calls, the --expect verdict, and the text/JSON renderings.
#pragma once

#include "CallResult.h"
#include "CallSimOptions.h"
#include "SampleSet.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace patchbay {
namespace callsim {

class CallSimReport
{
public:
    CallSimReport(const CallSimOptions& options, std::vector<const CallResult*> calls, tools::SampleSet rtt,
        std::uint64_t elapsedMs);

    /// True when --expect is empty or every call ended as expected; reasons lists what did not.
    bool passed() const { return _failures.empty(); }
    const std::vector<std::string>& failures() const { return _failures; }

    std::string toJson();
    std::string toText();

private:
    void check();
    void expectAll(CallResult::Outcome outcome, const char* what);
    double firstAudioMeanMs() const;

    const CallSimOptions& _options;
    std::vector<const CallResult*> _calls;
    tools::SampleSet _rtt;
    tools::SampleSet _firstAudio;      ///< µs from `start` to the first media, calls that got any
    std::uint64_t _firstAudioSum = 0;  ///< µs, for the mean
    std::uint64_t _elapsedMs;
    std::map<std::string, std::uint64_t> _outcomes;
    std::map<std::string, std::uint64_t> _reasons; ///< failure / reject reasons
    std::map<int, std::uint64_t> _closeCodes;
    CallResult _sum;
    std::uint64_t _connected = 0;
    std::uint64_t _callsWithClear = 0;
    std::uint64_t _callsWithoutEcho = 0; ///< connected, sent frames, got none back
    std::vector<std::string> _failures;
};

} // namespace callsim
} // namespace patchbay
