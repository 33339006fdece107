// CtlApp.h: patchbayctl's top level — leading global options, group dispatch, top-level help and exit codes.
#ifndef PATCHBAY_TOOLS_PATCHBAYCTL_CTL_APP_H
#define PATCHBAY_TOOLS_PATCHBAYCTL_CTL_APP_H

#include <iosfwd>
#include <string>
#include <vector>

namespace patchbay {
namespace ctl {

/// Streams are injected so the whole CLI is one function of (args, stdin) -> (stdout, stderr, code).
class CtlApp
{
public:
    CtlApp(std::ostream& out, std::ostream& err, std::istream& in);

    /// `args` excludes the program name. Never throws; returns the exit code.
    int run(const std::vector<std::string>& args);

    static std::string help();

private:
    std::ostream& _out;
    std::ostream& _err;
    std::istream& _in;
};

} // namespace ctl
} // namespace patchbay

#endif
