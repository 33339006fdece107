// PluginLifecycle.cpp: ordered init/start/stop/shutdown with Declined-vs-failed semantics and exception containment.
#include "plugin/PluginLifecycle.h"
#include "plugin/ExceptionName.h"


#include <cstdlib>
#include <exception>
#include <string_view>
#include <typeinfo>
#include <utility>

namespace patchbay::host {

namespace {

// The SDK's lifecycle methods are noexcept, so a try/catch around a direct call is dead code the
// compiler may drop (and an exception would hit std::terminate at the call). Calling through member
// pointers without noexcept keeps the handler reachable: an exception that leaks out of a plugin
// anyway (plugin code built with -fno-exceptions around a throwing library) is caught here instead
// of ending the process.
using InitFn = sdk::Status (sdk::Plugin::*)(sdk::HostServices&, std::string_view);
using StartFn = sdk::Status (sdk::Plugin::*)();
using VoidFn = void (sdk::Plugin::*)();

template <class Fn>
sdk::Status callGuarded(const char* method, Fn&& fn)
{
    try
    {
        return fn();
    }
    catch (const std::exception& e)
    {
        return sdk::Status::internal(std::string(method) + "() threw " + exceptionName(e) + ": " + e.what());
    }
    catch (...)
    {
        return sdk::Status::internal(std::string(method) + "() threw a non-standard exception");
    }
}

} // namespace

PluginLifecycle::PluginLifecycle(HostServicesFactory hostServices, PluginLogSink log)
    : _hostServices(std::move(hostServices)), _log(std::move(log))
{
}

// Deliberately no implicit shutdownAll(): the HostServices the plugins hold may already be gone here.
PluginLifecycle::~PluginLifecycle() = default;

void PluginLifecycle::add(std::shared_ptr<LoadedPlugin> plugin, const PluginSpec& spec)
{
    if (!plugin) return;
    Entry entry;
    entry.report.id = plugin->id();
    entry.report.required = spec.required;
    entry.plugin = std::move(plugin);
    entry.spec = spec;
    _entries.push_back(std::move(entry));
}

bool PluginLifecycle::initAll()
{
    static const InitFn init = &sdk::Plugin::init;
    for (auto& entry : _entries)
    {
        if (entry.report.state != PluginState::Loaded) continue;
        sdk::Status status = callGuarded("host services for init", [&] {
            entry.host = &_hostServices(*entry.plugin);
            return sdk::Status::ok();
        });
        if (status.isOk())
            status = callGuarded("init", [&] { return (entry.plugin->plugin().*init)(*entry.host, entry.spec.configJson); });
        if (status.isOk())
        {
            entry.report.state = PluginState::Initialized;
            entry.needsShutdown = true;
            emit(LogSeverity::Debug, "plugin '" + entry.report.id + "' initialised");
        }
        else if (!settle(entry, "init", status))
            return false;
    }
    return true;
}

bool PluginLifecycle::startAll()
{
    static const StartFn start = &sdk::Plugin::start;
    for (auto& entry : _entries)
    {
        if (entry.report.state != PluginState::Initialized) continue;
        const sdk::Status status = callGuarded("start", [&] { return (entry.plugin->plugin().*start)(); });
        if (status.isOk())
        {
            entry.report.state = PluginState::Running;
            emit(LogSeverity::Info, "plugin '" + entry.report.id + "' " + entry.plugin->version() + " running");
            continue;
        }
        // It was initialised: undo its registrations now, not at the end of the run.
        shutdownOne(entry);
        if (!settle(entry, "start", status)) return false;
    }
    return true;
}

void PluginLifecycle::stopAll()
{
    for (auto it = _entries.rbegin(); it != _entries.rend(); ++it)
        if (it->report.state == PluginState::Running) stopOne(*it);
}

void PluginLifecycle::shutdownAll()
{
    stopAll();
    for (auto it = _entries.rbegin(); it != _entries.rend(); ++it)
        if (it->needsShutdown)
        {
            shutdownOne(*it);
            it->report.state = PluginState::Stopped;
        }
}

std::vector<PluginReport> PluginLifecycle::report() const
{
    std::vector<PluginReport> out;
    out.reserve(_entries.size());
    for (const auto& entry : _entries) out.push_back(entry.report);
    return out;
}

std::vector<std::shared_ptr<LoadedPlugin>> PluginLifecycle::running() const
{
    std::vector<std::shared_ptr<LoadedPlugin>> out;
    for (const auto& entry : _entries)
        if (entry.report.state == PluginState::Running) out.push_back(entry.plugin);
    return out;
}

bool PluginLifecycle::settle(Entry& entry, const char* phase, const sdk::Status& status)
{
    const bool declined = status.code() == sdk::StatusCode::Declined;
    entry.report.state = declined ? PluginState::Declined : PluginState::Failed;
    entry.report.code = status.code();
    entry.report.message = status.message();
    std::string line = "plugin '" + entry.report.id + "' " + phase + (declined ? " declined: " : " failed: ") + status.toString();
    if (entry.spec.required)
    {
        line += " \xE2\x80\x94 it is required, so startup stops";
        _fatalMessage = line;
        emit(LogSeverity::Error, line);
        return false;
    }
    if (declined)
        emit(LogSeverity::Info, line + " \xE2\x80\x94 running without it");
    else
        emit(LogSeverity::Warning, line + " \xE2\x80\x94 running without it; fix its config, or set enabled=false to silence this");
    return true;
}

void PluginLifecycle::stopOne(Entry& entry)
{
    static const VoidFn stop = &sdk::Plugin::stop;
    const sdk::Status status = callGuarded("stop", [&] {
        (entry.plugin->plugin().*stop)();
        return sdk::Status::ok();
    });
    if (!status.isOk()) emit(LogSeverity::Warning, "plugin '" + entry.report.id + "' " + status.message());
    entry.report.state = PluginState::Stopped;
}

void PluginLifecycle::shutdownOne(Entry& entry)
{
    static const VoidFn shutdown = &sdk::Plugin::shutdown;
    if (!entry.needsShutdown) return;
    entry.needsShutdown = false;
    const sdk::Status status = callGuarded("shutdown", [&] {
        (entry.plugin->plugin().*shutdown)();
        return sdk::Status::ok();
    });
    if (!status.isOk()) emit(LogSeverity::Warning, "plugin '" + entry.report.id + "' " + status.message());
}

void PluginLifecycle::emit(LogSeverity severity, const std::string& line) const
{
    if (!_log) return;
    try
    {
        _log(severity, line);
    }
    catch (...)
    {
    }
}

} // namespace patchbay::host
