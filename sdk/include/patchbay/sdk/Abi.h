/* Abi.h: the C descriptor and the three extern "C" entry points every Patchbay plugin exports.
 *
 * This is the only part of the SDK the host reads before any C++ object crosses the boundary.
 * The host resolves the three symbols, reads the descriptor and checks it in this order
 * (each refusal is one log line naming the plugin file, both values and the fix):
 *   1. all three symbols present               -> "not a Patchbay plugin"
 *   2. struct_size covers the v1 fields         -> "descriptor too small"
 *   3. abi_major == host's PATCHBAY_ABI_MAJOR   -> "rebuild against SDK <host major>.x"
 *   4. abi_minor <= host's PATCHBAY_ABI_MINOR   -> "plugin needs a newer host"
 *   5. build_signature == host's                -> "rebuild with the host's compiler and SDK"
 *   6. id == the config entry's id, and unique  -> "fix the plugin id in the config"
 *   7. capabilities cover the configured role   -> "this plugin cannot serve role X"
 * A refused plugin is *declined* (the host runs without it) unless its config entry is
 * `required`, in which case startup fails with exit code 2.
 *
 * Compatibility promise: within one abi_major, fields are only appended (struct_size grows) and
 * reserved slots are only given meaning with a minor bump; existing fields never change meaning.
 */
#ifndef PATCHBAY_SDK_ABI_H
#define PATCHBAY_SDK_ABI_H

#include <stdint.h>

#include "patchbay/sdk/BuildSignature.h"

#define PATCHBAY_ABI_MAJOR 1
/* Minor history. Each minor only adds, so a plugin written for an older one compiles unchanged
 * (the build signature's SDK header digest still asks for that rebuild):
 *   1.1  TenantStore management (tenants, accounts, numbers, usage, tokens, history, transcripts)
 *   1.2  InboundProvider call control, checks and outbound calls; AgentSession actions; CallRouter
 *        carrier updates -- new virtuals with declining defaults
 *   1.3  CallRecord::agentReport and TenantStore::saveAgentReport() (defaulted: Declined);
 *        Plugin::checkConfig() for --check-config (defaulted: Declined) */
#define PATCHBAY_ABI_MINOR 3

/* Capability bits: which roles a plugin can serve. */
#define PATCHBAY_CAP_INBOUND      (UINT64_C(1) << 0) /* answers calls from a carrier (InboundProvider) */
#define PATCHBAY_CAP_AGENT        (UINT64_C(1) << 1) /* runs conversational agents (AgentProvider) */
#define PATCHBAY_CAP_TENANT_STORE (UINT64_C(1) << 2) /* stores tenants, numbers, calls (TenantStore) */

#if defined(__GNUC__)
#define PATCHBAY_EXPORT __attribute__((visibility("default")))
#else
#define PATCHBAY_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The plugin's static self-description.
 * OWNERSHIP: returned by patchbay_plugin_describe(); static storage owned by the plugin, valid
 * while the library is mapped (the host never unmaps a plugin). */
typedef struct patchbay_plugin_descriptor
{
    uint32_t struct_size;        /* sizeof(patchbay_plugin_descriptor) the plugin was built with */
    uint32_t abi_major;          /* PATCHBAY_ABI_MAJOR at plugin build time */
    uint32_t abi_minor;          /* PATCHBAY_ABI_MINOR at plugin build time */
    uint32_t reserved_flags;     /* must be 0 */
    const char* build_signature; /* PATCHBAY_BUILD_SIGNATURE at plugin build time */
    const char* id;              /* stable plugin id, e.g. "twilio"; [a-z0-9-]{1,32} */
    const char* version;         /* plugin's own version, free-form, e.g. "1.2.0" */
    const char* description;     /* one line for logs; PATCHBAY_PLUGIN puts the class name here; may be NULL */
    uint64_t capabilities;       /* PATCHBAY_CAP_* bits */
    const void* reserved[4];     /* must be NULL; given meaning only by later minor versions */
} patchbay_plugin_descriptor;

/* Entry point 1. THREAD: Control. Must not allocate, start threads or have side effects.
 * @return a pointer to the plugin's static descriptor; never NULL. */
PATCHBAY_EXPORT const patchbay_plugin_descriptor* patchbay_plugin_describe(void);

/* Entry point 2. THREAD: Control. Called once, after the descriptor passed every check.
 * @return a new patchbay::sdk::Plugin* as void*, or NULL if construction failed.
 * OWNERSHIP: the host owns the object and releases it only through patchbay_plugin_destroy(). */
PATCHBAY_EXPORT void* patchbay_plugin_create(void);

/* Entry point 3. THREAD: Control. Deletes an object returned by patchbay_plugin_create() inside
 * the plugin, so the plugin's allocator frees what it allocated. NULL is ignored. */
PATCHBAY_EXPORT void patchbay_plugin_destroy(void* plugin);

#ifdef __cplusplus
}
#endif

#define PATCHBAY_SYMBOL_DESCRIBE "patchbay_plugin_describe"
#define PATCHBAY_SYMBOL_CREATE "patchbay_plugin_create"
#define PATCHBAY_SYMBOL_DESTROY "patchbay_plugin_destroy"

#endif
