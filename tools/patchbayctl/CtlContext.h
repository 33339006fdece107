// CtlContext.h: what every patchbayctl command works with — global options, streams, secrets from stdin, the API client.
#ifndef PATCHBAY_TOOLS_PATCHBAYCTL_CTL_CONTEXT_H
#define PATCHBAY_TOOLS_PATCHBAYCTL_CTL_CONTEXT_H

#include "AdminClient.h"
#include "Arguments.h"

#include <Poco/Dynamic/Var.h>

#include <initializer_list>
#include <iosfwd>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace patchbay {
namespace ctl {

/// Global options may come before the group (parsed by CtlApp) or after the subcommand (parsed by
/// the subcommand's Arguments); the later one wins. Secrets given as "-" are read from stdin, one
/// line each, in command-line order, before anything is sent.
class CtlContext
{
public:
    CtlContext(std::ostream& out, std::ostream& err, std::istream& in);

    /// A global option seen before the group ("url", "token", "json").
    void setGlobal(const std::string& name, const std::string& value);

    /// Parses a subcommand's arguments. Returns false after printing --help. Otherwise applies global
    /// options found there and reads every "-" among `secrets` (option names) and the token from stdin.
    bool begin(Arguments& args, const std::vector<std::string>& argv, std::initializer_list<const char*> secrets = {});

    /// The value of a secret option, with "-" already replaced by what stdin gave.
    std::string secret(const Arguments& args, const std::string& name) const;

    /// The whole of stdin (for --file -).
    std::string readAll();

    /// Created on first use; throws CtlError(Usage) when no token is configured and `needToken`.
    AdminClient& client(bool needToken = true);

    bool json() const { return _json; }
    std::ostream& out() { return _out; }
    std::ostream& err() { return _err; }

    /// --json output: the API's body, pretty-printed, order kept.
    void printJson(const Poco::Dynamic::Var& value);

private:
    std::string readLine(const std::string& prompt);

    std::ostream& _out;
    std::ostream& _err;
    std::istream& _in;
    std::string _url;
    std::string _token;
    bool _json = false;
    std::vector<std::pair<std::string, std::string>> _leading;
    std::map<std::string, std::string> _secrets;
    std::unique_ptr<AdminClient> _client;
};

} // namespace ctl
} // namespace patchbay

#endif
