// ConfigTestSupport.h: helpers the config suites share — a loader over a fake environment and readers of the issues it reports.
#ifndef PATCHBAY_TESTS_HOST_INFRA_CONFIG_TEST_SUPPORT_H
#define PATCHBAY_TESTS_HOST_INFRA_CONFIG_TEST_SUPPORT_H

#include "config/ConfigLoader.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace patchbay::host::testing {


inline EnvInterpolator::Lookup envOf(std::map<std::string, std::string> vars)
{
    return [vars](const std::string& name) -> std::optional<std::string> {
        auto it = vars.find(name);
        if (it == vars.end()) return std::nullopt;
        return it->second;
    };
}

inline ConfigLoader loaderWith(std::map<std::string, std::string> vars = {})
{
    return ConfigLoader(envOf(std::move(vars)));
}

/// Loads and expects failure; returns the issues.
inline std::vector<ConfigIssue> issuesOf(const std::string& json, std::map<std::string, std::string> vars = {})
{
    try
    {
        loaderWith(std::move(vars)).loadString(json, "test.json");
    }
    catch (const ConfigError& e)
    {
        return e.issues();
    }
    CPPUNIT_FAIL("expected a ConfigError for: " + json);
    return {};
}

inline bool hasIssue(const std::vector<ConfigIssue>& issues, const std::string& path, const std::string& fragment)
{
    return std::any_of(issues.begin(), issues.end(), [&](const ConfigIssue& i) {
        return i.path == path && i.message.find(fragment) != std::string::npos;
    });
}

inline std::string dump(const std::vector<ConfigIssue>& issues)
{
    std::string s;
    for (const auto& i : issues)
        s += i.toString() + "\n";
    return s;
}

inline const char* const kAdminToken = "0123456789abcdef0123456789abcdef";

#define ASSERT_ISSUE(issues, path, fragment) \
    CPPUNIT_ASSERT_MESSAGE(dump(issues), hasIssue(issues, path, fragment))

} // namespace patchbay::host::testing

#endif
