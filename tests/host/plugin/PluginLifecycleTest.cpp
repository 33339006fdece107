// PluginLifecycleTest.cpp: init/start in order, stop/shutdown in reverse, Declined vs failed vs fatal, exceptions contained.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "PluginTestSupport.h"
#include "patchbay/sdk/testing/FakeHostServices.h"
#include "patchbay/sdk/testing/RecordingLogger.h"
#include "plugin/PluginLifecycle.h"
#include "plugin/PluginLoader.h"

using patchbay::host::LogSeverity;
using patchbay::host::PluginLifecycle;
using patchbay::host::PluginLoader;
using patchbay::host::PluginReport;
using patchbay::host::PluginSpec;
using patchbay::host::PluginState;
using namespace patchbay::tests;
namespace sdk = patchbay::sdk;

namespace {

/// A fake host whose logger is shared by every plugin, so one log shows the order of calls across plugins.
class SharedLogHost : public sdk::testing::FakeHostServices
{
public:
    SharedLogHost(const std::string& id, sdk::testing::RecordingLogger& shared) : FakeHostServices(id), _shared(shared) {}
    sdk::Logger& logger() noexcept override { return _shared; }

private:
    sdk::testing::RecordingLogger& _shared;
};

/// Loads fixtures, hands each its own SharedLogHost and runs them through a PluginLifecycle.
class Harness
{
public:
    Harness()
        : loader(log.sink()),
          lifecycle([this](patchbay::host::LoadedPlugin& plugin) -> sdk::HostServices& { return hostFor(plugin.id()); }, log.sink())
    {
    }

    void add(const std::string& id, bool required = false)
    {
        PluginSpec spec = fixtureSpec(id, required);
        auto result = loader.load(spec);
        CPPUNIT_ASSERT_MESSAGE(result.message, result.loaded());
        lifecycle.add(result.plugin, spec);
    }

    SharedLogHost& hostFor(const std::string& id)
    {
        auto& host = hosts[id];
        if (!host) host = std::make_unique<SharedLogHost>(id, calls);
        return *host;
    }

    PluginReport reportOf(const std::string& id) const
    {
        for (const auto& r : lifecycle.report())
            if (r.id == id) return r;
        CPPUNIT_FAIL("no report for " + id);
        return {};
    }

    std::vector<std::string> callOrder() const
    {
        std::vector<std::string> out;
        for (const auto& line : calls.lines()) out.push_back(line.message);
        return out;
    }

    // Destroyed in reverse: the lifecycle and loader (plugins) before the hosts they reference.
    sdk::testing::RecordingLogger calls;
    std::map<std::string, std::unique_ptr<SharedLogHost>> hosts;
    LogCollector log;
    PluginLoader loader;
    PluginLifecycle lifecycle;
};

} // namespace

class PluginLifecycleTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PluginLifecycleTest);
    CPPUNIT_TEST(testOrderAndOutcomes);
    CPPUNIT_TEST(testRunningPluginServes);
    CPPUNIT_TEST(testDeclineIsInfoFailureIsWarning);
    CPPUNIT_TEST(testInitThrowingIsContained);
    CPPUNIT_TEST(testRequiredInitFailureIsFatal);
    CPPUNIT_TEST(testRequiredDeclineIsFatal);
    CPPUNIT_TEST(testRequiredStartFailureIsFatal);
    CPPUNIT_TEST(testHostServicesFactoryThrowing);
    CPPUNIT_TEST_SUITE_END();

