// LoadedPlugin.cpp: copies the descriptor out of the plugin's static storage and orders the teardown.
#include "plugin/LoadedPlugin.h"

namespace patchbay::host {

namespace {

std::string copyOrEmpty(const char* text)
{
    return text ? std::string(text) : std::string();
}

} // namespace

LoadedPlugin::LoadedPlugin(std::shared_ptr<Library> library, const patchbay_plugin_descriptor& descriptor, std::string path,
                           std::shared_ptr<sdk::Plugin> plugin)
    : _library(std::move(library)),
      _id(copyOrEmpty(descriptor.id)),
      _version(copyOrEmpty(descriptor.version)),
      _description(copyOrEmpty(descriptor.description)),
      _buildSignature(copyOrEmpty(descriptor.build_signature)),
      _path(std::move(path)),
      _abiMajor(descriptor.abi_major),
      _abiMinor(descriptor.abi_minor),
      _capabilities(descriptor.capabilities),
      _plugin(std::move(plugin))
{
}

LoadedPlugin::~LoadedPlugin()
{
    // Member order already does this; spelled out because it is the one thing that must not change.
    _plugin.reset();
    _library.reset();
}

} // namespace patchbay::host
