// PatchbayApp.h: the patchbay process — config, plugins in dependency order, the HTTP front, the media engine, drain on SIGTERM.
#ifndef PATCHBAY_HOST_APP_PATCHBAY_APP_H
#define PATCHBAY_HOST_APP_PATCHBAY_APP_H

#include <string>

namespace patchbay::host {

struct AppOptions
{
    std::string configPath;
    bool checkOnly = false; ///< --check-config: validate config, plugin files and plugin configs (checkConfig), start nothing
};

/// Exit codes: 0 clean stop; 1 runtime failure (e.g. port in use); 2 configuration error (with
/// --check-config also a plugin whose checkConfig() found its config wrong) or a `required` plugin
/// refused / failed to initialise (one clear line on stderr either way).
class PatchbayApp
{
public:
    explicit PatchbayApp(AppOptions options) : _options(std::move(options)) {}
    int run();

private:
    AppOptions _options;
};

} // namespace patchbay::host

#endif
