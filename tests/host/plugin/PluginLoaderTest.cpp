// PluginLoaderTest.cpp: loads every fixture plugin for real and checks the outcome, the order of checks and the wording of each refusal.
#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>

#include "PluginTestSupport.h"
#include "patchbay/sdk/testing/FakeHostServices.h"
#include "patchbay/sdk/testing/RecordingCallChannel.h"
#include "plugin/PluginLoader.h"

using patchbay::host::LoadResult;
using patchbay::host::LogSeverity;
using patchbay::host::PluginLoader;
using patchbay::host::PluginSpec;
using namespace patchbay::tests;
namespace sdk = patchbay::sdk;

class PluginLoaderTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PluginLoaderTest);
    CPPUNIT_TEST(testGoodFixtureLoads);
    CPPUNIT_TEST(testDisabledIsNotOpened);
    CPPUNIT_TEST(testMissingFile);
    CPPUNIT_TEST(testNotASharedLibrary);
    CPPUNIT_TEST(testNoEntryPoints);
    CPPUNIT_TEST(testDescriptorTooSmall);
    CPPUNIT_TEST(testAbiMajorMismatch);
    CPPUNIT_TEST(testNewerMinor);
    CPPUNIT_TEST(testBuildSignatureMismatch);
    CPPUNIT_TEST(testWrongId);
    CPPUNIT_TEST(testDuplicateId);
    CPPUNIT_TEST(testMissingCapability);
    CPPUNIT_TEST(testCreateReturnsNull);
    CPPUNIT_TEST(testCreateThrows);
    CPPUNIT_TEST(testRequiredRefusalIsFatal);
    CPPUNIT_TEST(testChecksRunInDocumentedOrder);
    CPPUNIT_TEST(testEachRefusalIsOneLogLine);
    CPPUNIT_TEST(testLibraryLivesWhileHeldObjectLives);
    CPPUNIT_TEST(testFixturesExportExactlyThreeSymbols);
    CPPUNIT_TEST(testGoodFixtureHasNoUniqueSymbols);
    CPPUNIT_TEST_SUITE_END();

