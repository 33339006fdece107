// PluginConfigCheck.cpp: calls Plugin::checkConfig with exception containment and turns its Status into --check-config's line.
#include "plugin/PluginConfigCheck.h"
#include "plugin/ExceptionName.h"


#include <cstdint>
#include <cstdlib>
#include <exception>
#include <typeinfo>
#include <utility>

#include "patchbay/sdk/Abi.h"

namespace patchbay::host {

namespace {

/// The SDK minor that added Plugin::checkConfig. An older plugin's vtable ends before it, so the
/// call would jump through whatever follows; the build signature refuses such plugins today, this
/// keeps the check safe should it ever let one through.
constexpr std::uint32_t kCheckConfigMinor = 3;

PluginConfigCheck make(PluginConfigCheck::Verdict verdict, std::string line)
{
    PluginConfigCheck check;
    check.verdict = verdict;
    check.line = std::move(line);
    return check;
}

} // namespace

PluginConfigCheck checkPluginConfig(const LoadedPlugin& plugin, const std::string& configJson) noexcept
{
    try
    {
        const std::string prefix = "plugin " + plugin.id() + ": config ";
        if (plugin.abiMajor() == PATCHBAY_ABI_MAJOR && plugin.abiMinor() < kCheckConfigMinor)
            return make(PluginConfigCheck::Verdict::Declined,
                        prefix + "cannot be checked ahead (declined: built against SDK " + std::to_string(plugin.abiMajor()) +
                            "." + std::to_string(plugin.abiMinor()) + ", before checkConfig; init() checks it at start)");

        // Called through the base class, whose checkConfig is not noexcept, so the handlers below
        // stay reachable for a plugin whose override throws anyway (see fixtures/check_config.cpp).
        const sdk::Plugin& object = plugin.plugin();
        sdk::Status status;
        try
        {
            status = object.checkConfig(configJson);
        }
        catch (const std::exception& e)
        {
            return make(PluginConfigCheck::Verdict::Error,
                        prefix + "error: checkConfig() threw " + exceptionName(e) + ": " + e.what() +
                            " \xE2\x80\x94 a bug in the plugin: report it to its authors (checkConfig must return a Status)");
        }
        catch (...)
        {
            return make(PluginConfigCheck::Verdict::Error,
                        prefix + "error: checkConfig() threw a non-standard exception \xE2\x80\x94 a bug in the plugin: "
                                 "report it to its authors (checkConfig must return a Status)");
        }

        if (status.isOk()) return make(PluginConfigCheck::Verdict::Ok, prefix + "OK");
        if (status.code() == sdk::StatusCode::Declined)
            return make(PluginConfigCheck::Verdict::Declined,
                        prefix + "cannot be checked ahead (declined: " +
                            (status.message().empty() ? std::string("no reason given") : status.message()) + ")");
        // The plugin's message names the key and the fix; the code only matters when it is not the
        // usual invalid-argument (e.g. internal: the check itself failed).
        std::string line = prefix + "error: " + status.message();
        if (status.message().empty()) line += "(the plugin gave no message)";
        if (status.code() != sdk::StatusCode::InvalidArgument)
            line += std::string(" [") + sdk::statusCodeName(status.code()) + "]";
        return make(PluginConfigCheck::Verdict::Error, std::move(line));
    }
    catch (...)
    {
        // Only host-side failures (bad_alloc building a line) get here.
        return make(PluginConfigCheck::Verdict::Error, "plugin " + std::string(plugin.id()) + ": config error: the check failed unexpectedly");
    }
}

} // namespace patchbay::host
