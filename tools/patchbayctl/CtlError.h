// CtlError.h: the one exception patchbayctl throws for anything the user must see; it carries the exit code.
#ifndef PATCHBAY_TOOLS_PATCHBAYCTL_CTL_ERROR_H
#define PATCHBAY_TOOLS_PATCHBAYCTL_CTL_ERROR_H

#include <stdexcept>
#include <string>

namespace patchbay {
namespace ctl {

/// Exit codes are part of the CLI contract (docs/patchbayctl.md): scripts branch on them.
enum class ExitCode : int
{
    Ok = 0,
    ApiError = 1,   ///< the API answered with an error (problem body), or with something unexpected
    Usage = 2,      ///< bad command line; nothing was sent
    Connection = 3, ///< the admin API could not be reached
    Auth = 4,       ///< 401 or 403: missing, wrong or insufficient token
    ChecksFailed = 5 ///< `doctor`: the API answered, and at least one check found a problem
};

/// The message is printed as one line on stderr (after "patchbayctl: "); it never contains a secret.
class CtlError: public std::runtime_error
{
public:
    CtlError(ExitCode code, const std::string& message, std::string hint = std::string()):
        std::runtime_error(message),
        _code(code),
        _hint(std::move(hint))
    {
    }

    static CtlError usage(const std::string& message, const std::string& hint = std::string())
    {
        return CtlError(ExitCode::Usage, message, hint);
    }

    ExitCode code() const { return _code; }

    /// For usage errors: where to look next (e.g. "see 'patchbayctl tenants add --help'").
    const std::string& hint() const { return _hint; }

private:
    ExitCode _code;
    std::string _hint;
};

} // namespace ctl
} // namespace patchbay

#endif
