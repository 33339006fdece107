// LoadResult.h: what PluginLoader::load() decided about one config entry, with the one-line message it logged.
#ifndef PATCHBAY_HOST_PLUGIN_LOAD_RESULT_H
#define PATCHBAY_HOST_PLUGIN_LOAD_RESULT_H

#include <memory>
#include <string>

#include "plugin/LoadedPlugin.h"

namespace patchbay::host {

struct LoadResult
{
    enum class Outcome
    {
        Loaded,   ///< every check passed and create() returned an object; `plugin` is set
        Declined, ///< disabled, or refused while not `required`: the host runs without it
        Fatal,    ///< refused while `required`: startup fails with exit code 2
    };

    Outcome outcome = Outcome::Declined;
    std::shared_ptr<LoadedPlugin> plugin;
    std::string message;

    bool loaded() const noexcept { return outcome == Outcome::Loaded; }
};

inline const char* outcomeName(LoadResult::Outcome outcome) noexcept
{
    switch (outcome)
    {
    case LoadResult::Outcome::Loaded: return "loaded";
    case LoadResult::Outcome::Declined: return "declined";
    case LoadResult::Outcome::Fatal: return "fatal";
    }
    return "unknown";
}

} // namespace patchbay::host

#endif
