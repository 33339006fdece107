// PluginLoader.cpp: the ordered load checks of sdk/Abi.h, each refusal one actionable line.
#include "plugin/PluginLoader.h"

#include <cxxabi.h>
#include <dlfcn.h>

#include <cstddef>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <sstream>
#include <typeinfo>
#include <utility>

#include "patchbay/sdk/Abi.h"

namespace patchbay::host {

namespace {

using DescribeFn = const patchbay_plugin_descriptor*();
using CreateFn = void*();
using DestroyFn = void(void*);

std::string demangledName(const std::type_info& type)
{
    int status = 0;
    char* name = abi::__cxa_demangle(type.name(), nullptr, nullptr, &status);
    std::string result = (status == 0 && name) ? name : type.name();
    std::free(name);
    return result;
}

std::string hex(std::uint64_t value)
{
    std::ostringstream out;
    out << "0x" << std::hex << value;
    return out.str();
}

std::string quoted(const char* text)
{
    return text ? "'" + std::string(text) + "'" : std::string("(none)");
}

} // namespace

PluginLoader::PluginLoader(PluginLogSink log) : _log(std::move(log))
{
}

// Loaded plugins are released in reverse load order, like their shutdown.
PluginLoader::~PluginLoader()
{
    while (!_loaded.empty()) _loaded.pop_back();
}

std::uint32_t PluginLoader::minimumDescriptorSize() noexcept
{
    // The v1 fields end with reserved[4]; later minors only append, so this never changes within ABI 1.
    return static_cast<std::uint32_t>(offsetof(patchbay_plugin_descriptor, reserved) +
                                      sizeof(patchbay_plugin_descriptor::reserved));
}

std::string PluginLoader::capabilityNames(std::uint64_t capabilities)
{
    if (capabilities == 0) return "none";
    std::string names;
    auto add = [&](const char* name) { names += names.empty() ? name : std::string("+") + name; };
    if (capabilities & PATCHBAY_CAP_INBOUND) add("inbound");
    if (capabilities & PATCHBAY_CAP_AGENT) add("agent");
    if (capabilities & PATCHBAY_CAP_TENANT_STORE) add("tenant-store");
    const std::uint64_t unknown = capabilities & ~(PATCHBAY_CAP_INBOUND | PATCHBAY_CAP_AGENT | PATCHBAY_CAP_TENANT_STORE);
    if (unknown) add(hex(unknown).c_str());
    return names;
}

LoadResult PluginLoader::load(const PluginSpec& spec)
{
    try
    {
        return loadChecked(spec);
    }
    catch (const std::exception& e)
    {
        // Only host-side failures (e.g. bad_alloc) get here: plugin calls are caught where they happen,
        // while the library that threw is still mapped.
        return refuse(spec, std::string("unexpected loader error: ") + e.what(), "report this as a Patchbay bug");
    }
    catch (...)
    {
        return refuse(spec, "unexpected loader error", "report this as a Patchbay bug");
    }
}

LoadResult PluginLoader::loadChecked(const PluginSpec& spec)
{
    if (!spec.enabled)
    {
        LoadResult result;
        result.outcome = LoadResult::Outcome::Declined;
        result.message = "plugin '" + spec.id + "' (" + spec.path + ") not loaded: disabled in config";
        emit(LogSeverity::Info, result.message);
        return result;
    }
    if (spec.id.empty()) return refuse(spec, "the config entry has no id", "give the entry the id the plugin declares");
    if (spec.path.empty()) return refuse(spec, "the config entry has no path", "set \"path\" to the plugin's .so file");

    std::error_code fsError;
    const std::filesystem::path file(spec.path);
    const auto fileStatus = std::filesystem::status(file, fsError);
    if (!std::filesystem::exists(fileStatus))
        return refuse(spec, "file " + spec.path + " does not exist",
                      "fix \"path\" in the config, or build/install the plugin there");
    if (!std::filesystem::is_regular_file(fileStatus))
        return refuse(spec, spec.path + " is not a regular file", "point \"path\" at the plugin's .so file");

    // 0. Open. RTLD_NOW: a missing dependency fails here, not at the first call; RTLD_LOCAL: one
    // plugin's symbols never satisfy another's.
    auto library = std::make_shared<LoadedPlugin::Library>();
    boost::dll::fs::error_code dllError;
    ::dlerror();
    library->load(file, dllError, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    if (dllError || !library->is_loaded())
    {
        // Boost.DLL reports every dlopen failure as "bad file descriptor"; the real reason is in dlerror().
        const char* why = ::dlerror();
        return refuse(spec, std::string("the dynamic loader cannot open it: ") + (why ? why : dllError.message()),
                      "check that it is a shared library for this system and its dependencies resolve (ldd)");
    }

    // 1. The three entry points.
    std::string missing;
    for (const char* symbol : {PATCHBAY_SYMBOL_DESCRIBE, PATCHBAY_SYMBOL_CREATE, PATCHBAY_SYMBOL_DESTROY})
        if (!library->has(symbol)) missing += (missing.empty() ? "" : ", ") + std::string(symbol);
    if (!missing.empty())
        return refuse(spec, "not a Patchbay plugin: missing " + missing,
                      "build it with patchbay_add_plugin() and one PATCHBAY_PLUGIN(...) line");
    DescribeFn* describe = &library->get<DescribeFn>(PATCHBAY_SYMBOL_DESCRIBE);
    CreateFn* create = &library->get<CreateFn>(PATCHBAY_SYMBOL_CREATE);
    DestroyFn* destroy = &library->get<DestroyFn>(PATCHBAY_SYMBOL_DESTROY);

    const patchbay_plugin_descriptor* descriptor = nullptr;
    try
    {
        descriptor = describe();
    }
    catch (...)
    {
        return refuse(spec, "patchbay_plugin_describe() threw", "fix the plugin: describe() must only return its static descriptor");
    }
    if (!descriptor)
        return refuse(spec, "patchbay_plugin_describe() returned NULL", "fix the plugin: describe() must return its static descriptor");

    // 2. Size first: nothing past struct_size may be read.
    const std::uint32_t minimumSize = minimumDescriptorSize();
    if (descriptor->struct_size < minimumSize)
        return refuse(spec,
                      "descriptor too small: struct_size " + std::to_string(descriptor->struct_size) + ", host needs at least " +
                          std::to_string(minimumSize),
                      "rebuild it against Patchbay SDK " + std::to_string(PATCHBAY_ABI_MAJOR) + ".x");

    // 3. Major.
    if (descriptor->abi_major != PATCHBAY_ABI_MAJOR)
        return refuse(spec,
                      "SDK ABI major " + std::to_string(descriptor->abi_major) + ", host " + std::to_string(PATCHBAY_ABI_MAJOR),
                      "rebuild it against Patchbay SDK " + std::to_string(PATCHBAY_ABI_MAJOR) + ".x");

    // 4. Minor: a plugin may use everything up to the minor it was built with.
    const std::string hostAbi = std::to_string(PATCHBAY_ABI_MAJOR) + "." + std::to_string(PATCHBAY_ABI_MINOR);
    if (descriptor->abi_minor > PATCHBAY_ABI_MINOR)
        return refuse(spec,
                      "plugin needs a newer host: built against SDK ABI " + std::to_string(descriptor->abi_major) + "." +
                          std::to_string(descriptor->abi_minor) + ", host provides " + hostAbi,
                      "upgrade Patchbay, or rebuild the plugin against SDK " + hostAbi);

    // 5. Compiler, standard library ABI and SDK header digest.
    const std::string hostSignature = PATCHBAY_BUILD_SIGNATURE;
    if (!descriptor->build_signature || hostSignature != descriptor->build_signature)
        return refuse(spec,
                      "build signature " + quoted(descriptor->build_signature) + " differs from the host's '" + hostSignature + "'",
                      "rebuild it with the host's compiler and SDK");

    // 6. Identity.
    const std::string pluginId = descriptor->id ? descriptor->id : "";
    if (pluginId != spec.id)
        return refuse(spec, "descriptor id " + quoted(descriptor->id) + " does not match the config entry id '" + spec.id + "'",
                      "fix the plugin id in the config (or point \"path\" at the right file)");
    for (const auto& other : _loaded)
        if (other->id() == pluginId)
            return refuse(spec, "id '" + pluginId + "' is already loaded from " + other->path(),
                          "fix the plugin id in the config: each plugin may be configured once");

    // 7. Role.
    const std::uint64_t lacking = spec.requiredCapabilities & ~descriptor->capabilities;
    if (lacking)
        return refuse(spec,
                      "capabilities " + capabilityNames(descriptor->capabilities) + " (" + hex(descriptor->capabilities) +
                          ") do not cover the configured role " + capabilityNames(spec.requiredCapabilities) + " (" +
                          hex(spec.requiredCapabilities) + ")",
                      "this plugin cannot serve role " + capabilityNames(lacking) + "; configure it for a role it declares");

    // Only now does a C++ object cross. Exceptions are caught here, while the library is still mapped.
    void* raw = nullptr;
    try
    {
        raw = create();
    }
    catch (const std::exception& e)
    {
        return refuse(spec, "create failed: patchbay_plugin_create() threw " + demangledName(typeid(e)) + ": " + e.what(),
                      "fix the plugin: create() must return NULL instead of throwing (PATCHBAY_PLUGIN does)");
    }
    catch (...)
    {
        return refuse(spec, "create failed: patchbay_plugin_create() threw a non-standard exception",
                      "fix the plugin: create() must return NULL instead of throwing (PATCHBAY_PLUGIN does)");
    }
    if (!raw)
        return refuse(spec, "create failed: patchbay_plugin_create() returned NULL (its constructor failed)",
                      "see the plugin's documentation for what its constructor needs");

    // destroy() runs inside the plugin (its allocator frees what it allocated) and the library stays
    // mapped until it has returned.
    std::shared_ptr<sdk::Plugin> plugin(static_cast<sdk::Plugin*>(raw), [library, destroy](sdk::Plugin* p) mutable {
        destroy(p);
        library.reset();
    });
    auto loaded = std::make_shared<LoadedPlugin>(library, *descriptor, spec.path, std::move(plugin));
    _loaded.push_back(loaded);

    LoadResult result;
    result.outcome = LoadResult::Outcome::Loaded;
    result.plugin = std::move(loaded);
    result.message = "plugin '" + spec.id + "' " + result.plugin->version() + " loaded from " + spec.path + " (SDK ABI " +
                     std::to_string(descriptor->abi_major) + "." + std::to_string(descriptor->abi_minor) + ", capabilities " +
                     capabilityNames(descriptor->capabilities) + ")";
    emit(LogSeverity::Info, result.message);
    return result;
}

LoadResult PluginLoader::refuse(const PluginSpec& spec, const std::string& what, const std::string& fix) const
{
    LoadResult result;
    result.outcome = spec.required ? LoadResult::Outcome::Fatal : LoadResult::Outcome::Declined;
    result.message = "plugin '" + spec.id + "' (" + spec.path + ") refused: " + what + " \xE2\x80\x94 " + fix;
    if (spec.required) result.message += " (required: startup stops)";
    emit(spec.required ? LogSeverity::Error : LogSeverity::Warning, result.message);
    return result;
}

void PluginLoader::emit(LogSeverity severity, const std::string& line) const
{
    if (!_log) return;
    try
    {
        _log(severity, line);
    }
    catch (...)
    {
        // A broken sink must not turn a load decision into a crash.
    }
}

} // namespace patchbay::host
