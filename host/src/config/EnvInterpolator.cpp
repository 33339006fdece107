// EnvInterpolator.cpp: the ${VAR} expansion rules for config strings.
#include "config/EnvInterpolator.h"

#include <cstdlib>

namespace patchbay::host {

namespace {

bool isNameStart(char c) noexcept
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool isNameChar(char c) noexcept
{
    return isNameStart(c) || (c >= '0' && c <= '9');
}

} // namespace

EnvInterpolator::EnvInterpolator() : _lookup(processEnvironment())
{
}

EnvInterpolator::EnvInterpolator(Lookup lookup) : _lookup(std::move(lookup))
{
}

EnvInterpolator::Lookup EnvInterpolator::processEnvironment()
{
    return [](const std::string& name) -> std::optional<std::string> {
        // getenv is only racy against setenv, which the host never calls after startup.
        const char* v = std::getenv(name.c_str());
        if (!v) return std::nullopt;
        return std::string(v);
    };
}

bool EnvInterpolator::hasReferences(const std::string& in) noexcept
{
    return in.find("${") != std::string::npos;
}

bool EnvInterpolator::expand(const std::string& in, std::string& out, std::string& error) const
{
    out.clear();
    out.reserve(in.size());
    std::size_t i = 0;
    while (i < in.size())
    {
        char c = in[i];
        if (c != '$')
        {
            out += c;
            ++i;
            continue;
        }
        if (in.compare(i, 3, "$${") == 0)
        {
            out += "${";
            i += 3;
            continue;
        }
        if (i + 1 >= in.size() || in[i + 1] != '{')
        {
            out += c;
            ++i;
            continue;
        }
        std::size_t close = in.find('}', i + 2);
        if (close == std::string::npos)
        {
            error = "unterminated \"${\" (write \"$${\" for a literal \"${\")";
            return false;
        }
        std::string body = in.substr(i + 2, close - i - 2);
        std::string name = body;
        std::optional<std::string> fallback;
        std::size_t sep = body.find(":-");
        if (sep != std::string::npos)
        {
            name = body.substr(0, sep);
            fallback = body.substr(sep + 2);
        }
        bool validName = !name.empty() && isNameStart(name[0]);
        for (char n : name)
            validName = validName && isNameChar(n);
        if (!validName)
        {
            error = "invalid variable reference \"${" + body + "}\" (expected ${NAME} or ${NAME:-default})";
            return false;
        }
        std::optional<std::string> value = _lookup ? _lookup(name) : std::nullopt;
        if (fallback && (!value || value->empty()))
            value = fallback;
        if (!value)
        {
            error = "environment variable " + name + " is not set (use ${" + name + ":-default} for a default)";
            return false;
        }
        out += *value;
        i = close + 1;
    }
    return true;
}

} // namespace patchbay::host
