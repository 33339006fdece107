// PluginConfigCheck.h: --check-config's look at a loaded plugin's "config" object through Plugin::checkConfig (SDK 1.3).
#ifndef PATCHBAY_HOST_PLUGIN_PLUGIN_CONFIG_CHECK_H
#define PATCHBAY_HOST_PLUGIN_PLUGIN_CONFIG_CHECK_H

#include <string>

#include "plugin/LoadedPlugin.h"

namespace patchbay::host {

/// What one plugin said about its config, and the line --check-config prints for it.
struct PluginConfigCheck
{
    enum class Verdict
    {
        Ok,       ///< checkConfig() returned Ok: init() will not refuse this config text
        Declined, ///< the plugin cannot check its config ahead; not an error (init() still will)
        Error,    ///< the config is wrong, or checkConfig() misbehaved (threw): counts as a config error
    };

    Verdict verdict = Verdict::Declined;
    /// "plugin <id>: config OK", "plugin <id>: config cannot be checked ahead (declined: <why>)" or
    /// "plugin <id>: config error: <message>".
    std::string line;

    bool isError() const noexcept { return verdict == Verdict::Error; }
};

/// Calls plugin.plugin().checkConfig(configJson) on the object the loader created; init() is never
/// called. An exception that escapes the plugin is contained and reported as an error naming the
/// plugin and the exception; a plugin built against SDK 1.0-1.2 (no checkConfig in its vtable) is
/// reported as declined without being called. Never throws. THREAD: Control.
PluginConfigCheck checkPluginConfig(const LoadedPlugin& plugin, const std::string& configJson) noexcept;

} // namespace patchbay::host

#endif