public:
    void testOrderAndOutcomes()
    {
        Harness h;
        for (const char* id : {"fx-good", "fx-missing-cap", "fx-init-declines", "fx-init-fails", "fx-start-fails", "fx-init-throws"})
            h.add(id);
        CPPUNIT_ASSERT(h.lifecycle.initAll());
        CPPUNIT_ASSERT(h.reportOf("fx-good").state == PluginState::Initialized);
        CPPUNIT_ASSERT(h.reportOf("fx-init-declines").state == PluginState::Declined);
        CPPUNIT_ASSERT(h.reportOf("fx-init-fails").state == PluginState::Failed);
        CPPUNIT_ASSERT(h.reportOf("fx-init-fails").code == sdk::StatusCode::Unavailable);
        CPPUNIT_ASSERT(h.reportOf("fx-init-throws").state == PluginState::Failed);

        CPPUNIT_ASSERT(h.lifecycle.startAll());
        CPPUNIT_ASSERT(h.reportOf("fx-good").state == PluginState::Running);
        CPPUNIT_ASSERT(h.reportOf("fx-missing-cap").state == PluginState::Running);
        CPPUNIT_ASSERT(h.reportOf("fx-start-fails").state == PluginState::Failed);
        CPPUNIT_ASSERT_EQUAL(std::string("listener port taken"), h.reportOf("fx-start-fails").message);
        CPPUNIT_ASSERT_MESSAGE("a plugin whose start failed keeps no routes", !h.hostFor("fx-start-fails").hasHttpRoute("POST", "/fx-start-fails/hook"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), h.lifecycle.running().size());
        CPPUNIT_ASSERT(!h.lifecycle.fatal());

        h.lifecycle.shutdownAll();
        CPPUNIT_ASSERT(h.reportOf("fx-good").state == PluginState::Stopped);
        CPPUNIT_ASSERT(h.reportOf("fx-missing-cap").state == PluginState::Stopped);
        CPPUNIT_ASSERT(h.reportOf("fx-init-declines").state == PluginState::Declined);
        CPPUNIT_ASSERT(h.reportOf("fx-start-fails").state == PluginState::Failed);

        const std::vector<std::string> expected = {
            "fx-good init", "fx-missing-cap init", "fx-init-declines init", "fx-init-fails init", "fx-start-fails init",
            "fx-good start", "fx-missing-cap start", "fx-start-fails start", "fx-start-fails shutdown",
            "fx-missing-cap stop", "fx-good stop", "fx-missing-cap shutdown", "fx-good shutdown"};
        CPPUNIT_ASSERT_EQUAL_MESSAGE(h.calls.dump(), join(expected), join(h.callOrder()));
    }

    void testRunningPluginServes()
    {
        Harness h;
        h.add("fx-good");
        CPPUNIT_ASSERT(h.lifecycle.initAll() && h.lifecycle.startAll());
        CPPUNIT_ASSERT_EQUAL(std::string("pong"), h.hostFor("fx-good").invokeHttp("GET", "/fx-good/ping").body);
        h.lifecycle.shutdownAll();
        CPPUNIT_ASSERT_EQUAL(404, h.hostFor("fx-good").invokeHttp("GET", "/fx-good/ping").status);
        // shutdownAll is idempotent: nothing runs twice.
        h.lifecycle.shutdownAll();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.calls.count("fx-good shutdown"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.calls.count("fx-good stop"));
    }

    void testDeclineIsInfoFailureIsWarning()
    {
        Harness h;
        h.add("fx-init-declines");
        h.add("fx-init-fails");
        CPPUNIT_ASSERT(h.lifecycle.initAll());
        CPPUNIT_ASSERT(h.log.contains(LogSeverity::Info, "plugin 'fx-init-declines' init declined: declined: no api key configured"));
        CPPUNIT_ASSERT(h.log.contains(LogSeverity::Warning, "plugin 'fx-init-fails' init failed: unavailable: database unreachable"));
        CPPUNIT_ASSERT(!h.lifecycle.fatal());
        h.lifecycle.shutdownAll();
        CPPUNIT_ASSERT_MESSAGE("shutdown() is only for plugins whose init() succeeded", h.calls.count("shutdown") == 0);
    }

    void testInitThrowingIsContained()
    {
        Harness h;
        h.add("fx-init-throws");
        h.add("fx-good");
        CPPUNIT_ASSERT(h.lifecycle.initAll());
        const PluginReport r = h.reportOf("fx-init-throws");
        CPPUNIT_ASSERT(r.state == PluginState::Failed);
        CPPUNIT_ASSERT(r.code == sdk::StatusCode::Internal);
        CPPUNIT_ASSERT_MESSAGE(r.message, r.message.find("init() threw std::runtime_error: init exploded") != std::string::npos);
        CPPUNIT_ASSERT(h.lifecycle.startAll());
        CPPUNIT_ASSERT(h.reportOf("fx-good").state == PluginState::Running);
        h.lifecycle.shutdownAll();
    }

    void testRequiredInitFailureIsFatal()
    {
        Harness h;
        h.add("fx-good");
        h.add("fx-init-fails", true);
        h.add("fx-missing-cap");
        CPPUNIT_ASSERT(!h.lifecycle.initAll());
        CPPUNIT_ASSERT(h.lifecycle.fatal());
        CPPUNIT_ASSERT_MESSAGE(h.lifecycle.fatalMessage(), h.lifecycle.fatalMessage().find("plugin 'fx-init-fails' init failed") != std::string::npos);
        CPPUNIT_ASSERT(h.lifecycle.fatalMessage().find("required") != std::string::npos);
        CPPUNIT_ASSERT(h.log.contains(LogSeverity::Error, "fx-init-fails"));
        CPPUNIT_ASSERT_MESSAGE("nothing after a fatal failure is initialised", h.reportOf("fx-missing-cap").state == PluginState::Loaded);
        h.lifecycle.shutdownAll();
        CPPUNIT_ASSERT_EQUAL(join({"fx-good init", "fx-init-fails init", "fx-good shutdown"}), join(h.callOrder()));
    }

    void testRequiredDeclineIsFatal()
    {
        Harness h;
        h.add("fx-init-declines", true);
        CPPUNIT_ASSERT(!h.lifecycle.initAll());
        CPPUNIT_ASSERT(h.reportOf("fx-init-declines").state == PluginState::Declined);
        CPPUNIT_ASSERT(h.lifecycle.fatal());
    }

    void testRequiredStartFailureIsFatal()
    {
        Harness h;
        h.add("fx-good");
        h.add("fx-start-fails", true);
        CPPUNIT_ASSERT(h.lifecycle.initAll());
        CPPUNIT_ASSERT(!h.lifecycle.startAll());
        CPPUNIT_ASSERT(h.lifecycle.fatalMessage().find("plugin 'fx-start-fails' start failed: internal: listener port taken") != std::string::npos);
        h.lifecycle.shutdownAll();
        CPPUNIT_ASSERT_EQUAL(join({"fx-good init", "fx-start-fails init", "fx-good start", "fx-start-fails start",
                                   "fx-start-fails shutdown", "fx-good stop", "fx-good shutdown"}),
                             join(h.callOrder()));
    }

    void testHostServicesFactoryThrowing()
    {
        LogCollector log;
        PluginLoader loader;
        PluginLifecycle lifecycle([](patchbay::host::LoadedPlugin&) -> sdk::HostServices& { throw std::runtime_error("no port"); },
                                  log.sink());
        auto result = loader.load(fixtureSpec("fx-good"));
        lifecycle.add(result.plugin, fixtureSpec("fx-good"));
        CPPUNIT_ASSERT(lifecycle.initAll());
        CPPUNIT_ASSERT(lifecycle.report().at(0).state == PluginState::Failed);
        CPPUNIT_ASSERT(lifecycle.report().at(0).message.find("no port") != std::string::npos);
    }

private:
    static std::string join(const std::vector<std::string>& items)
    {
        std::string out;
        for (const auto& item : items) out += item + "\n";
        return out;
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginLifecycleTest);
