// PluginReport.h: where one plugin stands in its lifecycle, for logs, /readyz and --list-plugins.
#ifndef PATCHBAY_HOST_PLUGIN_PLUGIN_REPORT_H
#define PATCHBAY_HOST_PLUGIN_PLUGIN_REPORT_H

#include <string>

#include "patchbay/sdk/Status.h"

namespace patchbay::host {

enum class PluginState
{
    Loaded,      ///< accepted by the loader, init() not run yet
    Initialized, ///< init() returned Ok, start() not run yet
    Running,     ///< start() returned Ok
    Declined,    ///< init() or start() returned Declined: disabled, nothing wrong
    Failed,      ///< init() or start() failed or threw: disabled (fatal when required)
    Stopped,     ///< stop()/shutdown() ran
};

inline const char* pluginStateName(PluginState state) noexcept
{
    switch (state)
    {
    case PluginState::Loaded: return "loaded";
    case PluginState::Initialized: return "initialized";
    case PluginState::Running: return "running";
    case PluginState::Declined: return "declined";
    case PluginState::Failed: return "failed";
    case PluginState::Stopped: return "stopped";
    }
    return "unknown";
}

struct PluginReport
{
    std::string id;
    PluginState state = PluginState::Loaded;
    bool required = false;
    sdk::StatusCode code = sdk::StatusCode::Ok; ///< of the init()/start() that decided the state
    std::string message;                        ///< that Status's message (never secrets: plugins must not put any there)
};

} // namespace patchbay::host

#endif
