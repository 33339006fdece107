// AgentRegistry.h: the agent providers the core may open sessions on, each with the handle that keeps its plugin's code mapped.
#ifndef PATCHBAY_HOST_CORE_AGENT_REGISTRY_H
#define PATCHBAY_HOST_CORE_AGENT_REGISTRY_H

#include <map>
#include <memory>
#include <string>

#include <patchbay/sdk/AgentProvider.h>

namespace patchbay::host {

struct AgentBinding
{
    sdk::AgentProvider* provider = nullptr;
    /// Co-owns the plugin's library: every session opened on `provider` holds a copy, so the code of
    /// an object always outlives the object (Boost.DLL tutorial8).
    std::shared_ptr<const void> keepAlive;
};

/// Filled once at startup (Control), read-only afterwards, so lookups need no lock.
class AgentRegistry
{
public:
    void add(const std::string& pluginId, AgentBinding binding) { _bindings[pluginId] = std::move(binding); }
    void setDefault(const std::string& pluginId) { _default = pluginId; }

    /// The binding for providerId, or the default provider when providerId is empty; nullptr if none.
    const AgentBinding* find(const std::string& providerId) const
    {
        auto it = _bindings.find(providerId.empty() ? _default : providerId);
        return it == _bindings.end() ? nullptr : &it->second;
    }
    bool empty() const { return _bindings.empty(); }

private:
    std::map<std::string, AgentBinding> _bindings;
    std::string _default;
};

} // namespace patchbay::host

#endif
