// PluginSpec.h: one plugin entry of the operator's config, as the loader needs it.
#ifndef PATCHBAY_HOST_PLUGIN_PLUGIN_SPEC_H
#define PATCHBAY_HOST_PLUGIN_PLUGIN_SPEC_H

#include <cstdint>
#include <string>

namespace patchbay::host {

struct PluginSpec
{
    std::string id;                         ///< the id the descriptor must carry, e.g. "twilio"
    std::string path;                       ///< the .so file, as configured (relative paths are taken as they are)
    bool required = false;                  ///< a refusal or failed init is fatal (exit code 2) instead of a decline
    bool enabled = true;                    ///< false: not even opened
    std::string configJson = "{}";          ///< the plugin's "config" object, ${ENV} already replaced; may hold secrets
    std::uint64_t requiredCapabilities = 0; ///< PATCHBAY_CAP_* bits of the role(s) it is configured for
};

} // namespace patchbay::host

#endif
