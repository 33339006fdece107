// PluginRoster.h: the dependency order plugins are initialised and started in (and stopped in reverse).
#ifndef PATCHBAY_HOST_APP_PLUGIN_ROSTER_H
#define PATCHBAY_HOST_APP_PLUGIN_ROSTER_H

#include "plugin/LoadedPlugin.h"

namespace patchbay::host {

/// Tenant stores first (everything reads tenants), then agents (the core opens sessions on them),
/// then inbound providers (they take calls, so they start last), then anything else.
inline int rosterRank(const LoadedPlugin& p)
{
    if (p.hasCapabilities(PATCHBAY_CAP_TENANT_STORE)) return 0;
    if (p.hasCapabilities(PATCHBAY_CAP_AGENT)) return 1;
    if (p.hasCapabilities(PATCHBAY_CAP_INBOUND)) return 2;
    return 3;
}

} // namespace patchbay::host

#endif
