// CtlRunner.h: runs the real patchbayctl binary with arguments, environment and stdin, and captures its output.
#ifndef PATCHBAY_TESTS_PATCHBAYCTL_CTL_RUNNER_H
#define PATCHBAY_TESTS_PATCHBAYCTL_CTL_RUNNER_H

#include <map>
#include <string>
#include <vector>

namespace patchbay::tests {

struct CtlResult
{
    int code = -1;
    std::string out;
    std::string err;

    /// For assertion messages: everything needed to see why a run did not do what was expected.
    std::string describe() const;
};

/// The child inherits the test's environment plus `env`; the fixture clears PATCHBAY_ADMIN_* first
/// so a developer's own settings never leak into a test.
CtlResult runCtl(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {},
                 const std::string& stdinText = std::string());

} // namespace patchbay::tests

#endif
