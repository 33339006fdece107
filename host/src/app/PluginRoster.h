// PluginRoster.h: the plugins that loaded, each with its HostServices, in the order they are started and stopped.
#ifndef PATCHBAY_HOST_APP_PLUGIN_ROSTER_H
#define PATCHBAY_HOST_APP_PLUGIN_ROSTER_H

#include <memory>
#include <string>
#include <vector>

#include "app/HostServicesImpl.h"
#include "plugin/LoadedPlugin.h"

namespace patchbay::host {

struct RosterEntry
{
    std::shared_ptr<LoadedPlugin> loaded;
    std::unique_ptr<HostServicesImpl> services;
    std::string configJson;
    bool required = false;
    bool running = false; ///< init (and start) succeeded
};

/// Dependency order: tenant stores, then agents, then inbound providers, then anything else.
inline int rosterRank(const LoadedPlugin& p)
{
    if (p.hasCapabilities(PATCHBAY_CAP_TENANT_STORE)) return 0;
    if (p.hasCapabilities(PATCHBAY_CAP_AGENT)) return 1;
    if (p.hasCapabilities(PATCHBAY_CAP_INBOUND)) return 2;
    return 3;
}

} // namespace patchbay::host

#endif
