// ConfigReader.h: typed, path-aware accessors over a parsed Poco JSON tree that record every problem instead of stopping at the first.
#ifndef PATCHBAY_HOST_CONFIG_CONFIG_READER_H
#define PATCHBAY_HOST_CONFIG_CONFIG_READER_H

#include "config/ConfigError.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace patchbay::host {

/// Each getter leaves its target untouched (the default) when the key is absent, and records an
/// issue and leaves it untouched when the value has the wrong type or range.
class ConfigReader
{
public:
    explicit ConfigReader(std::vector<ConfigIssue>& issues) : _issues(issues) {}

    void error(const std::string& path, const std::string& message) { _issues.push_back({path, message}); }

    /// "server" + "listen" -> "server.listen"; keys that are not plain identifiers are quoted:
    /// "logging.levels[\"plugin.twilio\"]".
    static std::string childPath(const std::string& path, const std::string& key);
    static std::string indexPath(const std::string& path, std::size_t index);

    /// "a string", "the number 3.5", "an object", ... for "expected X, got Y" messages.
    static std::string describe(const Poco::Dynamic::Var& value);

    static bool isObject(const Poco::Dynamic::Var& value);
    static bool isArray(const Poco::Dynamic::Var& value);

    /// The object at obj[key], or null (recording an issue when present with another type).
    Poco::JSON::Object::Ptr object(const Poco::JSON::Object::Ptr& obj, const std::string& key, const std::string& path);
    Poco::JSON::Array::Ptr array(const Poco::JSON::Object::Ptr& obj, const std::string& key, const std::string& path);

    /// Records an "unknown key" issue for every key of obj not in `allowed`.
    void allowOnly(const Poco::JSON::Object::Ptr& obj, const std::string& path, std::initializer_list<const char*> allowed);

    /// @return true when the key is present and valid.
    bool string(const Poco::JSON::Object::Ptr& obj, const std::string& key, const std::string& path, std::string& target,
                bool allowEmpty = true);
    bool boolean(const Poco::JSON::Object::Ptr& obj, const std::string& key, const std::string& path, bool& target);
    bool integer(const Poco::JSON::Object::Ptr& obj, const std::string& key, const std::string& path, std::int64_t min,
                 std::int64_t max, std::int64_t& target);
    /// Value must be one of `choices`; the target receives its index.
    bool choice(const Poco::JSON::Object::Ptr& obj, const std::string& key, const std::string& path,
                const std::vector<std::string>& choices, std::size_t& target);

    /// Checks a value that is not under an object key (array items, map values).
    bool choiceValue(const Poco::Dynamic::Var& value, const std::string& path, const std::vector<std::string>& choices,
                     std::size_t& target);

    template <typename T>
    bool integerInto(const Poco::JSON::Object::Ptr& obj, const std::string& key, const std::string& path,
                     std::int64_t min, std::int64_t max, T& target)
    {
        std::int64_t v = 0;
        if (!integer(obj, key, path, min, max, v)) return false;
        target = static_cast<T>(v);
        return true;
    }

private:
    std::vector<ConfigIssue>& _issues;
};

} // namespace patchbay::host

#endif
