// Plugin.h: the plugin object's lifecycle and the PATCHBAY_PLUGIN registration macro.
//
// Lifecycle, all THREAD: Control, in this order, each at most once:
//   init(host, config)  read config, register routes and metrics. Ok = ready; Declined = "disable
//                       me, nothing is wrong" (logged at INFO; fatal only for a `required` plugin);
//                       any other code = failed (fatal for a `required` plugin, else declined).
//   start()             every plugin has been initialised and the store is bound; begin serving.
//   stop()              stop taking new work; calls in progress continue until the host drains them.
//   shutdown()          undo every registration made in init(); release host references. Called only
//                       for a plugin whose init() returned Ok: an init() that fails must undo its own
//                       partial work before returning.
// The host calls init/start in dependency order (tenant stores, agents, inbound) and stop/shutdown
// in reverse. Plugins are never unloaded while the process runs.
//
// Exceptions (DESIGN §2.4): no method of any SDK interface may let an exception escape; plugin code
// catches at its edge (see sdk::guarded). Interfaces the *host* implements are noexcept. Interfaces a
// *plugin* implements are deliberately not noexcept: a noexcept override that throws terminates the
// process, whereas here the host catches what escapes, fails only that request or that call, and
// logs it against the plugin. Plugin authors may still mark their overrides noexcept.
#ifndef PATCHBAY_SDK_PLUGIN_H
#define PATCHBAY_SDK_PLUGIN_H

#include <exception>
#include <string_view>

#include "patchbay/sdk/Abi.h"
#include "patchbay/sdk/AgentProvider.h"
#include "patchbay/sdk/HostServices.h"
#include "patchbay/sdk/InboundProvider.h"
#include "patchbay/sdk/Status.h"
#include "patchbay/sdk/TenantStore.h"

namespace patchbay::sdk {

class Plugin
{
public:
    virtual ~Plugin() = default;

    /// @param host services for this plugin; valid until shutdown() returns.
    /// @param configJson the plugin's "config" object from the operator's file, as JSON text with
    ///        ${ENV} references already replaced (may contain secrets: never log it whole).
    virtual Status init(HostServices& host, std::string_view configJson) = 0;
    virtual Status start() { return Status::ok(); }
    virtual void stop() {}
    virtual void shutdown() {}

    /// Role queries: return the interface for each capability the descriptor declares, else nullptr.
    /// The returned objects are owned by the plugin and live as long as it does. THREAD: Control.
    virtual InboundProvider* inboundProvider() { return nullptr; }
    virtual AgentProvider* agentProvider() { return nullptr; }
    virtual TenantStore* tenantStore() { return nullptr; }

    /// Validates a config without using it, for `patchbay --check-config` (SDK 1.3). Operators run
    /// that in CI and deploy scripts before a restart, so a typo in a plugin's "config" must fail
    /// there, not at the next start (compare Envoy's `--mode validate`). Declared last so that the
    /// virtuals of SDK 1.0 keep their vtable slots.
    ///
    /// Must parse and validate configJson exactly as init() would, with the same InvalidArgument
    /// messages (naming the key and the fix): Ok here means init() will not refuse this text for a
    /// config reason. No side effects: no file or directory created or written, no database
    /// opened, no socket, no thread, no route or metric (there is no HostServices), no change to
    /// the environment. Reading only what init() reads anyway (a key file or a variable the config
    /// names; the ${ENV} references are already replaced) is allowed. What needs a resource init()
    /// would create or open (a database's contents, a remote endpoint) is left to init().
    ///
    /// THREAD: Control. May be called without init() ever being called, on an object that is then
    /// destroyed; must not change the object's state. Exceptions are caught by the host (reported
    /// as a config error naming the plugin), but like every SDK method it should not throw.
    /// @param configJson the text init() would get: the "config" object, ${ENV} already replaced.
    /// @return Ok: init() would accept this config. Declined: this plugin cannot check its config
    ///         ahead (the default; the host says so and does not count it as an error). Any other
    ///         code: the config is wrong, and the message names the key and the fix.
    virtual Status checkConfig(std::string_view configJson) const
    {
        (void)configJson;
        return Status::declined("this plugin does not implement checkConfig (SDK 1.3); its config is checked only by init()");
    }
};

} // namespace patchbay::sdk

/// Declares a plugin: one line in the plugin's main .cpp, e.g.
///   PATCHBAY_PLUGIN(TwilioPlugin, "twilio", "1.0.0", PATCHBAY_CAP_INBOUND)
/// Expands to the three extern "C" entry points of Abi.h. `Class` must derive from
/// patchbay::sdk::Plugin and be default-constructible; a constructor that throws makes create()
/// return NULL (the host logs "create failed").
#define PATCHBAY_PLUGIN(Class, Id, Version, Capabilities)                                                  \
    extern "C" PATCHBAY_EXPORT const patchbay_plugin_descriptor* patchbay_plugin_describe(void)            \
    {                                                                                                      \
        static const patchbay_plugin_descriptor descriptor = {sizeof(patchbay_plugin_descriptor),         \
                                                              PATCHBAY_ABI_MAJOR,                          \
                                                              PATCHBAY_ABI_MINOR,                          \
                                                              0,                                           \
                                                              PATCHBAY_BUILD_SIGNATURE,                    \
                                                              Id,                                          \
                                                              Version,                                     \
                                                              #Class,                                      \
                                                              (Capabilities),                              \
                                                              {nullptr, nullptr, nullptr, nullptr}};       \
        return &descriptor;                                                                                \
    }                                                                                                      \
    extern "C" PATCHBAY_EXPORT void* patchbay_plugin_create(void)                                          \
    {                                                                                                      \
        try                                                                                                \
        {                                                                                                  \
            return static_cast<patchbay::sdk::Plugin*>(new Class());                                       \
        }                                                                                                  \
        catch (...)                                                                                        \
        {                                                                                                  \
            return nullptr;                                                                                \
        }                                                                                                  \
    }                                                                                                      \
    extern "C" PATCHBAY_EXPORT void patchbay_plugin_destroy(void* plugin)                                  \
    {                                                                                                      \
        delete static_cast<patchbay::sdk::Plugin*>(plugin);                                                \
    }

#endif
