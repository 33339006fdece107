// PluginConfigCheckTest.cpp: checkPluginConfig() on real fixture plugins — OK, declined, config error, and a throwing checkConfig contained.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "PluginTestSupport.h"
#include "plugin/PluginConfigCheck.h"
#include "plugin/PluginLoader.h"

using patchbay::host::LoadedPlugin;
using patchbay::host::PluginConfigCheck;
using patchbay::host::PluginLoader;
using patchbay::host::checkPluginConfig;
using namespace patchbay::tests;
namespace sdk = patchbay::sdk;

namespace {

using Verdict = PluginConfigCheck::Verdict;

const char* verdictName(Verdict verdict)
{
    switch (verdict)
    {
    case Verdict::Ok: return "ok";
    case Verdict::Declined: return "declined";
    case Verdict::Error: return "error";
    }
    return "?";
}

#define PB_ASSERT_CHECK(expectedVerdict, expectedLine, check)                                                           \
    do                                                                                                                   \
    {                                                                                                                    \
        const PluginConfigCheck pbCheck = (check);                                                                       \
        CPPUNIT_ASSERT_EQUAL_MESSAGE(pbCheck.line, std::string(verdictName(expectedVerdict)),                           \
                                     std::string(verdictName(pbCheck.verdict)));                                         \
        CPPUNIT_ASSERT_EQUAL(std::string(expectedLine), pbCheck.line);                                                   \
    } while (false)

/// A plugin object that must never be asked: it fails the test if checkConfig() is called.
class MustNotBeCalled : public sdk::Plugin
{
public:
    sdk::Status init(sdk::HostServices&, std::string_view) override { return sdk::Status::ok(); }
    sdk::Status checkConfig(std::string_view) const override
    {
        CPPUNIT_FAIL("checkConfig() called on a plugin built before SDK 1.3");
        return sdk::Status::ok();
    }
};

} // namespace

class PluginConfigCheckTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PluginConfigCheckTest);
    CPPUNIT_TEST(okDeclinedAndErrorLines);
    CPPUNIT_TEST(throwingCheckIsContainedAndNamed);
    CPPUNIT_TEST(defaultIsDeclined);
    CPPUNIT_TEST(pluginBeforeSdk13IsNotCalled);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { _loader = std::make_unique<PluginLoader>(); }
    void tearDown() override { _loader.reset(); }

    std::shared_ptr<LoadedPlugin> load(const std::string& id)
    {
        auto result = _loader->load(fixtureSpec(id));
        CPPUNIT_ASSERT_MESSAGE(result.message, result.loaded());
        return result.plugin;
    }

    void okDeclinedAndErrorLines()
    {
        auto plugin = load("fx-check-config");
        PB_ASSERT_CHECK(Verdict::Ok, "plugin fx-check-config: config OK", checkPluginConfig(*plugin, "{}"));
        PB_ASSERT_CHECK(Verdict::Error,
                        "plugin fx-check-config: config error: unknown config key 'colour' (known: color) \xE2\x80\x94 rename it to 'color'",
                        checkPluginConfig(*plugin, R"({"colour": "red"})"));
        // Not the usual invalid-argument: the code is added, so "the check failed" reads differently from "the key is wrong".
        PB_ASSERT_CHECK(Verdict::Error, "plugin fx-check-config: config error: the check could not run [internal]",
                        checkPluginConfig(*plugin, R"({"internal": true})"));
        CPPUNIT_ASSERT(checkPluginConfig(*plugin, R"({"colour": 1})").isError());
        CPPUNIT_ASSERT(!checkPluginConfig(*plugin, "{}").isError());
    }

    void throwingCheckIsContainedAndNamed()
    {
        auto plugin = load("fx-check-config");
        PB_ASSERT_CHECK(Verdict::Error,
                        "plugin fx-check-config: config error: checkConfig() threw std::runtime_error: config check exploded "
                        "\xE2\x80\x94 a bug in the plugin: report it to its authors (checkConfig must return a Status)",
                        checkPluginConfig(*plugin, R"({"explode": true})"));
        PB_ASSERT_CHECK(Verdict::Error,
                        "plugin fx-check-config: config error: checkConfig() threw a non-standard exception \xE2\x80\x94 a bug "
                        "in the plugin: report it to its authors (checkConfig must return a Status)",
                        checkPluginConfig(*plugin, R"({"explodeOddly": true})"));
        // The object survives its throw: the next check works.
        PB_ASSERT_CHECK(Verdict::Ok, "plugin fx-check-config: config OK", checkPluginConfig(*plugin, "{}"));
    }

    void defaultIsDeclined()
    {
        // fx-good does not override checkConfig: the SDK's default declines, which is not an error.
        auto plugin = load("fx-good");
        const PluginConfigCheck check = checkPluginConfig(*plugin, R"({"anything": 1})");
        CPPUNIT_ASSERT_MESSAGE(check.line, check.verdict == Verdict::Declined);
        CPPUNIT_ASSERT_MESSAGE(check.line, !check.isError());
        CPPUNIT_ASSERT_EQUAL(std::string("plugin fx-good: config cannot be checked ahead (declined: this plugin does not "
                                         "implement checkConfig (SDK 1.3); its config is checked only by init())"),
                             check.line);
    }

    void pluginBeforeSdk13IsNotCalled()
    {
        patchbay_plugin_descriptor descriptor{};
        descriptor.struct_size = sizeof(descriptor);
        descriptor.abi_major = PATCHBAY_ABI_MAJOR;
        descriptor.abi_minor = 2;
        descriptor.build_signature = PATCHBAY_BUILD_SIGNATURE;
        descriptor.id = "old-plugin";
        descriptor.version = "0.9";
        descriptor.capabilities = PATCHBAY_CAP_AGENT;
        LoadedPlugin plugin(std::make_shared<LoadedPlugin::Library>(), descriptor, "/nowhere/libold.so",
                            std::make_shared<MustNotBeCalled>());
        PB_ASSERT_CHECK(Verdict::Declined,
                        "plugin old-plugin: config cannot be checked ahead (declined: built against SDK 1.2, before "
                        "checkConfig; init() checks it at start)",
                        checkPluginConfig(plugin, "{}"));
    }

private:
    std::unique_ptr<PluginLoader> _loader;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginConfigCheckTest);
