// PluginLoader.h: opens plugin files with Boost.DLL and accepts only those whose descriptor passes every ABI check.
#ifndef PATCHBAY_HOST_PLUGIN_PLUGIN_LOADER_H
#define PATCHBAY_HOST_PLUGIN_PLUGIN_LOADER_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "plugin/LoadResult.h"
#include "plugin/LoadedPlugin.h"
#include "plugin/PluginLog.h"
#include "plugin/PluginSpec.h"

namespace patchbay::host {

/// Applies the checks of sdk/Abi.h in their documented order and creates the plugin object.
/// Every refusal is one log line (and LoadResult::message) of the form
///   plugin '<id>' (<path>) refused: <what, with both values> — <the fix>
/// Loaded plugins are kept for the loader's lifetime (the host never unloads one); the ids seen
/// so far make a second entry with the same id a refusal.
/// THREAD: Control. Not thread-safe; load one plugin at a time.
class PluginLoader
{
public:
    /// @param log receives one line per load(); may be empty.
    explicit PluginLoader(PluginLogSink log = {});
    PluginLoader(const PluginLoader&) = delete;
    PluginLoader& operator=(const PluginLoader&) = delete;
    ~PluginLoader();

    /// Never throws; every failure is an outcome.
    LoadResult load(const PluginSpec& spec);

    /// Every plugin load() accepted, in load order.
    const std::vector<std::shared_ptr<LoadedPlugin>>& loaded() const noexcept { return _loaded; }

    /// "inbound+agent" for PATCHBAY_CAP_* bits; unknown bits as hex.
    static std::string capabilityNames(std::uint64_t capabilities);

    /// The descriptor size every v1 plugin provides (the fields of ABI 1.0).
    static std::uint32_t minimumDescriptorSize() noexcept;

private:
    LoadResult loadChecked(const PluginSpec& spec);
    LoadResult refuse(const PluginSpec& spec, const std::string& what, const std::string& fix) const;
    void emit(LogSeverity severity, const std::string& line) const;

    PluginLogSink _log;
    std::vector<std::shared_ptr<LoadedPlugin>> _loaded;
};

} // namespace patchbay::host

#endif
