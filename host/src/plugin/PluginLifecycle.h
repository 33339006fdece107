// PluginLifecycle.h: runs init/start in dependency order and stop/shutdown in reverse, containing every plugin failure.
#ifndef PATCHBAY_HOST_PLUGIN_PLUGIN_LIFECYCLE_H
#define PATCHBAY_HOST_PLUGIN_PLUGIN_LIFECYCLE_H

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "patchbay/sdk/HostServices.h"
#include "plugin/LoadedPlugin.h"
#include "plugin/PluginLog.h"
#include "plugin/PluginReport.h"
#include "plugin/PluginSpec.h"

namespace patchbay::host {

/// Applies Plugin.h's lifecycle rules to the loaded plugins:
///  - init() in the order add() was called (the host adds tenant stores, then agents, then inbound);
///    Declined disables the plugin (INFO); any other non-Ok, or an exception that leaked out, disables
///    it with a warning, or is fatal when the entry is `required` (Declined too, per Plugin.h).
///  - start() in the same order for every initialised plugin; a failing start() is treated like a
///    failing init(), and the plugin gets its shutdown() at once so its registrations go away.
///  - stop() then shutdown() in reverse order. shutdown() is only called for plugins whose init()
///    returned Ok: one that failed init() must undo its own partial work.
/// The first fatal failure ends initAll()/startAll(); the host then calls shutdownAll() and exits 2.
/// THREAD: Control.
class PluginLifecycle
{
public:
    /// Gives each plugin its HostServices; the reference must stay valid until shutdown() returned.
    using HostServicesFactory = std::function<sdk::HostServices&(LoadedPlugin&)>;

    PluginLifecycle(HostServicesFactory hostServices, PluginLogSink log = {});
    PluginLifecycle(const PluginLifecycle&) = delete;
    PluginLifecycle& operator=(const PluginLifecycle&) = delete;
    ~PluginLifecycle();

    /// Appends a plugin in init order. spec supplies `required` and the config JSON.
    void add(std::shared_ptr<LoadedPlugin> plugin, const PluginSpec& spec);

    /// @return false when a required plugin failed (see fatalMessage()).
    bool initAll();
    /// @return false when a required plugin failed to start.
    bool startAll();
    /// stop() on every running plugin, in reverse order.
    void stopAll();
    /// stop() where still needed, then shutdown() on every plugin whose init() succeeded, in reverse order.
    void shutdownAll();

    bool fatal() const noexcept { return !_fatalMessage.empty(); }
    const std::string& fatalMessage() const noexcept { return _fatalMessage; }

    /// One entry per added plugin, in init order.
    std::vector<PluginReport> report() const;
    /// Plugins in the Running state, in init order.
    std::vector<std::shared_ptr<LoadedPlugin>> running() const;

private:
    struct Entry
    {
        std::shared_ptr<LoadedPlugin> plugin;
        PluginSpec spec;
        PluginReport report;
        sdk::HostServices* host = nullptr;
        bool needsShutdown = false; // init() returned Ok and shutdown() has not run
    };

    /// Records a non-Ok init()/start() and decides between disabled and fatal. @return false if fatal.
    bool settle(Entry& entry, const char* phase, const sdk::Status& status);
    void stopOne(Entry& entry);
    void shutdownOne(Entry& entry);
    void emit(LogSeverity severity, const std::string& line) const;

    HostServicesFactory _hostServices;
    PluginLogSink _log;
    std::vector<Entry> _entries;
    std::string _fatalMessage;
};

} // namespace patchbay::host

#endif
