// LoadedPlugin.h: one accepted plugin — its library, a copy of its descriptor, and the plugin object that co-owns the library.
#ifndef PATCHBAY_HOST_PLUGIN_LOADED_PLUGIN_H
#define PATCHBAY_HOST_PLUGIN_LOADED_PLUGIN_H

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include <boost/dll/shared_library.hpp>

#include "patchbay/sdk/Plugin.h"

namespace patchbay::host {

/// Everything the host keeps of a plugin. Code of the plugin must never run after its library is
/// unmapped, so every object the plugin hands the host (sessions, handlers, endpoints) is wrapped by
/// holdLibrary() and co-owns the library, as the plugin object itself does (Boost.DLL tutorial8).
/// Plugins are never unloaded on purpose: the library goes only when the last such object does.
/// THREAD: Control for everything except holdLibrary() and the accessors (Any).
class LoadedPlugin
{
public:
    using Library = boost::dll::shared_library;

    /// @param plugin must already co-own `library` through its deleter (PluginLoader does this).
    LoadedPlugin(std::shared_ptr<Library> library, const patchbay_plugin_descriptor& descriptor, std::string path,
                 std::shared_ptr<sdk::Plugin> plugin);
    LoadedPlugin(const LoadedPlugin&) = delete;
    LoadedPlugin& operator=(const LoadedPlugin&) = delete;
    ~LoadedPlugin();

    const std::string& id() const noexcept { return _id; }
    const std::string& version() const noexcept { return _version; }
    const std::string& description() const noexcept { return _description; }
    const std::string& buildSignature() const noexcept { return _buildSignature; }
    const std::string& path() const noexcept { return _path; }
    std::uint32_t abiMajor() const noexcept { return _abiMajor; }
    std::uint32_t abiMinor() const noexcept { return _abiMinor; }
    std::uint64_t capabilities() const noexcept { return _capabilities; }
    bool hasCapabilities(std::uint64_t bits) const noexcept { return (_capabilities & bits) == bits; }

    sdk::Plugin& plugin() const noexcept { return *_plugin; }
    const std::shared_ptr<sdk::Plugin>& pluginPtr() const noexcept { return _plugin; }

    /// Wraps an object the plugin created so that its library stays mapped until the object is gone:
    /// the plugin's own shared_ptr is released first (its deleter is plugin code), the library after.
    template <class T>
    std::shared_ptr<T> holdLibrary(std::shared_ptr<T> object) const
    {
        if (!object) return nullptr;
        T* raw = object.get();
        return std::shared_ptr<T>(raw, [library = _library, inner = std::move(object)](T*) mutable {
            inner.reset();
            library.reset();
        });
    }

    /// Same for an object the host now owns alone (AgentProvider::openSession's unique_ptr):
    /// deleted through its virtual destructor while the library is still mapped.
    template <class T>
    std::shared_ptr<T> holdLibrary(std::unique_ptr<T> object) const
    {
        if (!object) return nullptr;
        return std::shared_ptr<T>(object.release(), [library = _library](T* p) mutable {
            delete p;
            library.reset();
        });
    }

    /// Owners of the library right now (this LoadedPlugin, the plugin object and every held object).
    long libraryUseCount() const noexcept { return _library.use_count(); }

private:
    // Declared first so it is destroyed last: nothing below may outlive the code it points into.
    std::shared_ptr<Library> _library;
    std::string _id;
    std::string _version;
    std::string _description;
    std::string _buildSignature;
    std::string _path;
    std::uint32_t _abiMajor = 0;
    std::uint32_t _abiMinor = 0;
    std::uint64_t _capabilities = 0;
    std::shared_ptr<sdk::Plugin> _plugin;
};

} // namespace patchbay::host

#endif