public:
    void testGoodFixtureLoads()
    {
        LogCollector log;
        PluginLoader loader(log.sink());
        LoadResult r = loader.load(fixtureSpec("fx-good", false, PATCHBAY_CAP_AGENT));
        CPPUNIT_ASSERT_MESSAGE(r.message, r.outcome == LoadResult::Outcome::Loaded);
        CPPUNIT_ASSERT(r.plugin);
        CPPUNIT_ASSERT_EQUAL(std::string("fx-good"), r.plugin->id());
        CPPUNIT_ASSERT_EQUAL(std::string("1.2.3"), r.plugin->version());
        CPPUNIT_ASSERT_EQUAL(std::string("GoodPlugin"), r.plugin->description());
        CPPUNIT_ASSERT_EQUAL(fixturePath("fx-good"), r.plugin->path());
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(PATCHBAY_ABI_MAJOR), r.plugin->abiMajor());
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(PATCHBAY_ABI_MINOR), r.plugin->abiMinor());
        CPPUNIT_ASSERT_EQUAL(std::string(PATCHBAY_BUILD_SIGNATURE), r.plugin->buildSignature());
        CPPUNIT_ASSERT(r.plugin->hasCapabilities(PATCHBAY_CAP_AGENT));
        CPPUNIT_ASSERT(r.plugin->plugin().agentProvider() != nullptr);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), loader.loaded().size());
        expect(r.message, {"plugin 'fx-good' 1.2.3 loaded from", "capabilities agent"});
        CPPUNIT_ASSERT(log.contains(LogSeverity::Info, "loaded"));
        CPPUNIT_ASSERT(isMapped(fixturePath("fx-good")));
    }

    void testDisabledIsNotOpened()
    {
        PluginLoader loader;
        PluginSpec spec = fixtureSpec("fx-newer-minor");
        spec.enabled = false;
        LoadResult r = loader.load(spec);
        CPPUNIT_ASSERT(r.outcome == LoadResult::Outcome::Declined);
        CPPUNIT_ASSERT(!r.plugin);
        expect(r.message, {"fx-newer-minor", "disabled in config"});
        CPPUNIT_ASSERT_MESSAGE("a disabled plugin must not even be opened", !isMapped(fixturePath("fx-newer-minor")));
    }

    void testMissingFile()
    {
        PluginLoader loader;
        PluginSpec spec;
        spec.id = "fx-nothing";
        spec.path = std::string(PATCHBAY_TEST_PLUGIN_DIR) + "/libpatchbay-fx-nothing.so";
        LoadResult r = loader.load(spec);
        CPPUNIT_ASSERT(r.outcome == LoadResult::Outcome::Declined);
        expect(r.message, {"plugin 'fx-nothing'", spec.path, "refused", "does not exist", "fix \"path\""});

        spec.path = PATCHBAY_TEST_PLUGIN_DIR;
        expect(loader.load(spec).message, {"is not a regular file"});
    }

    void testNotASharedLibrary()
    {
        const std::string path = std::string(PATCHBAY_TEST_PLUGIN_DIR) + "/libpatchbay-fx-text-" + std::to_string(::getpid()) + ".so";
        std::ofstream(path) << std::string(256, '#') << "\nthis is a text file, not an ELF shared library\n";
        PluginLoader loader;
        PluginSpec spec;
        spec.id = "fx-text";
        spec.path = path;
        LoadResult r = loader.load(spec);
        std::remove(path.c_str());
        CPPUNIT_ASSERT(r.outcome == LoadResult::Outcome::Declined);
        // The dlerror() text, not Boost.DLL's generic "bad file descriptor".
        expect(r.message, {"dynamic loader cannot open it", path, "invalid ELF header"});
    }

    void testNoEntryPoints()
    {
        PluginLoader loader;
        LoadResult r = loader.load(fixtureSpec("fx-no-entry"));
        CPPUNIT_ASSERT(r.outcome == LoadResult::Outcome::Declined);
        expect(r.message, {"plugin 'fx-no-entry'", "not a Patchbay plugin",
                           "missing patchbay_plugin_describe, patchbay_plugin_create, patchbay_plugin_destroy",
                           "patchbay_add_plugin"});
    }

    void testDescriptorTooSmall()
    {
        PluginLoader loader;
        LoadResult r = loader.load(fixtureSpec("fx-too-small"));
        CPPUNIT_ASSERT(r.outcome == LoadResult::Outcome::Declined);
        expect(r.message, {"descriptor too small", "struct_size 16",
                           "at least " + std::to_string(sizeof(patchbay_plugin_descriptor)), "rebuild it against Patchbay SDK 1.x"});
    }

    void testAbiMajorMismatch()
    {
        PluginLoader loader;
        LoadResult r = loader.load(fixtureSpec("fx-abi-major"));
        CPPUNIT_ASSERT(r.outcome == LoadResult::Outcome::Declined);
        expect(r.message, {"plugin 'fx-abi-major' (" + fixturePath("fx-abi-major") + ") refused: SDK ABI major 2, host 1",
                           "rebuild it against Patchbay SDK 1.x"});
    }

    void testNewerMinor()
    {
        PluginLoader loader;
        LoadResult r = loader.load(fixtureSpec("fx-newer-minor"));
        CPPUNIT_ASSERT(r.outcome == LoadResult::Outcome::Declined);
        const std::string pluginAbi = "1." + std::to_string(PATCHBAY_ABI_MINOR + 1);
        const std::string hostAbi = "1." + std::to_string(PATCHBAY_ABI_MINOR);
        expect(r.message, {"plugin needs a newer host", "SDK ABI " + pluginAbi, "host provides " + hostAbi, "upgrade Patchbay"});
    }

    void testBuildSignatureMismatch()
    {
        PluginLoader loader;
        LoadResult r = loader.load(fixtureSpec("fx-build-sig"));
        CPPUNIT_ASSERT(r.outcome == LoadResult::Outcome::Declined);
        expect(r.message, {"build signature 'pbsdk;othercc99", std::string("'") + PATCHBAY_BUILD_SIGNATURE + "'",
                           "rebuild it with the host's compiler and SDK"});
    }

    void testWrongId()
    {
        PluginLoader loader;
        LoadResult r = loader.load(fixtureSpec("fx-wrong-id"));
        CPPUNIT_ASSERT(r.outcome == LoadResult::Outcome::Declined);
        expect(r.message, {"descriptor id 'fx-someone-else'", "config entry id 'fx-wrong-id'", "fix the plugin id in the config"});
    }

    void testDuplicateId()
    {
        PluginLoader loader;
        CPPUNIT_ASSERT(loader.load(fixtureSpec("fx-good")).loaded());
        LoadResult second = loader.load(fixtureSpec("fx-good"));
        CPPUNIT_ASSERT(second.outcome == LoadResult::Outcome::Declined);
        expect(second.message, {"id 'fx-good' is already loaded from " + fixturePath("fx-good"), "configured once"});
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), loader.loaded().size());
    }

    void testMissingCapability()
    {
        PluginLoader loader;
        LoadResult r = loader.load(fixtureSpec("fx-missing-cap", false, PATCHBAY_CAP_INBOUND));
        CPPUNIT_ASSERT(r.outcome == LoadResult::Outcome::Declined);
        expect(r.message, {"capabilities tenant-store (0x4)", "configured role inbound (0x1)", "cannot serve role inbound"});
        // Without a role requirement the same file is fine.
        CPPUNIT_ASSERT(loader.load(fixtureSpec("fx-missing-cap")).loaded());
    }

    void testCreateReturnsNull()
    {
        PluginLoader loader;
        LoadResult r = loader.load(fixtureSpec("fx-create-null"));
        CPPUNIT_ASSERT(r.outcome == LoadResult::Outcome::Declined);
        expect(r.message, {"create failed", "returned NULL"});
    }

    void testCreateThrows()
    {
        PluginLoader loader;
        LoadResult r = loader.load(fixtureSpec("fx-create-throws"));
        CPPUNIT_ASSERT(r.outcome == LoadResult::Outcome::Declined);
        expect(r.message, {"create failed", "threw std::runtime_error: create exploded"});
    }

    void testRequiredRefusalIsFatal()
    {
        LogCollector log;
        PluginLoader loader(log.sink());
        LoadResult r = loader.load(fixtureSpec("fx-abi-major", true));
        CPPUNIT_ASSERT(r.outcome == LoadResult::Outcome::Fatal);
        expect(r.message, {"SDK ABI major 2", "required"});
        CPPUNIT_ASSERT(log.contains(LogSeverity::Error, "fx-abi-major"));

        PluginSpec missing;
        missing.id = "fx-nothing";
        missing.path = "/nonexistent/libpatchbay-fx-nothing.so";
        missing.required = true;
        CPPUNIT_ASSERT(loader.load(missing).outcome == LoadResult::Outcome::Fatal);
    }

    void testChecksRunInDocumentedOrder()
    {
        PluginLoader loader;
        // ABI major (check 3) is reported before the id (check 6) and the role (check 7).
        PluginSpec spec = fixtureSpec("fx-abi-major", false, PATCHBAY_CAP_INBOUND);
        spec.id = "other";
        expect(loader.load(spec).message, {"SDK ABI major 2"});
        // The build signature (5) before the id (6).
        spec = fixtureSpec("fx-build-sig");
        spec.id = "other";
        expect(loader.load(spec).message, {"build signature"});
        // The id (6) before the role (7).
        expect(loader.load(fixtureSpec("fx-wrong-id", false, PATCHBAY_CAP_INBOUND)).message, {"descriptor id"});
        // The role (7) before create(): the throwing create must not even run.
        expect(loader.load(fixtureSpec("fx-create-throws", false, PATCHBAY_CAP_INBOUND)).message, {"cannot serve role inbound"});
        // Struct size (2) before the major (3): nothing past struct_size is read.
        expect(loader.load(fixtureSpec("fx-too-small", false, PATCHBAY_CAP_INBOUND)).message, {"descriptor too small"});
    }

    void testEachRefusalIsOneLogLine()
    {
        for (const char* id : {"fx-no-entry", "fx-too-small", "fx-abi-major", "fx-newer-minor", "fx-build-sig", "fx-wrong-id",
                               "fx-create-null", "fx-create-throws"})
        {
            LogCollector log;
            PluginLoader loader(log.sink());
            LoadResult r = loader.load(fixtureSpec(id));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(id, std::size_t(1), log.lines.size());
            CPPUNIT_ASSERT_MESSAGE(id, log.lines[0].first == LogSeverity::Warning);
            CPPUNIT_ASSERT_EQUAL(r.message, log.lines[0].second);
            CPPUNIT_ASSERT_MESSAGE(r.message, r.message.find('\n') == std::string::npos);
            expect(r.message, {std::string("plugin '") + id + "' (" + fixturePath(id) + ") refused: ", "\xE2\x80\x94 "});
        }
    }

    void testLibraryLivesWhileHeldObjectLives()
    {
        const std::string path = fixturePath("fx-good");
        sdk::testing::RecordingCallChannel channel;
        std::shared_ptr<sdk::AgentSession> session;
        std::shared_ptr<sdk::HttpHandler> handler;
        {
            PluginLoader loader;
            LoadResult r = loader.load(fixtureSpec("fx-good"));
            CPPUNIT_ASSERT_MESSAGE(r.message, r.loaded());
            const long baseline = r.plugin->libraryUseCount();

            sdk::testing::FakeHostServices host("fx-good");
            CPPUNIT_ASSERT(r.plugin->plugin().init(host, "{}").isOk());
            sdk::AgentSessionRequest request;
            request.call.callSid = "CA123";
            auto opened = r.plugin->plugin().agentProvider()->openSession(request, channel, host.loop());
            CPPUNIT_ASSERT(opened.isOk());
            session = r.plugin->holdLibrary(std::move(opened).value());
            CPPUNIT_ASSERT_EQUAL(baseline + 1, r.plugin->libraryUseCount());
            handler = r.plugin->holdLibrary(host.httpHandler("GET", "/fx-good/ping"));
            CPPUNIT_ASSERT(handler);
            CPPUNIT_ASSERT_EQUAL(baseline + 2, r.plugin->libraryUseCount());
            r.plugin->plugin().shutdown();
            CPPUNIT_ASSERT(!host.hasHttpRoute("GET", "/fx-good/ping"));
        } // loader, LoadedPlugin, the plugin object and the fake host are gone now

        CPPUNIT_ASSERT_MESSAGE("library unmapped while a session it made is alive", isMapped(path));
        sdk::AudioFrame frame;
        frame.payload = "AAEC";
        session->onAudio(frame);
        CPPUNIT_ASSERT_EQUAL(std::string("AAEC"), channel.audioPayloads());
        CPPUNIT_ASSERT(channel.isReady());
        CPPUNIT_ASSERT_EQUAL(std::string("echo-CA123"), channel.legInfo().remoteId);

        session.reset();
        CPPUNIT_ASSERT_MESSAGE("library unmapped while a handler it made is alive", isMapped(path));
        sdk::HttpResponse response;
        handler->handle(sdk::HttpRequest{}, response);
        CPPUNIT_ASSERT_EQUAL(std::string("pong"), response.body);

        handler.reset();
        // Every other test's loader was a local, so the last owner is gone and dlclose really unmaps.
        CPPUNIT_ASSERT_MESSAGE("library still mapped after the last held object died (GNU_UNIQUE?)", !isMapped(path));
    }

    void testFixturesExportExactlyThreeSymbols()
    {
        const std::set<std::string> expected = {PATCHBAY_SYMBOL_DESCRIBE, PATCHBAY_SYMBOL_CREATE, PATCHBAY_SYMBOL_DESTROY};
        for (const char* id : {"fx-good", "fx-abi-major", "fx-newer-minor", "fx-build-sig", "fx-wrong-id", "fx-create-null",
                               "fx-create-throws", "fx-init-declines", "fx-init-fails", "fx-init-throws", "fx-start-fails",
                               "fx-missing-cap", "fx-too-small"})
        {
            const std::string out = runCommand("nm -D --defined-only '" + fixturePath(id) + "'");
            std::set<std::string> symbols;
            std::istringstream lines(out);
            std::string line;
            while (std::getline(lines, line))
            {
                std::istringstream fields(line);
                std::string address, type, name;
                if (fields >> address >> type >> name) symbols.insert(name);
            }
            CPPUNIT_ASSERT_MESSAGE(std::string(id) + " exports:\n" + out, symbols == expected);
        }
    }

    void testGoodFixtureHasNoUniqueSymbols()
    {
        const std::string out = runCommand("readelf -W --dyn-syms '" + fixturePath("fx-good") + "'");
        CPPUNIT_ASSERT_MESSAGE("readelf produced nothing", out.find("patchbay_plugin_describe") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE("GNU_UNIQUE symbols keep a plugin mapped forever:\n" + out, out.find("UNIQUE") == std::string::npos);
    }

private:
    static void expect(const std::string& message, std::initializer_list<std::string> needles)
    {
        for (const auto& needle : needles)
            CPPUNIT_ASSERT_MESSAGE("message \"" + message + "\" lacks \"" + needle + "\"", message.find(needle) != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginLoaderTest);
