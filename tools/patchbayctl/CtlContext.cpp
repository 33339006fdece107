// CtlContext.cpp: global option resolution (flags, then environment, then defaults) and stdin secrets.
#include "CtlContext.h"

#include "CtlError.h"
#include "JsonText.h"

#include <cstdlib>
#include <iostream>
#include <iterator>
#include <set>

#include <termios.h>
#include <unistd.h>

namespace patchbay {
namespace ctl {

namespace {

const char* const kDefaultUrl = "http://127.0.0.1:8081";

std::string environment(const char* name)
{
    const char* value = std::getenv(name);
    return value ? std::string(value) : std::string();
}

/// Hides typing when a person enters a secret at a terminal; restores the mode on every path.
class EchoOff
{
public:
    EchoOff()
    {
        _active = ::isatty(STDIN_FILENO) && ::tcgetattr(STDIN_FILENO, &_saved) == 0;
        if (_active)
        {
            termios quiet = _saved;
            quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
            ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
        }
    }
    ~EchoOff()
    {
        if (_active)
            ::tcsetattr(STDIN_FILENO, TCSANOW, &_saved);
    }
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;
    bool active() const { return _active; }

private:
    termios _saved{};
    bool _active = false;
};

} // namespace

CtlContext::CtlContext(std::ostream& out, std::ostream& err, std::istream& in):
    _out(out),
    _err(err),
    _in(in),
    _url(environment("PATCHBAY_ADMIN_URL")),
    _token(environment("PATCHBAY_ADMIN_TOKEN"))
{
    if (_url.empty())
        _url = kDefaultUrl;
}

void CtlContext::setGlobal(const std::string& name, const std::string& value)
{
    _leading.emplace_back(name, value);
    if (name == "url")
        _url = value;
    else if (name == "token")
        _token = value;
    else if (name == "json")
        _json = true;
}

bool CtlContext::begin(Arguments& args, const std::vector<std::string>& argv, std::initializer_list<const char*> secrets)
{
    if (!args.parse(argv))
    {
        _out << args.help();
        return false;
    }
    if (args.has("url"))
        _url = args.value("url");
    if (args.has("token"))
        _token = args.value("token");
    if (args.has("json"))
        _json = true;

    std::set<std::string> secretNames(secrets.begin(), secrets.end());
    std::vector<std::pair<std::string, std::string>> order = _leading;
    order.insert(order.end(), args.ordered().begin(), args.ordered().end());
    std::size_t lastToken = order.size();
    for (std::size_t i = 0; i < order.size(); ++i)
        if (order[i].first == "token")
            lastToken = i;
    for (std::size_t i = 0; i < order.size(); ++i)
    {
        const auto& [name, value] = order[i];
        if (value != "-")
            continue;
        // Only the token that wins (the last one given) is read.
        if (name == "token" && i == lastToken)
            _token = readLine("token");
        else if (secretNames.count(name))
            _secrets[name] = readLine(name);
    }
    return true;
}

std::string CtlContext::readLine(const std::string& what)
{
    std::string line;
    {
        EchoOff echo;
        if (echo.active())
            _err << what << ": " << std::flush;
        if (!std::getline(_in, line))
            throw CtlError::usage("expected the " + what + " on stdin (one line per '-' value), found end of input",
                                  "e.g. printf '%s\\n' \"$SECRET\" | patchbayctl ... --" + what + " -");
        if (echo.active())
            _err << "\n";
    }
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    if (line.empty())
        throw CtlError::usage("the " + what + " read from stdin is empty");
    return line;
}

std::string CtlContext::secret(const Arguments& args, const std::string& name) const
{
    const auto it = _secrets.find(name);
    return it != _secrets.end() ? it->second : args.value(name);
}

std::string CtlContext::readAll()
{
    return std::string(std::istreambuf_iterator<char>(_in), std::istreambuf_iterator<char>());
}

AdminClient& CtlContext::client(bool needToken)
{
    if (!_client)
    {
        if (needToken && _token.empty())
            throw CtlError::usage("no admin token", "pass --token TOKEN (or --token - to read it from stdin) or set "
                                                    "PATCHBAY_ADMIN_TOKEN");
        _client = std::make_unique<AdminClient>(_url, _token);
    }
    return *_client;
}

void CtlContext::printJson(const Poco::Dynamic::Var& value)
{
    JsonText::pretty(_out, value);
}

} // namespace ctl
} // namespace patchbay
