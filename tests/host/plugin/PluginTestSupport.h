// PluginTestSupport.h: helpers shared by the loader suites — fixture paths, a log collector, /proc/self/maps and shell probes.
#ifndef PATCHBAY_TESTS_PLUGIN_TEST_SUPPORT_H
#define PATCHBAY_TESTS_PLUGIN_TEST_SUPPORT_H

#include <cstdio>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "plugin/PluginLog.h"
#include "plugin/PluginSpec.h"

namespace patchbay::tests {

/// Where the fixture with this id was built.
inline std::string fixturePath(const std::string& id)
{
    return std::string(PATCHBAY_TEST_PLUGIN_DIR) + "/libpatchbay-" + id + ".so";
}

inline host::PluginSpec fixtureSpec(const std::string& id, bool required = false, std::uint64_t capabilities = 0)
{
    host::PluginSpec spec;
    spec.id = id;
    spec.path = fixturePath(id);
    spec.required = required;
    spec.requiredCapabilities = capabilities;
    return spec;
}

/// Collects what the loader/lifecycle log.
class LogCollector
{
public:
    host::PluginLogSink sink()
    {
        return [this](host::LogSeverity severity, const std::string& line) { lines.emplace_back(severity, line); };
    }

    bool contains(host::LogSeverity severity, const std::string& text) const
    {
        for (const auto& line : lines)
            if (line.first == severity && line.second.find(text) != std::string::npos) return true;
        return false;
    }

    std::vector<std::pair<host::LogSeverity, std::string>> lines;
};

/// True while a file whose path ends with `path` is mapped into this process.
inline bool isMapped(const std::string& path)
{
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line))
        if (line.size() >= path.size() && line.compare(line.size() - path.size(), path.size(), path) == 0) return true;
    return false;
}

/// Runs a shell command and returns its standard output.
inline std::string runCommand(const std::string& command)
{
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) return out;
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
    ::pclose(pipe);
    return out;
}

} // namespace patchbay::tests

#endif
