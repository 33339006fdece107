// EnvInterpolator.h: expands ${VAR}, ${VAR:-default} and the $${ escape inside config string values.
#ifndef PATCHBAY_HOST_CONFIG_ENV_INTERPOLATOR_H
#define PATCHBAY_HOST_CONFIG_ENV_INTERPOLATOR_H

#include <functional>
#include <optional>
#include <string>

namespace patchbay::host {

/// Syntax (shell-like, deliberately small):
///   ${NAME}            value of NAME; an error when NAME is unset
///   ${NAME:-fallback}  value of NAME, or `fallback` when NAME is unset or empty (as in sh)
///   $${                a literal "${" (so a secret may contain the sequence)
///   any other '$'      literal
/// NAME is [A-Za-z_][A-Za-z0-9_]*; `fallback` is taken literally up to the first '}'.
/// THREAD: const methods are safe to share when the lookup is.
class EnvInterpolator
{
public:
    /// Returns the variable's value, or nullopt when it is not set.
    using Lookup = std::function<std::optional<std::string>(const std::string&)>;

    /// Reads the process environment.
    EnvInterpolator();
    explicit EnvInterpolator(Lookup lookup);

    /// @return true and the expansion in `out`, or false and a message in `error` naming the
    /// variable (never its value).
    bool expand(const std::string& in, std::string& out, std::string& error) const;

    /// True when `in` contains anything expand() would change.
    static bool hasReferences(const std::string& in) noexcept;

    static Lookup processEnvironment();

private:
    Lookup _lookup;
};

} // namespace patchbay::host

#endif
