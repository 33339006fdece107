// InboundProviders.h: the running inbound (carrier) providers — by plugin id for live calls, and the one that handles numbers and outbound calls.
#ifndef PATCHBAY_HOST_CORE_INBOUND_PROVIDERS_H
#define PATCHBAY_HOST_CORE_INBOUND_PROVIDERS_H

#include <map>
#include <memory>
#include <string>

#include <patchbay/sdk/InboundProvider.h>

namespace patchbay::host {

struct InboundBinding
{
    std::string pluginId;
    sdk::InboundProvider* provider = nullptr;
    /// Co-owns the plugin's library, as AgentBinding does.
    std::shared_ptr<const void> keepAlive;
};

/// Filled once at startup (Control), read-only afterwards, so lookups need no lock.
/// A live call names its provider (CallInfo::inboundProvider). Numbers and outbound calls belong to
/// no call yet: they go to routing.inboundProvider when it is set, else to the only running provider.
class InboundProviders
{
public:
    void add(const std::string& pluginId, sdk::InboundProvider* provider, std::shared_ptr<const void> keepAlive)
    {
        _bindings[pluginId] = InboundBinding{pluginId, provider, std::move(keepAlive)};
    }
    /// routing.inboundProvider; empty = the only running provider.
    void setPreferred(const std::string& pluginId) { _preferred = pluginId; }

    /// The provider of a live call, or nullptr when that plugin is not running.
    const InboundBinding* find(const std::string& pluginId) const
    {
        auto it = _bindings.find(pluginId);
        return it == _bindings.end() ? nullptr : &it->second;
    }

    /// The provider for numbers and outbound calls; nullptr with `why` (secret-free, names the fix)
    /// when there is none or the choice is ambiguous.
    const InboundBinding* forNumbers(std::string* why = nullptr) const
    {
        if (!_preferred.empty())
        {
            if (const InboundBinding* b = find(_preferred)) return b;
            if (why) *why = "routing.inboundProvider '" + _preferred + "' is not running";
            return nullptr;
        }
        if (_bindings.size() == 1) return &_bindings.begin()->second;
        if (why)
        {
            if (_bindings.empty())
                *why = "no inbound (carrier) plugin is running";
            else
            {
                std::string ids;
                for (const auto& kv : _bindings) ids += (ids.empty() ? "" : ", ") + kv.first;
                *why = "several inbound plugins are running (" + ids + "): set routing.inboundProvider to the one that owns the numbers";
            }
        }
        return nullptr;
    }

    bool empty() const { return _bindings.empty(); }

private:
    std::map<std::string, InboundBinding> _bindings;
    std::string _preferred;
};

} // namespace patchbay::host

#endif
